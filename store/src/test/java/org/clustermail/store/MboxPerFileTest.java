package org.clustermail.store;

import java.nio.file.Path;
import java.time.Duration;

/** The store contract (and the kill -9 test) on MBOX with PER_FILE durability. */
class MboxPerFileTest implements MailStoreContract, CrashContract, MailboxLifecycleContract {

    @Override
    public StoreConfig config(Path dataDir) {
        return new StoreConfig(dataDir, "node01", StoreConfig.Format.MBOX, StoreConfig.Durability.PER_FILE,
                Duration.ofMillis(300), 100);
    }
}
