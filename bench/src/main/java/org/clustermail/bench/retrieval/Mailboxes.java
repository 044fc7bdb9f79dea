package org.clustermail.bench.retrieval;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.clustermail.store.MailStore;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;

/**
 * Fills a user's INBOX with synthetic messages of a given size through the store's delivery path (durable, as
 * SMTP delivery would leave them), many at once so the store's group commit batches them.
 */
final class Mailboxes {

    /** Deliveries in flight: enough for the group commit to batch many messages per force. */
    private static final int IN_FLIGHT = 1024;

    private Mailboxes() {
    }

    /** A plain-text message of exactly {@code size} octets (CRLF lines), numbered {@code n}. */
    static byte[] message(int n, int size) {
        StringBuilder b = new StringBuilder("From: Bench <bench@example.test>\r\nTo: user@example.test\r\n"
                + "Subject: message " + n + "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + n
                + "@bench.example.test>\r\n\r\n");
        while (b.length() < size - 2) {
            int room = size - 2 - b.length();
            String line = "The quick brown fox jumps over the lazy dog " + n + " ";
            b.append(line, 0, Math.min(line.length(), Math.max(0, room - 2)));
            b.append("\r\n");
        }
        while (b.length() < size) {
            b.insert(b.length() - 2, 'x');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        if (bytes.length != size) {
            throw new IllegalStateException("message of " + bytes.length + " octets, wanted " + size);
        }
        return bytes;
    }

    /** Delivers {@code count} messages of {@code size} octets to {@code owner}, {@value #IN_FLIGHT} at a time. */
    static void fill(MailStore store, MailboxOwner owner, int count, int size) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = i + 1;
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    store.deliver(List.of(owner), MessageContent.ofBytes(message(n, size)), Instant.now());
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
