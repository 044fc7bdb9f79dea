package org.clustermail.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting the peers' deliveries from Postfix's log, as it grows. */
class DeliveryLogTest {

    private static final String SENT = "Dec 06 22:57:26 mx postfix/lmtp[9598]: 5F495168253: to=<user%d@example.test>, "
            + "relay=mx.example.test[private/dovecot-lmtp], delay=0.09, delays=0.02/0.03/0.02/0.02, dsn=2.0.0, "
            + "status=sent (250 2.0.0 <user%<d@example.test> 21ZgGlboFWuAJQAAg+zDdQ Saved)\n";
    private static final String OTHER = "Dec 06 22:57:26 mx postfix/qmgr[9590]: 5F495168253: removed\n";

    @TempDir
    Path dir;

    @Test
    void countsOnlyTheDeliveriesAppendedSinceItWasMade() throws IOException {
        Path log = dir.resolve("postfix.log");
        append(log, SENT.formatted(1) + OTHER + SENT.formatted(2));
        DeliveryLog deliveries = new DeliveryLog(log);
        assertThat(deliveries.sent()).isZero();

        append(log, OTHER + SENT.formatted(3) + SENT.formatted(4) + OTHER);
        assertThat(deliveries.sent()).isEqualTo(2);
        assertThat(deliveries.sent()).isEqualTo(2);
    }

    @Test
    void aLineStillBeingWrittenCountsOnceItEnds() throws IOException {
        Path log = dir.resolve("postfix.log");
        DeliveryLog deliveries = new DeliveryLog(log);
        String line = SENT.formatted(7);
        int cut = line.indexOf("status=") + 4;

        append(log, line.substring(0, cut));
        assertThat(deliveries.sent()).isZero();
        append(log, line.substring(cut));
        assertThat(deliveries.sent()).isEqualTo(1);
    }

    @Test
    void aLogThatAppearsOrIsTruncatedIsReadFromItsStart() throws IOException {
        Path log = dir.resolve("postfix.log");
        DeliveryLog deliveries = new DeliveryLog(log);
        assertThat(deliveries.sent()).isZero();

        append(log, SENT.formatted(1).repeat(3000)); // more than one read buffer
        assertThat(deliveries.sent()).isEqualTo(3000);

        Files.writeString(log, SENT.formatted(2));
        assertThat(deliveries.sent()).isEqualTo(3001);
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
