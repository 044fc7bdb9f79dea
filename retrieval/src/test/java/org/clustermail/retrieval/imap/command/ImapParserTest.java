package org.clustermail.retrieval.imap.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ImapParserTest {

    static ImapCommand parse(String line) {
        ParsedLine p = ImapParser.parse((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(p).as(line).isInstanceOf(ParsedLine.Command.class);
        return ((ParsedLine.Command) p).command();
    }

    static ParsedLine.Malformed bad(String line) {
        ParsedLine p = ImapParser.parse((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(p).as(line).isInstanceOf(ParsedLine.Malformed.class);
        return (ParsedLine.Malformed) p;
    }

    @Test
    void simpleCommandsAndTags() {
        ParsedLine p = ImapParser.parse("a001 capability\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(p).isEqualTo(new ParsedLine.Command("a001", new ImapCommand.Capability()));
        assertThat(parse("x NOOP")).isEqualTo(new ImapCommand.Noop());
        assertThat(parse("x IDLE")).isEqualTo(new ImapCommand.Idle());
        assertThat(parse("x UNSELECT")).isEqualTo(new ImapCommand.Close(false));
    }

    @Test
    void loginWithQuotedAndLiteralStrings() {
        ImapCommand.Login l = (ImapCommand.Login) parse("a LOGIN \"fred@example.test\" \"pa\\\"ss\"");
        assertThat(l.user()).isEqualTo("fred@example.test");
        assertThat(new String(l.password(), StandardCharsets.UTF_8)).isEqualTo("pa\"ss");
        l = (ImapCommand.Login) parse("a LOGIN {4}\r\nfred {3+}\r\nabc");
        assertThat(l.user()).isEqualTo("fred");
        assertThat(new String(l.password(), StandardCharsets.UTF_8)).isEqualTo("abc");
    }

    @Test
    void mailboxNamesAreDecoded() {
        assertThat(parse("a SELECT inbox")).isEqualTo(new ImapCommand.Select("INBOX", false, false));
        assertThat(parse("a EXAMINE \"Entw&APw-rfe\" (CONDSTORE)"))
                .isEqualTo(new ImapCommand.Select("Entwürfe", true, true));
        assertThat(parse("a LIST \"\" %")).isEqualTo(new ImapCommand.ListMailboxes("", "%", false));
        assertThat(parse("a LSUB \"\" \"*\"")).isEqualTo(new ImapCommand.ListMailboxes("", "*", true));
        assertThat(parse("a RENAME a b")).isEqualTo(new ImapCommand.Rename("a", "b"));
    }

    @Test
    void sequenceSets() {
        ImapCommand.Fetch f = (ImapCommand.Fetch) parse("a FETCH 1,3:5,7:* FLAGS");
        assertThat(f.set().contains(4, 10)).isTrue();
        assertThat(f.set().contains(6, 10)).isFalse();
        assertThat(f.set().contains(10, 10)).isTrue();
        assertThat(SequenceSet.parse("*:4").contains(5, 3)).isFalse();
        assertThat(SequenceSet.parse("*:4").contains(3, 3)).isTrue();
        assertThat(SequenceSet.parse("1,3:5,7:*").toString()).isEqualTo("1,3:5,7:*");
        bad("a FETCH 0 FLAGS");
        bad("a FETCH 1:: FLAGS");
        bad("a FETCH 99999999999 FLAGS");
    }

    @Test
    void fetchItemsMacrosAndSections() {
        ImapCommand.Fetch f = (ImapCommand.Fetch) parse("a FETCH 1:* FAST");
        assertThat(f.attributes()).containsExactly(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE);
        f = (ImapCommand.Fetch) parse("a UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From Subject)] "
                + "BODY[1.2.MIME] BODY[]<0.100> RFC822.SIZE BODYSTRUCTURE)");
        assertThat(f.uid()).isTrue();
        assertThat(f.attributes()).containsExactly(
                FetchAttribute.Simple.UID,
                FetchAttribute.Simple.FLAGS,
                new FetchAttribute.Body(new Section(List.of(), Section.Text.HEADER_FIELDS, List.of("From", "Subject")),
                        true, Optional.empty()),
                new FetchAttribute.Body(new Section(List.of(1, 2), Section.Text.MIME, List.of()), false,
                        Optional.empty()),
                new FetchAttribute.Body(Section.WHOLE, false, Optional.of(new FetchAttribute.Partial(0, 100))),
                FetchAttribute.Simple.RFC822_SIZE,
                FetchAttribute.Simple.BODYSTRUCTURE);
        assertThat(((FetchAttribute.Body) f.attributes().get(2)).section().spec())
                .isEqualTo("HEADER.FIELDS (From Subject)");
        f = (ImapCommand.Fetch) parse("a FETCH 2 (BODY[2.TEXT] BODY) (CHANGEDSINCE 12345)");
        assertThat(f.changedSince()).isEqualTo(OptionalLong.of(12345));
        assertThat(f.attributes()).contains(FetchAttribute.Simple.BODY, FetchAttribute.Simple.MODSEQ);
        assertThat(parse("a FETCH 1 BODY.PEEK[]")).isInstanceOf(ImapCommand.Fetch.class);
        bad("a FETCH 1 (FLAGS");
        bad("a FETCH 1 BODY[MIME]");
        bad("a FETCH 1 BODY[HEADER.FIELDS]");
        bad("a FETCH 1 BODY[]<0.0>");
        bad("a FETCH 1 NOSUCH");
    }

    @Test
    void store() {
        ImapCommand.Store s = (ImapCommand.Store) parse("a UID STORE 1:3 +FLAGS.SILENT (\\seen $Junk)");
        assertThat(s).isEqualTo(new ImapCommand.Store(true, SequenceSet.of(1, 3), ImapCommand.StoreMode.ADD, true,
                List.of("\\Seen", "$Junk"), OptionalLong.empty()));
        s = (ImapCommand.Store) parse("a STORE 2 (UNCHANGEDSINCE 7) -FLAGS \\Deleted");
        assertThat(s.mode()).isEqualTo(ImapCommand.StoreMode.REMOVE);
        assertThat(s.unchangedSince()).isEqualTo(OptionalLong.of(7));
        assertThat(s.flags()).containsExactly("\\Deleted");
        bad("a STORE 1 +FLAGZ (\\Seen)");
    }

    @Test
    void searchKeysNestAndDecode() {
        ImapCommand.Search s = (ImapCommand.Search) parse(
                "a SEARCH CHARSET UTF-8 OR (FROM \"bob\" UNSEEN) NOT SUBJECT {7}\r\nGrüße SINCE 1-Feb-2024 1:5");
        SearchKey.And and = (SearchKey.And) s.key();
        assertThat(and.keys()).containsExactly(
                new SearchKey.Or(
                        new SearchKey.And(List.of(new SearchKey.Header("From", "bob"),
                                new SearchKey.Flag(Flags.SEEN, false))),
                        new SearchKey.Not(new SearchKey.Header("Subject", "Grüße"))),
                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE, LocalDate.of(2024, 2, 1)),
                new SearchKey.Numbers(SequenceSet.of(1, 5), false));
        assertThat(((ImapCommand.Search) parse("a UID SEARCH UNSEEN")).key())
                .isEqualTo(new SearchKey.Flag(Flags.SEEN, false));
        assertThat(((ImapCommand.Search) parse("a SEARCH MODSEQ 100")).key()).isEqualTo(new SearchKey.ModSeq(100));
        assertThat(((ImapCommand.Search) parse("a SEARCH HEADER X-Spam yes LARGER 10 UID 4:*")).key())
                .isInstanceOf(SearchKey.And.class);
        assertThat(ImapParser.parse("a SEARCH CHARSET KOI8-R TEXT x\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new ParsedLine.BadCharset("a"));
        bad("a SEARCH");
        bad("a SEARCH OR SEEN");
        bad("a SEARCH SINCE 31-Foo-2024");
        bad("a SEARCH " + "NOT ".repeat(200) + "SEEN");
    }

    @Test
    void appendWithFlagsDateAndLiteral() {
        byte[] cmd = "a APPEND Sent (\\Seen) \" 5-Mar-2024 10:00:00 +0100\" {5+}\r\nHello\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ImapCommand.Append a = (ImapCommand.Append) ((ParsedLine.Command) ImapParser.parse(cmd)).command();
        assertThat(a.mailbox()).isEqualTo("Sent");
        assertThat(a.flags()).containsExactly("\\Seen");
        assertThat(a.internalDate().orElseThrow().getDayOfMonth()).isEqualTo(5);
        assertThat(new String(a.source(), a.offset(), a.length(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        bad("a APPEND INBOX \"hello\"");
        bad("a APPEND INBOX {10}\r\nshort");
    }

    @Test
    void statusIdEnableAuthenticate() {
        assertThat(parse("a STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)")).isEqualTo(new ImapCommand.Status(
                "INBOX", List.of(StatusItem.MESSAGES, StatusItem.UIDNEXT, StatusItem.HIGHESTMODSEQ)));
        ImapCommand.Id id = (ImapCommand.Id) parse("a ID (\"name\" \"mutt\" \"version\" NIL)");
        assertThat(id.fields()).containsEntry("name", "mutt").containsEntry("version", "NIL");
        assertThat(((ImapCommand.Id) parse("a ID NIL")).fields()).isEmpty();
        assertThat(parse("a ENABLE CONDSTORE")).isEqualTo(new ImapCommand.Enable(List.of("CONDSTORE")));
        assertThat(parse("a AUTHENTICATE plain AGZyZWQAc2VjcmV0"))
                .isEqualTo(new ImapCommand.Authenticate("PLAIN", Optional.of("AGZyZWQAc2VjcmV0")));
        assertThat(parse("a UID EXPUNGE 3:5")).isEqualTo(new ImapCommand.Expunge(Optional.of(SequenceSet.of(3, 5))));
        assertThat(parse("a UID MOVE 1 Trash")).isEqualTo(new ImapCommand.Copy(true, SequenceSet.of(1, 1), "Trash", true));
    }

    @Test
    void malformedInputKeepsTheTag() {
        assertThat(bad("t1 FROB").tag()).isEqualTo("t1");
        assertThat(bad("t2 LOGIN").tag()).isEqualTo("t2");
        assertThat(bad("t3 SELECT \"unterminated").tag()).isEqualTo("t3");
        assertThat(bad("").tag()).isEqualTo("*");
        assertThat(bad("t+ NOOP").tag()).isEqualTo("*");
        assertThat(bad("t4 NOOP extra").tag()).isEqualTo("t4");
    }

    @Test
    void mailboxNameRoundTrip() {
        for (String name : List.of("INBOX", "Entwürfe", "日本語/メール", "a&b", "~peter/mail/台北")) {
            assertThat(MailboxName.decode(MailboxName.encode(name))).isEqualTo(name);
        }
        assertThat(MailboxName.encode("Entwürfe")).isEqualTo("Entw&APw-rfe");
        assertThat(MailboxName.encode("a&b")).isEqualTo("a&-b");
        assertThat(MailboxName.decode("inbox/sub")).isEqualTo("INBOX/sub");
    }
}
