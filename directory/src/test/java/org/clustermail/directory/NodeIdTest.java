package org.clustermail.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Node numbers, their directory names (the mailbox layout depends on them) and equality. */
class NodeIdTest {

    @Test
    void directoryNamesHaveAtLeastTwoDigits() {
        assertThat(NodeId.of(0).directoryName()).isEqualTo("node00");
        assertThat(NodeId.of(7).directoryName()).isEqualTo("node07");
        assertThat(NodeId.of(42).directoryName()).isEqualTo("node42");
        assertThat(NodeId.of(999).directoryName()).isEqualTo("node999");
        assertThat(NodeId.of(3)).hasToString("node03");
    }

    @Test
    void equalNumbersAreEqualNodes() {
        assertThat(NodeId.of(3)).isEqualTo(NodeId.of(3)).hasSameHashCodeAs(NodeId.of(3)).isNotEqualTo(NodeId.of(4));
        assertThat(NodeId.of(3)).isNotEqualTo("node03");
        assertThatThrownBy(() -> NodeId.of(1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
