package org.clustermail.retrieval.pop3;

import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.store.MailStore;

/** What every POP3 session of a node shares. Immutable. */
record Pop3Context(MailStore store, Logins logins, SessionRouting routing, RetrievalConfig config) {
}
