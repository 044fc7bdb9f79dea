package org.clustermail.cluster.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MessageContent;
import org.junit.jupiter.api.Test;

class TransferHeaderTest {

    private static MessageContent text(String s) {
        return MessageContent.ofBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anIdSurvivesTheRoundTripThroughTheHeader() throws Exception {
        TransferId id = TransferId.next(NodeId.of(3));
        MessageContent withHeader = TransferHeader.prepend(id, text("Subject: x\r\n\r\nbody\r\n"));

        assertThat(TransferHeader.find(withHeader)).contains(id);
        assertThat(id.value()).startsWith("node03.");
        assertThat(Math.abs(id.created().toEpochMilli() - System.currentTimeMillis())).isLessThan(60_000);
    }

    @Test
    void theFirstHeaderCountsEvenBelowTraceHeaders() throws Exception {
        TransferId ours = TransferId.next(NodeId.of(1));
        TransferId later = TransferId.next(NodeId.of(2));
        String msg = "Received: from x\r\n\tby y\r\nX-Clustermail-Transfer: " + ours.value()
                + "\r\nx-clustermail-transfer: " + later.value() + "\r\n\r\nbody\r\n";

        assertThat(TransferHeader.find(text(msg))).contains(ours);
    }

    @Test
    void aHeaderInTheBodyOrAMangledOneIsIgnored() throws Exception {
        assertThat(TransferHeader.find(text("Subject: x\r\n\r\nX-Clustermail-Transfer: node01.abc.def.1\r\n")))
                .isEmpty();
        assertThat(TransferHeader.find(text("X-Clustermail-Transfer: ../../etc\r\n\r\n"))).isEmpty();
        assertThat(TransferHeader.find(text(""))).isEmpty();
    }

    @Test
    void aDerivedIdIsTheSameForTheSameStoredCopy() {
        Instant date = Instant.parse("2026-01-02T03:04:05Z");
        TransferId a = TransferId.derived(NodeId.of(2), 77, 5, date);

        assertThat(a).isEqualTo(TransferId.derived(NodeId.of(2), 77, 5, date));
        assertThat(TransferId.parse(a.value())).contains(a);
        assertThat(a.created()).isEqualTo(date);
    }
}
