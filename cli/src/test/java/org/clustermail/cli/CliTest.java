package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process (picocli), on an embedded H2 directory in a temporary data directory. */
class CliTest {

    @TempDir
    Path dir;
    private Path config;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("node.yaml");
        Files.writeString(config, "dataDir: " + dir.resolve("data") + "\ncluster: [{id: 1}, {id: 2}]\n");
    }

    private Run run(String stdin, String... args) {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.execute(withConfig, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineError(Run r, String message) {
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("clustermail: " + message + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aUserIsAddedShownEditedListedDisabledAndRemoved() {
        assertThat(run("", "domain", "add", "Example.ORG").out()).isEqualTo("added domain example.org\n");
        assertThat(run("", "domain", "list").out()).isEqualTo("example.org\n");
        Run add = run("s3cret pass\n", "user", "add", "Ann@Example.org", "--password-stdin", "--name", "Ann");
        assertThat(add.status()).isZero();
        assertThat(add.out()).matches("added ann@example.org \\(serial \\d+, primary node0[12], secondary node0[12]\\)\n");
        Run info = run("", "user", "info", "ann@example.org", "--phone", "+1 555 0100", "--field", "room=42");
        assertThat(info.out()).contains("address:      ann@example.org", "name:         Ann", "phone:        +1 555 0100",
                "room:         42", "state:        ACTIVE", "last logon:   never");
        assertThat(run("", "user", "info", "ann@example.org").out()).contains("room:         42");
        assertThat(run("", "user", "list").out()).startsWith("ann@example.org").contains("ACTIVE");
        assertThat(run("", "user", "disable", "ann@example.org").out()).isEqualTo("disabled ann@example.org\n");
        assertThat(run("", "user", "list", "--domain", "EXAMPLE.org").out()).contains("DISABLED");
        assertThat(run("new\n", "user", "passwd", "ann@example.org", "--password-stdin").out())
                .isEqualTo("password changed for ann@example.org\n");
        assertThat(run("", "user", "remove", "ann@example.org").out()).isEqualTo("removed ann@example.org\n");
        assertThat(run("", "user", "list").out()).isEmpty();
    }

    @Test
    void badInputGetsOneLineAndStatusOne() {
        run("", "domain", "add", "example.org");
        run("pw\n", "user", "add", "ann@example.org", "--password-stdin");
        assertOneLineError(run("pw\n", "user", "add", "ann@example.org", "--password-stdin"),
                "user exists already: ann@example.org");
        assertOneLineError(run("pw\n", "user", "add", "..etc@example.org", "--password-stdin"),
                "local part may not start or end with a dot or hold two dots in a row: ..etc");
        assertOneLineError(run("pw\n", "user", "add", "bob@other.org", "--password-stdin"),
                "no such domain: other.org (add it first with: clustermail domain add other.org)");
        assertOneLineError(run("", "user", "info", "zed@example.org"), "no such user: zed@example.org");
        assertOneLineError(run("", "user", "disable", "zed@example.org"), "no such user: zed@example.org");
        assertOneLineError(run("\n", "user", "passwd", "ann@example.org", "--password-stdin"),
                "no password on stdin (give it as the first line)");
        assertOneLineError(run("", "domain", "add", "example.org"), "domain exists already: example.org");
    }

    @Test
    void thePasswordNeverComesFromTheCommandLine() {
        Run r = run("", "user", "add", "ann@example.org", "--password", "x");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("clustermail: Unknown options: '--password'");
    }

    @Test
    void anUnreachableDatabaseIsOneLine() throws Exception {
        Files.writeString(config, "directory: {jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/none'}\n");
        assertOneLineError(run("", "user", "list"),
                "cannot reach the directory database jdbc:postgresql://127.0.0.1:1/none: Connection refused");
    }

    @Test
    void aBadConfigIsOneLine() throws Exception {
        Files.writeString(config, "directory: {refreshEvery: 2s}\n");
        Run r = run("", "domain", "list");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("clustermail: " + config + ": unknown key 'refreshEvery' under directory")
                .hasLineCount(1);
    }

    @Test
    void dbMigrateReportsTheSchema() {
        assertThat(run("", "db", "migrate").out()).matches("schema up to date \\(\\d+ migration\\(s\\) applied, h2\\)\n");
        assertThat(run("", "db", "migrate").out()).isEqualTo("schema up to date (0 migration(s) applied, h2)\n");
    }
}
