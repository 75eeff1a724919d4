package dev.correlator.webhook;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.Transactions;

/**
 * Writes the deliveries that arrive together in shared transactions ("group commit"): each
 * request still waits for the commit that holds its delivery, but one WAL flush serves many
 * deliveries instead of one. A batch that fails is written again one delivery at a time, so a
 * bad delivery fails alone.
 *
 * <p>Two deliveries that must be applied in order (the same delivery id, pushes to the same
 * branch) never share a batch: the later one waits for the next.
 */
@ApplicationScoped
public class IntakeBatcher {

    private static final Logger LOG = Logger.getLogger(IntakeBatcher.class);

    private record Pending(PreparedDelivery prepared, CompletableFuture<IntakeResult> answer) {}

    // Guards the queue and the keys of the batches being written.
    private final Object lock = new Object();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Set<String> inFlight = new HashSet<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;
    private DistributionSummary batchSizes;
    private Timer batchWrites;

    @Inject
    CorrelatorConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeliveryWriter writer;

    void start(@Observes StartupEvent start, MeterRegistry metrics) {
        batchSizes = DistributionSummary.builder("correlator.intake.batch.size")
                .description("Deliveries committed together")
                .register(metrics);
        batchWrites = Timer.builder("correlator.intake.batch.write")
                .description("Time to write and commit one batch of deliveries")
                .register(metrics);
        for (int i = 0; i < config.intake().writers(); i++) {
            Thread thread = new Thread(this::run, "intake-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            writers.add(thread);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        writers.forEach(Thread::interrupt);
    }

    CompletableFuture<IntakeResult> submit(PreparedDelivery prepared) {
        CompletableFuture<IntakeResult> answer = new CompletableFuture<>();
        if (!running) {
            answer.completeExceptionally(new IllegalStateException("the App is shutting down"));
            return answer;
        }
        synchronized (lock) {
            queue.add(new Pending(prepared, answer));
            lock.notifyAll();
        }
        return answer;
    }

    private void run() {
        while (running) {
            List<Pending> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            batchSizes.record(batch.size());
            long start = System.nanoTime();
            try {
                write(batch);
            } finally {
                batchWrites.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                synchronized (lock) {
                    batch.forEach(pending -> inFlight.removeAll(keys(pending.prepared())));
                    lock.notifyAll();
                }
            }
        }
        synchronized (lock) {
            for (Pending pending; (pending = queue.poll()) != null; ) {
                pending.answer().completeExceptionally(new IllegalStateException("the App is shutting down"));
            }
        }
    }

    /**
     * The oldest deliveries that may be written now: none whose key another writer's batch
     * holds, and none after a waiting one with the same key. Waits while there are none.
     */
    private List<Pending> nextBatch() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                List<Pending> batch =
                        select(queue, config.intake().maxBatch(), pending -> keys(pending.prepared()), inFlight);
                if (!batch.isEmpty()) {
                    batch.forEach(pending -> inFlight.addAll(keys(pending.prepared())));
                    return batch;
                }
                lock.wait();
            }
        }
    }

    private static List<String> keys(PreparedDelivery prepared) {
        String id = "delivery:" + prepared.delivery().id();
        return prepared.serialKey() == null ? List.of(id) : List.of(id, prepared.serialKey());
    }

    /**
     * Takes from the queue, in order, up to max items whose keys are neither held nor carried by
     * an earlier item still waiting; what it passes over stays queued, in order.
     */
    static <P> List<P> select(Deque<P> waiting, int max, Function<P, List<String>> keysOf, Set<String> held) {
        List<P> batch = new ArrayList<>();
        Set<String> blocked = new HashSet<>(held);
        for (var it = waiting.iterator(); it.hasNext() && batch.size() < max; ) {
            P next = it.next();
            List<String> keys = keysOf.apply(next);
            if (keys.stream().noneMatch(blocked::contains)) {
                batch.add(next);
                it.remove();
            }
            blocked.addAll(keys);
        }
        return batch;
    }

    private void write(List<Pending> batch) {
        try {
            List<IntakeResult> results = inTransaction(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).answer().completeExceptionally(e);
                return;
            }
            LOG.debugf("A batch of %d failed (%s); writing its deliveries one by one", batch.size(), e.getMessage());
            for (Pending pending : batch) {
                write(List.of(pending));
            }
        }
    }

    /**
     * One transaction for the batch, again if it lost a race with a concurrent transaction (a
     * deadlock, a serialization failure, a unique key another took first, a developer another
     * merged away): the second try sees the other's rows and takes the update path.
     */
    private List<IntakeResult> inTransaction(List<Pending> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return writeAndCommit(batch);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !lostARace(e)) {
                    throw e;
                }
            }
        }
    }

    /** The batch's last round trip carries its COMMIT (see {@link DeliveryWriter#write}). */
    private List<IntakeResult> writeAndCommit(List<Pending> batch) {
        try {
            return Transactions.inTransaction(
                    dataSource,
                    connection -> writer.write(
                            connection, batch.stream().map(Pending::prepared).toList()));
        } finally {
            MDC.remove("delivery");
        }
    }

    static boolean lostARace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && Set.of("40001", "40P01", "23505", "23503").contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
