package org.clustermail.postfix.socketmap;

import java.util.List;
import java.util.Optional;
import org.clustermail.directory.Directory;
import org.clustermail.directory.DirectoryException;
import org.clustermail.directory.InvalidAddressException;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.postfix.socketmap.SocketmapReply.Found;
import org.clustermail.postfix.socketmap.SocketmapReply.NotFound;
import org.clustermail.postfix.socketmap.SocketmapReply.PermFail;
import org.clustermail.postfix.socketmap.SocketmapReply.TempFail;

/**
 * The tables a front MTA asks at RCPT time, answered from the node's in-memory directory (never from SQL, so a
 * lookup costs microseconds and goes on while SQL is down):
 * <ul>
 *   <li>{@value #DOMAIN}: key a domain; found when it is one of ours ({@code virtual_mailbox_domains}).</li>
 *   <li>{@value #MAILBOX}: key {@code local@domain}; found when the user exists and is active
 *       ({@code virtual_mailbox_maps}); the value names the owner node. Unknown and disabled users are not found,
 *       so Postfix refuses them at RCPT (550 5.1.1) instead of accepting and bouncing later.</li>
 *   <li>{@value #RECIPIENT_ACCESS}: an access(5) table ({@code check_recipient_access}); a disabled user gets
 *       {@code 550 5.2.1}, the reply clustermail's own SMTP gives; every other key is not found (no opinion).</li>
 * </ul>
 * Keys that are not valid addresses or domains are simply not found; keys Postfix tries after the full address
 * ({@code @domain}, {@code local@}, a bare domain) are not found either, as clustermail has no catch-alls.
 * Stateless; thread-safe.
 */
public final class RecipientTables {

    public static final String DOMAIN = "domain";
    public static final String MAILBOX = "mailbox";
    public static final String RECIPIENT_ACCESS = "recipient-access";
    public static final List<String> MAPS = List.of(DOMAIN, MAILBOX, RECIPIENT_ACCESS);

    private static final SocketmapReply NOT_FOUND = new NotFound();

    private final Directory directory;

    public RecipientTables(Directory directory) {
        this.directory = directory;
    }

    /** Answers one request; never throws. */
    public SocketmapReply lookup(SocketmapRequest request) {
        try {
            return switch (request.map()) {
                case DOMAIN -> domain(request.key());
                case MAILBOX -> address(request.key()).filter(UserLocation::active)
                        .<SocketmapReply>map(u -> new Found(u.primary().directoryName())).orElse(NOT_FOUND);
                case RECIPIENT_ACCESS -> address(request.key()).filter(u -> !u.active())
                        .<SocketmapReply>map(u -> new Found("550 5.2.1 Mailbox disabled")).orElse(NOT_FOUND);
                default -> new PermFail("no map named " + printable(request.map()) + "; maps: " + MAPS);
            };
        } catch (DirectoryException e) {
            return new TempFail("directory unavailable");
        }
    }

    private SocketmapReply domain(String key) {
        String domain;
        try {
            domain = MailAddress.normaliseDomain(key);
        } catch (InvalidAddressException e) {
            return NOT_FOUND;
        }
        return directory.isLocalDomain(domain) ? new Found(domain) : NOT_FOUND;
    }

    private Optional<UserLocation> address(String key) {
        MailAddress address;
        try {
            address = MailAddress.parse(key);
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
        return directory.locate(address);
    }

    /** A map name from the wire, shortened and without control characters, for a reply. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
