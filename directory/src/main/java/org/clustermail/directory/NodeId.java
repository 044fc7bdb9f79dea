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
        return (number < 10 ? "node0" : "node") + number; // not String.format: this is on every delivery's path
    }

    // Written out: the generated record methods go through method handles, slower on the per-recipient routing path.
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && other.number == number;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(number);
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
