package org.clustermail.cluster.channel;

import java.io.IOException;
import java.io.InputStream;

/** The bytes of one message to send over a node channel, readable as often as a retry needs. */
public interface TransferContent {

    long size();

    InputStream openStream() throws IOException;
}
