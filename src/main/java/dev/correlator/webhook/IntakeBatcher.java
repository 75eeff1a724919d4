package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.correlator.CorrelatorConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

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

    private record Pending(PreparedDelivery prepared, CompletableFuture<IntakeResult> answer) {
    }

    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;
    private DistributionSummary batchSizes;

    @Inject
    CorrelatorConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeliveryWriter writer;

    void start(@Observes StartupEvent start, MeterRegistry metrics) {
        batchSizes = DistributionSummary.builder("correlator.intake.batch.size")
                .description("Deliveries committed together").register(metrics);
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
        queue.add(new Pending(prepared, answer));
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
            write(batch);
        }
        for (Pending pending; (pending = queue.poll()) != null;) {
            pending.answer().completeExceptionally(new IllegalStateException("the App is shutting down"));
        }
    }

    /** The oldest waiting delivery and every other one that may share its transaction. */
    private List<Pending> nextBatch() throws InterruptedException {
        Pending first = queue.take();
        List<Pending> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Deque<Pending> later = new ArrayDeque<>();
        for (Pending next = first; next != null && batch.size() < config.intake().maxBatch(); next = queue.poll()) {
            PreparedDelivery p = next.prepared();
            String id = "delivery:" + p.delivery().id();
            if (keys.contains(id) || (p.serialKey() != null && keys.contains(p.serialKey()))) {
                later.addFirst(next);
                continue;
            }
            keys.add(id);
            if (p.serialKey() != null) {
                keys.add(p.serialKey());
            }
            batch.add(next);
        }
        later.forEach(queue::addFirst); // back in front, in their order
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
     * deadlock, a serialization failure, a unique key another took first): the second try
     * sees the other's rows and takes the update path.
     */
    private List<IntakeResult> inTransaction(List<Pending> batch) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        return writer.write(connection, batch.stream().map(Pending::prepared).toList());
                    } finally {
                        MDC.remove("delivery");
                    }
                });
            } catch (RuntimeException e) {
                if (attempt >= 3 || !lostARace(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean lostARace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && Set.of("40001", "40P01", "23505").contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
