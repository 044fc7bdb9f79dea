package org.clustermail.store.index;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.clustermail.store.Flags;
import org.clustermail.store.SpecialUse;
import org.clustermail.store.SystemFlag;
import org.clustermail.store.index.IndexRecord.Counters;
import org.clustermail.store.index.IndexRecord.Expunged;
import org.clustermail.store.index.IndexRecord.FlagsSet;
import org.clustermail.store.index.IndexRecord.FolderCreated;
import org.clustermail.store.index.IndexRecord.FolderDeleted;
import org.clustermail.store.index.IndexRecord.FolderRenamed;
import org.clustermail.store.index.IndexRecord.MessageAdded;
import org.clustermail.store.index.IndexRecord.Relocated;
import org.clustermail.store.index.IndexRecord.Subscribed;

/** Encodes index records to bytes and back (the payload inside a {@link RecordFraming} frame). Pure. */
final class IndexCodec {

    /** From, to, cc, subject, message-id, in-reply-to, references, preview. */
    private static final int ENVELOPE_STRINGS = 8;

    private IndexCodec() {
    }

    static byte[] encode(IndexRecord r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            switch (r) {
                case FolderCreated c -> {
                    out.writeByte(1);
                    str(out, c.folder());
                    out.writeLong(c.uidValidity());
                    out.writeInt(bits(c.specialUse()));
                }
                case FolderDeleted d -> {
                    out.writeByte(2);
                    str(out, d.folder());
                }
                case FolderRenamed n -> {
                    out.writeByte(3);
                    str(out, n.from());
                    str(out, n.to());
                }
                case Subscribed s -> {
                    out.writeByte(4);
                    str(out, s.folder());
                    out.writeBoolean(s.subscribed());
                }
                case MessageAdded a -> {
                    out.writeByte(5);
                    str(out, a.folder());
                    message(out, a.message());
                }
                case FlagsSet f -> {
                    out.writeByte(6);
                    str(out, f.folder());
                    out.writeLong(f.uid());
                    flags(out, f.flags());
                    out.writeLong(f.modseq());
                }
                case Expunged e -> {
                    out.writeByte(7);
                    str(out, e.folder());
                    longs(out, e.uids());
                    out.writeLong(e.modseq());
                }
                case Relocated l -> {
                    out.writeByte(8);
                    str(out, l.folder());
                    longs(out, l.uids());
                    longs(out, l.locations());
                }
                case Counters c -> {
                    out.writeByte(9);
                    str(out, c.folder());
                    out.writeLong(c.uidNext());
                    out.writeLong(c.highestModseq());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory encoding cannot fail", e);
        }
    }

    /**
     * Decodes one record. {@code envelopes} false: a message's envelope is skipped, not decoded, and reads as
     * {@link Envelope#EMPTY} (a mailbox loaded for deliveries needs UIDs, sizes, flags and locations only).
     */
    static IndexRecord decode(DataInputStream in, boolean envelopes) throws IOException {
        int type = in.readByte();
        return switch (type) {
            case 1 -> new FolderCreated(str(in), in.readLong(), specialUse(in.readInt()));
            case 2 -> new FolderDeleted(str(in));
            case 3 -> new FolderRenamed(str(in), str(in));
            case 4 -> new Subscribed(str(in), in.readBoolean());
            case 5 -> new MessageAdded(str(in), message(in, envelopes));
            case 6 -> new FlagsSet(str(in), in.readLong(), flags(in), in.readLong());
            case 7 -> new Expunged(str(in), longs(in), in.readLong());
            case 8 -> new Relocated(str(in), longs(in), longs(in));
            case 9 -> new Counters(str(in), in.readLong(), in.readLong());
            default -> throw new IOException("unknown index record type " + type);
        };
    }

    private static void message(DataOutputStream out, StoredMessage m) throws IOException {
        out.writeLong(m.uid());
        out.writeLong(m.size());
        out.writeLong(m.internalDate().toEpochMilli());
        flags(out, m.flags());
        out.writeLong(m.modseq());
        out.writeLong(m.location());
        Envelope e = m.envelope();
        for (String s : List.of(e.from(), e.to(), e.cc(), e.subject(), e.messageId(), e.inReplyTo(), e.references(),
                e.preview())) {
            str(out, s);
        }
        out.writeLong(e.date().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE));
        out.writeBoolean(e.hasAttachments());
    }

    private static StoredMessage message(DataInputStream in, boolean envelope) throws IOException {
        long uid = in.readLong();
        long size = in.readLong();
        Instant internal = Instant.ofEpochMilli(in.readLong());
        Flags flags = flags(in);
        long modseq = in.readLong();
        long location = in.readLong();
        if (!envelope) {
            for (int i = 0; i < ENVELOPE_STRINGS; i++) {
                skipStr(in);
            }
            in.readLong();
            in.readBoolean();
            return new StoredMessage(uid, size, internal, flags, modseq, location, Envelope.EMPTY);
        }
        String from = str(in), to = str(in), cc = str(in), subject = str(in), mid = str(in), irt = str(in),
                refs = str(in), preview = str(in);
        long date = in.readLong();
        boolean att = in.readBoolean();
        Envelope e = new Envelope(from, to, cc, subject,
                date == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(date)), mid, irt, refs,
                att, preview);
        return new StoredMessage(uid, size, internal, flags, modseq, location, e);
    }

    private static void flags(DataOutputStream out, Flags f) throws IOException {
        int bits = 0;
        for (SystemFlag s : f.system()) {
            bits |= 1 << s.ordinal();
        }
        out.writeByte(bits);
        out.writeShort(f.keywords().size());
        for (String k : f.keywords()) {
            str(out, k);
        }
    }

    private static Flags flags(DataInputStream in) throws IOException {
        int bits = in.readByte();
        EnumSet<SystemFlag> sys = EnumSet.noneOf(SystemFlag.class);
        for (SystemFlag s : SystemFlag.values()) {
            if ((bits & (1 << s.ordinal())) != 0) {
                sys.add(s);
            }
        }
        int n = in.readShort();
        TreeSet<String> kws = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            kws.add(str(in));
        }
        return new Flags(sys, kws);
    }

    private static int bits(Set<SpecialUse> uses) {
        int b = 0;
        for (SpecialUse u : uses) {
            b |= 1 << u.ordinal();
        }
        return b;
    }

    private static Set<SpecialUse> specialUse(int bits) {
        EnumSet<SpecialUse> s = EnumSet.noneOf(SpecialUse.class);
        for (SpecialUse u : SpecialUse.values()) {
            if ((bits & (1 << u.ordinal())) != 0) {
                s.add(u);
            }
        }
        return s;
    }

    private static void longs(DataOutputStream out, List<Long> values) throws IOException {
        out.writeInt(values.size());
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static List<Long> longs(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 50_000_000) {
            throw new IOException("bad list length " + n);
        }
        List<Long> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(in.readLong());
        }
        return l;
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void skipStr(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20 || in.skipBytes(n) != n) {
            throw new IOException("bad string length " + n);
        }
    }
}
