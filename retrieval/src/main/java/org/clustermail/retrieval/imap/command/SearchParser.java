package org.clustermail.retrieval.imap.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses SEARCH / UID SEARCH criteria (RFC 3501 section 6.4.4, RFC 7162 MODSEQ) into a {@link SearchKey} tree. */
final class SearchParser {

    /** Nesting bound: a hostile {@code NOT NOT NOT ...} must not overflow the stack. */
    private static final int MAX_DEPTH = 64;

    private SearchParser() {
    }

    static ImapCommand search(ImapTokenizer t, boolean uid) {
        t.space();
        List<SearchKey> keys = new ArrayList<>();
        String first = peekAtom(t);
        if (first.equals("CHARSET")) {
            t.atom();
            t.space();
            String charset = t.astring().toUpperCase(Locale.ROOT);
            if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
                throw new BadCharsetException(charset);
            }
            t.space();
        }
        do {
            keys.add(key(t, 0));
        } while (t.tryConsume(' '));
        return new ImapCommand.Search(uid, keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys));
    }

    private static String peekAtom(ImapTokenizer t) {
        if (!ImapTokenizer.isAtomChar(t.peek(), "")) {
            return "";
        }
        byte[] src = t.source();
        int p = t.position();
        StringBuilder b = new StringBuilder();
        while (p < src.length && ImapTokenizer.isAtomChar(src[p] & 0xff, "")) {
            b.append((char) src[p++]);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    private static SearchKey key(ImapTokenizer t, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ImapSyntaxException("search criteria nested too deeply");
        }
        if (t.tryConsume('(')) {
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(key(t, depth + 1));
            } while (t.tryConsume(' '));
            t.expect(')');
            return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        }
        int c = t.peek();
        if ((c >= '0' && c <= '9') || c == '*') {
            return new SearchKey.Numbers(SequenceSet.parse(t.word()), false);
        }
        String name = t.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag(Flags.ANSWERED, true);
            case "DELETED" -> new SearchKey.Flag(Flags.DELETED, true);
            case "DRAFT" -> new SearchKey.Flag(Flags.DRAFT, true);
            case "FLAGGED" -> new SearchKey.Flag(Flags.FLAGGED, true);
            case "SEEN" -> new SearchKey.Flag(Flags.SEEN, true);
            case "UNANSWERED" -> new SearchKey.Flag(Flags.ANSWERED, false);
            case "UNDELETED" -> new SearchKey.Flag(Flags.DELETED, false);
            case "UNDRAFT" -> new SearchKey.Flag(Flags.DRAFT, false);
            case "UNFLAGGED" -> new SearchKey.Flag(Flags.FLAGGED, false);
            case "UNSEEN" -> new SearchKey.Flag(Flags.SEEN, false);
            case "KEYWORD" -> new SearchKey.Flag(spaceFlag(t), true);
            case "UNKEYWORD" -> new SearchKey.Flag(spaceFlag(t), false);
            case "RECENT" -> new SearchKey.Recent(true);
            case "OLD" -> new SearchKey.Recent(false);
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.Recent(true), new SearchKey.Flag(Flags.SEEN, false)));
            case "BCC", "CC", "FROM", "SUBJECT", "TO" -> new SearchKey.Header(headerName(name), spaceString(t));
            case "HEADER" -> new SearchKey.Header(spaceString(t), spaceString(t));
            case "BODY" -> new SearchKey.Text(spaceString(t), false);
            case "TEXT" -> new SearchKey.Text(spaceString(t), true);
            case "BEFORE" -> date(t, SearchKey.DateField.INTERNAL, SearchKey.Comparison.BEFORE);
            case "ON" -> date(t, SearchKey.DateField.INTERNAL, SearchKey.Comparison.ON);
            case "SINCE" -> date(t, SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE);
            case "SENTBEFORE" -> date(t, SearchKey.DateField.SENT, SearchKey.Comparison.BEFORE);
            case "SENTON" -> date(t, SearchKey.DateField.SENT, SearchKey.Comparison.ON);
            case "SENTSINCE" -> date(t, SearchKey.DateField.SENT, SearchKey.Comparison.SINCE);
            case "LARGER" -> new SearchKey.Size(spaceNumber(t), true);
            case "SMALLER" -> new SearchKey.Size(spaceNumber(t), false);
            case "UID" -> {
                t.space();
                yield new SearchKey.Numbers(SequenceSet.parse(t.word()), true);
            }
            case "NOT" -> {
                t.space();
                yield new SearchKey.Not(key(t, depth + 1));
            }
            case "OR" -> {
                t.space();
                SearchKey left = key(t, depth + 1);
                t.space();
                yield new SearchKey.Or(left, key(t, depth + 1));
            }
            case "MODSEQ" -> modseq(t);
            default -> throw new ImapSyntaxException("unknown search key " + ImapParser.printable(name));
        };
    }

    private static SearchKey modseq(ImapTokenizer t) {
        t.space();
        if (t.peek() == '"') {
            // entry-name entry-type-req: per-flag mod-sequences are not kept apart, so they are read and ignored.
            t.string();
            t.space();
            t.atom();
            t.space();
        }
        return new SearchKey.ModSeq(t.number());
    }

    private static String headerName(String key) {
        return switch (key) {
            case "BCC" -> "Bcc";
            case "CC" -> "Cc";
            case "FROM" -> "From";
            case "SUBJECT" -> "Subject";
            default -> "To";
        };
    }

    private static SearchKey date(ImapTokenizer t, SearchKey.DateField field, SearchKey.Comparison cmp) {
        t.space();
        String s = t.peek() == '"' ? new String(t.string(), StandardCharsets.US_ASCII) : t.atom();
        return new SearchKey.Date(field, cmp, ImapDates.parseDate(s));
    }

    private static String spaceString(ImapTokenizer t) {
        t.space();
        return t.astring();
    }

    private static String spaceFlag(ImapTokenizer t) {
        t.space();
        return ImapParser.flag(t);
    }

    private static long spaceNumber(ImapTokenizer t) {
        t.space();
        return t.number();
    }
}
