package org.clustermail.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers started on this machine (local clusters, tests), chosen outside the kernel's ephemeral
 * range. A port from {@code new ServerSocket(0)} lies inside that range, where any process's outgoing connection can
 * take it between the check and the bind: nodes dial each other while they start, and CI once failed with "cannot
 * listen on 127.0.0.1:44495: Address already in use". Outside the range only a listener can take a port.
 */
public final class FreePorts {

    /** The lowest port handed out: above the well-known and most registered services' ports. */
    private static final int LOWEST = 10_000;

    /** Ports this JVM handed out, never handed out again (their servers may not have bound them yet). */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port free on 127.0.0.1 now, outside the ephemeral range, not handed out before by this JVM. */
    public static int pick() {
        int[] ephemeral = ephemeralRange();
        // the wider of the two gaps around the ephemeral range
        int below = ephemeral[0] - LOWEST;
        int above = 65_535 - ephemeral[1];
        int from = below >= above ? LOWEST : ephemeral[1] + 1;
        int count = Math.max(below, above);
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = from + ThreadLocalRandom.current().nextInt(count);
            if (HANDED_OUT.add(port) && free("127.0.0.1", port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException(
                "no free port in " + from + "-" + (from + count - 1) + " after 1000 tries"));
    }

    /** Whether {@code port} can be bound on {@code host} now. */
    public static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Linux's {@code ip_local_port_range}; its usual default where it cannot be read. */
    public static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }
}
