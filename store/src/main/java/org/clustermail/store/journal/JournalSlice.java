package org.clustermail.store.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clustermail.store.MessageContent;

/**
 * A message's bytes inside a journal segment. The apply lanes read a copy from here, not from the caller's content,
 * which the caller may discard once it is acknowledged (an SMTP spool file). The segment stays until the record is
 * applied (the checkpoint never trims past it), and reads come from the page cache it was just written to.
 */
record JournalSlice(Path segment, long offset, long size) implements MessageContent {

    @Override
    public InputStream openStream() throws IOException {
        FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ);
        return new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= size) {
                    return -1;
                }
                int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, size - read)), offset + read);
                if (n < 0) {
                    throw new IOException(segment + " ends inside a record at " + (offset + read));
                }
                read += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
