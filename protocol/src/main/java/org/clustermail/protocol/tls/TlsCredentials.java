package org.clustermail.protocol.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A server's private key and certificate chain (leaf first), as mail servers usually keep them: two PEM files.
 *
 * <p>The key file may be PKCS#8 ({@code PRIVATE KEY}) or the older {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}
 * forms (not encrypted). Immutable.
 */
public record TlsCredentials(PrivateKey key, List<X509Certificate> chain) {

    public TlsCredentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /** Reads a PEM certificate chain and a PEM private key. */
    public static TlsCredentials loadPem(Path certificateFile, Path keyFile) throws IOException {
        return new TlsCredentials(readKey(keyFile), readChain(certificateFile));
    }

    /**
     * The node's self-signed certificate for {@code hostname}, kept under {@code directory} as
     * {@code selfsigned.crt} and {@code selfsigned.key}: created on first use, read back afterwards.
     */
    public static TlsCredentials selfSigned(Path directory, String hostname) throws IOException {
        return SelfSignedCertificate.loadOrCreate(directory, hostname);
    }

    static List<X509Certificate> readChain(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate chain: " + file + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object pem = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (pem instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no unencrypted private key in " + file);
        }
    }
}
