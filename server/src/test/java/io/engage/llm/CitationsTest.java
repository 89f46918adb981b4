package io.engage.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CitationsTest {

    @Test
    void readsMarkersInFirstCitedOrderWithinRange() {
        assertThat(Citations.parse("Yes [3]. Also [1][3], see [2, 1] and [7] and [0].", 3)).containsExactly(3, 1, 2);
    }

    @Test
    void noMarkersOrNoPassagesMeansNothingCited() {
        assertThat(Citations.parse("No citations here.", 3)).isEmpty();
        assertThat(Citations.parse("Cites [1].", 0)).isEmpty();
        assertThat(Citations.parse(null, 3)).isEmpty();
    }
}
