package org.clustermail.protocol.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslExchangeTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    private static SaslCredentials complete(SaslStep step) {
        assertThat(step).isInstanceOf(SaslStep.Complete.class);
        return ((SaslStep.Complete) step).credentials();
    }

    @Test
    void plainWithInitialResponse() {
        SaslCredentials c = complete(SaslExchange.start("plain").orElseThrow().begin(b64("\0alice@example.test\0sëcret")));
        assertThat(c.username()).isEqualTo("alice@example.test");
        assertThat(new String(c.password())).isEqualTo("sëcret");
        assertThat(c.authorizationId()).isEmpty();
        assertThat(c.actsAsOther()).isFalse();
    }

    @Test
    void plainAfterAnEmptyChallenge() {
        SaslExchange plain = SaslExchange.start("PLAIN").orElseThrow();
        assertThat(plain.begin(null)).isEqualTo(new SaslStep.Challenge(""));
        SaslCredentials c = complete(plain.respond(b64("boss@x.test\0alice@x.test\0pw")));
        assertThat(c.actsAsOther()).isTrue();
    }

    @Test
    void plainSameAuthorizationIdIsNotActingAsOther() {
        SaslCredentials c = complete(SaslExchange.decodePlain("a@x.test\0a@x.test\0pw".getBytes(UTF_8)));
        assertThat(c.actsAsOther()).isFalse();
    }

    @Test
    void malformedPlainMessages() {
        assertThat(SaslExchange.decodePlain("no-nuls".getBytes(UTF_8))).isInstanceOf(SaslStep.Malformed.class);
        assertThat(SaslExchange.decodePlain("\0user\0".getBytes(UTF_8))).isInstanceOf(SaslStep.Malformed.class);
        assertThat(SaslExchange.decodePlain("\0\0pw".getBytes(UTF_8))).isInstanceOf(SaslStep.Malformed.class);
        assertThat(SaslExchange.decodePlain("\0u\0p\0w".getBytes(UTF_8))).isInstanceOf(SaslStep.Malformed.class);
        assertThat(SaslExchange.start("PLAIN").orElseThrow().begin("!!not base64!!"))
                .isInstanceOf(SaslStep.Malformed.class);
        assertThat(SaslExchange.start("PLAIN").orElseThrow().begin("="))
                .as("'=' is an empty initial response").isInstanceOf(SaslStep.Malformed.class);
    }

    @Test
    void loginAsksForUserThenPassword() {
        SaslExchange login = SaslExchange.start("LOGIN").orElseThrow();
        assertThat(login.begin(null)).isEqualTo(new SaslStep.Challenge(b64("Username:")));
        assertThat(login.respond(b64("bob@x.test"))).isEqualTo(new SaslStep.Challenge(b64("Password:")));
        SaslCredentials c = complete(login.respond(b64("hunter2")));
        assertThat(c.username()).isEqualTo("bob@x.test");
        assertThat(new String(c.password())).isEqualTo("hunter2");
    }

    @Test
    void loginWithUserNameAsInitialResponse() {
        SaslExchange login = SaslExchange.start("login").orElseThrow();
        assertThat(login.begin(b64("bob@x.test"))).isEqualTo(new SaslStep.Challenge(b64("Password:")));
    }

    @Test
    void cancelAndUnknownMechanism() {
        SaslExchange login = SaslExchange.start("LOGIN").orElseThrow();
        login.begin(null);
        assertThat(login.respond("*")).isInstanceOf(SaslStep.Cancelled.class);
        assertThat(SaslExchange.start("CRAM-MD5")).isEmpty();
        assertThat(SaslExchange.start("LOGIN").orElseThrow().begin(b64(""))).isInstanceOf(SaslStep.Malformed.class);
    }
}
