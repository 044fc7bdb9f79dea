package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.protocol.Line;
import org.clustermail.protocol.LineTooLongException;
import org.clustermail.protocol.ProtocolInput;

/**
 * Reads one whole IMAP command off the wire: its lines and, for every line that ends in a literal announcement
 * {@code {n}} or {@code {n+}} (LITERAL+), exactly {@code n} octets, asking for them with a continuation request
 * where the literal is synchronising. The result is the command with its literals inline, as
 * {@link org.clustermail.retrieval.imap.command.ImapParser} reads it.
 *
 * <p>Bounds: each line at most {@code maxLine} octets, the literals together at most {@code maxLiteral}; a client
 * that does not finish a literal within {@code literalTimeout} gets a read timeout (the session ends). Not
 * thread-safe; one per session.
 */
final class CommandAssembler {

    /** What came in. */
    sealed interface Result {
        /** A whole command, literals inline, ending in CRLF. */
        record Complete(byte[] command) implements Result {
        }

        /** Refused before any literal octet was read (the client waits for our answer): answer and go on. */
        record Refused(String tag, String response) implements Result {
        }

        /** The input can no longer be followed (a non-synchronising literal too large): say BYE and close. */
        record Fatal(String message) implements Result {
        }
    }

    /** Sends the continuation request {@code + ...} and flushes it. */
    @FunctionalInterface
    interface Continuation {
        void request() throws IOException;
    }

    private final ProtocolInput in;
    private final int maxLine;
    private final long maxLiteral;
    private final Duration literalTimeout;

    CommandAssembler(ProtocolInput in, int maxLine, long maxLiteral, Duration literalTimeout) {
        this.in = in;
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
        this.literalTimeout = literalTimeout;
    }

    Result read(Continuation continuation) throws IOException {
        List<byte[]> pieces = new ArrayList<>();
        long literals = 0;
        int total = 0;
        while (true) {
            Line line;
            try {
                line = in.readLine(maxLine);
            } catch (LineTooLongException e) {
                return new Result.Refused(pieces.isEmpty() ? "*" : tagOf(pieces.get(0)),
                        "BAD command line too long");
            }
            byte[] bytes = line.bytes();
            pieces.add(bytes);
            pieces.add(CRLF);
            total += bytes.length + 2;
            long[] literal = literalAtEnd(bytes);
            if (literal == null) {
                return new Result.Complete(join(pieces, total));
            }
            long n = literal[0];
            boolean synchronising = literal[1] == 0;
            literals += n;
            if (literals > maxLiteral) {
                String tag = tagOf(pieces.get(0));
                if (synchronising) {
                    return new Result.Refused(tag, "NO [TOOBIG] literal larger than " + maxLiteral + " octets");
                }
                return new Result.Fatal("literal larger than " + maxLiteral + " octets");
            }
            if (synchronising) {
                continuation.request();
            }
            in.setDeadline(literalTimeout);
            try {
                byte[] data = in.readExact((int) n);
                pieces.add(data);
                total += data.length;
            } finally {
                in.clearDeadline();
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** {@code {n}} or {@code {n+}} at the end of a line: {n, plus ? 1 : 0}, else null. */
    static long[] literalAtEnd(byte[] line) {
        int end = line.length;
        if (end < 3 || line[end - 1] != '}') {
            return null;
        }
        int i = end - 2;
        boolean plus = line[i] == '+';
        if (plus) {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        if (i < 0 || line[i] != '{' || i + 1 == digitsEnd || digitsEnd - (i + 1) > 10) {
            return null;
        }
        long n = Long.parseLong(new String(line, i + 1, digitsEnd - (i + 1), StandardCharsets.US_ASCII));
        return new long[] {n, plus ? 1 : 0};
    }

    private static String tagOf(byte[] firstLine) {
        int sp = 0;
        while (sp < firstLine.length && sp < 64 && firstLine[sp] != ' ') {
            sp++;
        }
        String tag = new String(firstLine, 0, sp, StandardCharsets.US_ASCII);
        return tag.isEmpty() || !tag.chars().allMatch(c -> c > 0x20 && c < 0x7f && "(){%*\"\\+".indexOf(c) < 0)
                ? "*" : tag;
    }

    private static byte[] join(List<byte[]> pieces, int total) {
        if (pieces.size() == 2) {
            byte[] line = pieces.get(0);
            byte[] out = new byte[line.length + 2];
            System.arraycopy(line, 0, out, 0, line.length);
            out[line.length] = '\r';
            out[line.length + 1] = '\n';
            return out;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
