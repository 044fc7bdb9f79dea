package org.clustermail.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client program (python3, curl) and returns its output; fails the test on a non-zero exit. */
final class Processes {

    private Processes() {
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("%s finished; output: %s", command.get(0), out).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output: %s", command, out).isZero();
        return out.strip();
    }

    /** Copies a client script from the test resources to {@code dir}; returns its path. */
    static Path script(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (var in = Processes.class.getResourceAsStream("/clients/" + name)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }
}
