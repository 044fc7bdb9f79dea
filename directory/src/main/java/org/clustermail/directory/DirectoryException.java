package org.clustermail.directory;

/**
 * A directory operation that cannot be done; the message is one line, fit to show a user (the CLI prints it as is).
 * The subclasses name the cases callers tell apart.
 */
public class DirectoryException extends RuntimeException {

    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The user does not exist. */
    public static final class NoSuchUser extends DirectoryException {
        public NoSuchUser(MailAddress address) {
            super("no such user: " + address);
        }
    }

    /** A user with this address exists already. */
    public static final class UserExists extends DirectoryException {
        public UserExists(MailAddress address) {
            super("user exists already: " + address);
        }
    }

    /** The domain is not one of ours. */
    public static final class NoSuchDomain extends DirectoryException {
        public NoSuchDomain(String domain) {
            super("no such domain: " + domain + " (add it first with: clustermail domain add " + domain + ")");
        }
    }

    /** The domain is ours already. */
    public static final class DomainExists extends DirectoryException {
        public DomainExists(String domain) {
            super("domain exists already: " + domain);
        }
    }

    /** The SQL database cannot be reached or failed. */
    public static final class Unavailable extends DirectoryException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
