package org.clustermail.cluster.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeldCopyTest {

    @Test
    void theHoldersDeliveryLinesComeOffAndTheSenderIsKept() {
        byte[] stored = "Return-Path: <s@x.test>\r\nDelivered-To: u@y.test\r\nSubject: hi\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.UTF_8);

        HandBack.HeldCopy c = HandBack.HeldCopy.parse(stored);

        assertThat(c.sender()).isEqualTo("s@x.test");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void theNullSenderAndAMessageWithoutTheLinesAreHandled() {
        assertThat(HandBack.HeldCopy.parse("Return-Path: <>\r\nDelivered-To: u@y.test\r\n\r\nb".getBytes(
                StandardCharsets.UTF_8)).sender()).isEmpty();
        byte[] plain = "Subject: x\r\n\r\nb".getBytes(StandardCharsets.UTF_8);
        assertThat(HandBack.HeldCopy.parse(plain).body()).isEqualTo(plain);
    }
}
