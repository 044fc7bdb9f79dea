package org.clustermail.ingress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.RecipientCheck;
import org.clustermail.directory.Directory;
import org.clustermail.directory.MailAddress;
import org.clustermail.ingress.SessionState.Chunking;
import org.clustermail.ingress.SessionState.Connected;
import org.clustermail.ingress.SessionState.Greeted;
import org.clustermail.ingress.SessionState.Transaction;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.Line;
import org.clustermail.protocol.LineTooLongException;
import org.clustermail.protocol.ReadTimeoutException;
import org.clustermail.protocol.ServerStoppingException;
import org.clustermail.protocol.sasl.SaslExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP, submission or LMTP session: reads command lines, parses them ({@link SmtpParser}), checks each against
 * the {@link SmtpVerbs} table and runs its handler. Greeting, EHLO, MAIL, RCPT, RSET, QUIT and STARTTLS are
 * here; AUTH is {@link Authentication}; receiving and delivering the message is {@link Reception}.
 *
 * <p>Invariants: a spool held by the state is closed on every path out of it; after {@code maxErrors} errors the
 * session says 421 and ends. Threading: one instance per connection, used only by that connection's thread.
 */
final class SmtpSession {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    private static final SmtpReply NOT_RECOGNIZED = SmtpReply.of(500, "5.5.1", "Command not recognized");

    private final Connection connection;
    private final Dialect dialect;
    private final IngressSettings settings;
    private final MailDelivery delivery;
    private final Directory directory;
    private final SmtpVerbs verbs;
    private SessionState state = new Connected();
    private int errors;
    private boolean done;

    SmtpSession(Connection connection, Dialect dialect, IngressSettings settings, MailDelivery delivery,
                Directory directory, SmtpVerbs verbs) {
        this.connection = connection;
        this.dialect = dialect;
        this.settings = settings;
        this.delivery = delivery;
        this.directory = directory;
        this.verbs = verbs;
    }

    /** Runs the session to its end; I/O failures (client gone, TLS broken) propagate to the listener. */
    void run() throws IOException {
        reply(220, "", settings.hostname() + (dialect.lmtp() ? " LMTP" : " ESMTP") + " clustermail ready");
        try {
            while (!done) {
                if (errors >= settings.maxErrors()) {
                    reply(421, "4.7.0", settings.hostname() + " Too many errors, closing connection");
                    return;
                }
                readAndRun();
            }
        } catch (ReadTimeoutException e) {
            reply(421, "4.4.2", settings.hostname() + " Timeout (" + e.getMessage() + "), closing connection");
        } catch (ServerStoppingException e) {
            reply(421, "4.3.2", settings.hostname() + " Service shutting down, try again later");
        } finally {
            discardTransaction();
        }
    }

    private void readAndRun() throws IOException {
        Line line;
        try {
            line = connection.input().readLine(settings.maxCommandLine());
        } catch (LineTooLongException e) {
            error(SmtpReply.of(500, "5.5.2", "Line too long (at most " + settings.maxCommandLine() + " octets)"));
            return;
        }
        if (line.bareLf()) {
            error(SmtpReply.of(500, "5.5.2", "Bare LF not allowed: end lines with CRLF"));
            return;
        }
        switch (SmtpParser.parse(line.bytes())) {
            case SmtpParser.Result.Error e -> {
                error(e.reply());
                done = e.unsafeToGoOn();
            }
            case SmtpParser.Result.Command c -> dispatch(c.command());
        }
    }

    private void dispatch(SmtpCommand command) throws IOException {
        var rule = verbs.rule(command);
        Optional<SmtpReply> refusal = rule.isEmpty() ? Optional.of(NOT_RECOGNIZED) : rule.get().refusal(this);
        if (refusal.isPresent()) {
            if (command instanceof SmtpCommand.Bdat bdat) {
                Reception.skipChunk(this, bdat); // its octets must not be read as commands
            }
            error(refusal.get());
            return;
        }
        rule.get().run(this, command);
    }

    void hello(SmtpCommand command) throws IOException {
        String name = switch (command) {
            case SmtpCommand.Ehlo e -> e.clientName();
            case SmtpCommand.Helo h -> h.clientName();
            case SmtpCommand.Lhlo l -> l.clientName();
            default -> throw new IllegalArgumentException(command.toString());
        };
        boolean extended = !(command instanceof SmtpCommand.Helo);
        Optional<MailAddress> user = currentUser();
        discardTransaction();
        state = new Greeted(name, extended, user);
        if (!extended) {
            reply(250, "", settings.hostname());
            return;
        }
        List<String> lines = new ArrayList<>(List.of(settings.hostname() + " greets " + SmtpReply.sanitize(name),
                "PIPELINING", "SIZE " + settings.maxMessageSize(), "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8",
                "CHUNKING"));
        if (!dialect.lmtp() && canStartTls()) {
            lines.add("STARTTLS");
        }
        if (dialect.submission() && secure() && user.isEmpty()) {
            lines.add("AUTH " + SaslExchange.MECHANISMS);
        }
        lines.add("HELP");
        write(new SmtpReply(250, "", lines));
    }

