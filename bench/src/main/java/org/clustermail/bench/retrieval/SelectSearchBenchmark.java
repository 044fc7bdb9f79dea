package org.clustermail.bench.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.clustermail.store.FlagOp;
import org.clustermail.store.Flags;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;
import org.clustermail.store.SystemFlag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IMAP SELECT of a {@code messages}-message INBOX and SEARCH UNSEEN on it (half the messages seen), each timed from
 * sending the command to reading its tagged OK over a real loopback connection to a real node. Target: at most
 * 100 ms each with 100,000 messages.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class SelectSearchBenchmark {

    @Param("100000")
    int messages;

    private FilledNode filled;
    private ImapLine imap;

    @Setup(Level.Trial)
    public void start() throws Exception {
        filled = FilledNode.start(messages, 600);
        try (Mailbox mailbox = filled.node().store().open(filled.owner())) {
            List<Long> every2nd = new ArrayList<>();
            for (MessageRef m : mailbox.snapshot("INBOX").messages()) {
                if (m.uid() % 2 == 0) {
                    every2nd.add(m.uid());
                }
            }
            mailbox.storeFlags("INBOX", every2nd, FlagOp.ADD, Flags.of(SystemFlag.SEEN), OptionalLong.empty());
        }
        imap = ImapLine.open(filled.node().port("imap"));
        imap.command("LOGIN " + RetrievalNode.USER + " " + RetrievalNode.PASSWORD);
        String exists = imap.command("SELECT INBOX").get(1);
        if (!exists.equals("* " + messages + " EXISTS")) {
            throw new IllegalStateException("expected " + messages + " messages, got " + exists);
        }
    }

    @Benchmark
    public List<String> select() throws IOException {
        return imap.command("SELECT INBOX");
    }

    @Benchmark
    public List<String> searchUnseen() throws IOException {
        return imap.command("SEARCH UNSEEN");
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        imap.close();
        filled.close();
    }
}
