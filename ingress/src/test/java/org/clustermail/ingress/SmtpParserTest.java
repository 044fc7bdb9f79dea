package org.clustermail.ingress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.clustermail.ingress.SmtpParser.Result;
import org.junit.jupiter.api.Test;

class SmtpParserTest {

    private static SmtpCommand command(String line) {
        Result r = SmtpParser.parse(line.getBytes(UTF_8));
        assertThat(r).as(line).isInstanceOf(Result.Command.class);
        return ((Result.Command) r).command();
    }

    private static Result.Error error(String line) {
        Result r = SmtpParser.parse(line.getBytes(UTF_8));
        assertThat(r).as(line).isInstanceOf(Result.Error.class);
        return (Result.Error) r;
    }

    private static String reply(String line) {
        SmtpReply reply = error(line).reply();
        return reply.code() + " " + reply.enhanced();
    }

    @Test
    void greetings() {
        assertThat(command("EHLO client.example")).isEqualTo(new SmtpCommand.Ehlo("client.example"));
        assertThat(command("helo [127.0.0.1]")).isEqualTo(new SmtpCommand.Helo("[127.0.0.1]"));
        assertThat(command("LHLO mx")).isEqualTo(new SmtpCommand.Lhlo("mx"));
        assertThat(reply("EHLO")).isEqualTo("501 5.5.4");
        assertThat(reply("EHLO two words")).isEqualTo("501 5.5.4");
    }

    @Test
    void mailFromWithParameters() {
        assertThat(command("MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME SMTPUTF8"))
                .isEqualTo(new SmtpCommand.Mail("a@b.example", new MailParameters(OptionalLong.of(1000), true, true)));
        assertThat(command("mail from: <a@b.example>")).isEqualTo(new SmtpCommand.Mail("a@b.example", MailParameters.NONE));
        assertThat(command("MAIL FROM:<>")).isEqualTo(new SmtpCommand.Mail("", MailParameters.NONE));
        assertThat(command("MAIL FROM:<@relay.example:a@b.example>"))
                .isEqualTo(new SmtpCommand.Mail("a@b.example", MailParameters.NONE));
        assertThat(command("MAIL FROM:<\"odd > name\"@b.example> BODY=7BIT"))
                .isEqualTo(new SmtpCommand.Mail("\"odd > name\"@b.example", MailParameters.NONE));
        assertThat(command("MAIL FROM:<a@b.example> AUTH=<>")).isInstanceOf(SmtpCommand.Mail.class);
    }

    @Test
    void badMailFrom() {
        assertThat(reply("MAIL FROM:a@b.example")).isEqualTo("501 5.1.7");
        assertThat(reply("MAIL TO:<a@b.example>")).isEqualTo("501 5.1.7");
        assertThat(reply("MAIL FROM:<a@b.example")).isEqualTo("501 5.1.7");
        assertThat(reply("MAIL FROM:<nodomain>")).isEqualTo("501 5.1.7");
        assertThat(reply("MAIL FROM:<" + "x".repeat(300) + "@b.example>")).isEqualTo("501 5.1.7");
        assertThat(reply("MAIL FROM:<a@b.example> SIZE=lots")).isEqualTo("501 5.5.4");
        assertThat(reply("MAIL FROM:<a@b.example> BODY=BINARYMIME")).isEqualTo("501 5.5.4");
        assertThat(reply("MAIL FROM:<a@b.example> RET=FULL")).isEqualTo("555 5.5.4");
        assertThat(reply("MAIL FROM:<jörg@b.example>")).isEqualTo("553 5.6.7");
        assertThat(command("MAIL FROM:<jörg@b.example> SMTPUTF8")).isInstanceOf(SmtpCommand.Mail.class);
    }

    @Test
    void rcptTo() {
        assertThat(command("RCPT TO:<u@example.test>")).isEqualTo(new SmtpCommand.Rcpt("u@example.test"));
        assertThat(command("RCPT TO:<Postmaster>")).isEqualTo(new SmtpCommand.Rcpt("Postmaster"));
        assertThat(reply("RCPT TO:<>")).isEqualTo("501 5.1.3");
        assertThat(reply("RCPT TO:<u@example.test> NOTIFY=NEVER")).isEqualTo("555 5.5.4");
        assertThat(reply("RCPT FROM:<u@example.test>")).isEqualTo("501 5.1.3");
    }

    @Test
    void chunking() {
        assertThat(command("BDAT 1000")).isEqualTo(new SmtpCommand.Bdat(1000, false));
        assertThat(command("BDAT 0 LAST")).isEqualTo(new SmtpCommand.Bdat(0, true));
        assertThat(error("BDAT many").unsafeToGoOn()).isTrue();
        assertThat(error("BDAT 10 FIRST").unsafeToGoOn()).isTrue();
        assertThat(error("BDAT 9999999999999999999").unsafeToGoOn()).isTrue();
    }

    @Test
    void simpleVerbs() {
        assertThat(command("data")).isEqualTo(new SmtpCommand.Data());
        assertThat(command("RSET")).isEqualTo(new SmtpCommand.Rset());
        assertThat(command("NOOP whatever")).isEqualTo(new SmtpCommand.Noop());
        assertThat(command("QUIT")).isEqualTo(new SmtpCommand.Quit());
        assertThat(command("HELP MAIL")).isEqualTo(new SmtpCommand.Help());
        assertThat(command("VRFY someone")).isEqualTo(new SmtpCommand.Vrfy());
        assertThat(command("STARTTLS")).isEqualTo(new SmtpCommand.StartTls());
        assertThat(command("AUTH plain AGFAYg==")).isEqualTo(new SmtpCommand.Auth("PLAIN", Optional.of("AGFAYg==")));
        assertThat(command("AUTH LOGIN")).isEqualTo(new SmtpCommand.Auth("LOGIN", Optional.empty()));
        assertThat(reply("DATA now")).isEqualTo("501 5.5.4");
        assertThat(reply("STARTTLS please")).isEqualTo("501 5.5.4");
        assertThat(reply("VRFY")).isEqualTo("501 5.5.4");
        assertThat(reply("AUTH")).isEqualTo("501 5.5.4");
    }

    @Test
    void unknownEmptyAndHostileInput() {
        assertThat(reply("GET / HTTP/1.1")).isEqualTo("500 5.5.1");
        assertThat(reply("")).isEqualTo("500 5.5.2");
        assertThat(reply("NOOP \u0000")).isEqualTo("500 5.5.2");
        assertThat(SmtpParser.parse(new byte[]{'N', 'O', 'O', 'P', ' ', (byte) 0xff})).isInstanceOf(Result.Error.class);
    }

    @Test
    void repliesFormatOnTheWire() {
        assertThat(SmtpReply.of(250, "2.0.0", "Ok").wireLines()).containsExactly("250 2.0.0 Ok");
        assertThat(new SmtpReply(250, "", java.util.List.of("host", "PIPELINING", "HELP")).wireLines())
                .containsExactly("250-host", "250-PIPELINING", "250 HELP");
        assertThat(SmtpReply.sanitize("a\r\nb\u00e9")).isEqualTo("a??b?");
    }
}
