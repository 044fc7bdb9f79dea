package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.sasl.SaslCredentials;
import org.clustermail.protocol.sasl.SaslExchange;
import org.clustermail.protocol.sasl.SaslStep;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.retrieval.proxy.AccessProtocol;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailboxOwner;

/**
 * The commands about the session itself: CAPABILITY, LOGOUT, ID, STARTTLS, LOGIN, AUTHENTICATE, NAMESPACE, ENABLE.
 * Stateless; state lives in the {@link ImapSession}.
 */
final class SessionCommands {

    private static final String COMMON = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT"
            + " CHILDREN SPECIAL-USE CONDSTORE";

    private SessionCommands() {
    }

    static String capabilities(ImapSession s) {
        StringBuilder b = new StringBuilder(COMMON);
        if (s.state() instanceof ImapState.NotAuthenticated) {
            if (s.connection().canStartTls()) {
                b.append(" STARTTLS");
            }
            if (s.ctx().logins().plaintextAllowed(s.connection())) {
                b.append(" AUTH=PLAIN AUTH=LOGIN");
            } else {
                b.append(" LOGINDISABLED");
            }
        }
        return b.toString();
    }

    static Reply capability(ImapSession s) throws IOException {
        s.writer().untagged("CAPABILITY " + capabilities(s));
        return Reply.ok("CAPABILITY completed");
    }

    static Reply logout(ImapSession s) throws IOException {
        s.writer().untagged("BYE logging out");
        s.release();
        return Reply.ok("LOGOUT completed");
    }

    static Reply id(ImapSession s, ImapCommand.Id id) throws IOException {
        s.writer().untagged("ID (\"name\" \"clustermail\" \"vendor\" \"clustermail\")");
        return Reply.ok("ID completed");
    }

    static Reply namespace(ImapSession s) throws IOException {
        s.writer().untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Reply.ok("NAMESPACE completed");
    }

    static Reply enable(ImapSession s, ImapCommand.Enable e) throws IOException {
        StringBuilder enabled = new StringBuilder("ENABLED");
        if (e.capabilities().contains("CONDSTORE")) {
            s.enableCondstore();
            enabled.append(" CONDSTORE");
        }
        s.writer().untagged(enabled.toString());
        return Reply.ok("ENABLE completed");
    }

    static Reply startTls(ImapSession s, String tag) throws IOException {
        if (!s.connection().canStartTls()) {
            return Reply.no("TLS is not available");
        }
        // The tagged OK must go out in plain text before the handshake; the session writes nothing else after it.
        s.writer().tagged(tag, "OK", "begin TLS negotiation now");
        s.writer().flush();
        s.connection().startTls();
        return null;
    }

    static Reply login(ImapSession s, ImapCommand.Login l) throws IOException {
        if (!s.ctx().logins().plaintextAllowed(s.connection())) {
            return Reply.no("[PRIVACYREQUIRED] use STARTTLS first");
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(l.password()));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        return complete(s, l.user(), password);
    }

    static Reply authenticate(ImapSession s, ImapCommand.Authenticate a) throws IOException {
        if (!s.ctx().logins().plaintextAllowed(s.connection()) && !fromClusterNode(s)) {
            return Reply.no("[PRIVACYREQUIRED] use STARTTLS first");
        }
        Optional<SaslExchange> exchange = SaslExchange.start(a.mechanism());
        if (exchange.isEmpty()) {
            return Reply.no("unsupported authentication mechanism");
        }
        SaslStep step = exchange.get().begin(a.initialResponse().orElse(null));
        while (step instanceof SaslStep.Challenge c) {
            s.continuationRequest(c.base64());
            String answer = s.connection().input().readLine(s.ctx().config().maxLine()).text();
            step = exchange.get().respond(answer);
        }
        return switch (step) {
            case SaslStep.Complete done -> completeSasl(s, done.credentials());
            case SaslStep.Cancelled c -> Reply.bad("AUTHENTICATE cancelled");
            case SaslStep.Malformed m -> Reply.bad("malformed authentication data: " + m.reason());
            case SaslStep.Challenge c -> throw new IllegalStateException("unreachable");
        };
    }

    private static Reply completeSasl(ImapSession s, SaslCredentials credentials) throws IOException {
        if (credentials.actsAsOther()) {
            return proxiedHere(s, credentials);
        }
        if (!s.ctx().logins().plaintextAllowed(s.connection())) {
            Arrays.fill(credentials.password(), '\0');
            return Reply.no("[PRIVACYREQUIRED] use STARTTLS first");
        }
        return complete(s, credentials.username(), credentials.password());
    }

    /** Whether the client is another node of the cluster, which logs users in with tickets (ADR 0013). */
    private static boolean fromClusterNode(ImapSession s) {
        return s.ctx().proxy().filter(p -> p.trusts(s.connection().remoteAddress().getAddress())).isPresent();
    }

    /** Another node relays a session of a user it has authenticated: open the mailbox here, never route again. */
    private static Reply proxiedHere(ImapSession s, SaslCredentials credentials) {
        Optional<UserLocation> user = s.ctx().proxy().flatMap(p -> p.admit(AccessProtocol.IMAP, credentials,
                s.connection().remoteAddress().getAddress()));
        Arrays.fill(credentials.password(), '\0');
        if (user.isEmpty()) {
            return Reply.no("[AUTHORIZATIONFAILED] acting as another user is not allowed");
        }
        return openHere(s, user.get(), SessionRouting.owner(user.get()));
    }

    private static Reply complete(ImapSession s, String login, char[] password) throws IOException {
        AuthResult result = s.ctx().logins().authenticate(login, password, "imap", s.connection());
        if (!(result instanceof AuthResult.Success ok)) {
            return Reply.no("[AUTHENTICATIONFAILED] authentication failed");
        }
        return switch (s.ctx().routing().route(ok.user())) {
            case SessionRouting.Route.Local local -> openHere(s, ok.user(), local.owner());
            case SessionRouting.Route.Remote remote -> proxied(s, ok.user(), remote.node());
        };
    }

    private static Reply openHere(ImapSession s, UserLocation user, MailboxOwner owner) {
        s.state(new ImapState.Authenticated(user, s.ctx().store().open(owner)));
        return Reply.ok("[CAPABILITY " + capabilities(s) + "] logged in");
    }

    /** Logs the user in on the node that serves the mailbox; the session then relays to it. */
    private static Reply proxied(ImapSession s, UserLocation user, NodeId node) {
        if (s.ctx().proxy().isEmpty()) {
            return Reply.no("[UNAVAILABLE] mailbox is served by " + node + "; connect there");
        }
        return switch (s.ctx().proxy().get().open(AccessProtocol.IMAP, user, node, s.ctx().routing())) {
            case SessionProxy.Outcome.Local local -> openHere(s, user, local.owner());
            case SessionProxy.Outcome.Relayed relayed -> {
                s.state(new ImapState.Proxied(relayed.backend()));
                yield Reply.ok(relayed.reply());
            }
            case SessionProxy.Outcome.Refused refused -> Reply.no(refused.reply());
            case SessionProxy.Outcome.Unavailable u -> Reply.no("[UNAVAILABLE] mailbox temporarily unavailable");
        };
    }
}
