package org.clustermail.postfix;

import java.nio.file.Path;
import java.util.List;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserState;

/**
 * A real directory for tests: SQL on an embedded H2 file under a test's temporary directory, with the in-memory
 * cache started, the domain {@value #DOMAIN}, and users added on demand. Users are spread over nodes 1 and 2.
 */
public final class TestDirectory implements AutoCloseable {

    public static final String DOMAIN = "example.org";

    public final DirectoryService service;

    public TestDirectory(Path dir) {
        service = DirectoryService.open(DirectoryConfig.of("jdbc:h2:file:" + dir.resolve("directory/dir")),
                List.of(NodeId.of(1), NodeId.of(2)));
        service.start();
        service.admin().addDomain(DOMAIN);
    }

    /** Adds an active user {@code localPart@example.org} and returns where it lives. */
    public UserLocation addUser(String localPart) {
        MailAddress address = MailAddress.parse(localPart + "@" + DOMAIN);
        service.admin().addUser(address, "pw-for-tests".toCharArray());
        service.directory().refreshNow();
        return service.directory().locate(address).orElseThrow();
    }

    public void disable(String localPart) {
        service.admin().setState(MailAddress.parse(localPart + "@" + DOMAIN), UserState.DISABLED);
        service.directory().refreshNow();
    }

    @Override
    public void close() {
        service.close();
    }
}
