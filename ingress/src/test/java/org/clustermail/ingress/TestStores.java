package org.clustermail.ingress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.store.DeliveryReceipt;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.Flags;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.MessageRef;

/** TEMPORARY until the store module lands: a memory store with just what the ingress tests read. */
final class TestStores {

    private TestStores() {
    }

    static MailStore open(Path dir) {
        Map<String, List<byte[]>> boxes = new ConcurrentHashMap<>();
        return new MailStore() {
            @Override
            public void start() {
            }

            @Override
            public synchronized DeliveryReceipt deliver(List<MailboxOwner> recipients, MessageContent content,
                                                        Instant internalDate) {
                List<DeliveryReceipt.Delivered> out = new ArrayList<>();
                for (MailboxOwner o : recipients) {
                    try (InputStream in = content.openStream()) {
                        List<byte[]> box = boxes.computeIfAbsent(o.userId(), k -> new ArrayList<>());
                        box.add(in.readAllBytes());
                        out.add(new DeliveryReceipt.Delivered(o, Mailbox.INBOX, 1, box.size()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return new DeliveryReceipt(out);
            }

            @Override
            public Mailbox open(MailboxOwner owner) {
                List<byte[]> box = boxes.getOrDefault(owner.userId(), List.of());
                return (Mailbox) Proxy.newProxyInstance(Mailbox.class.getClassLoader(), new Class<?>[]{Mailbox.class},
                        (p, m, a) -> switch (m.getName()) {
                            case "snapshot" -> {
                                List<MessageRef> refs = new ArrayList<>();
                                for (int i = 0; i < box.size(); i++) {
                                    refs.add(new MessageRef(i + 1, Flags.NONE, 1, box.get(i).length, Instant.now()));
                                }
                                yield new FolderSnapshot(Mailbox.INBOX, 1, box.size() + 1, 1, refs);
                            }
                            case "openMessage" -> new ByteArrayInputStream(box.get((int) (long) (Long) a[1] - 1));
                            case "close" -> null;
                            default -> throw new UnsupportedOperationException(m.getName());
                        });
            }

            @Override
            public int rebuildIndex(MailboxOwner owner) {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }
}
