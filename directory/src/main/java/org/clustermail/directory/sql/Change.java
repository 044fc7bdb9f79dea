package org.clustermail.directory.sql;

/**
 * One entry of the change log: something about {@code subject} changed in change number {@code id}.
 *
 * @param kind    {@link #USER} (subject is an address) or {@link #DOMAIN} (subject is a domain)
 */
public record Change(long id, String kind, String subject) {
    public static final String USER = "user";
    public static final String DOMAIN = "domain";
}
