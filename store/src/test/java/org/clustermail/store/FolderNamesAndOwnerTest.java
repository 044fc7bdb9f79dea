package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.clustermail.store.engine.FolderNames;
import org.junit.jupiter.api.Test;

class FolderNamesAndOwnerTest {

    @Test
    void ownerIdsThatCouldEscapeAPathAreRefused() {
        for (String bad : new String[] {"", "a", "../x@y", "a/b@c", "a@b/c", ".@x", "..@x", "a@..", "a\0@b",
                "A@b.test", "a b@c", "a@b@c", "a\n@b", "a..b@c", "x".repeat(400) + "@y"}) {
            assertThatThrownBy(() -> new MailboxOwner(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new MailboxOwner("first.last+tag@mail.example.test", 601).hashDirectory()).isEqualTo("1");
    }

    @Test
    void folderNamesAreCheckedAndEncodedSafely() {
        assertThat(FolderNames.canonical("inbox")).isEqualTo("INBOX");
        assertThat(FolderNames.canonical("Inbox/Sub")).isEqualTo("INBOX/Sub");
        for (String bad : new String[] {"", "/", "a//b", "a/./b", "../x", "a\u0000", "a\nb", "*", "x%"}) {
            assertThatThrownBy(() -> FolderNames.canonical(bad)).as(bad).isInstanceOf(StoreException.class);
        }
        String enc = FolderNames.encode("Ärger/..hidden/a.b", '.');
        assertThat(enc).isEqualTo("%C3%84rger.%2E%2Ehidden.a%2Eb").doesNotContain("/");
        assertThat(FolderNames.decode(enc, '.')).isEqualTo("Ärger/..hidden/a.b");
    }
}
