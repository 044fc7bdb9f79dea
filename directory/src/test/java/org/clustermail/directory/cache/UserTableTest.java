package org.clustermail.directory.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserState;
import org.clustermail.directory.sql.StoredUser;
import org.junit.jupiter.api.Test;

/** The open-addressing table against a HashMap model, through random batches of upserts and removals. */
class UserTableTest {

    private static StoredUser user(int i, long serial) {
        return new StoredUser(serial, "u" + i + "@d" + (i % 7) + ".example", "$argon2id$x", i % 5, -1,
                UserState.ACTIVE, 0);
    }

    @Test
    void behavesLikeAMapThroughGrowthCollisionsAndRemovals() {
        UserTable table = new UserTable();
        Map<String, Long> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(11);
        long serial = 0;
        for (int round = 0; round < 300; round++) {
            List<StoredUser> upserts = new ArrayList<>();
            List<String> removals = new ArrayList<>();
            for (int k = r.nextInt(20); k > 0; k--) {
                int i = r.nextInt(400);
                StoredUser u = user(i, ++serial);
                if (r.nextInt(3) == 0) {
                    removals.add(u.address());
                    upserts.removeIf(x -> x.address().equals(u.address()));
                } else {
                    upserts.removeIf(x -> x.address().equals(u.address()));
                    removals.remove(u.address());
                    upserts.add(u);
                }
            }
            table.apply(upserts, removals);
            upserts.forEach(u -> model.put(u.address(), u.serial()));
            removals.forEach(model::remove);
            assertThat(table.size()).isEqualTo(model.size());
            for (int i = 0; i < 400; i++) {
                String a = user(i, 0).address();
                CachedUser found = table.get(MailAddress.parse(a));
                assertThat(found == null ? null : found.serial).as(a).isEqualTo(model.get(a));
            }
        }
        assertThat(model).isNotEmpty();
    }

    @Test
    void aFullLoadIsSwappedInWhole() {
        UserTable table = new UserTable();
        UserTable.Builder b = new UserTable.Builder(1000);
        for (int i = 0; i < 1000; i++) {
            b.put(user(i, i + 1));
        }
        table.swap(b, List.of("d0.example"));
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.get(MailAddress.parse("u999@d5.example")).serial).isEqualTo(1000);
        assertThat(table.get(MailAddress.parse("u999@d6.example"))).isNull();
        assertThat(table.get(MailAddress.parse("u99@d5.example"))).isNull();
        assertThat(table.isLocalDomain("d0.example")).isTrue();
    }
}
