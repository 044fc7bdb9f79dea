package org.clustermail.retrieval.pop3;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.LineTooLongException;
import org.clustermail.protocol.ReadTimeoutException;
import org.clustermail.protocol.ServerStoppingException;
import org.clustermail.protocol.sasl.SaslCredentials;
import org.clustermail.protocol.sasl.SaslExchange;
import org.clustermail.protocol.sasl.SaslStep;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.AccessProtocol;
import org.clustermail.retrieval.proxy.Relay;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.Mailbox;
import org.clustermail.store.StoreException;

/**
 * One POP3 connection: AUTHORIZATION (USER/PASS, AUTH PLAIN/LOGIN, STLS, CAPA), then TRANSACTION on the INBOX as it
 * was at login, holding the maildrop's exclusive lock; deletions are applied only at QUIT (UPDATE). A session that
 * ends any other way deletes nothing. Malformed commands get {@code -ERR} and the session goes on. A user whose
 * maildrop another node serves is logged in there after the password check, and the session is relayed to it.
 *
 * <p>Threading: runs on the connection's virtual thread only.
 */
final class Pop3Session {

    private static final int MAX_LINE = 2048;
    private static final String INBOX = "INBOX";

    private final Connection connection;
    private final Pop3Context ctx;
    private final OutputStream out;
    private Pop3State state = new Pop3State.Authorization(null);
    private final byte[] copyBuffer = new byte[64 * 1024];

