package org.clustermail.retrieval.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (curl, a Python script) and asserts it finished in time with exit status 0. */
public final class ClientProcesses {

    private ClientProcesses() {
    }

    /** Runs {@code command}; returns its output (stdout and stderr). */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("%s finished in time; output:%n%s", command.get(0), out).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
        return out;
    }

    /** Runs a Python 3 script with the given arguments; the script asserts and exits non-zero on any surprise. */
    public static String python(String script, Object... args) throws IOException, InterruptedException {
        Path file = Files.createTempFile("client-", ".py");
        try {
            Files.writeString(file, script);
            List<String> cmd = new ArrayList<>(List.of("python3", file.toString()));
            for (Object a : args) {
                cmd.add(String.valueOf(a));
            }
            return run(cmd);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
