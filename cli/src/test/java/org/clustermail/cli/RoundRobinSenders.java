package org.clustermail.cli;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * A steady SMTP load over a whole cluster, as clients behind round-robin DNS make it: message {@code k} goes to node
 * {@code k mod N} (Angus Mail, one SMTP transaction per message) and, if that node refuses the connection, to the
 * next one. Each message has a unique {@code X-Load-Id} and one or two recipients drawn from all users. Every
 * transaction is recorded with its outcome; a message counts as accepted only on the server's 250.
 *
 * <p>Lifecycle: {@link #start}, then {@link #close} (waits for the senders). Thread-safe.
 */
final class RoundRobinSenders implements AutoCloseable {

    /** How a transaction with one node ended. */
    enum Outcome {
        /** 250: the cluster owes the recipients this message. */
        ACCEPTED,
        /** The node did not take the connection: nothing was sent. */
        REFUSED,
        /** Anything else (an error reply, a connection lost mid-way): maybe stored, maybe not. */
        FAILED
    }

    /** One SMTP transaction. */
    record Attempt(String id, List<String> recipients, int node, Instant start, Instant end, Outcome outcome,
                   String detail) {
    }

    private final List<Integer> smtpPorts;
    private final List<String> users;
    private final int senders;
    private final long pauseMillis;
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** @param smtpPorts node {@code i + 1}'s SMTP port at index {@code i} */
    RoundRobinSenders(List<Integer> smtpPorts, List<String> users, int senders, long pauseMillis) {
        this.smtpPorts = List.copyOf(smtpPorts);
        this.users = List.copyOf(users);
        this.senders = senders;
        this.pauseMillis = pauseMillis;
    }

    void start() {
        for (int i = 0; i < senders; i++) {
            threads.add(Thread.ofPlatform().name("sender-" + i).start(this::sendUntilClosed));
        }
    }

    private void sendUntilClosed() {
        Random random = new Random(Thread.currentThread().getName().hashCode());
        while (running) {
            int k = next.getAndIncrement();
            String id = "load-" + k;
            List<String> to = new ArrayList<>(List.of(users.get(random.nextInt(users.size()))));
            String second = users.get(random.nextInt(users.size()));
            if (k % 4 == 0 && !to.contains(second)) {
                to.add(second);
            }
            for (int tried = 0; tried < smtpPorts.size(); tried++) {
                int node = (k + tried) % smtpPorts.size() + 1;
                if (send(id, to, node) != Outcome.REFUSED) {
                    break;
                }
            }
            pause();
        }
    }

    private Outcome send(String id, List<String> to, int node) {
        Instant start = Instant.now();
        Outcome outcome;
        String detail = "";
        try {
            Transport.send(message(id, to, smtpPorts.get(node - 1)));
            outcome = Outcome.ACCEPTED;
        } catch (MailConnectException e) {
            outcome = Outcome.REFUSED;
        } catch (MessagingException e) {
            outcome = Outcome.FAILED;
            detail = e.toString();
        }
        attempts.add(new Attempt(id, to, node, start, Instant.now(), outcome, detail));
        return outcome;
    }

    private static MimeMessage message(String id, List<String> to, int port) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", "2000");
        p.put("mail.smtp.timeout", "30000");
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom("load@client.test");
        for (String r : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(r));
        }
        m.setSubject("availability " + id);
        m.setHeader("X-Load-Id", id);
        m.setText("message " + id + " for " + to + "\n");
        return m;
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Every transaction so far. */
    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Stops sending and waits for the transactions in progress. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }
}