    Pop3Session(Connection connection, Pop3Context ctx) {
        this.connection = connection;
        this.ctx = ctx;
        this.out = new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                connection.output().write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.output().write(b, off, len);
            }
        }, 64 * 1024);
    }

    void run() throws IOException {
        try {
            reply("+OK " + ctx.config().hostname() + " clustermail POP3 ready");
            while (!(state instanceof Pop3State.Done)) {
                out.flush();
                if (state instanceof Pop3State.Proxied proxied) {
                    new Relay(connection, proxied.backend(), "-ERR [SYS/TEMP] server shutting down").run();
                    break;
                }
                String line;
                try {
                    line = connection.input().readLine(MAX_LINE).text();
                } catch (LineTooLongException e) {
                    reply("-ERR line too long");
                    continue;
                }
                handle(line);
            }
            out.flush();
        } catch (ServerStoppingException e) {
            reply("-ERR [SYS/TEMP] server shutting down");
            out.flush();
        } catch (ReadTimeoutException | EOFException e) {
            // The client went away or went silent: nothing is deleted (RFC 1939 section 6).
        } finally {
            release();
        }
    }

    private void handle(String line) throws IOException {
        Pop3Command cmd;
        try {
            cmd = Pop3Parser.parse(line);
        } catch (Pop3SyntaxException e) {
            reply("-ERR " + e.getMessage());
            return;
        }
        try {
            switch (state) {
                case Pop3State.Authorization a -> authorization(a, cmd);
                case Pop3State.Transaction t -> Pop3Transaction.handle(this, t, cmd);
                case Pop3State.Proxied p -> { }
                case Pop3State.Done d -> { }
            }
        } catch (StoreException e) {
            reply(e.temporary() ? "-ERR [SYS/TEMP] mailbox temporarily unavailable" : "-ERR no such message");
        }
    }

    private void authorization(Pop3State.Authorization a, Pop3Command cmd) throws IOException {
        switch (cmd) {
            case Pop3Command.Capa c -> capa();
            case Pop3Command.Quit q -> {
                reply("+OK bye");
                state = new Pop3State.Done();
            }
            case Pop3Command.Stls s -> stls();
            case Pop3Command.User u -> {
                if (!ctx.logins().plaintextAllowed(connection)) {
                    reply("-ERR [AUTH] plain-text login needs STLS first");
                } else {
                    state = new Pop3State.Authorization(u.name());
                    reply("+OK send PASS");
                }
            }
            case Pop3Command.Pass p -> {
                if (a.user() == null) {
                    reply("-ERR USER first");
                } else {
                    login(a.user(), p.password().toCharArray());
                }
            }
            case Pop3Command.Auth auth -> auth(auth);
            default -> reply("-ERR not allowed before login");
        }
    }

    private void capa() throws IOException {
        StringBuilder b = new StringBuilder("+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                + "AUTH-RESP-CODE\r\nPIPELINING\r\nIMPLEMENTATION clustermail\r\n");
        if (state instanceof Pop3State.Authorization) {
            if (connection.canStartTls()) {
                b.append("STLS\r\n");
            }
            if (ctx.logins().plaintextAllowed(connection)) {
                b.append("USER\r\nSASL ").append(SaslExchange.MECHANISMS).append("\r\n");
            }
        }
        b.append('.');
        reply(b.toString());
    }

    private void stls() throws IOException {
        if (!connection.canStartTls()) {
            reply("-ERR TLS not available");
            return;
        }
        reply("+OK begin TLS negotiation");
        out.flush();
        connection.startTls();
        state = new Pop3State.Authorization(null);
    }

    private void auth(Pop3Command.Auth auth) throws IOException {
        if (auth.mechanism().isEmpty()) {
            reply("+OK\r\n" + SaslExchange.MECHANISMS.replace(' ', '\n').replace("\n", "\r\n") + "\r\n.");
            return;
        }
        if (!ctx.logins().plaintextAllowed(connection) && !fromClusterNode()) {
            reply("-ERR [AUTH] authentication needs STLS first");
            return;
        }
        Optional<SaslExchange> exchange = SaslExchange.start(auth.mechanism().get());
        if (exchange.isEmpty()) {
            reply("-ERR unsupported mechanism");
            return;
        }
        SaslStep step = exchange.get().begin(auth.initialResponse().orElse(null));
        while (step instanceof SaslStep.Challenge c) {
            reply("+ " + c.base64());
            out.flush();
            step = exchange.get().respond(connection.input().readLine(MAX_LINE).text());
        }
        switch (step) {
            case SaslStep.Complete done -> saslLogin(done.credentials());
            case SaslStep.Cancelled c -> reply("-ERR authentication cancelled");
            case SaslStep.Malformed m -> reply("-ERR malformed authentication data");
            case SaslStep.Challenge c -> throw new IllegalStateException("unreachable");
        }
    }

    private void saslLogin(SaslCredentials credentials) throws IOException {
        if (credentials.actsAsOther()) {
            proxiedHere(credentials);
            return;
        }
        if (!ctx.logins().plaintextAllowed(connection)) {
            Arrays.fill(credentials.password(), '\0');
            reply("-ERR [AUTH] authentication needs STLS first");
            return;
        }
        login(credentials.username(), credentials.password());
    }

    /** Whether the client is another node of the cluster, which logs users in with tickets (ADR 0013). */
    private boolean fromClusterNode() {
        return ctx.proxy().filter(p -> p.trusts(connection.remoteAddress().getAddress())).isPresent();
    }

    /** Another node relays a session of a user it has authenticated: open the maildrop here, never route again. */
    private void proxiedHere(SaslCredentials credentials) throws IOException {
        Optional<UserLocation> user = ctx.proxy().flatMap(p -> p.admit(AccessProtocol.POP3, credentials,
                connection.remoteAddress().getAddress()));
        Arrays.fill(credentials.password(), '\0');
        if (user.isEmpty()) {
            reply("-ERR [AUTH] acting as another user is not allowed");
        } else {
            openMaildrop(ctx.store().open(SessionRouting.owner(user.get())));
        }
    }

    private void login(String user, char[] password) throws IOException {
        AuthResult result = ctx.logins().authenticate(user, password, "pop3", connection);
        if (!(result instanceof AuthResult.Success ok)) {
            state = new Pop3State.Authorization(null);
            reply("-ERR [AUTH] authentication failed");
            return;
        }
        switch (ctx.routing().route(ok.user())) {
            case SessionRouting.Route.Remote r -> proxied(ok.user(), r.node());
            case SessionRouting.Route.Local local -> openMaildrop(ctx.store().open(local.owner()));
        }
    }

    /** Logs the user in on the node that serves the maildrop; the session then relays to it. */
    private void proxied(UserLocation user, NodeId node) throws IOException {
        if (ctx.proxy().isEmpty()) {
            state = new Pop3State.Authorization(null);
            reply("-ERR [SYS/TEMP] mailbox is served by " + node);
            return;
        }
        switch (ctx.proxy().get().open(AccessProtocol.POP3, user, node, ctx.routing())) {
            case SessionProxy.Outcome.Local local -> openMaildrop(ctx.store().open(local.owner()));
            case SessionProxy.Outcome.Relayed relayed -> {
                state = new Pop3State.Proxied(relayed.backend());
                reply(relayed.reply());
            }
            case SessionProxy.Outcome.Refused refused -> {
                state = new Pop3State.Authorization(null);
                reply(refused.reply());
            }
            case SessionProxy.Outcome.Unavailable u -> {
                state = new Pop3State.Authorization(null);
                reply("-ERR [SYS/TEMP] mailbox temporarily unavailable");
            }
        }
    }

    private void openMaildrop(Mailbox mailbox) throws IOException {
        Mailbox.Registration lock;
        try {
            lock = mailbox.lockExclusive();
        } catch (StoreException e) {
            mailbox.close();
            state = new Pop3State.Authorization(null);
            reply(e.reason() == StoreException.Reason.LOCKED ? "-ERR [IN-USE] maildrop is in use by another session"
                    : "-ERR [SYS/TEMP] mailbox temporarily unavailable");
            return;
        }
        FolderSnapshot maildrop = mailbox.snapshot(INBOX);
        state = new Pop3State.Transaction(mailbox, lock, maildrop, new BitSet());
        reply("+OK maildrop has " + maildrop.messages().size() + " messages");
    }

    /** Applies the deletions (UPDATE state) and ends the session. */
    void quit(Pop3State.Transaction t) throws IOException {
        List<Long> uids = t.deleted().stream().mapToObj(i -> t.maildrop().messages().get(i).uid()).toList();
        try {
            if (!uids.isEmpty()) {
                t.mailbox().storeFlags(INBOX, uids, org.clustermail.store.FlagOp.ADD,
                        org.clustermail.store.Flags.of(org.clustermail.store.SystemFlag.DELETED),
                        java.util.OptionalLong.empty());
                t.mailbox().expunge(INBOX, Optional.of(uids));
            }
            reply("+OK bye");
        } catch (StoreException e) {
            reply("-ERR [SYS/TEMP] some deleted messages were not removed");
        } finally {
            release();
        }
    }

    /** Sends a message (or its header and {@code bodyLines} lines) as a dot-stuffed multi-line response. */
    void sendMessage(Pop3State.Transaction t, int index, String firstLine, int bodyLines) throws IOException {
        try (InputStream in = t.mailbox().openMessage(INBOX, t.maildrop().messages().get(index).uid())) {
            reply(firstLine);
            DotStuffer.copy(in, out, bodyLines, copyBuffer);
        }
    }

    void reply(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** Releases the maildrop lock and the mailbox, if held; idempotent. */
    private void release() {
        if (state instanceof Pop3State.Transaction t) {
            t.lock().close();
            t.mailbox().close();
        } else if (state instanceof Pop3State.Proxied p) {
            p.backend().close();
        }
        state = new Pop3State.Done();
    }
}
