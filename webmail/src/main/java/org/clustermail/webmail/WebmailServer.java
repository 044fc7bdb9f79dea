package org.clustermail.webmail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.Recipient;
import org.clustermail.delivery.RecipientCheck;
import org.clustermail.store.MessageContent;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.Directory;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.AccessProtocol;
import org.clustermail.retrieval.proxy.ProxyTickets;
import org.clustermail.store.FlagOp;
import org.clustermail.store.Flags;
import org.clustermail.store.FolderInfo;
import org.clustermail.store.FolderStatus;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageSummary;
import org.clustermail.store.SortKey;
import org.clustermail.store.StoreException;
import org.clustermail.store.SummaryPage;
import org.clustermail.store.SystemFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web-mail on one node, over HTTPS with the node's certificate: log in, the folders with their unread counts, a
 * folder's messages newest first (from the message-info summaries, never the message files), a search of them, a
 * message with its HTML sanitised ({@link MessageView}), attachments as downloads, moving to Trash and deleting,
 * writing and replying to users of the cluster ({@link Composer}, through the node's delivery like any SMTP message;
 * no relay), log out.
 *
 * <p>Where a mailbox is served (the paper's retrieval from the owner node): a user who logs in here is served here
 * when this node holds the mailbox (its primary, or its secondary while the primary is down), exactly as for IMAP and
 * POP3 ({@link SessionRouting}). Otherwise the browser is redirected to the node that holds it with a one-time ticket
 * (the cluster's proxy secret, ADR 0013), which logs it in there without the password; without a secret the user is
 * told which node to use.
 *
 * <p>Security: passwords are checked by the directory (logon history, lockout) with protocol {@code web}; the session
 * cookie is {@code HttpOnly; Secure; SameSite=Strict}; every form carries the session's CSRF token; every page says
 * {@code Content-Security-Policy: default-src 'none'} (no script at all), {@code no-store} and {@code nosniff}.
 * Threading: one virtual thread per request; thread-safe.
 */
public final class WebmailServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebmailServer.class);
    private static final int PAGE_SIZE = 50;
    private static final AtomicLong SENT = new AtomicLong(System.currentTimeMillis());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final String TRASH = "Trash";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    static {
        // The JDK server has no request deadline by default: a client sending a header a byte a minute would hold a
        // thread for ever. These settings are read once, when the process makes its first HTTP server.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "120");
        }
        // It writes a response's head and body separately: with Nagle's algorithm on, the body waits for the
        // client's delayed ACK of the head, 40 ms a page (measured: every page took 44-63 ms, now a few).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Unbounded by default: cap the connections, as every other listener of the node is capped.
        if (System.getProperty("jdk.httpserver.maxConnections") == null) {
            System.setProperty("jdk.httpserver.maxConnections", "1000");
        }
    }

    /**
     * @param self        this node
     * @param nodeName    the node's host name, shown on every page
     * @param host        the address to listen on
     * @param port        the port (0: any free one)
     * @param peers       the web-mail base URL of every other node, for the redirect to the node holding a mailbox
     * @param sessionIdle how long a session may go unused
     */
    public record Settings(NodeId self, String nodeName, String host, int port, Map<NodeId, URI> peers,
                           Duration sessionIdle) {
        public Settings {
            peers = Map.copyOf(peers);
        }
    }

    private final Settings settings;
    private final SSLContext tls;
    private final Directory directory;
    private final MailStore store;
    private final MailDelivery delivery;
    private final SessionRouting routing;
    private final Optional<ProxyTickets> tickets;
    private final Consumer<NodeId> markDown;
    private final WebSessions sessions;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final String cookieName;
    /** No script at all; forms post here, and the login's redirect may lead to another node (a form action). */
    private final String contentSecurityPolicy;
    private HttpsServer server;
    private ExecutorService executor;

    /**
     * @param delivery the node's delivery, for messages written in the browser (to users of the cluster only)
     * @param markDown told when a node that should serve a mailbox does not take connections, so that the routing
     *                 sends its users to their secondary from then on (the cluster's health view)
     */
    public WebmailServer(Settings settings, SSLContext tls, Directory directory, MailStore store,
                         MailDelivery delivery, SessionRouting routing, Optional<ProxyTickets> tickets,
                         Consumer<NodeId> markDown) {
        this.settings = settings;
        this.tls = tls;
        this.directory = directory;
        this.store = store;
        this.delivery = delivery;
        this.routing = routing;
        this.tickets = tickets;
        this.markDown = markDown;
        this.sessions = new WebSessions(settings.sessionIdle(), Clock.systemUTC());
        // One cookie name per node: browsers keep cookies per host, not per port, and local clusters share a host.
        this.cookieName = "clustermail_" + settings.self().directoryName();
        StringBuilder formTargets = new StringBuilder("'self'");
        settings.peers().values().stream().map(u -> u.getScheme() + "://" + u.getRawAuthority()).sorted().distinct()
                .forEach(origin -> formTargets.append(' ').append(origin));
        this.contentSecurityPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; form-action "
                + formTargets + "; frame-ancestors 'none'; base-uri 'none'";
    }

    public void start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(settings.host(), settings.port()), 100);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("web-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(1);
            executor.shutdownNow();
        }
    }

    // ---- dispatch ------------------------------------------------------------------------------------------------

    private record Response(int status, Map<String, String> headers, byte[] body, String contentType) {
        static Response redirect(String location) {
            return new Response(303, Map.of("Location", location), new byte[0], "text/plain; charset=utf-8");
        }

        Response with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Response(status, h, body, contentType);
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            Response r;
            try {
                r = dispatch(WebRequest.read(ex));
            } catch (WebRequest.BadRequest e) {
                r = error(null, e.status, e.getMessage());
            } catch (StoreException e) {
                r = storeError(e);
            } catch (RuntimeException | IOException e) {
                log.warn("web-mail request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                r = error(null, 500, "Something went wrong on our side; please try again.");
            }
            send(ex, r);
        } catch (IOException e) {
            log.debug("web-mail client went away: {}", e.getMessage());
        }
    }

    private Response dispatch(WebRequest r) throws IOException, WebRequest.BadRequest {
        String method = r.method();
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        if (post && !r.sameOrigin()) {
            return error(null, 403, "This form was not sent from one of our pages.");
        }
        return switch (r.path()) {
            case "/style.css" -> get ? new Response(200, Map.of("Cache-Control", "max-age=3600"),
                    Style.CSS.getBytes(StandardCharsets.UTF_8), "text/css; charset=utf-8") : notAllowed("GET");
            case "/" -> get ? home(r) : notAllowed("GET");
            case "/login" -> post ? login(r) : get ? Response.redirect("/") : notAllowed("POST");
            case "/ticket" -> get ? ticket(r) : notAllowed("GET");
            case "/logout" -> post ? withSession(r, true, s -> logout(s)) : notAllowed("POST");
            case "/mail" -> get ? withSession(r, false, s -> folder(r, s)) : notAllowed("GET");
            case "/message" -> get ? withSession(r, false, s -> message(r, s)) : notAllowed("GET");
            case "/attachment" -> get ? withSession(r, false, s -> attachment(r, s)) : notAllowed("GET");
            case "/delete" -> post ? withSession(r, true, s -> delete(r, s)) : notAllowed("POST");
            case "/compose" -> get ? withSession(r, false, s -> compose(r, s)) : notAllowed("GET");
            case "/send" -> post ? withSession(r, true, s -> send(r, s)) : notAllowed("POST");
            default -> error(null, 404, "There is no such page.");
        };
    }

    @FunctionalInterface
    private interface SessionHandler {
        Response handle(WebSessions.Session session) throws IOException, WebRequest.BadRequest;
    }

    /** Runs a handler for a logged-in browser; a form must also carry the session's CSRF token. */
    private Response withSession(WebRequest r, boolean form, SessionHandler handler)
            throws IOException, WebRequest.BadRequest {
        Optional<WebSessions.Session> session = sessions.find(r.cookie(cookieName).orElse(null));
        if (session.isEmpty()) {
            return Response.redirect("/");
        }
        if (form && !session.get().csrfMatches(r.form("csrf").orElse(null))) {
            return error(session.get(), 403, "This form has expired or did not come from this page; go back and "
                    + "try again.");
        }
        return handler.handle(session.get());
    }

    // ---- logging in and out --------------------------------------------------------------------------------------

    private Response home(WebRequest r) {
        if (sessions.find(r.cookie(cookieName).orElse(null)).isPresent()) {
            return Response.redirect("/mail");
        }
        return loginPage(200, "", null);
    }

    private Response loginPage(int status, String login, String error) {
        return page(status, "login.jte", new Pages.Login(frame("Log in", null), login, error));
    }

    private Response login(WebRequest r) {
        String login = r.form("user").orElse("").trim();
        String password = r.form("password").orElse("");
        if (login.isEmpty() || password.isEmpty()) {
            return loginPage(400, login, "Enter your address and your password.");
        }
        AuthResult result = directory.authenticate(login, password.toCharArray(),
                new LogonContext(AccessProtocol.WEB.id(), r.remoteAddress()));
        return switch (result) {
            case AuthResult.Failure f -> loginPage(401, login, "Wrong address or password.");
            case AuthResult.LockedOut l -> loginPage(429, login, "Too many failed logins: try again in "
                    + Math.max(1, l.retryAfter().toMinutes()) + " minute(s).")
                    .with("Retry-After", Long.toString(Math.max(1, l.retryAfter().toSeconds())));
            case AuthResult.Success s -> startSession(s.user(), login);
        };
    }

    /**
     * Logs a user in here, or sends the browser to the node that holds the mailbox. That node is tried first (a TCP
     * connect, as the IMAP proxy does): a dead one is found out here, not by the user's browser, and its users are
     * routed to their secondary at once.
     */
    private Response startSession(UserLocation user, String login) {
        String address = user.address().toString();
        return switch (checkedRoute(user)) {
            case SessionRouting.Route.Local local -> {
                WebSessions.Session s = sessions.create(address, local.owner());
                yield Response.redirect("/mail").with("Set-Cookie", cookieName + "=" + s.token()
                        + "; Path=/; HttpOnly; Secure; SameSite=Strict");
            }
            case SessionRouting.Route.Remote remote -> {
                URI there = settings.peers().get(remote.node());
                if (tickets.isEmpty() || there == null) {
                    yield loginPage(503, login, "Your mailbox is served by " + remote.node() + (there == null ? ""
                            : " (" + there + ")") + "; log in there.");
                }
                String ticket = tickets.get().issue(AccessProtocol.WEB, settings.self(), remote.node(), address);
                yield Response.redirect(there.resolve("/ticket") + "?user=" + enc(address) + "&from="
                        + enc(ProxyTickets.identity(settings.self())) + "&t=" + enc(ticket));
            }
        };
    }

    /** Where the user is served, after a connect to the node named, if another: a dead one is routed around. */
    private SessionRouting.Route checkedRoute(UserLocation user) {
        SessionRouting.Route route = routing.route(user);
        if (route instanceof SessionRouting.Route.Remote remote && settings.peers().containsKey(remote.node())
                && !reachable(settings.peers().get(remote.node()))) {
            markDown.accept(remote.node());
            route = routing.route(user);
        }
        return route;
    }

    private static boolean reachable(URI node) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(node.getHost(), node.getPort()), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The second half of the redirect: a front node vouches for the user with a one-time ticket. */
    private Response ticket(WebRequest r) {
        Optional<NodeId> from = r.query("from").flatMap(ProxyTickets::node);
        Optional<String> user = r.query("user");
        Optional<String> ticket = r.query("t");
        if (tickets.isEmpty() || from.isEmpty() || user.isEmpty() || ticket.isEmpty()
                || !tickets.get().accept(AccessProtocol.WEB, from.get(), settings.self(), user.get(), ticket.get())) {
            return error(null, 403, "This login link is not valid (used already, expired or not ours). Log in "
                    + "again.");
        }
        Optional<UserLocation> location;
        try {
            location = directory.locate(MailAddress.parse(user.get()));
        } catch (IllegalArgumentException e) {
            location = Optional.empty();
        }
        if (location.isEmpty()) {
            return error(null, 403, "This account no longer exists.");
        }
        if (checkedRoute(location.get()) instanceof SessionRouting.Route.Remote) {
            return error(null, 503, "Your mailbox has just moved to another node; log in again.");
        }
        return startSession(location.get(), user.get());
    }

    private Response logout(WebSessions.Session s) {
        sessions.remove(s.token());
        return Response.redirect("/").with("Set-Cookie", cookieName
                + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /**
     * A page of a folder, newest first; with {@code q}, only the messages whose sender, recipients, subject or first
     * lines contain it (case-insensitively, from the summaries in memory: no message file is read).
     */
    private Response folder(WebRequest r, WebSessions.Session s) throws WebRequest.BadRequest {
        String folder = r.query("folder").orElse(Mailbox.INBOX);
        String query = Composer.oneLine(r.query("q").orElse(""));
        int pageNo = (int) WebRequest.number(r.query("page"), 0, 0, 1_000_000, "page number");
        try (Mailbox mb = store.open(s.owner())) {
            mb.awaitDeliveries(); // what was acknowledged to its sender is on the page
            SummaryPage p = query.isEmpty() ? mb.list(folder, SortKey.DATE, true, pageNo * PAGE_SIZE, PAGE_SIZE)
                    : mb.search(folder, query, pageNo * PAGE_SIZE, PAGE_SIZE);
            List<Pages.Row> rows = new ArrayList<>();
            for (MessageSummary m : p.summaries()) {
                rows.add(new Pages.Row(messageHref(folder, m.uid()), m.from(), m.subject(), m.preview(),
                        DATE.format(m.sortDate()), size(m.size()), m.flags().system().contains(SystemFlag.SEEN),
                        m.hasAttachments()));
            }
            int from = p.total() == 0 ? 0 : p.offset() + 1;
            String range = p.total() == 0 ? "" : from + "–" + (p.offset() + rows.size()) + " of " + p.total()
                    + (query.isEmpty() ? "" : " matching “" + query + "”");
            String newer = pageNo > 0 ? folderHref(folder, query, pageNo - 1) : null;
            String older = p.offset() + rows.size() < p.total() ? folderHref(folder, query, pageNo + 1) : null;
            return page(200, "mailbox.jte", new Pages.Mailbox(frame(folder, s), folders(mb, folder), folder, query,
                    rows, range, newer, older));
        }
    }

    private Response message(WebRequest r, WebSessions.Session s) throws IOException, WebRequest.BadRequest {
        String folder = r.query("folder").orElse(Mailbox.INBOX);
        long uid = WebRequest.number(r.query("uid"), -1, 1, Long.MAX_VALUE, "message number");
        try (Mailbox mb = store.open(s.owner())) {
            mb.awaitDeliveries();
            Optional<MessageSummary> summary = mb.summary(folder, uid);
            if (summary.isEmpty()) {
                return error(s, 404, "There is no such message (it may have been deleted).");
            }
            MessageSummary m = summary.get();
            MessageView.Rendered view;
            try (InputStream in = mb.openMessage(folder, uid)) {
                view = MessageView.render(in);
            }
            if (!m.flags().system().contains(SystemFlag.SEEN)) {
                mb.storeFlags(folder, List.of(uid), FlagOp.ADD, Flags.of(SystemFlag.SEEN), OptionalLong.empty());
            }
            List<Pages.AttachmentLink> links = new ArrayList<>();
            for (MessageView.Attachment a : view.attachments()) {
                links.add(new Pages.AttachmentLink("/attachment?folder=" + enc(folder) + "&uid=" + uid + "&n="
                        + a.index(), a.filename(), a.mimeType(), size(a.size())));
            }
            return page(200, "message.jte", new Pages.Message(frame(m.subject().isEmpty() ? "(no subject)"
                    : m.subject(), s), folders(mb, folder), folder, uid, m.from(), m.to(), m.cc(), m.subject(),
                    DATE.format(m.sortDate()), view.html(), view.fromHtml(), links, folderHref(folder, 0),
                    "/compose?folder=" + enc(folder) + "&uid=" + uid, folder.equals(TRASH)));
        }
    }

    private Response attachment(WebRequest r, WebSessions.Session s) throws IOException, WebRequest.BadRequest {
        String folder = r.query("folder").orElse(Mailbox.INBOX);
        long uid = WebRequest.number(r.query("uid"), -1, 1, Long.MAX_VALUE, "message number");
        int n = (int) WebRequest.number(r.query("n"), -1, 0, 10_000, "attachment number");
        try (Mailbox mb = store.open(s.owner())) {
            if (mb.summary(folder, uid).isEmpty()) {
                return error(s, 404, "There is no such message (it may have been deleted).");
            }
            Optional<MessageView.Download> d;
            try (InputStream in = mb.openMessage(folder, uid)) {
                d = MessageView.attachment(in, n);
            }
            if (d.isEmpty()) {
                return error(s, 404, "There is no such attachment.");
            }
            // Always a download, never shown inline: an attached HTML file must not run as one of our pages.
            String ascii = d.get().filename().replaceAll("[^A-Za-z0-9._ -]", "_");
            return new Response(200, Map.of("Content-Disposition", "attachment; filename=\"" + ascii
                    + "\"; filename*=UTF-8''" + enc(d.get().filename()).replace("+", "%20")), d.get().content(),
                    "application/octet-stream");
        }
    }

    // ---- changing ------------------------------------------------------------------------------------------------

    private Response delete(WebRequest r, WebSessions.Session s) throws WebRequest.BadRequest {
        String folder = r.form("folder").orElse(Mailbox.INBOX);
        long uid = WebRequest.number(r.form("uid"), -1, 1, Long.MAX_VALUE, "message number");
        try (Mailbox mb = store.open(s.owner())) {
            if (mb.summary(folder, uid).isEmpty()) {
                return error(s, 404, "There is no such message (it may have been deleted).");
            }
            if (folder.equals(TRASH)) {
                mb.storeFlags(folder, List.of(uid), FlagOp.ADD, Flags.of(SystemFlag.DELETED), OptionalLong.empty());
                mb.expunge(folder, Optional.of(List.of(uid)));
            } else {
                mb.move(folder, List.of(uid), TRASH);
            }
        }
        return Response.redirect(folderHref(folder, 0));
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /** The form for a new message; with {@code folder} and {@code uid}, a reply to that message. */
    private Response compose(WebRequest r, WebSessions.Session s) throws WebRequest.BadRequest {
        String to = "";
        String subject = "";
        String inReplyTo = "";
        try (Mailbox mb = store.open(s.owner())) {
            if (r.query("uid").isPresent()) {
                String folder = r.query("folder").orElse(Mailbox.INBOX);
                long uid = WebRequest.number(r.query("uid"), -1, 1, Long.MAX_VALUE, "message number");
                Optional<MessageSummary> m = mb.summary(folder, uid);
                if (m.isEmpty()) {
                    return error(s, 404, "There is no such message (it may have been deleted).");
                }
                to = senderAddress(m.get().from());
                subject = m.get().subject().regionMatches(true, 0, "Re:", 0, 3) ? m.get().subject()
                        : "Re: " + m.get().subject();
                inReplyTo = m.get().messageId();
            }
            return composePage(200, s, mb, to, subject, "", inReplyTo, null);
        }
    }

    /**
     * Sends what the user wrote to users of the cluster: every address is checked as an SMTP RCPT would be (unknown,
     * disabled and other domains refused: no relay, nothing sent), then the node's delivery stores each copy where
     * its owner reads it; a copy goes to Sent once any recipient has the message.
     */
    private Response send(WebRequest r, WebSessions.Session s) {
        String toField = r.form("to").orElse("");
        String subject = r.form("subject").orElse("");
        String body = r.form("body").orElse("");
        String inReplyTo = r.form("inReplyTo").orElse("");
        try (Mailbox mb = store.open(s.owner())) {
            List<MailAddress> to;
            try {
                to = Composer.recipients(toField);
            } catch (IllegalArgumentException e) {
                return composePage(400, s, mb, toField, subject, body, inReplyTo, "Check the recipients: "
                        + e.getMessage() + ".");
            }
            List<Recipient> accepted = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            boolean temporary = false;
            for (MailAddress a : to) {
                switch (delivery.check(a.toString())) {
                    case RecipientCheck.Accepted ok -> accepted.add(ok.recipient());
                    case RecipientCheck.UnknownUser u -> refused.add(a + ": no such user");
                    case RecipientCheck.Disabled d -> refused.add(a + ": mailbox disabled");
                    case RecipientCheck.NotLocal n -> refused.add(a + ": mail to other domains cannot be sent from "
                            + "here");
                    case RecipientCheck.Unavailable u -> {
                        refused.add(a + ": the directory is not answering, try again");
                        temporary = true;
                    }
                }
            }
            if (!refused.isEmpty()) {
                return composePage(temporary ? 503 : 400, s, mb, toField, subject, body, inReplyTo,
                        "Not sent. " + String.join("; ", refused) + ".");
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            String traceId = "web." + settings.self().directoryName() + "." + Long.toString(SENT.incrementAndGet(), 36);
            byte[] message = Composer.message(MailAddress.parse(s.user()), to, subject, body, settings.nodeName(),
                    r.remoteAddress(), traceId, WebSessions.randomToken() + "@" + settings.nodeName(),
                    Optional.of(inReplyTo).filter(x -> !x.isBlank()), now);
            List<DeliveryOutcome> outcomes = delivery.deliver(new Envelope(traceId, s.user(), accepted,
                    now.toInstant(), Duration.ZERO), MessageContent.ofBytes(message));
            List<String> failed = new ArrayList<>();
            for (DeliveryOutcome o : outcomes) {
                if (o instanceof DeliveryOutcome.Failed f) {
                    failed.add(f.recipient().toString());
                }
            }
            if (failed.size() < outcomes.size()) {
                mb.append("Sent", MessageContent.ofBytes(message), Flags.of(SystemFlag.SEEN), now.toInstant());
            }
            if (!failed.isEmpty()) {
                log.warn("web-mail {} from {}: not delivered to {}", traceId, s.user(), failed);
                return composePage(503, s, mb, String.join(", ", failed), subject, body, inReplyTo,
                        (failed.size() == outcomes.size() ? "Not sent" : "Sent to the others, but not")
                                + " to " + String.join(", ", failed) + ": their mailbox is unavailable just now. "
                                + "Send again in a moment.");
            }
            log.info("web-mail {} from {} to {} recipient(s)", traceId, s.user(), accepted.size());
            return Response.redirect(folderHref("Sent", 0));
        }
    }

    private Response composePage(int status, WebSessions.Session s, Mailbox mb, String to, String subject,
                                 String body, String inReplyTo, String error) {
        return page(status, "compose.jte", new Pages.Compose(frame("New message", s), folders(mb, ""), to, subject,
                body, inReplyTo, error));
    }

    /** The address in a From header as the summary holds it ({@code Name <a@b>} or {@code a@b}); else empty. */
    private static String senderAddress(String from) {
        try {
            return DefaultAddressParser.DEFAULT.parseMailbox(from).getAddress();
        } catch (ParseException | RuntimeException e) {
            return "";
        }
    }

    // ---- pieces --------------------------------------------------------------------------------------------------

    private List<Pages.FolderLink> folders(Mailbox mb, String current) {
        Map<String, FolderStatus> status = mb.statusAll();
        List<Pages.FolderLink> out = new ArrayList<>();
        for (FolderInfo f : mb.folders()) {
            FolderStatus st = status.get(f.name());
            out.add(new Pages.FolderLink(f.name(), folderHref(f.name(), 0), st == null ? 0 : st.unseen(),
                    f.name().equals(current)));
        }
        return out;
    }

    private Pages.Frame frame(String title, WebSessions.Session s) {
        return new Pages.Frame(title, settings.nodeName(), s == null ? null : s.user(), s == null ? null : s.csrf());
    }

    private Response page(int status, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        return new Response(status, Map.of(), out.toString().getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8");
    }

    private Response error(WebSessions.Session s, int status, String text) {
        String title = switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Too large";
            case 415 -> "Unsupported form";
            case 503 -> "Unavailable";
            default -> "Error";
        };
        return page(status, "error.jte", new Pages.Error(frame(title, s), status, text));
    }

    private Response notAllowed(String allowed) {
        return error(null, 405, "This page does not take that request.").with("Allow", allowed);
    }

    private Response storeError(StoreException e) {
        return switch (e.reason()) {
            case NO_SUCH_FOLDER, NO_SUCH_MESSAGE -> error(null, 404, "There is no such folder or message.");
            case INVALID_NAME -> error(null, 400, "That is not a valid folder name.");
            case NOT_ALLOWED, FOLDER_EXISTS -> error(null, 400, "That is not allowed here.");
            case IO_FAILURE, UNAVAILABLE, LOCKED -> error(null, 503, "Your mailbox is busy or unavailable; try "
                    + "again in a moment.").with("Retry-After", "5");
        };
    }

    private void send(HttpExchange ex, Response r) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        h.set("Content-Security-Policy", contentSecurityPolicy);
        h.set("X-Content-Type-Options", "nosniff");
        // Not "no-referrer": browsers then send "Origin: null" with every form, and the origin check needs it.
        h.set("Referrer-Policy", "same-origin");
        h.set("X-Frame-Options", "DENY");
        h.set("Cache-Control", "no-store");
        r.headers().forEach(h::set);
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head || r.body().length == 0) {
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        ex.sendResponseHeaders(r.status(), r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    private static String messageHref(String folder, long uid) {
        return "/message?folder=" + enc(folder) + "&uid=" + uid;
    }

    private static String folderHref(String folder, String query, int page) {
        return folderHref(folder, page) + (query.isEmpty() ? "" : "&q=" + enc(query));
    }

    private static String folderHref(String folder, int page) {
        return "/mail?folder=" + enc(folder) + (page > 0 ? "&page=" + page : "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return (bytes + 512) / 1024 + " KB";
        }
        return String.format("%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
