package org.clustermail.store.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.store.Flags;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.SystemFlag;

/**
 * One journal record's metadata: a message for one or more mailboxes, each copy with the folder and the UID it was
 * given before the record was written (so replaying the record gives the same UIDs). The message bytes follow the
 * metadata in the record.
 */
public record JournalEntry(Instant internalDate, Flags flags, List<Target> targets) {

    public JournalEntry {
        targets = List.copyOf(targets);
    }

    /** Where one copy goes. */
    public record Target(MailboxOwner owner, String folder, long uidValidity, long uid, long modseq) {
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(internalDate.toEpochMilli());
            int bits = 0;
            for (SystemFlag f : flags.system()) {
                bits |= 1 << f.ordinal();
            }
            out.writeByte(bits);
            out.writeShort(flags.keywords().size());
            for (String k : flags.keywords()) {
                str(out, k);
            }
            out.writeInt(targets.size());
            for (Target t : targets) {
                str(out, t.owner().userId());
                out.writeLong(t.owner().serial());
                str(out, t.folder());
                out.writeLong(t.uidValidity());
                out.writeLong(t.uid());
                out.writeLong(t.modseq());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JournalEntry decode(byte[] data, int off, int len) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, off, len));
        Instant date = Instant.ofEpochMilli(in.readLong());
        int bits = in.readByte();
        List<String> names = new ArrayList<>();
        for (SystemFlag f : SystemFlag.values()) {
            if ((bits & (1 << f.ordinal())) != 0) {
                names.add(f.imapName());
            }
        }
        int nk = in.readShort();
        for (int i = 0; i < nk; i++) {
            names.add(str(in));
        }
        int n = in.readInt();
        List<Target> targets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            targets.add(new Target(new MailboxOwner(str(in), in.readLong()), str(in), in.readLong(), in.readLong(),
                    in.readLong()));
        }
        return new JournalEntry(date, Flags.parse(names), targets);
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
    }
}
