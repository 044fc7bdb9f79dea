package org.clustermail.ingress;

import java.util.OptionalLong;

/**
 * The ESMTP parameters of MAIL FROM that clustermail supports.
 *
 * @param declaredSize SIZE=n (RFC 1870), if given
 * @param eightBit     BODY=8BITMIME (RFC 6152)
 * @param smtpUtf8     SMTPUTF8 (RFC 6531): addresses and headers may be UTF-8
 */
public record MailParameters(OptionalLong declaredSize, boolean eightBit, boolean smtpUtf8) {

    public static final MailParameters NONE = new MailParameters(OptionalLong.empty(), false, false);
}
