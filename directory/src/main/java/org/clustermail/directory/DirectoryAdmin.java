package org.clustermail.directory;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The write and query side of the directory, used by the CLI and the web-mail's profile pages. Every method goes to
 * SQL; each change is written with an entry in the change log, in one transaction, so every node's cache sees it
 * within its refresh interval. Failures throw {@link DirectoryException} subclasses with one-line messages.
 * Thread-safe.
 */
public interface DirectoryAdmin {

    /** Makes {@code domain} one of ours. */
    void addDomain(String domain);

    /** Our domains, sorted. */
    List<String> domains();

    /**
     * Creates an active user with an Argon2id hash of {@code password}; its primary and secondary node are drawn
     * uniformly at random from the cluster's nodes (never the same node; no secondary in a one-node cluster).
     * The caller may wipe {@code password} afterwards.
     */
    UserRecord addUser(MailAddress address, char[] password);

    void setPassword(MailAddress address, char[] password);

    void setState(MailAddress address, UserState state);

    /** Deletes the user and its profile; its logon history stays (it is an audit trail). */
    void removeUser(MailAddress address);

    Optional<UserRecord> user(MailAddress address);

    /** Calls {@code sink} for each user (of {@code domain}, if given) in address order, streaming from SQL. */
    void forEachUser(Optional<String> domain, Consumer<UserRecord> sink);

    UserInfo info(MailAddress address);

    void setInfo(MailAddress address, UserInfo info);

    /** The last successful logon of {@code address}, if any (attempts still queued for SQL may be missing). */
    Optional<LogonAttempt> lastSuccessfulLogon(MailAddress address);

    /** The most recent failed or refused logons of {@code address}, newest first, at most {@code limit}. */
    List<LogonAttempt> recentFailures(MailAddress address, int limit);
}
