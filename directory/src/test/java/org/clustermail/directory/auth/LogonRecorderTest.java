package org.clustermail.directory.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clustermail.directory.DirectoryException;
import org.clustermail.directory.LogonAttempt;
import org.junit.jupiter.api.Test;

class LogonRecorderTest {

    private static LogonAttempt attempt(int i) {
        return new LogonAttempt(Instant.ofEpochMilli(i), "u" + i + "@x.org", "imap", "10.0.0.1",
                LogonAttempt.Outcome.SUCCESS, "");
    }

    @Test
    void attemptsQueuedWhileTheSinkFailsAreWrittenWhenItRecovers() {
        AtomicBoolean down = new AtomicBoolean(true);
        List<LogonAttempt> written = new CopyOnWriteArrayList<>();
        try (LogonRecorder r = new LogonRecorder(batch -> {
            if (down.get()) {
                throw new DirectoryException.Unavailable("down", null);
            }
            written.addAll(batch);
        })) {
            r.start();
            for (int i = 0; i < 1_200; i++) {
                r.accept(attempt(i)); // never blocks, even with the sink down
            }
            assertThat(r.pending()).isEqualTo(1_200);
            assertThat(written).isEmpty();
            down.set(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1_200);
            assertThat(written).extracting(LogonAttempt::login).startsWith("u0@x.org", "u1@x.org").doesNotHaveDuplicates();
            assertThat(r.pending()).isZero();
            assertThat(r.dropped()).isZero();
        }
    }

    @Test
    void closeWritesWhatIsLeft() {
        List<LogonAttempt> written = new CopyOnWriteArrayList<>();
        LogonRecorder r = new LogonRecorder(written::addAll);
        r.accept(attempt(1));
        r.close();
        assertThat(written).hasSize(1);
    }
}
