package org.clustermail.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password from the first line of stdin ({@code --password-stdin}) or from a terminal prompt without
 * echo, asked twice. Never from the command line, where other users could read it in the process list.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    static char[] read(boolean fromStdin, InputStream stdin) {
        return fromStdin ? firstLine(stdin) : prompt();
    }

    private static char[] prompt() {
        Console console = System.console();
        if (console == null) {
            throw new CliException("no terminal to ask for the password: pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Repeat it: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new CliException("the passwords differ");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static char[] firstLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (line.size() > 4096) {
                    throw new CliException("the password line is too long");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw new CliException("cannot read the password from stdin: " + e.getMessage());
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, len));
        char[] password = Arrays.copyOf(chars.array(), chars.limit());
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars.array(), '\0');
        if (password.length == 0) {
            throw new CliException("no password on stdin (give it as the first line)");
        }
        return password;
    }
}
