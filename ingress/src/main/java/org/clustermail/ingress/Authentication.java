package org.clustermail.ingress;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.LogonContext;
import org.clustermail.protocol.LineTooLongException;
import org.clustermail.protocol.sasl.SaslCredentials;
import org.clustermail.protocol.sasl.SaslExchange;
import org.clustermail.protocol.sasl.SaslStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMTP AUTH (RFC 4954) on submission: runs the SASL exchange ({@link SaslExchange}, challenges as {@code 334}) and
 * checks the credentials with the directory, which records the logon and applies the lockout. Every failure gets
 * the same {@code 535 5.7.8}, so a client cannot tell an unknown user from a wrong password or a locked account.
 * The password array is wiped after the check. Stateless; a handler for {@link SmtpVerbs}.
 */
final class Authentication {

    private static final Logger log = LoggerFactory.getLogger(Authentication.class);
    /** RFC 4954 4: a SASL response line may be 12288 octets. */
    private static final int MAX_SASL_LINE = 12288;

    private Authentication() {
    }

    static void auth(SmtpSession s, SmtpCommand.Auth command) throws IOException {
        Optional<SaslExchange> exchange = SaslExchange.start(command.mechanism());
        if (exchange.isEmpty()) {
            s.error(SmtpReply.of(504, "5.5.4", "Unrecognized authentication type"));
            return;
        }
        SaslStep step = exchange.get().begin(command.initialResponse().orElse(null));
        while (step instanceof SaslStep.Challenge challenge) {
            s.connection().output().line("334 " + challenge.base64());
            try {
                step = exchange.get().respond(s.connection().input().readLine(MAX_SASL_LINE).text());
            } catch (LineTooLongException e) {
                step = new SaslStep.Malformed("line too long");
            }
        }
        switch (step) {
            case SaslStep.Complete c -> login(s, c.credentials());
            case SaslStep.Malformed m -> s.error(SmtpReply.of(501, "5.5.2", "Cannot decode response: " + m.reason()));
            case SaslStep.Cancelled c -> s.error(SmtpReply.of(501, "5.0.0", "Authentication cancelled"));
            case SaslStep.Challenge c -> throw new IllegalStateException("unreachable");
        }
    }

    private static void login(SmtpSession s, SaslCredentials credentials) throws IOException {
        try {
            AuthResult result = credentials.actsAsOther()
                    ? new AuthResult.Failure("authorization identity differs")
                    : s.directory().authenticate(credentials.username(), credentials.password(),
                            new LogonContext(s.dialect().protocolName(), s.connection().remoteAddress().getAddress()
                                    .getHostAddress()));
            if (result instanceof AuthResult.Success success) {
                s.setState(((SessionState.Greeted) s.state()).withUser(success.user().address()));
                s.reply(235, "2.7.0", "Authentication successful");
            } else {
                log.info("{}: AUTH failed for {}: {}", s.connection(), SmtpReply.sanitize(credentials.username()), result);
                s.error(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"));
            }
        } finally {
            Arrays.fill(credentials.password(), '\0');
        }
    }
}
