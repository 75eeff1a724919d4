package dev.correlator.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.correlator.db.Sql;

/** What operators see of the durable queues, and the one thing they may do: put dead work back. */
@ApplicationScoped
public class QueueAdmin {

    /** Rows of one kind in one state; the oldest is the one waiting longest. */
    public record Depth(String queue, String kind, String status, long rows, Instant oldest) {}

    public record DeadRow(
            long id,
            String kind,
            String key,
            Long installationId,
            int attempts,
            String lastError,
            Instant createdAt,
            Instant finishedAt) {}

    /** Put back: the row, or why not. */
    public sealed interface Requeue {}

    public record Requeued(long id) implements Requeue {}

    public record NotDead() implements Requeue {}

    public record AlreadyWaiting(String kind, String key) implements Requeue {}

    @Inject
    AgroalDataSource dataSource;

    public List<Depth> depths() {
        return read(connection -> Sql.list(
                connection,
                """
                select 'outbox', kind, status, count(*), min(created_at) from outbox group by kind, status
                union all
                select 'spans', 'span', status, count(*), min(created_at) from span_outbox group by status
                order by 1, 2, 3""",
                row -> new Depth(
                        row.getString(1), row.getString(2), row.getString(3), row.getLong(4), Sql.instant(row, "min")),
                new Object[0]));
    }

    public List<DeadRow> dead(String kind, int limit) {
        return read(connection -> Sql.list(
                connection,
                """
                select id, kind, dedup_key, installation_id, attempts, last_error, created_at, finished_at
                  from outbox where status = 'dead' and (?::text is null or kind = ?)
                 order by finished_at desc nulls last, id desc limit ?""",
                row -> new DeadRow(
                        row.getLong(1),
                        row.getString(2),
                        row.getString(3),
                        Sql.nullableLong(row, "installation_id"),
                        row.getInt(5),
                        row.getString(6),
                        Sql.instant(row, "created_at"),
                        Sql.instant(row, "finished_at")),
                kind,
                kind,
                limit));
    }

    /** A dead row becomes pending again, with its attempts reset; refused if the same work already waits. */
    public Requeue requeue(long id) {
        return read(connection -> {
            Optional<String[]> row = Sql.one(
                    connection,
                    "select kind, dedup_key from outbox where id = ? and status = 'dead'",
                    r -> new String[] {r.getString(1), r.getString(2)},
                    id);
            if (row.isEmpty()) {
                return new NotDead();
            }
            long waiting = Sql.one(
                            connection,
                            "select count(*) from outbox where kind = ? and dedup_key = ? and status = 'pending'",
                            r -> r.getLong(1),
                            row.get()[0],
                            row.get()[1])
                    .orElse(0L);
            if (waiting > 0) {
                return new AlreadyWaiting(row.get()[0], row.get()[1]);
            }
            Sql.update(connection, """
                    update outbox set status = 'pending', attempts = 0, available_at = now(), claimed_by = null,
                                      claimed_until = null, finished_at = null
                     where id = ? and status = 'dead'""", id);
            return new Requeued(id);
        });
    }

    private <T> T read(Sql.Work<T> work) {
        return Sql.withConnection(dataSource, work);
    }
}