    void mail(SmtpCommand.Mail command) throws IOException {
        var size = command.parameters().declaredSize();
        if (size.isPresent() && size.getAsLong() > settings.maxMessageSize()) {
            error(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum of " + settings.maxMessageSize()
                    + " octets"));
            return;
        }
        state = Transaction.start((Greeted) state, command.reversePath(), command.parameters());
        reply(250, "2.1.0", "Sender ok");
    }

    void rcpt(SmtpCommand.Rcpt command) throws IOException {
        Transaction t = (Transaction) state;
        String shown = "<" + SmtpReply.sanitize(command.forwardPath()) + ">";
        if (t.recipients().size() >= settings.maxRecipients()) {
            reply(452, "4.5.3", "Too many recipients (at most " + settings.maxRecipients() + " per message)");
            return;
        }
        switch (delivery.check(command.forwardPath())) {
            case RecipientCheck.Accepted a -> {
                t.recipients().add(a.recipient());
                reply(250, "2.1.5", shown + " Recipient ok");
            }
            case RecipientCheck.UnknownUser u -> error(SmtpReply.of(550, "5.1.1", shown + " User unknown"));
            case RecipientCheck.Disabled d -> error(SmtpReply.of(550, "5.2.1", shown + " Mailbox disabled"));
            case RecipientCheck.NotLocal n -> error(SmtpReply.of(550, "5.7.1", authenticated()
                    ? shown + " Delivery to other domains is not available yet (no outbound delivery)"
                    : shown + " Relay access denied"));
            case RecipientCheck.Unavailable u -> reply(451, "4.3.0", shown + " Directory unavailable, try again");
        }
    }

    void rset(SmtpCommand.Rset command) throws IOException {
        discardTransaction();
        if (!(state instanceof Connected)) {
            state = greeted();
        }
        reply(250, "2.0.0", "Ok");
    }

    void quit(SmtpCommand.Quit command) throws IOException {
        reply(221, "2.0.0", settings.hostname() + " closing connection");
        done = true;
    }

    void startTls(SmtpCommand.StartTls command) throws IOException {
        reply(220, "2.0.0", "Ready to start TLS");
        int dropped = connection.startTls();
        if (dropped > 0) {
            log.info("{}: dropped {} octets sent in plain text after STARTTLS", connection, dropped);
        }
        state = new Connected();
    }

    // --- state and replies, for the handlers ---

    SessionState state() {
        return state;
    }

    void setState(SessionState next) {
        state = next;
    }

    /** The greeting state under the current one (leaving a transaction keeps the greeting and the login). */
    Greeted greeted() {
        return switch (state) {
            case Greeted g -> g;
            case Transaction t -> t.greeted();
            case Chunking c -> c.transaction().greeted();
            case Connected c -> throw new IllegalStateException("not greeted");
        };
    }

    private Optional<MailAddress> currentUser() {
        return state instanceof Connected ? Optional.empty() : greeted().user();
    }

    /** Ends the current transaction, if any, dropping what was received. */
    void discardTransaction() {
        if (state instanceof Chunking c) {
            c.spool().close();
        }
        if (state instanceof Transaction || state instanceof Chunking) {
            state = greeted();
        }
    }

    Directory directory() {
        return directory;
    }

    Dialect dialect() {
        return dialect;
    }

    IngressSettings settings() {
        return settings;
    }

    MailDelivery delivery() {
        return delivery;
    }

    Connection connection() {
        return connection;
    }

    boolean authenticated() {
        return currentUser().isPresent();
    }

    boolean secure() {
        return connection.secure();
    }

    boolean canStartTls() {
        return connection.canStartTls();
    }

    void reply(int code, String enhanced, String text) throws IOException {
        write(SmtpReply.of(code, enhanced, text));
    }

    void write(SmtpReply reply) throws IOException {
        for (String line : reply.wireLines()) {
            connection.output().line(line);
        }
    }

    /** Sends an error reply and counts it towards {@code maxErrors}. */
    void error(SmtpReply reply) throws IOException {
        errors++;
        write(reply);
    }
}
