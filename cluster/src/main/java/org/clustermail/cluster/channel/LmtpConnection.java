package org.clustermail.cluster.channel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.clustermail.store.MessageContent;

/**
 * One client connection to an LMTP server (RFC 2033): greeting, LHLO, then any number of transactions, each
 * answered with one reply per accepted recipient. Uses PIPELINING for the envelope and BDAT (CHUNKING, RFC 3030)
 * for the content when the server offers them, so the bytes arrive unchanged; otherwise DATA with dot-stuffing.
 *
 * <p>When the server answered on this connection within {@link #PIPELINE_CONTENT_WITHIN}, the whole transaction
 * (MAIL, RCPTs, BDAT LAST and the content) goes out in one write and all replies come back together: one round
 * trip, one wake-up on each side. Otherwise (a connection idle for longer, which the peer may have dropped or lost
 * in a restart) the envelope goes first and the content only after its replies, so a dead connection is found out
 * before any content was sent and the caller can retry elsewhere at once. Either way a failure after the content
 * started leaves the outcome unknown ({@link #contentStarted()}), which the caller's transfer id makes safe to
 * retry (ADR 0007); the check only keeps the common stale-connection case off that slower path.
 *
 * <p>Not thread-safe: one transaction at a time; {@link NodeChannel} pools these. A failed I/O leaves the connection
 * unusable ({@link #usable()} false); the caller closes it.
 */
public final class LmtpConnection implements Closeable {

    /** How recently the server must have answered for a transaction to send its content without waiting. */
    static final Duration PIPELINE_CONTENT_WITHIN = Duration.ofSeconds(1);

    private final Socket socket;
    private final ReplyReader replies;
    private final OutputStream out;
    private final Set<String> extensions;
    private boolean usable = true;
    private boolean contentStarted;
    private long lastReplyNanos = System.nanoTime();

    private LmtpConnection(Socket socket, ReplyReader replies, OutputStream out, Set<String> extensions) {
        this.socket = socket;
        this.replies = replies;
        this.out = out;
        this.extensions = extensions;
    }

