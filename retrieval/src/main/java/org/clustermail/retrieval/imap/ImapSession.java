package org.clustermail.retrieval.imap;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ReadTimeoutException;
import org.clustermail.protocol.ServerStoppingException;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.retrieval.imap.command.ImapParser;
import org.clustermail.retrieval.imap.command.ParsedLine;
import org.clustermail.retrieval.proxy.Relay;
import org.clustermail.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection from greeting to logout: reads whole commands ({@link CommandAssembler}), parses them
 * ({@link ImapParser}), checks the state ({@link CommandTable}), runs the handler, then announces what others changed
 * in the selected folder and writes the tagged completion.
 *
 * <p>A session that logs in a user whose mailbox another node serves becomes {@link ImapState.Proxied}: from then
 * on its bytes are relayed to that node ({@link Relay}), which answers every later command.
 *
 * <p>Invariants: every command gets exactly one tagged reply; malformed input gets BAD and the session goes on; a
 * store failure gets NO. Threading: runs on the connection's virtual thread; only IDLE adds a second thread, which
 * writes while this one waits for {@code DONE}.
 */
final class ImapSession {

    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);

    private final Connection connection;
    private final ImapContext ctx;
    private final ImapWriter writer;
    private final CommandAssembler assembler;
    private ImapState state = new ImapState.NotAuthenticated();
    private boolean condstore;

    ImapSession(Connection connection, ImapContext ctx) {
        this.connection = connection;
        this.ctx = ctx;
        this.writer = new ImapWriter(new BufferedOutputStream(new PassOn(connection), 64 * 1024));
        this.assembler = new CommandAssembler(connection.input(), ctx.config().maxLine(), ctx.config().maxLiteral(),
                ctx.config().literalTimeout());
    }

    void run() throws IOException {
        try {
            writer.raw("* OK [CAPABILITY ").raw(SessionCommands.capabilities(this)).raw("] ")
                    .raw(ctx.config().hostname()).raw(" clustermail IMAP4rev1 ready").crlf();
            while (!(state instanceof ImapState.Logout)) {
                writer.flush();
                if (state instanceof ImapState.Proxied proxied) {
                    new Relay(connection, proxied.backend(), "* BYE server shutting down").run();
                    break;
                }
                if (!step()) {
                    break;
                }
            }
            writer.flush();
        } catch (ServerStoppingException e) {
            bye("server shutting down");
        } catch (ReadTimeoutException e) {
            bye("autologout; idle for too long");
        } catch (EOFException e) {
            log.debug("{}: client closed the connection", connection);
        } finally {
            release();
        }
    }

    /** Reads and handles one command; false when the session must end. */
    private boolean step() throws IOException {
        CommandAssembler.Result in = assembler.read(this::continuationRequest);
        switch (in) {
            case CommandAssembler.Result.Fatal f -> {
                bye(f.message());
                return false;
            }
            case CommandAssembler.Result.Refused r -> writer.raw(r.tag()).sp().raw(r.response()).crlf();
            case CommandAssembler.Result.Complete c -> handle(ImapParser.parse(c.command()));
        }
        return true;
    }

    private void handle(ParsedLine line) throws IOException {
        switch (line) {
            case ParsedLine.Malformed m -> writer.tagged(m.tag(), "BAD", m.message());
            case ParsedLine.BadCharset b ->
                    writer.tagged(b.tag(), "NO", "[BADCHARSET (US-ASCII UTF-8)] unsupported charset");
            case ParsedLine.Command c -> dispatch(c.tag(), c.command());
        }
    }

    private void dispatch(String tag, ImapCommand command) throws IOException {
        if (!CommandTable.allowed(command, state)) {
            writer.tagged(tag, "BAD", command.name() + " not allowed now");
            return;
        }
        Reply reply;
        try {
            reply = run(tag, command);
        } catch (StoreException e) {
            reply = StoreReplies.of(e);
        } catch (IllegalArgumentException e) {
            reply = Reply.bad(oneLine(e.getMessage()));
        }
        if (state instanceof ImapState.Selected s) {
            if (s.folder().gone()) {
                bye("selected mailbox was deleted or renamed");
                state = new ImapState.Logout();
                return;
            }
            s.mailbox().awaitDeliveries();
            s.folder().announce(writer, CommandTable.expungeAllowed(command), condstore);
        }
        if (reply != null) { // null: the handler wrote its tagged reply itself (STARTTLS)
            writer.tagged(tag, reply.status(), reply.text());
        }
    }

    private Reply run(String tag, ImapCommand command) throws IOException {
        return switch (command) {
            case ImapCommand.Capability c -> SessionCommands.capability(this);
            case ImapCommand.Noop n -> Reply.ok("NOOP completed");
            case ImapCommand.Check c -> Reply.ok("CHECK completed");
            case ImapCommand.Logout l -> SessionCommands.logout(this);
            case ImapCommand.Id id -> SessionCommands.id(this, id);
            case ImapCommand.StartTls s -> SessionCommands.startTls(this, tag);
            case ImapCommand.Login l -> SessionCommands.login(this, l);
            case ImapCommand.Authenticate a -> SessionCommands.authenticate(this, a);
            case ImapCommand.Namespace n -> SessionCommands.namespace(this);
            case ImapCommand.Enable e -> SessionCommands.enable(this, e);
            case ImapCommand.Idle i -> IdleCommand.idle(this);
            case ImapCommand.Select s -> SelectCommands.select(this, s);
            case ImapCommand.Close c -> SelectCommands.close(this, c);
            case ImapCommand.Expunge e -> SelectCommands.expunge(this, e);
            case ImapCommand.Store s -> SelectCommands.store(this, s);
            case ImapCommand.Copy c -> SelectCommands.copy(this, c);
            case ImapCommand.Search s -> SearchCommand.search(this, s);
            case ImapCommand.Fetch f -> FetchCommand.fetch(this, f);
            case ImapCommand.Create c -> MailboxCommands.create(this, c);
            case ImapCommand.Delete d -> MailboxCommands.delete(this, d);
            case ImapCommand.Rename r -> MailboxCommands.rename(this, r);
            case ImapCommand.Subscribe s -> MailboxCommands.subscribe(this, s);
            case ImapCommand.ListMailboxes l -> MailboxCommands.list(this, l);
            case ImapCommand.Status s -> MailboxCommands.status(this, s);
            case ImapCommand.Append a -> MailboxCommands.append(this, a);
        };
    }

    /** {@code + text}, sent at once (the client waits for it). */
    void continuationRequest(String text) throws IOException {
        writer.raw("+ ").raw(text).crlf();
        writer.flush();
        connection.output().flush();
    }

    private void continuationRequest() throws IOException {
        continuationRequest("Ready for literal data");
    }

    private void bye(String text) {
        try {
            writer.raw("* BYE ").raw(text).crlf();
            writer.flush();
        } catch (IOException e) {
            log.debug("{}: could not say BYE: {}", connection, e.toString());
        }
    }

    /** Closes the selected folder and the mailbox, if any; idempotent. */
    void release() {
        switch (state) {
            case ImapState.Selected s -> {
                s.folder().close();
                s.mailbox().close();
            }
            case ImapState.Authenticated a -> a.mailbox().close();
            case ImapState.Proxied p -> p.backend().close();
            default -> { }
        }
        state = new ImapState.Logout();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "invalid arguments";
        }
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    Connection connection() {
        return connection;
    }

    ImapContext ctx() {
        return ctx;
    }

    ImapWriter writer() {
        return writer;
    }

    ImapState state() {
        return state;
    }

    void state(ImapState next) {
        state = next;
    }

    boolean condstore() {
        return condstore;
    }

    void enableCondstore() {
        condstore = true;
    }

    /** Hands our buffered bytes to the connection's output (which sends them before the next read blocks). */
    private static final class PassOn extends OutputStream {
        private final Connection connection;

        PassOn(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void write(int b) throws IOException {
            connection.output().write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            connection.output().write(b, off, len);
        }
    }
}
