package org.clustermail.webmail;

import java.util.List;

/**
 * The models of the web-mail pages, one record per template in {@code src/main/jte}. Every string is plain text
 * that the templates escape, except {@link Message#bodyHtml()}, which {@link MessageView} made safe. Public because
 * the compiled templates live in jte's own package.
 */
public final class Pages {

    private Pages() {
    }

    /** What every page shows in its frame: the node, and the user with the token of their forms when logged in. */
    public record Frame(String title, String node, String user, String csrf) {
        public boolean loggedIn() {
            return user != null;
        }
    }

    public record Login(Frame frame, String login, String error) {
    }

    public record FolderLink(String name, String href, int unread, boolean current) {
    }

    public record Row(String href, String from, String subject, String preview, String date, String size,
                      boolean seen, boolean attachment) {
    }

    public record Mailbox(Frame frame, List<FolderLink> folders, String folder, String query, List<Row> rows,
                          String range, String newerHref, String olderHref) {
    }

    public record AttachmentLink(String href, String name, String type, String size) {
    }

    public record Message(Frame frame, List<FolderLink> folders, String folder, long uid, String from, String to,
                          String cc, String subject, String date, String bodyHtml, boolean fromHtml,
                          List<AttachmentLink> attachments, String backHref, String replyHref, boolean inTrash) {
    }

    public record Compose(Frame frame, List<FolderLink> folders, String to, String subject, String body,
                          String inReplyTo, String error) {
    }

    public record Error(Frame frame, int status, String text) {
    }
}
