package org.clustermail.ingress;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command table: each verb of a dialect registered once, with the session phases it is valid in (and the reply
 * when it is not) and its other preconditions (TLS, authentication). {@link SmtpSession} checks these before it
 * calls a handler, so handlers never repeat them. Immutable; one table per dialect, shared by all sessions.
 */
final class SmtpVerbs {

    /** The coarse session phase, from {@link SessionState}. */
    enum Phase {
        CONNECTED, GREETED, TRANSACTION, CHUNKING;

        static Phase of(SessionState state) {
            return switch (state) {
                case SessionState.Connected c -> CONNECTED;
                case SessionState.Greeted g -> GREETED;
                case SessionState.Transaction t -> TRANSACTION;
                case SessionState.Chunking c -> CHUNKING;
            };
        }
    }

    /** Preconditions beyond the phase, each with its refusal; a rule checks them in the order it lists them. */
    enum Need {
        /** AUTH exists only on submission. */
        AUTH_OFFERED(503, "5.5.1", "Authentication is not available on this port"),
        /** RFC 4954: AUTH only once per session. */
        NOT_AUTHENTICATED(503, "5.5.1", "Already authenticated"),
        /** Plain-text passwords only over TLS. */
        TLS_FOR_AUTH(538, "5.7.11", "Encryption required for requested authentication mechanism"),
        /** Submission takes mail only from authenticated users. */
        AUTHENTICATED_ON_SUBMISSION(530, "5.7.0", "Authentication required"),
        /** STARTTLS needs a certificate and a plain connection. */
        STARTTLS_AVAILABLE(502, "5.5.1", "STARTTLS not available");

        private final SmtpReply refusal;

        Need(int code, String enhanced, String text) {
            this.refusal = SmtpReply.of(code, enhanced, text);
        }

        boolean met(SmtpSession s) {
            return switch (this) {
                case AUTH_OFFERED -> s.dialect().submission();
                case NOT_AUTHENTICATED -> !s.authenticated();
                case TLS_FOR_AUTH -> s.secure();
                case AUTHENTICATED_ON_SUBMISSION -> !s.dialect().submission() || s.authenticated();
                case STARTTLS_AVAILABLE -> s.canStartTls();
            };
        }
    }

    /** Runs one verb; preconditions have been checked. */
    @FunctionalInterface
    interface Handler<C extends SmtpCommand> {
        void handle(SmtpSession session, C command) throws IOException;
    }

    record Rule<C extends SmtpCommand>(Set<Phase> phases, SmtpReply outOfPhase, List<Need> needs, Handler<C> handler) {

        /** The reply refusing this command now, or empty if it may run. */
        Optional<SmtpReply> refusal(SmtpSession s) {
            if (!phases.contains(Phase.of(s.state()))) {
                return Optional.of(outOfPhase);
            }
            return needs.stream().filter(n -> !n.met(s)).findFirst().map(n -> n.refusal);
        }

        @SuppressWarnings("unchecked")
        void run(SmtpSession s, SmtpCommand c) throws IOException {
            handler.handle(s, (C) c);
        }
    }

    private static final Set<Phase> ANY = EnumSet.allOf(Phase.class);
    private static final Set<Phase> NOT_CHUNKING = EnumSet.of(Phase.CONNECTED, Phase.GREETED, Phase.TRANSACTION);
    private static final SmtpReply FINISH_CHUNKS = reply("503", "5.5.1", "Send BDAT LAST or RSET first");

    private final Map<Class<? extends SmtpCommand>, Rule<?>> rules = new HashMap<>();

    private SmtpVerbs() {
    }

    static SmtpVerbs forDialect(Dialect dialect) {
        SmtpVerbs v = new SmtpVerbs();
        if (dialect.lmtp()) {
            v.on(SmtpCommand.Lhlo.class, NOT_CHUNKING, FINISH_CHUNKS, List.of(), SmtpSession::hello);
        } else {
            v.on(SmtpCommand.Ehlo.class, NOT_CHUNKING, FINISH_CHUNKS, List.of(), SmtpSession::hello);
            v.on(SmtpCommand.Helo.class, NOT_CHUNKING, FINISH_CHUNKS, List.of(), SmtpSession::hello);
            v.on(SmtpCommand.StartTls.class, EnumSet.of(Phase.CONNECTED, Phase.GREETED),
                    reply("503", "5.5.1", "STARTTLS not allowed during a mail transaction"),
                    List.of(Need.STARTTLS_AVAILABLE), SmtpSession::startTls);
            v.on(SmtpCommand.Auth.class, EnumSet.of(Phase.GREETED), reply("503", "5.5.1",
                    "AUTH only after EHLO and outside a mail transaction"),
                    List.of(Need.AUTH_OFFERED, Need.NOT_AUTHENTICATED, Need.TLS_FOR_AUTH), Authentication::auth);
        }
        v.on(SmtpCommand.Mail.class, EnumSet.of(Phase.GREETED), reply("503", "5.5.1",
                "Send EHLO first, and no MAIL inside a mail transaction"),
                List.of(Need.AUTHENTICATED_ON_SUBMISSION), SmtpSession::mail);
        v.on(SmtpCommand.Rcpt.class, EnumSet.of(Phase.TRANSACTION), reply("503", "5.5.1", "Need MAIL before RCPT"),
                List.of(), SmtpSession::rcpt);
        v.on(SmtpCommand.Data.class, EnumSet.of(Phase.TRANSACTION), reply("503", "5.5.1",
                "Need MAIL and RCPT before DATA, and no DATA after BDAT"), List.of(), Reception::data);
        v.on(SmtpCommand.Bdat.class, EnumSet.of(Phase.TRANSACTION, Phase.CHUNKING), reply("503", "5.5.1",
                "Need MAIL and RCPT before BDAT"), List.of(), Reception::bdat);
        v.on(SmtpCommand.Rset.class, ANY, null, List.of(), SmtpSession::rset);
        v.on(SmtpCommand.Noop.class, ANY, null, List.of(), (s, c) -> s.reply(250, "2.0.0", "Ok"));
        v.on(SmtpCommand.Quit.class, ANY, null, List.of(), SmtpSession::quit);
        v.on(SmtpCommand.Help.class, ANY, null, List.of(), (s, c) -> s.reply(214, "2.0.0",
                "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS AUTH; see RFC 5321"));
        v.on(SmtpCommand.Vrfy.class, ANY, null, List.of(), (s, c) -> s.reply(252, "2.5.0",
                "Cannot VRFY user, but will accept message and attempt delivery"));
        v.on(SmtpCommand.Expn.class, ANY, null, List.of(), (s, c) -> s.reply(502, "5.5.1", "EXPN not available"));
        return v;
    }

    /** The rule for {@code command}, or empty if the dialect has no such verb (LHLO in SMTP, EHLO in LMTP). */
    Optional<Rule<?>> rule(SmtpCommand command) {
        return Optional.ofNullable(rules.get(command.getClass()));
    }

    private <C extends SmtpCommand> void on(Class<C> type, Set<Phase> phases, SmtpReply outOfPhase, List<Need> needs,
                                            Handler<C> handler) {
        if (rules.put(type, new Rule<>(phases, outOfPhase, needs, handler)) != null) {
            throw new IllegalStateException(type.getSimpleName() + " registered twice");
        }
    }

    private static SmtpReply reply(String code, String enhanced, String text) {
        return SmtpReply.of(Integer.parseInt(code), enhanced, text);
    }
}
