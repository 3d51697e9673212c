package dev.pond.model.fit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFM cut points are the 20/40/60/80 % quantiles (inverse empirical distribution: with ten
 * customers, the 2nd, 4th, 6th and 8th smallest values), and cuts that tie are raised just
 * above the previous one (by 1, or by a cent), with a note.
 */
class RfmCutsTest {

    @Test
    void cutsAreQuantilesAndTiesAreRaised() {
        int[] recency = {200, 3, 7, 7, 10, 14, 30, 45, 60, 90};
        int[] orders = {1, 1, 1, 1, 1, 1, 2, 2, 3, 9};
        double[] spend = {19.99, 19.99, 19.99, 19.99, 25, 40.5, 40.5, 99, 120, 500};
        List<CustomerSummary> customers = new ArrayList<>();
        for (int i = 0; i < recency.length; i++) {
            customers.add(new CustomerSummary("c" + i, 0, 0, 0, 0, recency[i], orders[i], spend[i], new TreeMap<>()));
        }

        RfmCuts cuts = RfmCuts.fit(customers);

        assertThat(cuts.recencyDays()).containsExactly(7, 10, 30, 60);
        assertThat(cuts.frequency()).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(cuts.monetary()).containsExactly(19.99, 20.0, 40.5, 99.0);
        assertThat(cuts.notes()).containsExactly(
                "rfm.frequency: the quantiles [1, 1, 1, 2] tie, so the cuts were raised to [1, 2, 3, 4] to ascend",
                "rfm.monetary: the quantiles [19.99, 19.99, 40.5, 99] tie, so the cuts were raised to"
                        + " [19.99, 20, 40.5, 99] to ascend");
    }

    @Test
    void raisedCutsAreExactCents() {
        List<String> notes = new ArrayList<>();

        assertThat(RfmCuts.ascending("m", new double[] {0.1, 0.1, 0.1, 0.2}, 100, notes))
                .containsExactly(0.1, 0.11, 0.12, 0.2);
        assertThat(RfmCuts.ascending("f", new double[] {5, 5, 5, 5}, 1, notes)).containsExactly(5.0, 6.0, 7.0, 8.0);
        assertThat(RfmCuts.ascending("ok", new double[] {1, 2, 3, 4}, 1, notes)).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(notes).hasSize(2);
    }
}
