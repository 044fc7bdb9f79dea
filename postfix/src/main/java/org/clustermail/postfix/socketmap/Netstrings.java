package org.clustermail.postfix.socketmap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.clustermail.protocol.ProtocolInput;

/**
 * Netstrings (D. J. Bernstein's {@code length ":" data ","}), the framing of the socketmap protocol. Reading never
 * holds more than the caller's limit in memory: the length is checked before the data is read. Stateless.
 */
public final class Netstrings {

    /** Digits of a length: enough for any limit an int can express. */
    private static final int MAX_DIGITS = 9;

    private Netstrings() {
    }

    /**
     * Reads one netstring and returns its data.
     *
     * @param maxLength the longest data accepted
     * @throws SocketmapSyntaxException (always {@linkplain SocketmapSyntaxException#fatal() fatal}) the framing is
     *                                  broken or the data is longer than {@code maxLength}; nothing after the fault
     *                                  was read
     * @throws java.io.EOFException the peer closed the connection, possibly in the middle of the netstring
     */
    public static byte[] read(ProtocolInput in, int maxLength) throws IOException, SocketmapSyntaxException {
        long length = 0;
        int digits = 0;
        while (true) {
            int c = in.readExact(1)[0];
            if (c == ':' && digits > 0) {
                break;
            }
            if (c < '0' || c > '9' || digits == MAX_DIGITS) {
                throw new SocketmapSyntaxException("not a netstring: bad length", true);
            }
            length = length * 10 + (c - '0');
            digits++;
        }
        if (length > maxLength) {
            throw new SocketmapSyntaxException("request of " + length + " octets is longer than " + maxLength, true);
        }
        byte[] data = in.readExact((int) length);
        if (in.readExact(1)[0] != ',') {
            throw new SocketmapSyntaxException("not a netstring: no ',' after the data", true);
        }
        return data;
    }

    /** The netstring holding {@code text} in UTF-8. */
    public static byte[] encode(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 12);
        out.writeBytes(Integer.toString(data.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(data);
        out.write(',');
        return out.toByteArray();
    }
}
