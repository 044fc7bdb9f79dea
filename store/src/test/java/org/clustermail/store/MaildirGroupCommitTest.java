package org.clustermail.store;

import java.nio.file.Path;
import java.time.Duration;

/** The store contract (and the kill -9 test) on MAILDIR with GROUP_COMMIT durability. */
class MaildirGroupCommitTest implements MailStoreContract, CrashContract, MailboxLifecycleContract {

    @Override
    public StoreConfig config(Path dataDir) {
        return new StoreConfig(dataDir, "node01", StoreConfig.Format.MAILDIR, StoreConfig.Durability.GROUP_COMMIT,
                Duration.ofMillis(300), 100);
    }
}
