package org.clustermail.ingress;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.OptionalLong;

/**
 * Turns one command line (without CRLF) into an {@link SmtpCommand} or the syntax error reply. Pure: no I/O, no
 * state, no policy (whether a verb is allowed now, or an address is ours, is the session's business).
 *
 * <p>Lenient where real clients are sloppy (a space after {@code FROM:}, lower-case verbs), strict where sloppiness
 * is dangerous (control characters, invalid UTF-8, BDAT sizes). Thread-safe.
 */
public final class SmtpParser {

    // Compiled once: String.matches and a regex String.split compile their pattern on every call (every command).
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern SPACES = Pattern.compile(" +");

    /** The longest address accepted in MAIL or RCPT (RFC 5321 4.5.3.1.3: 256 octets for the path). */
    static final int MAX_PATH = 256;

    private SmtpParser() {
    }

    /** The outcome of parsing: a command, or the reply to send instead. */
    public sealed interface Result {
        record Command(SmtpCommand command) implements Result {
        }

        /**
         * @param reply       the error reply
         * @param unsafeToGoOn the rest of the stream can't be trusted (a BDAT whose size is unreadable: its data
         *                     would be read as commands), so the session must close after replying
         */
        record Error(SmtpReply reply, boolean unsafeToGoOn) implements Result {
        }
    }

