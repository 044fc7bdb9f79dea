package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code clustermail.jar} (the one {@code ./clustermail} runs) as a child process, the way a user types the
 * commands: a domain and a user created and shown, and failures as one line on stderr with exit status 1.
 */
class CliProcessIT {

    private static final Path JAR = Path.of("target", "clustermail.jar");

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    private Run clustermail(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("clustermail " + args[0] + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void withNoConfigTheDirectoryIsEmbeddedH2UnderData() throws Exception {
        assertThat(JAR).exists();
        assertThat(clustermail("", "domain", "add", "example.org").status()).isZero();
        Run add = clustermail("horse battery\n", "user", "add", "alice@example.org", "--password-stdin");
        assertThat(add.status()).as(add.err()).isZero();
        assertThat(add.out()).startsWith("added alice@example.org (serial 1, primary node01, secondary none)");
        Run info = clustermail("", "user", "info", "alice@example.org");
        assertThat(info.out()).contains("address:      alice@example.org", "state:        ACTIVE");
        assertThat(dir.resolve("data/directory/directory.mv.db")).exists();
        assertThat(Files.readString(dir.resolve("data/directory/directory.mv.db"), StandardCharsets.ISO_8859_1))
                .doesNotContain("horse battery");
    }

    @Test
    void failuresAreOneLineWithoutAStackTrace() throws Exception {
        clustermail("", "domain", "add", "example.org");
        clustermail("pw\n", "user", "add", "bob@example.org", "--password-stdin");
        Run dup = clustermail("pw\n", "user", "add", "bob@example.org", "--password-stdin");
        assertThat(dup.status()).isEqualTo(1);
        assertThat(dup.err()).isEqualTo("clustermail: user exists already: bob@example.org\n");

        Files.writeString(dir.resolve("pg.yaml"), "directory: {jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/x'}\n");
        Run down = clustermail("", "user", "list", "--config", "pg.yaml");
        assertThat(down.status()).isEqualTo(1);
        assertThat(down.err()).isEqualTo("clustermail: cannot reach the directory database "
                + "jdbc:postgresql://127.0.0.1:1/x: Connection refused\n");

        Run noTty = clustermail("", "user", "add", "carl@example.org");
        assertThat(noTty.status()).isEqualTo(1);
        assertThat(noTty.err()).isEqualTo("clustermail: no terminal to ask for the password: pipe it in with "
                + "--password-stdin\n");
    }
}
