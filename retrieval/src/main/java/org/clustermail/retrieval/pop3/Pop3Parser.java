package org.clustermail.retrieval.pop3;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one POP3 command line (without CRLF) into a {@link Pop3Command}. Pure and thread-safe; malformed input is
 * a {@link Pop3SyntaxException} whose message can follow {@code -ERR}.
 */
public final class Pop3Parser {

    /** RFC 2449: a command line is at most 255 octets; arguments at most 40. */
    public static final int MAX_LINE = 255;
    private static final int MAX_ARGUMENT = 40;

    private Pop3Parser() {
    }

    public static Pop3Command parse(String line) {
        if (line.isEmpty()) {
            throw new Pop3SyntaxException("empty command");
        }
        int sp = line.indexOf(' ');
        String keyword = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        String[] args = rest.isEmpty() ? new String[0] : rest.split(" ", -1);
        return switch (keyword) {
            case "USER" -> new Pop3Command.User(oneArgument(keyword, rest));
            // PASS takes the rest of the line: passwords may contain spaces (RFC 1939 section 7 allows it).
            case "PASS" -> new Pop3Command.Pass(requireText(keyword, rest));
            case "AUTH" -> auth(args);
            case "CAPA" -> none(args, new Pop3Command.Capa());
            case "STLS" -> none(args, new Pop3Command.Stls());
            case "STAT" -> none(args, new Pop3Command.Stat());
            case "RSET" -> none(args, new Pop3Command.Rset());
            case "NOOP" -> none(args, new Pop3Command.Noop());
            case "QUIT" -> none(args, new Pop3Command.Quit());
            case "LIST" -> new Pop3Command.ListMessages(optionalNumber(args));
            case "UIDL" -> new Pop3Command.Uidl(optionalNumber(args));
            case "RETR" -> new Pop3Command.Retr(number(exactly(args, 1)[0]));
            case "DELE" -> new Pop3Command.Dele(number(exactly(args, 1)[0]));
            case "TOP" -> {
                String[] a = exactly(args, 2);
                yield new Pop3Command.Top(number(a[0]), count(a[1]));
            }
            default -> throw new Pop3SyntaxException("unknown command");
        };
    }

    private static Pop3Command auth(String[] args) {
        if (args.length == 0) {
            return new Pop3Command.Auth(Optional.empty(), Optional.empty());
        }
        if (args.length > 2 || args[0].isEmpty()) {
            throw new Pop3SyntaxException("usage: AUTH mechanism [initial-response]");
        }
        return new Pop3Command.Auth(Optional.of(args[0].toUpperCase(Locale.ROOT)),
                args.length == 2 ? Optional.of(args[1]) : Optional.empty());
    }

    private static String oneArgument(String keyword, String rest) {
        if (rest.isEmpty() || rest.indexOf(' ') >= 0 || rest.length() > 255) {
            throw new Pop3SyntaxException(keyword + " needs exactly one argument");
        }
        return rest;
    }

    private static String requireText(String keyword, String rest) {
        if (rest.isEmpty()) {
            throw new Pop3SyntaxException(keyword + " needs an argument");
        }
        return rest;
    }

    private static Pop3Command none(String[] args, Pop3Command command) {
        if (args.length != 0) {
            throw new Pop3SyntaxException("this command takes no arguments");
        }
        return command;
    }

    private static String[] exactly(String[] args, int n) {
        if (args.length != n) {
            throw new Pop3SyntaxException("wrong number of arguments");
        }
        return args;
    }

    private static OptionalInt optionalNumber(String[] args) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(number(exactly(args, 1)[0]));
    }

    /** A message number: 1 or more, digits only. */
    private static int number(String s) {
        int n = count(s);
        if (n < 1) {
            throw new Pop3SyntaxException("invalid message number");
        }
        return n;
    }

    /** A non-negative count, digits only, at most {@value #MAX_ARGUMENT} characters. */
    private static int count(String s) {
        if (s.isEmpty() || s.length() > MAX_ARGUMENT || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Pop3SyntaxException("invalid number");
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
