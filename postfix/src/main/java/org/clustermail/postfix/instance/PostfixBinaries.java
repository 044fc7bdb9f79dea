package org.clustermail.postfix.instance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Debian {@code postfix} package put its commands, and the error a user sees when it is missing.
 * Stateless.
 */
public final class PostfixBinaries {

    private static final List<Path> DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"));

    private PostfixBinaries() {
    }

    /** Whether {@code postfix} is installed here. */
    public static boolean installed() {
        return DIRECTORIES.stream().anyMatch(d -> Files.isExecutable(d.resolve("postfix")));
    }

    /**
     * The absolute path of a Postfix command ({@code postfix}, {@code postmap}, {@code postconf}).
     *
     * @throws IllegalStateException (one line) when Postfix is not installed
     */
    public static String require(String command) {
        for (Path d : DIRECTORIES) {
            if (Files.isExecutable(d.resolve(command))) {
                return d.resolve(command).toString();
            }
        }
        throw new IllegalStateException("Postfix is not installed (no " + command + " in " + DIRECTORIES
                + "): apt-get install postfix (CI installs it from .ci/apt-packages)");
    }

    /**
     * A configuration directory holding only a minimal {@code main.cf}, for commands such as {@code postmap -q}
     * that need one when the system's {@code /etc/postfix} has none (Debian's "No configuration").
     */
    public static Path emptyConfigDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Path main = dir.resolve("main.cf");
            if (!Files.exists(main)) {
                Files.writeString(main, "compatibility_level = 3.6\n");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }
}
