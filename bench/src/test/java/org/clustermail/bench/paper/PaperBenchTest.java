package org.clustermail.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the bench command reports a run it cannot finish, and cells it could not verify. */
class PaperBenchTest {

    @TempDir
    Path dir;

    @Test
    void aFailedRunSaysWhyInOneLineWithoutAStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = PaperBench.commandLine().execute("--summarize", dir.resolve("no-such-run").toString());
        } finally {
            System.setErr(saved);
        }
        String said = err.toString(StandardCharsets.UTF_8);

        assertThat(exit).isEqualTo(1);
        assertThat(said).contains("clustermail bench: stopped: ", "no-such-run").doesNotContain("\tat ");
    }

    @Test
    void aCellTheNodesCouldNotCountIsMarkedUnverified() {
        Results.Verification unknown = new Results.Verification(1_443_000, Results.Verification.UNKNOWN, false,
                "not verified: node node01 did not answer /status");

        assertThat(Summary.verificationMark(unknown)).contains("not verified");
        assertThat(Summary.verificationMark(new Results.Verification(10, 9, false, ""))).contains("9/10 stored");
        assertThat(Summary.verificationMark(new Results.Verification(10, 10, true, ""))).isEmpty();
    }
}
