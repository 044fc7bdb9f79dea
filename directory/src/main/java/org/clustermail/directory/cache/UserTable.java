package org.clustermail.directory.cache;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.directory.sql.StoredUser;

/**
 * The in-memory hash table of all users (the paper's auth cache, after Porcupine), keyed by normalised address, and
 * the set of local domains. Reads are lock-free; a full reload builds a new table and swaps it in whole.
 * Thread-safe.
 */
final class UserTable {

    private volatile ConcurrentHashMap<String, CachedUser> users = new ConcurrentHashMap<>();
    private volatile Set<String> domains = Set.of();

    CachedUser get(String address) {
        return users.get(address);
    }

    boolean isLocalDomain(String domain) {
        return domains.contains(domain);
    }

    int size() {
        return users.size();
    }

    void forEach(java.util.function.BiConsumer<String, CachedUser> action) {
        users.forEach(action);
    }

    void put(StoredUser u) {
        users.put(u.address(), new CachedUser(u));
    }

    void remove(String address) {
        users.remove(address);
    }

    void setDomains(Collection<String> names) {
        domains = Set.copyOf(names);
    }

    /** A table to fill off to the side, sized for {@code expected} users, then {@link #swap} in. */
    static ConcurrentHashMap<String, CachedUser> newTable(long expected) {
        return new ConcurrentHashMap<>((int) Math.min(Integer.MAX_VALUE / 2, Math.max(16, expected + expected / 3)));
    }

    void swap(ConcurrentHashMap<String, CachedUser> table, Collection<String> newDomains) {
        users = table;
        domains = Set.copyOf(newDomains);
    }
}
