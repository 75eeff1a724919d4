package dev.correlator.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An OTLP/HTTP backend inside the test: decodes each ExportTraceServiceRequest with the
 * protocol's own generated classes (not the App's encoder) and keeps the spans. It can be told
 * to refuse with 503 and Retry-After, to drop the connection, or to answer slowly; and, as a
 * backend does for what a request carries, to answer 400 to a request holding a span with a
 * given attribute or 413 to a body over a size (keeping none of its spans).
 */
public class OtlpReceiver implements QuarkusTestResourceLifecycleManager {

    /** A received span with the resource it came with. */
    public record Received(Span span, Resource resource) {}

    private static HttpServer server;
    private static final List<Received> spans = new CopyOnWriteArrayList<>();
    private static final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private static final AtomicInteger refusals = new AtomicInteger();
    private static final AtomicInteger drops = new AtomicInteger();
    private static final AtomicInteger requests = new AtomicInteger();
    private static volatile String retryAfter = "1";
    private static volatile long delayMillis;
    private static volatile String poison;
    private static volatile int maxBodyBytes = Integer.MAX_VALUE;
    private static final AtomicInteger badRequests = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/traces", OtlpReceiver::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return Map.of(
                "correlator.telemetry.endpoint",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if (drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.close(); // no status line: the connection just ends
                return;
            }
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (bytes.length > maxBodyBytes) {
                badRequests.incrementAndGet();
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
            if (poison != null
                    && request.getResourceSpansList().stream()
                            .flatMap(r -> r.getScopeSpansList().stream())
                            .flatMap(s -> s.getSpansList().stream())
                            .anyMatch(span -> span.getAttributesList().stream()
                                    .anyMatch(kv -> kv.getKey().equals(poison)))) {
                badRequests.incrementAndGet();
                byte[] message = ("span attribute " + poison + " is not accepted").getBytes();
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        spans.add(new Received(span, resourceSpans.getResource()));
                    }
                }
            }
            headers.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    public static void reset() {
        spans.clear();
        headers.clear();
        refusals.set(0);
        drops.set(0);
        requests.set(0);
        retryAfter = "1";
        delayMillis = 0;
        poison = null;
        maxBodyBytes = Integer.MAX_VALUE;
        badRequests.set(0);
    }

    /** Requests holding a span with this attribute get 400, whatever else they hold. */
    public static void refuseSpansWith(String attribute) {
        poison = attribute;
    }

    /** Requests with a body over this many bytes get 413. */
    public static void refuseBodiesOver(int bytes) {
        maxBodyBytes = bytes;
    }

    /** How many requests were answered 400 or 413. */
    public static int badRequests() {
        return badRequests.get();
    }

    /** The next {@code times} requests get 503 with this Retry-After in seconds. */
    public static void refuse(int times, int retryAfterSeconds) {
        refuse(times, String.valueOf(retryAfterSeconds));
    }

    /** The next {@code times} requests get 503 with this Retry-After (seconds or an HTTP date). */
    public static void refuse(int times, String retryAfterValue) {
        retryAfter = retryAfterValue;
        refusals.set(times);
    }

    /** The next {@code times} requests lose their connection before any answer. */
    public static void drop(int times) {
        drops.set(times);
    }

    public static void delay(long millis) {
        delayMillis = millis;
    }

    public static List<Received> spans() {
        return new ArrayList<>(spans);
    }

    public static List<Map<String, List<String>>> headers() {
        return new ArrayList<>(headers);
    }

    public static int requests() {
        return requests.get();
    }
}
