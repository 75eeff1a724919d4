package dev.correlator.webhook;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IntakeBatcherTest {

    private static List<String> keys(String item) {
        // "id/branch": the delivery id and the branch it pushes to
        String[] parts = item.split("/");
        return List.of("delivery:" + parts[0], "ref:" + parts[1]);
    }

    @Test
    void deliveriesThatMustBeOrderedNeverShareABatch() {
        ArrayDeque<String> queue =
                new ArrayDeque<>(List.of("d1/main", "d2/feature", "d3/main", "d1/other", "d4/fix", "d5/feature"));

        assertEquals(
                List.of("d1/main", "d2/feature", "d4/fix"),
                IntakeBatcher.select(queue, 64, IntakeBatcherTest::keys, Set.of()));
        assertEquals(List.of("d3/main", "d1/other", "d5/feature"), List.copyOf(queue), "the rest waits, in order");
        assertEquals(
                List.of("d3/main", "d1/other", "d5/feature"),
                IntakeBatcher.select(queue, 64, IntakeBatcherTest::keys, Set.of()));
        assertEquals(0, queue.size());
    }

    @Test
    void whatAnotherWriterHoldsWaitsAndSoDoesEverythingBehindIt() {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of("d7/main", "d8/docs", "d9/main"));
        assertEquals(List.of("d8/docs"), IntakeBatcher.select(queue, 64, IntakeBatcherTest::keys, Set.of("ref:main")));
        assertEquals(List.of("d7/main", "d9/main"), List.copyOf(queue));
    }

    @Test
    void aBatchHoldsAtMostMaxDeliveries() {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of("a/1", "b/2", "c/3", "d/4", "e/5"));
        assertEquals(List.of("a/1", "b/2", "c/3"), IntakeBatcher.select(queue, 3, IntakeBatcherTest::keys, Set.of()));
        assertEquals(List.of("d/4", "e/5"), List.copyOf(queue));
    }

    @Test
    void losingARaceIsRetriedAndABugIsNot() {
        assertEquals(true, IntakeBatcher.lostARace(new RuntimeException(new SQLException("deadlock", "40P01"))));
        assertEquals(true, IntakeBatcher.lostARace(new SQLException("taken", "23505")));
        // A developer merged away by another writer between our lookup and our insert.
        assertEquals(true, IntakeBatcher.lostARace(new SQLException("merged", "23503")));
        assertEquals(false, IntakeBatcher.lostARace(new SQLException("syntax", "42601")));
        assertEquals(false, IntakeBatcher.lostARace(new IllegalStateException("no SQL state")));
    }
}
