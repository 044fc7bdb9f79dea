package org.clustermail.directory.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.clustermail.directory.NodeId;
import org.junit.jupiter.api.Test;

class NodeAssignerTest {

    private static final List<NodeId> THREE = List.of(NodeId.of(1), NodeId.of(2), NodeId.of(3));

    @Test
    void primaryAndSecondaryAreNeverTheSameAndEveryPairIsAboutEquallyLikely() {
        NodeAssigner a = new NodeAssigner(THREE, new SplittableRandom(42));
        Map<String, Integer> pairs = new HashMap<>();
        int draws = 60_000;
        for (int i = 0; i < draws; i++) {
            NodeAssigner.Assignment x = a.next();
            assertThat(x.secondary()).isPresent().get().isNotEqualTo(x.primary());
            pairs.merge(x.primary() + ">" + x.secondary().get(), 1, Integer::sum);
        }
        assertThat(pairs).hasSize(6); // 3 x 2 ordered pairs
        // Each ordered pair expects draws/6 = 10,000; a chi-square with 5 degrees of freedom stays under 20.5
        // (p = 0.001) for a uniform draw.
        double chi2 = pairs.values().stream().mapToDouble(n -> Math.pow(n - draws / 6.0, 2) / (draws / 6.0)).sum();
        assertThat(chi2).isLessThan(20.5);
    }

    @Test
    void aOneNodeClusterHasNoSecondary() {
        NodeAssigner.Assignment x = new NodeAssigner(List.of(NodeId.of(7)), new SplittableRandom(1)).next();
        assertThat(x.primary()).isEqualTo(NodeId.of(7));
        assertThat(x.secondary()).isEqualTo(Optional.empty());
    }
}
