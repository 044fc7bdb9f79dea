package org.clustermail.store;

/**
 * Whose mailbox: the normalised address {@code local@domain} (validated by the directory) and the user's serial
 * number, which picks the hash directory {@code serial mod 300} of the paper's layout.
 *
 * <p>The user ID becomes a directory name, so it is validated again here, whatever the caller did: ASCII letters,
 * digits and {@code . _ - + @} only, exactly one {@code @}, no empty, {@code .} or {@code ..} part, no {@code /},
 * NUL or control character, at most {@value #MAX_LENGTH} characters. Anything else is refused with
 * {@link IllegalArgumentException} before it can reach a path.
 */
public record MailboxOwner(String userId, long serial) {

    public static final int MAX_LENGTH = 320;
    /** The number of hash directories per node in the paper's layout. */
    public static final int HASH_DIRECTORIES = 300;

    public MailboxOwner {
        validate(userId);
        if (serial < 0) {
            throw new IllegalArgumentException("negative user serial " + serial);
        }
    }

    /** The {@code serial mod 300} directory name the mailbox sits in. */
    public String hashDirectory() {
        return Long.toString(serial % HASH_DIRECTORIES);
    }

    private static void validate(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("user ID must have 1 to " + MAX_LENGTH + " characters");
        }
        int at = id.indexOf('@');
        if (at <= 0 || at != id.lastIndexOf('@') || at == id.length() - 1) {
            throw new IllegalArgumentException("user ID must be local@domain");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'
                    || c == '+' || c == '@';
            if (!ok) {
                throw new IllegalArgumentException("user ID may hold only a-z 0-9 . _ - + @ (normalised form)");
            }
        }
        if (id.startsWith(".") || id.contains("..") || id.contains(".@") || id.contains("@.") || id.endsWith(".")) {
            throw new IllegalArgumentException("user ID may not have an empty or dot-only part");
        }
    }
}
