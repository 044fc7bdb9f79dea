package org.clustermail.retrieval.imap;

/** The tagged completion of a command: {@code OK}, {@code NO} or {@code BAD} and its text (with any response code). */
record Reply(String status, String text) {

    static Reply ok(String text) {
        return new Reply("OK", text);
    }

    static Reply no(String text) {
        return new Reply("NO", text);
    }

    static Reply bad(String text) {
        return new Reply("BAD", text);
    }
}
