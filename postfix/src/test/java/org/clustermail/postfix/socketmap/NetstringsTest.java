package org.clustermail.postfix.socketmap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import org.clustermail.protocol.ProtocolInput;
import org.junit.jupiter.api.Test;

/** Netstring framing and request parsing on byte strings, without sockets. */
class NetstringsTest {

    private static ProtocolInput input(String s) {
        return ProtocolInput.of(new ByteArrayInputStream(s.getBytes(US_ASCII)));
    }

    @Test
    void readsBackToBackNetstringsIncludingAnEmptyOne() throws Exception {
        ProtocolInput in = input("25:mailbox alice@example.org,0:,14:domain a.b.org,");
        assertThat(new String(Netstrings.read(in, 100), US_ASCII)).isEqualTo("mailbox alice@example.org");
        assertThat(Netstrings.read(in, 100)).isEmpty();
        assertThat(new String(Netstrings.read(in, 100), US_ASCII)).isEqualTo("domain a.b.org");
        assertThatThrownBy(() -> Netstrings.read(in, 100)).isInstanceOf(EOFException.class);
    }

    @Test
    void encodesUtf8ByOctetCount() {
        assertThat(new String(Netstrings.encode("OK node02"), US_ASCII)).isEqualTo("9:OK node02,");
        assertThat(new String(Netstrings.encode("NOTFOUND "), US_ASCII)).isEqualTo("9:NOTFOUND ,");
        assertThat(Netstrings.encode("é")).containsExactly('2', ':', 0xc3, 0xa9, ',');
    }

    @Test
    void brokenFramingIsFatal() {
        for (String bad : new String[] {":abc,", "x:abc,", "3;abc,", "3:abcd", "1234567890:a,", "-1:,"}) {
            assertThatThrownBy(() -> Netstrings.read(input(bad), 100)).as(bad)
                    .isInstanceOfSatisfying(SocketmapSyntaxException.class, e -> assertThat(e.fatal()).isTrue());
        }
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeTheDataIsRead() {
        ProtocolInput in = input("101:");
        assertThatThrownBy(() -> Netstrings.read(in, 100)).isInstanceOfSatisfying(SocketmapSyntaxException.class,
                e -> assertThat(e).hasMessage("request of 101 octets is longer than 100"));
    }

    @Test
    void truncatedNetstringIsEndOfStream() {
        assertThatThrownBy(() -> Netstrings.read(input("10:abc"), 100)).isInstanceOf(EOFException.class);
    }

    @Test
    void requestIsNameSpaceKeyAndTheKeyMayHoldSpaces() throws Exception {
        assertThat(SocketmapRequest.parse("mailbox alice@example.org".getBytes(US_ASCII)))
                .isEqualTo(new SocketmapRequest("mailbox", "alice@example.org"));
        assertThat(SocketmapRequest.parse("access a b".getBytes(US_ASCII)))
                .isEqualTo(new SocketmapRequest("access", "a b"));
        assertThat(SocketmapRequest.parse("domain ".getBytes(US_ASCII))).isEqualTo(new SocketmapRequest("domain", ""));
        for (String bad : new String[] {"", "mailbox", " alice@example.org"}) {
            assertThatThrownBy(() -> SocketmapRequest.parse(bad.getBytes(US_ASCII))).as(bad)
                    .isInstanceOfSatisfying(SocketmapSyntaxException.class, e -> assertThat(e.fatal()).isFalse());
        }
    }
}
