package org.clustermail.postfix.deliver;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.clustermail.cluster.channel.LmtpConnection;
import org.clustermail.cluster.channel.RecipientReply;
import org.clustermail.directory.InvalidAddressException;
import org.clustermail.directory.MailAddress;

/**
 * The paper's mail.local for clustermail: hands one message for one recipient to a node over LMTP (any node: the
 * cluster routes it to the owner) and says what happened as a {@link DeliveryResult}. The node answers 250 only
 * once the copy is durable, so exit status 0 means stored. Never throws for anything the network, the node or the
 * input can do. Stateless; thread-safe.
 */
public final class LocalDeliveryAgent {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Covers the node's durable write, and its forwarding to the owner node. */
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(5);

    private final InetSocketAddress node;
    private final String lhloName;

    /** @param node the node's LMTP listener */
    public LocalDeliveryAgent(InetSocketAddress node, String lhloName) {
        this.node = node;
        this.lhloName = lhloName;
    }

    /**
     * Delivers {@code message} to {@code recipient}.
     *
     * @param sender the envelope sender without angle brackets, "" for the null sender
     */
    public DeliveryResult deliver(String recipient, String sender, IncomingMessage message) {
        MailAddress to;
        try {
            to = MailAddress.parse(recipient);
        } catch (InvalidAddressException e) {
            return DeliveryResult.failed(SysExit.NOUSER, "5.1.3", "bad recipient address: " + e.getMessage());
        }
        if (!validSender(sender)) {
            return DeliveryResult.failed(SysExit.USAGE, "5.1.7", "bad sender address: " + printable(sender));
        }
        String where = node.getHostString() + ":" + node.getPort();
        LmtpConnection lmtp;
        try {
            lmtp = LmtpConnection.open(node, lhloName, CONNECT_TIMEOUT, REPLY_TIMEOUT);
        } catch (ConnectException | SocketTimeoutException | UnknownHostException e) {
            return DeliveryResult.failed(SysExit.TEMPFAIL, "4.4.1", "cannot reach node " + where + ": " + reason(e));
        } catch (IOException e) {
            return DeliveryResult.failed(SysExit.TEMPFAIL, "4.4.2", "node " + where + " failed: " + reason(e));
        }
        try {
            List<RecipientReply> replies = lmtp.send(sender, List.of(to.toString()), message);
            return DeliveryResult.of(to.toString(), replies.get(0).reply());
        } catch (ProtocolException e) {
            return DeliveryResult.failed(SysExit.TEMPFAIL, "4.5.0", "node " + where + " broke the protocol: "
                    + reason(e));
        } catch (IOException e) {
            return DeliveryResult.failed(SysExit.TEMPFAIL, "4.4.2", "connection to node " + where + " lost: "
                    + reason(e));
        } finally {
            closeQuietly(lmtp);
        }
    }

    /** After the node's verdict, a failing QUIT must not turn a delivery into a failure. */
    private static void closeQuietly(LmtpConnection lmtp) {
        try {
            lmtp.close();
        } catch (IOException e) {
            // the verdict is in; nothing depends on a clean goodbye
        }
    }

    /** A reverse path we can put between angle brackets: no spaces, brackets or control characters. */
    static boolean validSender(String sender) {
        if (sender.length() > 256) {
            return false;
        }
        for (int i = 0; i < sender.length(); i++) {
            char c = sender.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == 0x7f) {
                return false;
            }
        }
        return sender.isEmpty() || sender.indexOf('@') > 0;
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
