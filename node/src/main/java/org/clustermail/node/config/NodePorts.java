package org.clustermail.node.config;

/**
 * The TCP ports one node listens on. Each protocol's issue fills in its own use; absent values take the defaults
 * (unprivileged ports, so a development machine needs no root). Immutable; each port must be 1..65535.
 */
public record NodePorts(Integer smtp, Integer submission, Integer lmtp, Integer pop3, Integer imap, Integer http,
                        Integer smtps, Integer metrics, Integer channel,
                        Integer socketmap, Integer imaps, Integer pop3s) {

    public NodePorts {
        smtp = check("smtp", smtp, 2525);
        submission = check("submission", submission, 2587);
        lmtp = check("lmtp", lmtp, 2424);
        pop3 = check("pop3", pop3, 2110);
        imap = check("imap", imap, 2143);
        http = check("http", http, 8080);
        smtps = check("smtps", smtps, 2465);
        metrics = check("metrics", metrics, 9090);
        channel = check("channel", channel, 2426); // the internal node-channel LMTP listener (cluster nodes only)
        socketmap = check("socketmap", socketmap, 2427);
        imaps = check("imaps", imaps, 2993); // IMAP and POP3 over implicit TLS, like smtps (993 and 995)
        pop3s = check("pop3s", pop3s, 2995);
    }

    public static NodePorts defaults() {
        return new NodePorts(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static int check(String name, Integer port, int dflt) {
        int p = port == null ? dflt : port;
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + name + " must be 1..65535, got " + p);
        }
        return p;
    }
}
