package org.clustermail.retrieval.pop3;

import java.util.Optional;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailStore;

/** What every POP3 session of a node shares; {@code proxy} is absent where none is configured. Immutable. */
record Pop3Context(MailStore store, Logins logins, SessionRouting routing, Optional<SessionProxy> proxy,
                   RetrievalConfig config) {
}
