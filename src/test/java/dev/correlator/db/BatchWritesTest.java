package dev.correlator.db;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BatchWritesTest {

    @Test
    void findsTheRowOfPlaceholdersOfAnInsert() {
        String sql = "insert into t (a, b, c) values (?, lower(?), now()) on conflict (a) do nothing";
        int[] tuple = BatchWrites.valuesTuple(sql);
        assertArrayEquals(new int[] {sql.indexOf("(?"), sql.indexOf(" on conflict")}, tuple);
    }

    @Test
    void readsPastParenthesesInQuotedText() {
        String sql = "INSERT INTO t (a, b) VALUES (?, ')(')\n on conflict do nothing";
        int[] tuple = BatchWrites.valuesTuple(sql);
        assertArrayEquals(new int[] {sql.indexOf("(?"), sql.indexOf("\n on")}, tuple);
    }

    @Test
    void leavesOtherStatementsAlone() {
        assertNull(BatchWrites.valuesTuple("update t set a = ? where b = ?"));
        assertNull(BatchWrites.valuesTuple("insert into t (a) select x from unnest(?::text[]) x"));
    }
}