    /**
     * Connects, reads the greeting and says LHLO.
     *
     * @throws java.net.ConnectException when nothing listens (a dead node is detected here, as in the paper)
     */
    public static LmtpConnection open(InetSocketAddress address, String lhloName, Duration connectTimeout,
                                      Duration replyTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) replyTimeout.toMillis());
            ReplyReader replies = new ReplyReader(new BufferedInputStream(socket.getInputStream(), 8192));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(replies.read(), 2, "greeting");
            out.write(("LHLO " + lhloName + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LmtpReply lhlo = expect(replies.read(), 2, "LHLO");
            Set<String> extensions = new HashSet<>();
            for (String line : lhlo.lines().subList(1, lhlo.lines().size())) {
                extensions.add(line.split(" ", 2)[0].toUpperCase(Locale.ROOT));
            }
            return new LmtpConnection(socket, replies, out, Set.copyOf(extensions));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Set<String> extensions() {
        return extensions;
    }

    public boolean usable() {
        return usable && !socket.isClosed();
    }

    /**
     * Runs one transaction. Returns one reply per recipient, in the order given: the RCPT refusal for refused
     * recipients, else the server's post-data reply for that recipient. A refused MAIL FROM yields its reply for
     * every recipient.
     *
     * @param mailFrom the reverse path without angle brackets ("" for the null sender)
     * @throws IOException when the connection fails; whether the server stored the message is then unknown
     */
    public List<RecipientReply> send(String mailFrom, List<String> recipients, MessageContent content)
            throws IOException {
        if (!usable()) {
            throw new IOException("connection is no longer usable");
        }
        contentStarted = false;
        try {
            return transaction(mailFrom, recipients, content);
        } catch (IOException | RuntimeException e) {
            usable = false;
            throw e;
        }
    }

    private List<RecipientReply> transaction(String mailFrom, List<String> recipients, MessageContent content)
            throws IOException {
        boolean answeredLately = System.nanoTime() - lastReplyNanos < PIPELINE_CONTENT_WITHIN.toNanos();
        List<RecipientReply> result = answeredLately && extensions.contains("PIPELINING")
                && extensions.contains("CHUNKING")
                ? oneRoundTrip(mailFrom, recipients, content)
                : envelopeFirst(mailFrom, recipients, content);
        lastReplyNanos = System.nanoTime();
        return result;
    }

    /**
     * MAIL, every RCPT, BDAT LAST and the content in one write (RFC 2920, RFC 3030 allow BDAT in a pipeline), then
     * the replies in order: MAIL, each RCPT, then one per accepted recipient — or a single one for the BDAT when no
     * recipient was accepted (the server refuses the chunk as a whole).
     */
    private List<RecipientReply> oneRoundTrip(String mailFrom, List<String> recipients, MessageContent content)
            throws IOException {
        command(mailCommand(mailFrom, content.size()), false);
        for (String rcpt : recipients) {
            command("RCPT TO:<" + rcpt + ">", false);
        }
        sendChunk(content);
        LmtpReply mail = replies.read();
        List<RecipientReply> result = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            LmtpReply r = replies.read();
            LmtpReply verdict = mail.positive() ? r : mail;
            result.add(new RecipientReply(recipients.get(i), verdict));
            if (verdict.positive()) {
                accepted.add(i);
            }
        }
        if (accepted.isEmpty()) {
            replies.read(); // the refused BDAT
            command("RSET", true);
            replies.read();
            return result;
        }
        for (int i : accepted) {
            result.set(i, new RecipientReply(recipients.get(i), replies.read()));
        }
        return result;
    }

    private List<RecipientReply> envelopeFirst(String mailFrom, List<String> recipients, MessageContent content)
            throws IOException {
        List<LmtpReply> envelope = extensions.contains("PIPELINING")
                ? pipelinedEnvelope(mailFrom, recipients, content.size())
                : lockstepEnvelope(mailFrom, recipients, content.size());
        LmtpReply mail = envelope.get(0);
        List<RecipientReply> result = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            LmtpReply r = mail.positive() ? envelope.get(i + 1) : mail;
            result.add(new RecipientReply(recipients.get(i), r));
            if (r.positive()) {
                accepted.add(i);
            }
        }
        if (accepted.isEmpty()) {
            command("RSET", true);
            replies.read();
            return result;
        }
        sendContent(content);
        for (int i : accepted) {
            result.set(i, new RecipientReply(recipients.get(i), replies.read()));
        }
        return result;
    }

    /** MAIL and every RCPT in one write, then all their replies (RFC 2920). */
    private List<LmtpReply> pipelinedEnvelope(String mailFrom, List<String> recipients, long size) throws IOException {
        command(mailCommand(mailFrom, size), false);
        for (String rcpt : recipients) {
            command("RCPT TO:<" + rcpt + ">", false);
        }
        out.flush();
        List<LmtpReply> envelope = new ArrayList<>();
        for (int i = 0; i <= recipients.size(); i++) {
            envelope.add(replies.read());
        }
        return envelope;
    }

    /** One command, one reply; RCPTs are not sent after a refused MAIL. */
    private List<LmtpReply> lockstepEnvelope(String mailFrom, List<String> recipients, long size) throws IOException {
        command(mailCommand(mailFrom, size), true);
        List<LmtpReply> envelope = new ArrayList<>();
        envelope.add(replies.read());
        if (envelope.get(0).positive()) {
            for (String rcpt : recipients) {
                command("RCPT TO:<" + rcpt + ">", true);
                envelope.add(replies.read());
            }
        }
        return envelope;
    }

    private String mailCommand(String mailFrom, long size) {
        return "MAIL FROM:<" + mailFrom + ">"
                + (extensions.contains("SIZE") ? " SIZE=" + size : "")
                + (extensions.contains("8BITMIME") ? " BODY=8BITMIME" : "");
    }

    /**
     * Whether the last transaction got as far as sending message content. When it failed before that point the
     * server cannot have stored the message, so the caller may safely retry it on another connection.
     */
    public boolean contentStarted() {
        return contentStarted;
    }

    private void sendContent(MessageContent content) throws IOException {
        if (extensions.contains("CHUNKING")) {
            sendChunk(content);
            return;
        }
        contentStarted = true;
        command("DATA", true);
        expect(replies.read(), 3, "DATA");
        DotStuffingOutputStream stuffed = new DotStuffingOutputStream(out);
        try (InputStream in = content.openStream()) {
            in.transferTo(stuffed);
        }
        stuffed.finish();
    }

    /** {@code BDAT size LAST} and the content, flushed: from here on the server may store the message. */
    private void sendChunk(MessageContent content) throws IOException {
        contentStarted = true;
        command("BDAT " + content.size() + " LAST", false);
        try (InputStream in = content.openStream()) {
            long copied = in.transferTo(out);
            if (copied != content.size()) {
                throw new IOException("content changed size while sending: " + copied + " != " + content.size());
            }
        }
        out.flush();
    }

    /** Health probe on an idle connection: true when the server answers NOOP with 250. */
    public boolean noop() {
        try {
            command("NOOP", true);
            boolean ok = replies.read().positive();
            lastReplyNanos = System.nanoTime();
            return ok;
        } catch (IOException e) {
            usable = false;
            return false;
        }
    }

    private void command(String line, boolean flush) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        if (flush) {
            out.flush();
        }
    }

    private static LmtpReply expect(LmtpReply reply, int klass, String what) throws ProtocolException {
        if (reply.code() / 100 != klass) {
            throw new ProtocolException(what + " refused: " + reply.summary());
        }
        return reply;
    }

    /** Says QUIT when the connection is still healthy, then closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (usable()) {
                socket.setSoTimeout(1000);
                command("QUIT", true);
                replies.read();
            }
        } catch (IOException ignored) {
            // the server may already have closed its end; the socket is closed below either way
        } finally {
            usable = false;
            socket.close();
        }
    }

    /** Forcibly closes the socket from another thread, e.g. when a transfer passes its deadline. */
    void abort() {
        usable = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
