package org.clustermail.ingress;

import java.io.IOException;
import java.io.OutputStream;
import org.clustermail.protocol.Line;
import org.clustermail.protocol.LineTooLongException;
import org.clustermail.protocol.ProtocolInput;

/**
 * Reads a DATA body up to the lone {@code .} line, undoing dot-stuffing (RFC 5321 4.5.2), into a sink.
 *
 * <p>Only {@code CRLF . CRLF} ends the data: a {@code .} line ended by a bare LF does not (the SMTP smuggling trick),
 * and any bare LF makes the message refused once it has been read to its real end. Oversized messages and overlong
 * lines are also read to the end, without keeping them, so the session stays in step with the client. Pure apart
 * from the input it reads; not thread-safe.
 */
final class DataReader {

    /** How reading a body ended. */
    enum Result {
        COMPLETE,
        TOO_BIG,
        BARE_LF,
        LINE_TOO_LONG;

        SmtpReply reply(long maxSize, int maxLine) {
            return switch (this) {
                case COMPLETE -> throw new IllegalStateException("not an error");
                case TOO_BIG -> SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum of " + maxSize
                        + " octets");
                case BARE_LF -> SmtpReply.of(550, "5.6.0", "Message refused: bare LF in message, lines must end "
                        + "with CRLF");
                case LINE_TOO_LONG -> SmtpReply.of(550, "5.6.0", "Message refused: a line is longer than "
                        + maxLine + " octets");
            };
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private DataReader() {
    }

    static Result read(ProtocolInput in, OutputStream sink, long maxSize, int maxLine) throws IOException {
        Result result = Result.COMPLETE;
        long size = 0;
        while (true) {
            Line line;
            try {
                line = in.readLine(maxLine);
            } catch (LineTooLongException e) {
                result = worst(result, Result.LINE_TOO_LONG);
                continue;
            }
            byte[] b = line.bytes();
            if (line.bareLf()) {
                result = worst(result, Result.BARE_LF);
                continue;
            }
            if (b.length == 1 && b[0] == '.') {
                return result;
            }
            int skip = b.length > 0 && b[0] == '.' ? 1 : 0;
            size += b.length - skip + 2;
            if (size > maxSize) {
                result = worst(result, Result.TOO_BIG);
            }
            if (result == Result.COMPLETE) {
                sink.write(b, skip, b.length - skip);
                sink.write(CRLF);
            }
        }
    }

    /** The first error wins; a refused message is never written further. */
    private static Result worst(Result soFar, Result now) {
        return soFar == Result.COMPLETE ? now : soFar;
    }
}
