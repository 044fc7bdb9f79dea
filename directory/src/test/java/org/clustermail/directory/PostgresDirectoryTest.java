package org.clustermail.directory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The directory contract on Postgres (a fresh database, dropped afterwards). */
class PostgresDirectoryTest implements DirectoryContract {

    private static TestDatabase db;
    private static DirectoryService service;

    @BeforeAll
    static void open() {
        db = TestDatabase.postgres();
        service = DirectoryService.open(db.config(), TestDatabase.CLUSTER);
        service.start();
    }

    @AfterAll
    static void close() {
        if (service != null) {
            service.close();
        }
        if (db != null) {
            db.drop();
        }
    }

    @Override
    public DirectoryService service() {
        return service;
    }
}
