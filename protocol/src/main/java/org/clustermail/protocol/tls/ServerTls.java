package org.clustermail.protocol.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS for every listener of a node, on the JDK's own TLS (no provider of our own): TLS 1.2 and
 * 1.3 only, with the JDK's default cipher suites.
 *
 * <p>Immutable and thread-safe: one instance serves all connections.
 */
public final class ServerTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private final SSLContext context;
    private final X509Certificate certificate;

    private ServerTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /** Builds the server's TLS from a key and its certificate chain. */
    public static ServerTls create(TlsCredentials credentials) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", credentials.key(), password,
                    credentials.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, new SecureRandom());
            return new ServerTls(context, credentials.chain().get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Layers TLS over a connected socket, as server; closing the result closes {@code plain}. The handshake starts
     * on the first read or write, or on {@link SSLSocket#startHandshake()}.
     */
    public SSLSocket wrap(Socket plain) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(PROTOCOLS);
        return ssl;
    }

    /** The TLS context, for servers that do their own TLS (web-mail's HTTPS). */
    public SSLContext context() {
        return context;
    }

    /** The server's own certificate (the first of its chain). */
    public X509Certificate certificate() {
        return certificate;
    }
}
