package org.clustermail.retrieval.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Pop3ParserTest {

    @Test
    void parsesEveryCommand() {
        assertThat(Pop3Parser.parse("user fred@example.test")).isEqualTo(new Pop3Command.User("fred@example.test"));
        assertThat(Pop3Parser.parse("PASS secret with spaces")).isEqualTo(new Pop3Command.Pass("secret with spaces"));
        assertThat(Pop3Parser.parse("STAT")).isEqualTo(new Pop3Command.Stat());
        assertThat(Pop3Parser.parse("list")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.empty()));
        assertThat(Pop3Parser.parse("LIST 3")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.of(3)));
        assertThat(Pop3Parser.parse("RETR 12")).isEqualTo(new Pop3Command.Retr(12));
        assertThat(Pop3Parser.parse("DELE 1")).isEqualTo(new Pop3Command.Dele(1));
        assertThat(Pop3Parser.parse("TOP 1 0")).isEqualTo(new Pop3Command.Top(1, 0));
        assertThat(Pop3Parser.parse("UIDL")).isEqualTo(new Pop3Command.Uidl(OptionalInt.empty()));
        assertThat(Pop3Parser.parse("RSET")).isEqualTo(new Pop3Command.Rset());
        assertThat(Pop3Parser.parse("NOOP")).isEqualTo(new Pop3Command.Noop());
        assertThat(Pop3Parser.parse("QUIT")).isEqualTo(new Pop3Command.Quit());
        assertThat(Pop3Parser.parse("CAPA")).isEqualTo(new Pop3Command.Capa());
        assertThat(Pop3Parser.parse("STLS")).isEqualTo(new Pop3Command.Stls());
        assertThat(Pop3Parser.parse("AUTH")).isEqualTo(new Pop3Command.Auth(Optional.empty(), Optional.empty()));
        assertThat(Pop3Parser.parse("AUTH plain AGEAYg=="))
                .isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("AGEAYg==")));
    }

    @Test
    void rejectsMalformedCommands() {
        for (String bad : new String[] {"", "FROB", "RETR", "RETR x", "RETR 0", "RETR -1", "TOP 1", "STAT 1",
                "USER", "USER a b", "PASS", "DELE 1 2", "LIST 1 2", "AUTH a b c"}) {
            assertThatThrownBy(() -> Pop3Parser.parse(bad)).as(bad).isInstanceOf(Pop3SyntaxException.class);
        }
        assertThat(Pop3Parser.parse("RETR 99999999999")).isEqualTo(new Pop3Command.Retr(Integer.MAX_VALUE));
    }
}
