package org.clustermail.retrieval.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Parses FETCH / UID FETCH: the sequence set, the items (macros expanded) and the CHANGEDSINCE modifier. */
final class FetchParser {

    private static final int MAX_PART_DEPTH = 32;

    private FetchParser() {
    }

    static ImapCommand fetch(ImapTokenizer t, boolean uid) {
        t.space();
        SequenceSet set = SequenceSet.parse(t.word());
        t.space();
        List<FetchAttribute> items = new ArrayList<>();
        if (t.tryConsume('(')) {
            do {
                items.add(item(t));
            } while (t.tryConsume(' '));
            t.expect(')');
        } else {
            String peek = peekWord(t);
            switch (peek) {
                case "ALL" -> macro(t, items, FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                        FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE);
                case "FAST" -> macro(t, items, FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                        FetchAttribute.Simple.RFC822_SIZE);
                case "FULL" -> macro(t, items, FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                        FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE,
                        FetchAttribute.Simple.BODY);
                default -> items.add(item(t));
            }
        }
        OptionalLong changedSince = OptionalLong.empty();
        if (t.tryConsume(' ')) {
            t.expect('(');
            String mod = t.atom().toUpperCase(Locale.ROOT);
            if (!mod.equals("CHANGEDSINCE")) {
                throw new ImapSyntaxException("unknown FETCH modifier " + ImapParser.printable(mod));
            }
            t.space();
            changedSince = OptionalLong.of(t.number());
            t.expect(')');
        }
        if (uid && !items.contains(FetchAttribute.Simple.UID)) {
            items.add(0, FetchAttribute.Simple.UID);
        }
        if (changedSince.isPresent() && !items.contains(FetchAttribute.Simple.MODSEQ)) {
            items.add(FetchAttribute.Simple.MODSEQ);
        }
        return new ImapCommand.Fetch(uid, set, items, changedSince);
    }

    private static void macro(ImapTokenizer t, List<FetchAttribute> items, FetchAttribute... expansion) {
        t.atom();
        items.addAll(List.of(expansion));
    }

    private static String peekWord(ImapTokenizer t) {
        byte[] src = t.source();
        int p = t.position();
        StringBuilder b = new StringBuilder();
        while (p < src.length && ImapTokenizer.isAtomChar(src[p] & 0xff, "")) {
            b.append((char) src[p++]);
        }
        boolean alone = p >= src.length || src[p] == ' ' || src[p] == '\r';
        return alone ? b.toString().toUpperCase(Locale.ROOT) : "";
    }

    private static FetchAttribute item(ImapTokenizer t) {
        String name = t.fetchItemName().toUpperCase(Locale.ROOT);
        switch (name) {
            case "FLAGS": return FetchAttribute.Simple.FLAGS;
            case "INTERNALDATE": return FetchAttribute.Simple.INTERNALDATE;
            case "RFC822.SIZE": return FetchAttribute.Simple.RFC822_SIZE;
            case "ENVELOPE": return FetchAttribute.Simple.ENVELOPE;
            case "UID": return FetchAttribute.Simple.UID;
            case "MODSEQ": return FetchAttribute.Simple.MODSEQ;
            case "BODYSTRUCTURE": return FetchAttribute.Simple.BODYSTRUCTURE;
            case "RFC822": return FetchAttribute.Simple.RFC822;
            case "RFC822.HEADER": return FetchAttribute.Simple.RFC822_HEADER;
            case "RFC822.TEXT": return FetchAttribute.Simple.RFC822_TEXT;
            case "BODY", "BODY.PEEK":
                if (t.peek() != '[') {
                    if (name.equals("BODY.PEEK")) {
                        throw new ImapSyntaxException("BODY.PEEK needs a section");
                    }
                    return FetchAttribute.Simple.BODY;
                }
                return body(t, name.equals("BODY.PEEK"));
            default:
                throw new ImapSyntaxException("unknown FETCH item " + ImapParser.printable(name));
        }
    }

    private static FetchAttribute body(ImapTokenizer t, boolean peek) {
        t.expect('[');
        Section section = section(t);
        t.expect(']');
        Optional<FetchAttribute.Partial> partial = Optional.empty();
        if (t.tryConsume('<')) {
            long offset = digits(t);
            t.expect('.');
            long length = digits(t);
            if (length == 0) {
                throw new ImapSyntaxException("partial length must not be zero");
            }
            t.expect('>');
            partial = Optional.of(new FetchAttribute.Partial(offset, length));
        }
        return new FetchAttribute.Body(section, peek, partial);
    }

    /** {@code section-spec}: part numbers, then HEADER, HEADER.FIELDS[.NOT] (list), TEXT or MIME. */
    static Section section(ImapTokenizer t) {
        if (t.peek() == ']') {
            return Section.WHOLE;
        }
        List<Integer> part = new ArrayList<>();
        String word = t.atom("").toUpperCase(Locale.ROOT);
        String[] pieces = word.split("\\.", -1);
        int i = 0;
        while (i < pieces.length && !pieces[i].isEmpty() && pieces[i].chars().allMatch(Character::isDigit)) {
            if (pieces[i].length() > 5 || pieces[i].startsWith("0") || part.size() >= MAX_PART_DEPTH) {
                throw new ImapSyntaxException("invalid section part number");
            }
            part.add(Integer.parseInt(pieces[i]));
            i++;
        }
        String rest = String.join(".", java.util.Arrays.asList(pieces).subList(i, pieces.length));
        Section.Text text = switch (rest) {
            case "" -> Section.Text.ALL;
            case "HEADER" -> Section.Text.HEADER;
            case "HEADER.FIELDS" -> Section.Text.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> Section.Text.HEADER_FIELDS_NOT;
            case "TEXT" -> Section.Text.TEXT;
            case "MIME" -> {
                if (part.isEmpty()) {
                    throw new ImapSyntaxException("MIME needs a part number");
                }
                yield Section.Text.MIME;
            }
            default -> throw new ImapSyntaxException("invalid section " + ImapParser.printable(word));
        };
        List<String> fields = List.of();
        if (text == Section.Text.HEADER_FIELDS || text == Section.Text.HEADER_FIELDS_NOT) {
            t.space();
            t.expect('(');
            fields = new ArrayList<>();
            do {
                fields.add(t.astring());
            } while (t.tryConsume(' '));
            t.expect(')');
        }
        return new Section(part, text, fields);
    }

    private static long digits(ImapTokenizer t) {
        int start = t.position();
        StringBuilder b = new StringBuilder();
        while (t.peek() >= '0' && t.peek() <= '9') {
            b.append((char) t.peek());
            t.tryConsume((char) t.peek());
        }
        if (b.isEmpty() || b.length() > 10) {
            throw new ImapSyntaxException("invalid partial at column " + start);
        }
        return Long.parseLong(b.toString());
    }
}
