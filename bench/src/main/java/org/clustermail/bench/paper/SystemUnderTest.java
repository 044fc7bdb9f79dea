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

    /** How many message copies have been durably stored so far (a count that only grows while the system runs). */
    long stored();

    /** Stops everything the system started. */
    @Override
    void close();
}
