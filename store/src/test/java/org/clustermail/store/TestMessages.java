package org.clustermail.store;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test messages: the same id always gives the same bytes, so a checker can regenerate them. */
final class TestMessages {

    private TestMessages() {
    }

    static byte[] message(String id, int bodyBytes) {
        StringBuilder b = new StringBuilder();
        b.append("Message-ID: <").append(id).append("@test>\r\n");
        b.append("From: Alice Example <alice@example.test>\r\n");
        b.append("To: bob@example.test\r\n");
        b.append("Subject: message ").append(id).append("\r\n");
        b.append("Date: Sat, 28 Nov 2026 04:15:52 +0000\r\n\r\n");
        Random r = new Random(id.hashCode());
        while (b.length() < bodyBytes) {
            b.append("line ").append(r.nextInt(1_000_000)).append(" of ").append(id).append("\r\n");
            if (r.nextInt(20) == 0) {
                b.append("From the start of a line\r\n");
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] message(String id) {
        return message(id, 2000 + Math.floorMod(id.hashCode(), 6000));
    }
}
