package org.clustermail.directory.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.SecureString;
import com.password4j.types.Argon2;
import org.clustermail.directory.DirectoryException;

/**
 * Argon2id password hashing (password4j). New hashes use the parameters in {@code psw4j.properties}; a stored hash
 * is verified with the parameters it carries, so raising them later keeps old hashes valid. Hashes are PHC strings
 * ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}). Stateless apart from a lazily made dummy hash; thread-safe.
 */
public final class PasswordHasher {

    public static final int MAX_PASSWORD = 1024;

    private final java.util.concurrent.atomic.LongAdder verifications = new java.util.concurrent.atomic.LongAdder();
    private volatile String dummyHash;

    /** Full Argon2 verifications done so far (a metric, and how tests see the cache's fast path at work). */
    public long verifications() {
        return verifications.sum();
    }

    /** A fresh salted Argon2id hash of {@code password}. Rejects empty, over-long or NUL-holding passwords. */
    public String hash(char[] password) {
        checkAcceptable(password);
        return Password.hash(new SecureString(password)).addRandomSalt(16).withArgon2().getResult();
    }

    /** Whether {@code password} matches {@code phc}; false (never an exception) for a malformed or non-Argon2 hash. */
    public boolean verify(char[] password, String phc) {
        if (phc == null || !phc.startsWith("$argon2") || password.length > MAX_PASSWORD) {
            return false;
        }
        verifications.increment();
        try {
            Argon2Function f = Argon2Function.getInstanceFromHash(phc);
            return f.getVariant() == Argon2.ID && Password.check(new SecureString(password), phc).with(f);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Spends the time of one verification without a user, so that "no such user" takes as long as "wrong password"
     * and timing does not reveal whether an account exists.
     */
    public void verifyAgainstNobody(char[] password) {
        String h = dummyHash;
        if (h == null) {
            h = hash("not-a-password".toCharArray());
            dummyHash = h;
        }
        verify(password, h);
    }

    static void checkAcceptable(char[] password) {
        if (password == null || password.length == 0) {
            throw new DirectoryException("the password is empty");
        }
        if (password.length > MAX_PASSWORD) {
            throw new DirectoryException("the password is longer than " + MAX_PASSWORD + " characters");
        }
        for (char c : password) {
            if (c == 0) {
                throw new DirectoryException("the password holds a NUL character");
            }
        }
    }
}
