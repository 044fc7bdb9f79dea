package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.clustermail.protocol.Line;
import org.clustermail.protocol.ProtocolInput;

/**
 * IDLE (RFC 2177): while the session's thread waits for {@code DONE}, a notifier thread sends every change to the
 * selected folder at once (a delivery shows up as {@code EXISTS} within milliseconds). The notifier is the only
 * writer while it runs, and it is stopped and joined before the session's thread writes again.
 */
final class IdleCommand {

    private IdleCommand() {
    }

    static Reply idle(ImapSession s) throws IOException {
        SelectedFolder folder = s.state() instanceof ImapState.Selected sel ? sel.folder() : null;
        s.continuationRequest("idling");
        Semaphore signal = new Semaphore(0);
        boolean[] stop = {false};
        Thread notifier = null;
        if (folder != null) {
            folder.onChange(signal::release);
            notifier = Thread.ofVirtual().name("imap-idle").start(() -> notify(s, folder, signal, stop));
            signal.release(); // anything queued before IDLE began goes out now
        }
        ProtocolInput in = s.connection().input();
        Duration usual = in.idleTimeout();
        in.setIdleTimeout(s.ctx().config().idleTimeout());
        Line line;
        try {
            line = in.readLine(s.ctx().config().maxLine());
        } finally {
            in.setIdleTimeout(usual);
            if (notifier != null) {
                synchronized (stop) {
                    stop[0] = true;
                }
                signal.release();
                join(notifier);
                folder.onChange(() -> { });
            }
        }
        return line.text().strip().equalsIgnoreCase("DONE") ? Reply.ok("IDLE terminated")
                : Reply.bad("expected DONE");
    }

    private static void notify(ImapSession s, SelectedFolder folder, Semaphore signal, boolean[] stop) {
        try {
            while (true) {
                signal.tryAcquire(30, TimeUnit.SECONDS);
                signal.drainPermits();
                synchronized (stop) {
                    if (stop[0]) {
                        return;
                    }
                }
                folder.announce(s.writer(), true, s.condstore());
                s.writer().flush();
                s.connection().output().flush();
            }
        } catch (IOException e) {
            // The client is gone; the session's read fails and ends the session.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
