package org.clustermail.node;

import java.security.SecureRandom;
import java.util.Optional;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;

/**
 * Makes a fresh node usable at once: when the directory has no domain at all, it creates {@code example.test} and
 * the user {@code demo@example.test} with a random password (shown once, by {@code serve}). A directory that has
 * any domain is left alone, so a real installation never gets a demo account.
 */
public final class DemoSetup {

    public static final String DOMAIN = "example.test";
    public static final String USER = "demo@" + DOMAIN;
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private DemoSetup() {
    }

    /** The demo account if it was created now, with its password; empty if the directory was not empty. */
    public static Optional<Account> ensure(DirectoryService directory) {
        if (!directory.admin().domains().isEmpty()) {
            return Optional.empty();
        }
        directory.admin().addDomain(DOMAIN);
        char[] password = randomPassword();
        directory.admin().addUser(MailAddress.parse(USER), password.clone());
        directory.directory().refreshNow();
        return Optional.of(new Account(USER, new String(password)));
    }

    private static char[] randomPassword() {
        SecureRandom random = new SecureRandom();
        char[] p = new char[16];
        for (int i = 0; i < p.length; i++) {
            p[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return p;
    }

    /** A login and its password in clear, to print once. */
    public record Account(String address, String password) {
    }
}
