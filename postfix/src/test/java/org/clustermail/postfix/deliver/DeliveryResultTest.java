package org.clustermail.postfix.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.clustermail.cluster.channel.LmtpReply;
import org.junit.jupiter.api.Test;

/** How the node's LMTP reply becomes a sysexits status and the one line Postfix quotes. */
class DeliveryResultTest {

    private static DeliveryResult of(int code, String enhanced, String text) {
        return DeliveryResult.of("bob@example.org", new LmtpReply(code, enhanced, List.of(text)));
    }

    @Test
    void statusFollowsTheReply() {
        assertThat(of(250, "2.1.5", "Ok")).isEqualTo(DeliveryResult.DELIVERED);
        assertThat(of(451, "4.3.0", "try later").exit()).isEqualTo(SysExit.TEMPFAIL);
        assertThat(of(421, null, "bye").exit()).isEqualTo(SysExit.TEMPFAIL);
        assertThat(of(550, "5.1.1", "no such user").exit()).isEqualTo(SysExit.NOUSER);
        assertThat(of(550, "5.2.1", "disabled").exit()).isEqualTo(SysExit.NOUSER);
        assertThat(of(552, "5.3.4", "too big").exit()).isEqualTo(SysExit.DATAERR);
        assertThat(of(554, "5.6.0", "bad content").exit()).isEqualTo(SysExit.UNAVAILABLE);
        assertThat(of(554, null, "no").exit()).isEqualTo(SysExit.UNAVAILABLE);
    }

    @Test
    void messageStartsWithTheEnhancedCodeSoPostfixUsesIt() {
        assertThat(of(550, "5.1.1", "No such user").message())
                .isEqualTo("5.1.1 clustermail deliver: bob@example.org: node said 550 5.1.1 No such user");
        assertThat(of(421, null, "bye").message()).startsWith("4.0.0 clustermail deliver:");
        assertThat(DeliveryResult.failed(SysExit.TEMPFAIL, "4.4.1", "a\r\nb").message())
                .isEqualTo("4.4.1 clustermail deliver: a b");
    }
}