    public static Result parse(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return error(500, "5.5.2", "Invalid UTF-8 in command");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return error(500, "5.5.2", "Control characters not allowed in commands");
            }
        }
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : text.substring(space + 1).strip();
        return switch (verb) {
            case "HELO" -> named(arg, "HELO", SmtpCommand.Helo::new);
            case "EHLO" -> named(arg, "EHLO", SmtpCommand.Ehlo::new);
            case "LHLO" -> named(arg, "LHLO", SmtpCommand.Lhlo::new);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> noArgs(arg, "DATA", new SmtpCommand.Data());
            case "BDAT" -> bdat(arg);
            case "RSET" -> noArgs(arg, "RSET", new SmtpCommand.Rset());
            case "NOOP" -> ok(new SmtpCommand.Noop());
            case "QUIT" -> noArgs(arg, "QUIT", new SmtpCommand.Quit());
            case "HELP" -> ok(new SmtpCommand.Help());
            case "VRFY" -> arg.isEmpty() ? error(501, "5.5.4", "Syntax: VRFY address") : ok(new SmtpCommand.Vrfy());
            case "EXPN" -> arg.isEmpty() ? error(501, "5.5.4", "Syntax: EXPN list") : ok(new SmtpCommand.Expn());
            case "STARTTLS" -> noArgs(arg, "STARTTLS", new SmtpCommand.StartTls());
            case "AUTH" -> auth(arg);
            case "" -> error(500, "5.5.2", "Empty command");
            default -> error(500, "5.5.1", "Command not recognized");
        };
    }

    private static Result named(String arg, String verb, java.util.function.Function<String, SmtpCommand> make) {
        if (arg.isEmpty() || arg.contains(" ")) {
            return error(501, "5.5.4", "Syntax: " + verb + " hostname");
        }
        return ok(make.apply(arg));
    }

    private static Result noArgs(String arg, String verb, SmtpCommand command) {
        return arg.isEmpty() ? ok(command) : error(501, "5.5.4", "Syntax: " + verb + " (no parameters allowed)");
    }

    private static Result mail(String arg) {
        Path path = path(arg, "FROM:");
        if (path == null || !validAddress(path.address, true)) {
            return error(501, "5.1.7", "Syntax: MAIL FROM:<address> [parameters]");
        }
        OptionalLong size = OptionalLong.empty();
        boolean eightBit = false;
        boolean utf8 = false;
        for (String p : path.parameters) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            switch (key) {
                case "SIZE" -> {
                    if (!NUMBER.matcher(value).matches()) {
                        return error(501, "5.5.4", "Syntax: SIZE=number");
                    }
                    size = OptionalLong.of(Long.parseLong(value));
                }
                case "BODY" -> {
                    String body = value.toUpperCase(Locale.ROOT);
                    if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
                        return error(501, "5.5.4", "BODY must be 7BIT or 8BITMIME");
                    }
                    eightBit = body.equals("8BITMIME");
                }
                case "SMTPUTF8" -> {
                    if (eq >= 0) {
                        return error(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "AUTH" -> {
                    // RFC 4954 5: the original submitter; a relay hint we may ignore.
                }
                default -> {
                    return error(555, "5.5.4", "Unsupported MAIL parameter " + SmtpReply.sanitize(key));
                }
            }
        }
        if (!utf8 && !isAscii(path.address)) {
            return error(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");
        }
        return ok(new SmtpCommand.Mail(path.address, new MailParameters(size, eightBit, utf8)));
    }

    private static Result rcpt(String arg) {
        Path path = path(arg, "TO:");
        if (path == null || !validAddress(path.address, false)) {
            return error(501, "5.1.3", "Syntax: RCPT TO:<address>");
        }
        if (path.parameters.length > 0) {
            return error(555, "5.5.4", "Unsupported RCPT parameter " + SmtpReply.sanitize(path.parameters[0]));
        }
        return ok(new SmtpCommand.Rcpt(path.address));
    }

    private static Result bdat(String arg) {
        String[] parts = SPACES.split(arg);
        boolean sizeOk = parts.length >= 1 && NUMBER.matcher(parts[0]).matches();
        boolean lastOk = parts.length == 1 || (parts.length == 2 && parts[1].equalsIgnoreCase("LAST"));
        if (!sizeOk || !lastOk) {
            return new Result.Error(SmtpReply.of(501, "5.5.4", "Syntax: BDAT size [LAST]"), true);
        }
        return ok(new SmtpCommand.Bdat(Long.parseLong(parts[0]), parts.length == 2));
    }

    private static Result auth(String arg) {
        String[] parts = SPACES.split(arg);
        if (arg.isEmpty() || parts.length > 2) {
            return error(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return ok(new SmtpCommand.Auth(parts[0].toUpperCase(Locale.ROOT),
                parts.length == 2 ? Optional.of(parts[1]) : Optional.empty()));
    }

    private record Path(String address, String[] parameters) {
    }

    /** {@code FROM:<a@b> P1 P2}: the address without brackets or source route, and the parameters. */
    private static Path path(String arg, String keyword) {
        if (arg.length() < keyword.length() || !arg.substring(0, keyword.length()).equalsIgnoreCase(keyword)) {
            return null;
        }
        String rest = arg.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return null;
        }
        int close = closingBracket(rest);
        if (close < 0) {
            return null;
        }
        String address = rest.substring(1, close);
        if (address.startsWith("@")) { // RFC 5321 4.1.2: a source route, to be ignored
            int colon = address.indexOf(':');
            if (colon < 0) {
                return null;
            }
            address = address.substring(colon + 1);
        }
        String params = rest.substring(close + 1).strip();
        return new Path(address, params.isEmpty() ? new String[0] : SPACES.split(params));
    }

    /** The index of the {@code >} that closes the path, skipping quoted strings; -1 if none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean validAddress(String address, boolean emptyAllowed) {
        if (address.isEmpty()) {
            return emptyAllowed;
        }
        if (address.length() > MAX_PATH) {
            return false;
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            // RFC 5321 4.5.1: <Postmaster> without a domain must be accepted as a recipient.
            return !emptyAllowed && address.equalsIgnoreCase("postmaster");
        }
        String domain = address.substring(at + 1);
        return at > 0 && !domain.isEmpty() && !domain.contains(" ") && !domain.contains("@")
                && (address.startsWith("\"") || !address.substring(0, at).contains(" "));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static Result ok(SmtpCommand command) {
        return new Result.Command(command);
    }

    private static Result error(int code, String enhanced, String text) {
        return new Result.Error(SmtpReply.of(code, enhanced, text), false);
    }
}
