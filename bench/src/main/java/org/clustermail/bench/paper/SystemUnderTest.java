package org.clustermail.bench.paper;

import java.net.InetSocketAddress;
import java.util.List;

/** A mail system the generators drive: a clustermail cluster in some configuration, or the peers' stack. */
interface SystemUnderTest extends AutoCloseable {

    /** The configuration's name in the results, e.g. {@code version2}, {@code postfix-dovecot}. */
    String config();

    int nodes();

    /** Where the generators connect, round-robin: one SMTP endpoint per node. */
    List<InetSocketAddress> smtpTargets();

    /**
     * SMTP transactions the system can hold open at once; the generators open no more (below --max-in-flight).
     * A client past a server's process limit and its equally long accept queue completes its handshake on the
     * client's side only: the server drops it, and the client waits for a greeting until its 180 s timeout (the
     * peers' 640 msg/s step and Postfix in front's 160 msg/s step of 2026-12-06 "stored" 51 and 13 msg/s that way).
     */
    default int maxOpenTransactions() {
        return Integer.MAX_VALUE;
    }

    /** Postfix's {@code default_process_limit}, which neither the peers' setup nor our fronts change. */
    int POSTFIX_SMTPD_PROCESSES = 100;

    /** How many message copies have been durably stored so far (a count that only grows while the system runs). */
    long stored();

    /** Stops everything the system started. */
    @Override
    void close();
}
