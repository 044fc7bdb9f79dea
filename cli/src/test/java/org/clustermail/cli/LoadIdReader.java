package org.clustermail.cli;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a user's maildrop over POP3 (Angus Mail) and lists the {@code X-Load-Id} of every message, duplicates
 * included, as a user's mail client would see them. Stateless.
 */
final class LoadIdReader {

    private LoadIdReader() {
    }

    /** The load ids in the user's INBOX on the node whose POP3 port is given. */
    static List<String> loadIds(int pop3Port, String user, String password) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.pop3.connectiontimeout", "5000");
        p.put("mail.pop3.timeout", "20000");
        Store store = Session.getInstance(p).getStore("pop3");
        store.connect("127.0.0.1", pop3Port, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<String> ids = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    String[] id = m.getHeader("X-Load-Id");
                    ids.add(id == null ? "(none)" : id[0]);
                }
                return ids;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }
}
