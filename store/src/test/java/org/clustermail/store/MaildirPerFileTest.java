package org.clustermail.store;

import java.nio.file.Path;
import java.time.Duration;

/** The store contract (and the kill -9 test) on MAILDIR with PER_FILE durability. */
class MaildirPerFileTest implements MailStoreContract, CrashContract, MailboxLifecycleContract {

    @Override
    public StoreConfig config(Path dataDir) {
        return new StoreConfig(dataDir, "node01", StoreConfig.Format.MAILDIR, StoreConfig.Durability.PER_FILE,
                Duration.ofMillis(300), 100);
    }
}
