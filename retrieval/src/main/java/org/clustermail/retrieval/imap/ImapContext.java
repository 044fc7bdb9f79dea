package org.clustermail.retrieval.imap;

import java.util.Optional;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailStore;

/**
 * What every IMAP session of a node shares: the store, the login checks, routing, the proxy to other nodes (absent
 * where none is configured), settings, and which messages are \Recent. Immutable.
 */
record ImapContext(MailStore store, Logins logins, SessionRouting routing, Optional<SessionProxy> proxy,
                   RetrievalConfig config, RecentMessages recent) {
}
