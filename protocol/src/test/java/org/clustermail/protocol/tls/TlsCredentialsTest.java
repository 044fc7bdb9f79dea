package org.clustermail.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCredentialsTest {

    @Test
    void selfSignedIsCreatedOnceAndReadBack(@TempDir Path dir) throws Exception {
        TlsCredentials first = TlsCredentials.selfSigned(dir.resolve("tls"), "mail.example.test");
        X509Certificate cert = first.chain().get(0);
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mail.example.test");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
                .contains("mail.example.test", "localhost", "127.0.0.1");
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls/selfsigned.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        TlsCredentials again = TlsCredentials.selfSigned(dir.resolve("tls"), "mail.example.test");
        assertThat(again.chain().get(0)).isEqualTo(cert);
        assertThat(again.key().getEncoded()).isEqualTo(first.key().getEncoded());
        assertThat(ServerTls.create(again).certificate()).isEqualTo(cert);
    }

    @Test
    void configuredPemFilesAreLoaded(@TempDir Path dir) throws IOException {
        TlsCredentials.selfSigned(dir, "localhost");
        TlsCredentials loaded = TlsCredentials.loadPem(dir.resolve("selfsigned.crt"), dir.resolve("selfsigned.key"));
        assertThat(loaded.chain()).hasSize(1);
        Files.writeString(dir.resolve("junk.pem"), "not a key");
        assertThatThrownBy(() -> TlsCredentials.loadPem(dir.resolve("selfsigned.crt"), dir.resolve("junk.pem")))
                .isInstanceOf(IOException.class);
    }
}
