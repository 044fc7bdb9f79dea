package org.clustermail.retrieval.clients;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Properties;
import org.clustermail.retrieval.TestServers;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Angus Mail (the Jakarta Mail implementation) as a real IMAP and POP3 client against a real node. */
class AngusMailClientsTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Store connect(String protocol, int port, String user) throws MessagingException {
        Properties p = new Properties();
        p.put("mail." + protocol + ".connectiontimeout", "5000");
        p.put("mail." + protocol + ".timeout", "5000");
        p.put("mail.debug", System.getProperty("mail.debug", "false"));
        Store store = Session.getInstance(p).getStore(protocol);
        store.connect("127.0.0.1", port, TestServers.address(user), TestServers.PASSWORD);
        return store;
    }

    static String multipart() {
        return "From: Bob <bob@example.test>\r\nTo: angus@example.test\r\nSubject: with attachment\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n"
                + "--xx\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Gr=C3=BC=C3=9Fe\r\n--xx\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "AAECAw==\r\n--xx--\r\n";
    }

    @Test
    void imapReadsFlagsCopiesMovesAndDeletes() throws Exception {
        node.addUser("angus");
        node.deliver("angus", TestServers.message("hello angus", 500));
        node.deliver("angus", multipart());
        node.deliver("angus", TestServers.message("to delete", 300));
        Store store = connect("imap", node.imapPort(), "angus");
        try {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(3);
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(FetchProfile.Item.FLAGS);
            fp.add(FetchProfile.Item.CONTENT_INFO);
            fp.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(messages, fp);
            assertThat(messages[0].getSubject()).isEqualTo("hello angus");
            assertThat(((InternetAddress) messages[0].getFrom()[0]).getAddress()).isEqualTo("alice@example.test");
            assertThat(inbox.getUID(messages[2])).isEqualTo(3);
            assertThat((String) messages[0].getContent()).contains("line 3 of hello angus");
            MimeMultipart mp = (MimeMultipart) messages[1].getContent();
            assertThat(mp.getCount()).isEqualTo(2);
            assertThat(mp.getBodyPart(0).getContent()).isEqualTo("Grüße");
            MimeBodyPart attachment = (MimeBodyPart) mp.getBodyPart(1);
            assertThat(attachment.getFileName()).isEqualTo("a.bin");
            assertThat(attachment.getInputStream().readAllBytes()).containsExactly(0, 1, 2, 3);
            assertThat(messages[0].isSet(Flags.Flag.SEEN)).isTrue();

            messages[1].setFlag(Flags.Flag.FLAGGED, true);
            messages[2].setFlag(Flags.Flag.DELETED, true);
            inbox.expunge();
            assertThat(inbox.getMessageCount()).isEqualTo(2);

            Folder archive = store.getFolder("Archive");
            assertThat(archive.create(Folder.HOLDS_MESSAGES)).isTrue();
            inbox.copyMessages(new Message[] {inbox.getMessage(1)}, archive);
            inbox.moveMessages(new Message[] {inbox.getMessage(2)}, store.getFolder("Trash"));
            // A closed folder object asks with STATUS: the server's view, not Angus's cache.
            assertThat(store.getFolder("INBOX").getMessageCount()).isEqualTo(1);
            MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
            draft.setSubject("draft via APPEND");
            draft.setText("body");
            store.getFolder("Drafts").appendMessages(new Message[] {draft});
            inbox.close(false);

            Folder trash = store.getFolder("Trash");
            trash.open(Folder.READ_ONLY);
            assertThat(trash.getMessage(1).getSubject()).isEqualTo("with attachment");
            assertThat(trash.getMessage(1).isSet(Flags.Flag.FLAGGED)).isTrue();
            trash.close(false);
            Folder drafts = store.getFolder("Drafts");
            drafts.open(Folder.READ_ONLY);
            assertThat(drafts.getMessage(drafts.getMessageCount()).getSubject()).isEqualTo("draft via APPEND");
            drafts.close(false);
            assertThat(store.getDefaultFolder().list("*")).extracting(Folder::getFullName)
                    .contains("INBOX", "Archive", "Drafts", "Sent", "Trash");
        } finally {
            store.close();
        }
    }

    @Test
    void pop3ReadsAndDeletesAtQuit() throws Exception {
        node.addUser("angus3");
        node.deliver("angus3", TestServers.message("pop one", 400));
        node.deliver("angus3", TestServers.message("pop two", 400));
        Store store = connect("pop3", node.pop3Port(), "angus3");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(2);
            assertThat(messages[0].getSubject()).isEqualTo("pop one");
            assertThat((String) messages[1].getContent()).contains("line 2 of pop two");
            assertThat(((org.eclipse.angus.mail.pop3.POP3Folder) inbox).getUID(messages[1])).matches("\\d+\\.2");
            messages[0].setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            store.close();
        }
        assertThat(remaining("angus3")).isEqualTo(1);
    }

    private static int remaining(String user) throws MessagingException, IOException {
        try (var mailbox = node.open(user)) {
            return mailbox.snapshot("INBOX").messages().size();
        }
    }
}
