package org.clustermail.retrieval.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.clustermail.directory.Directory;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.sasl.SaslCredentials;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.store.MailboxOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions served by another node (ADR 0013), both halves. As the front, after this node has checked the user's
 * password, {@link #open} connects to the node that serves the mailbox, logs the user in there with a one-time
 * {@link ProxyTickets ticket}, and hands back the connection for the {@link Relay}. As the serving node,
 * {@link #admit} checks such a ticket login from another node.
 *
 * <p>A node that cannot be reached is reported to {@code unreachable} (the cluster marks it down) and the session
 * is routed once more, so a user whose primary has just died is served by the secondary without noticing.
 * Thread-safe; one per node.
 */
public final class SessionProxy {

    private static final Logger log = LoggerFactory.getLogger(SessionProxy.class);

    private final ProxyConfig config;
    private final ProxyTickets tickets;
    private final Directory directory;
    private final Consumer<NodeId> unreachable;

    public SessionProxy(ProxyConfig config, String secret, Directory directory, Consumer<NodeId> unreachable) {
        this.config = config;
        this.tickets = new ProxyTickets(secret, Clock.systemUTC());
        this.directory = directory;
        this.unreachable = unreachable;
    }

    /** Where a proxied login ended up. */
    public sealed interface Outcome {
        /** Routed again after a node was unreachable, the mailbox turned out to be served here. */
        record Local(MailboxOwner owner) implements Outcome {
        }

        /** Logged in on {@code backend}'s node; {@code reply} is what to tell the client (see BackendLogin). */
        record Relayed(BackendConnection backend, String reply) implements Outcome {
        }

        /** The serving node refused the session for a reason of the user's (e.g. POP3 maildrop in use). */
        record Refused(String reply) implements Outcome {
        }

        /** No node could serve the session now. */
        record Unavailable(String reason) implements Outcome {
        }
    }

    /**
     * Opens {@code user}'s session on {@code node}; if that node cannot be reached, routes once more.
     *
     * @param user a user this node has just authenticated
     */
    public Outcome open(AccessProtocol protocol, UserLocation user, NodeId node, SessionRouting routing) {
        Outcome first = connect(protocol, user, node);
        if (!(first instanceof Outcome.Unavailable)) {
            return first;
        }
        return switch (routing.route(user)) {
            case SessionRouting.Route.Local local -> new Outcome.Local(local.owner());
            case SessionRouting.Route.Remote other when !other.node().equals(node) ->
                    connect(protocol, user, other.node());
            case SessionRouting.Route.Remote same -> first;
        };
    }

    private Outcome connect(AccessProtocol protocol, UserLocation user, NodeId node) {
        BackendConnection backend;
        try {
            backend = BackendConnection.open(node, config.listener(protocol, node), config.connectTimeout(),
                    config.replyTimeout());
        } catch (IllegalArgumentException e) {
            log.error("{} of {}: {}", protocol.id(), user.address(), e.getMessage());
            return new Outcome.Unavailable(node + " is not in this node's cluster list");
        } catch (IOException e) {
            log.warn("{} of {}: {} unreachable: {}", protocol.id(), user.address(), node, e.toString());
            unreachable.accept(node);
            return new Outcome.Unavailable(node + " unreachable");
        }
        try {
            String ticket = tickets.issue(protocol, config.self(), node, user.address().toString());
            String plain = BackendLogin.plain(user.address().toString(), ProxyTickets.identity(config.self()), ticket);
            BackendLogin.Answer answer = BackendLogin.login(protocol, backend, plain);
            switch (answer) {
                case BackendLogin.Answer.Accepted a -> {
                    log.debug("{} of {} proxied to {}", protocol.id(), user.address(), node);
                    return new Outcome.Relayed(backend, a.reply());
                }
                case BackendLogin.Answer.Refused r -> {
                    backend.close();
                    return new Outcome.Refused(r.reply());
                }
                case BackendLogin.Answer.Failed f -> {
                    log.error("{} of {}: {} {} (is retrieval.proxy.secret the same on every node?)", protocol.id(),
                            user.address(), node, f.reason());
                    backend.close();
                    return new Outcome.Unavailable(node + " did not take the session");
                }
            }
        } catch (IOException e) {
            log.warn("{} of {}: login on {} failed: {}", protocol.id(), user.address(), node, e.toString());
            backend.close();
            return new Outcome.Unavailable(node + " did not answer");
        }
    }

    /** Whether {@code peer} is a cluster node, which may log users in with a ticket (in plain text). */
    public boolean trusts(InetAddress peer) {
        return config.clusterPeers().contains(peer);
    }

    /**
     * The user a ticket login from another node opens a session for: the credentials name the front node as
     * authentication identity and carry a valid ticket for this node, the connection comes from a cluster node,
     * and this node is the user's primary or secondary (so a proxied session never hops again). Empty otherwise;
     * the password array is cleared.
     */
    public Optional<UserLocation> admit(AccessProtocol protocol, SaslCredentials credentials, InetAddress peer) {
        try {
            Optional<NodeId> front = ProxyTickets.node(credentials.username());
            if (front.isEmpty() || !trusts(peer)) {
                log.warn("{}: refused a proxy login as {} from {}", protocol.id(), credentials.username(), peer);
                return Optional.empty();
            }
            Optional<UserLocation> user = locate(credentials.authorizationId());
            if (user.isEmpty() || !tickets.accept(protocol, front.get(), config.self(),
                    user.get().address().toString(), new String(credentials.password()))) {
                log.warn("{}: refused a ticket of {} from {} for {}", protocol.id(), front.get(), peer,
                        credentials.authorizationId());
                return Optional.empty();
            }
            UserLocation u = user.get();
            boolean servedHere = u.primary().equals(config.self()) || u.secondary().filter(config.self()::equals)
                    .isPresent();
            return servedHere && u.active() ? user : Optional.empty();
        } finally {
            java.util.Arrays.fill(credentials.password(), '\0');
        }
    }

    private Optional<UserLocation> locate(String address) {
        try {
            return directory.locate(MailAddress.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
