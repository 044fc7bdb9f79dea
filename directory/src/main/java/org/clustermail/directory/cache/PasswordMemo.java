package org.clustermail.directory.cache;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed MACs that let the cache recognise a password it has verified before without a second Argon2 run (see ADR
 * 0003). The MAC is HMAC-SHA256 under a random key made per process and never stored, over the user's current
 * password hash and the password; so a remembered MAC is useless in another process, and stops matching the moment
 * the hash changes. No plaintext is kept: the password's bytes are wiped after use. Thread-safe.
 */
final class PasswordMemo {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    PasswordMemo() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, ALGORITHM);
        Arrays.fill(k, (byte) 0);
    }

    /** HMAC(key, passwordHash || 0x00 || UTF-8(password)). */
    byte[] mac(byte[] passwordHash, char[] password) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(passwordHash);
            mac.update((byte) 0);
            mac.update(utf8);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        } finally {
            utf8.clear();
            while (utf8.hasRemaining()) {
                utf8.put((byte) 0);
            }
        }
    }

    /** A remembered MAC and when it stops being trusted. */
    record Entry(byte[] mac, long expiresMs) {
    }
}
