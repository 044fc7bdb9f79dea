package org.clustermail.retrieval.imap;

import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.store.MailStore;

/** What every IMAP session of a node shares: the store, the login checks, routing and settings. Immutable. */
record ImapContext(MailStore store, Logins logins, SessionRouting routing, RetrievalConfig config) {
}
