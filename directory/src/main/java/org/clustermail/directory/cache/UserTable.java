package org.clustermail.directory.cache;

import java.util.Collection;
import java.util.Set;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.sql.StoredUser;

/**
 * The in-memory hash table of all users (the paper's auth cache, after Porcupine) and the set of local domains.
 *
 * <p>Layout, chosen for a million users (see ADR 0003 and BENCHMARKS.md): one open-addressing array of
 * {@link CachedUser} references with linear probing, at most half full; each {@code CachedUser} carries its address
 * bytes and hash, so a lookup touches the slot array, the user and its address bytes, and allocates nothing (the
 * address is hashed and compared straight from the {@link MailAddress}'s two parts).
 *
 * <p>Concurrency: copy-on-write. Readers load one volatile snapshot and never lock. The single writer (the refresh
 * thread, under the cache's refresh lock) applies a batch of changes to a private copy of the array and publishes it;
 * directory changes are rare, so copying a few megabytes per batch is cheap, and readers never see a half-done
 * change.
 */
final class UserTable {

    private volatile CachedUser[] slots = new CachedUser[16];
    private volatile int size;
    private volatile Set<String> domains = Set.of();

    CachedUser get(MailAddress address) {
        CachedUser[] s = slots;
        int h = CachedUser.hash(address);
        int mask = s.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            CachedUser u = s[i];
            if (u == null) {
                return null;
            }
            if (u.hash == h && u.is(address)) {
                return u;
            }
        }
    }

    boolean isLocalDomain(String domain) {
        return domains.contains(domain);
    }

    int size() {
        return size;
    }

    /** Calls {@code action} for every user of one snapshot (changes published meanwhile are not seen). */
    void forEach(java.util.function.BiConsumer<String, CachedUser> action) {
        for (CachedUser u : slots) {
            if (u != null) {
                action.accept(u.addressText(), u);
            }
        }
    }

    void setDomains(Collection<String> names) {
        domains = Set.copyOf(names);
    }

    /** Applies upserts and removals (addresses) as one published change. Single writer only. */
    void apply(Collection<StoredUser> upserts, Collection<String> removals) {
        Builder b = new Builder(slots, size + upserts.size());
        upserts.forEach(b::put);
        removals.forEach(b::remove);
        slots = b.slots;
        size = b.size;
    }

    /** Replaces everything with the users of {@code builder}. Single writer only. */
    void swap(Builder builder, Collection<String> newDomains) {
        slots = builder.slots;
        size = builder.size;
        domains = Set.copyOf(newDomains);
    }

    /** A private table being filled (a full load, or a copy being changed); not thread-safe. */
    static final class Builder {
        private CachedUser[] slots;
        private int size;

        /** An empty table with room for {@code expected} users. */
        Builder(long expected) {
            slots = new CachedUser[capacityFor(expected)];
        }

        private Builder(CachedUser[] from, long expected) {
            int cap = Math.max(from.length, capacityFor(expected));
            slots = new CachedUser[cap];
            for (CachedUser u : from) {
                if (u != null) {
                    insert(u);
                }
            }
        }

        void put(StoredUser stored) {
            CachedUser u = new CachedUser(stored);
            if (2L * (size + 1) > slots.length) {
                grow();
            }
            insert(u);
        }

        /** Removes by backward-shift deletion, so no tombstones are left for readers to skip. */
        void remove(String address) {
            int mask = slots.length - 1;
            int i = find(address);
            if (i < 0) {
                return;
            }
            slots[i] = null;
            size--;
            for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
                CachedUser moved = slots[j];
                slots[j] = null;
                size--;
                insert(moved);
            }
        }

        int size() {
            return size;
        }

        private void insert(CachedUser u) {
            int mask = slots.length - 1;
            for (int i = u.hash & mask; ; i = (i + 1) & mask) {
                CachedUser there = slots[i];
                if (there == null) {
                    slots[i] = u;
                    size++;
                    return;
                }
                if (there.hash == u.hash && there.sameAddress(u)) {
                    slots[i] = u; // replace: the new record drops the old one's password memo
                    return;
                }
            }
        }

        private int find(String address) {
            int h = CachedUser.hash(address);
            int mask = slots.length - 1;
            for (int i = h & mask; slots[i] != null; i = (i + 1) & mask) {
                if (slots[i].hash == h && slots[i].is(address)) {
                    return i;
                }
            }
            return -1;
        }

        private void grow() {
            CachedUser[] old = slots;
            slots = new CachedUser[old.length * 2];
            size = 0;
            for (CachedUser u : old) {
                if (u != null) {
                    insert(u);
                }
            }
        }

        private static int capacityFor(long users) {
            long want = Math.max(16, users * 2); // at most half full: short probe runs
            if (want > 1 << 30) {
                throw new IllegalStateException("too many users for one table: " + users);
            }
            return Integer.highestOneBit((int) want - 1) << 1;
        }
    }
}
