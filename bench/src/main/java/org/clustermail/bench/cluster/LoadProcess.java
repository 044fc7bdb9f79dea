package org.clustermail.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the SMTP load generator ({@code org.clustermail.bench.ingress.SmtpLoad}) in its own JVM, as the ingress
 * figures do, and returns its {@code key=value} result line. Stateless.
 */
final class LoadProcess {

    private LoadProcess() {
    }

    /** Runs SmtpLoad with these options ({@code --key value} pairs) and returns its last output line, parsed. */
    static Map<String, String> run(Path benchJar, List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", benchJar.toString(), "org.clustermail.bench.ingress.SmtpLoad"));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("SmtpLoad failed: " + out);
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        Map<String, String> result = new LinkedHashMap<>();
        for (String kv : last.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                result.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        result.put("line", last);
        return result;
    }
}
