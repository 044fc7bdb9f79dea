package org.clustermail.cluster.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MessageContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void entriesSurviveARestartWithTheirRecipientsAndId() throws Exception {
        Spool spool = new Spool(dir);
        spool.start();
        IdentifiedContent content = IdentifiedContent.fresh(NodeId.of(1),
                MessageContent.ofBytes("Subject: s\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)));
        Instant at = Instant.parse("2026-03-04T05:06:07Z");
        Spool.Entry e = spool.add("a@b.test", at, List.of("x@y.test", "z@y.test"), content);
        spool.update(e, List.of("z@y.test"));

        Spool again = new Spool(dir);
        again.start();

        assertThat(again.entries()).singleElement().satisfies(r -> {
            assertThat(r.sender()).isEqualTo("a@b.test");
            assertThat(r.received()).isEqualTo(at);
            assertThat(r.recipients()).containsExactly("z@y.test");
        });
        assertThat(again.entries().get(0).content().id()).isEqualTo(content.id());
    }

    @Test
    void aMessageWithoutItsEnvelopeWasNeverAcknowledgedAndIsDropped() throws Exception {
        Files.writeString(dir.resolve("node01.x.y.1.eml"), "half");
        Files.writeString(dir.resolve("node01.x.y.2.env.tmp"), "half");
        Spool spool = new Spool(dir);
        spool.start();

        assertThat(spool.size()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theLastRecipientDoneRemovesBothFiles() throws Exception {
        Spool spool = new Spool(dir);
        spool.start();
        Spool.Entry e = spool.add("", Instant.now(), List.of("x@y.test"), IdentifiedContent.fresh(NodeId.of(1),
                MessageContent.ofBytes(new byte[] {'x'})));
        spool.update(e, List.of());

        assertThat(spool.size()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
