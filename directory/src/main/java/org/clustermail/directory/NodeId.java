package org.clustermail.directory;

/**
 * A cluster node's number. Mailboxes of a node live under {@code <data>/node<NN>/}, as in the paper's layout.
 */
public record NodeId(int number) implements Comparable<NodeId> {

    public NodeId {
        if (number < 0 || number > 999) {
            throw new IllegalArgumentException("node number must be 0..999, got " + number);
        }
    }

    public static NodeId of(int number) {
        return new NodeId(number);
    }

    /** The directory name of this node's mailboxes, e.g. {@code node01}. */
    public String directoryName() {
        return String.format("node%02d", number);
    }

    @Override
    public int compareTo(NodeId other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return directoryName();
    }
}
