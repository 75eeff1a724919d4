package dev.correlator.http;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

import dev.correlator.CorrelatorConfig;

/**
 * Reads every request body on the event loop before any endpoint runs, within its route's limit
 * and the cap on bytes held across requests. A declared length over the limit, or over what
 * the cap has left, is answered from the headers; a chunked body is counted as it arrives and
 * cut when it passes either. Endpoints then get the body from memory, so a slow sender holds
 * no worker thread either.
 */
public class RequestBodies {

    /** Before Quarkus's own length check (order -2) and every endpoint; after the guards. */
    public static final int PRIORITY = RouteFilter.DEFAULT_PRIORITY + 5;

    /** Seconds a client is told to wait when the cap is reached; requests are short-lived. */
    private static final String RETRY_AFTER = "5";

    private record RouteLimit(String path, long limit) {}

    @Inject
    CorrelatorConfig config;

    @Inject
    BufferedBodies buffered;

    @Inject
    ObjectMapper json;

    private List<RouteLimit> routes;
    private long otherLimit;

    @PostConstruct
    void init() {
        CorrelatorConfig.BodyLimits limits = config.http().bodyLimits();
        routes = List.of(
                new RouteLimit(Routes.WEBHOOK, limits.webhook().asLongValue()),
                new RouteLimit(
                        Routes.CODESPACE_EVENTS, limits.codespaceReports().asLongValue()));
        otherLimit = limits.other().asLongValue();
    }

    long limitFor(String path) {
        for (RouteLimit route : routes) {
            if (path.equals(route.path()) || path.startsWith(route.path() + "/")) {
                return route.limit();
            }
        }
        return otherLimit;
    }

    @RouteFilter(PRIORITY)
    void read(RoutingContext context) {
        HttpServerRequest request = context.request();
        long declared;
        try {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            EarlyAnswer.send(context, json, Problem.of(400, "Bad Request", "Content-Length is not a number"), null);
            return;
        }
        boolean streamed = declared < 0
                && (request.version() == HttpVersion.HTTP_2
                        || request.headers().contains(HttpHeaders.TRANSFER_ENCODING));
        if (declared <= 0 && !streamed) {
            context.next();
            return;
        }
        long limit = limitFor(EarlyAnswer.routePath(context));
        if (declared > limit) {
            tooLarge(context, limit);
            return;
        }
        Reading reading = new Reading(context);
        context.addEndHandler(end -> reading.finish());
        if (declared > 0 && !reading.take(declared)) {
            reading.refuse(busy());
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        // The whole declared length is taken from the cap above, so the buffer may be sized to it.
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 8192);
        long timer = context.vertx()
                .setTimer(
                        config.http().bodyTimeout().toMillis(),
                        fired -> reading.refuse(Problem.of(
                                408,
                                "Request Timeout",
                                "the body did not arrive within "
                                        + config.http().bodyTimeout())));
        reading.timer = timer;
        request.handler(chunk -> {
            if (reading.done) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                reading.refuse(tooLarge(limit));
            } else if (declared < 0 && !reading.take(chunk.length())) {
                reading.refuse(busy());
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (reading.done) {
                return;
            }
            reading.stopTimer();
            RoutingContextInternal internal = (RoutingContextInternal) context;
            // Any Vert.x BodyHandler further on (the GitHub App extension's route has one) takes this body.
            internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
            internal.setBody(body);
            context.next();
        });
        request.exceptionHandler(failure -> reading.finish());
        request.resume();
    }

    private void tooLarge(RoutingContext context, long limit) {
        EarlyAnswer.send(context, json, tooLarge(limit), null);
    }

    private static Problem tooLarge(long limit) {
        return Problem.of(413, "Payload Too Large", "this endpoint takes bodies of at most " + limit + " bytes");
    }

    private static Problem busy() {
        return Problem.of(
                503, "Service Unavailable", "too many request bodies are being read at once; send it again later");
    }

    /** One body being read: what it holds of the cap, given back exactly once. */
    private final class Reading {
        private final RoutingContext context;
        private long held;
        private long timer = -1;
        private volatile boolean done;

        Reading(RoutingContext context) {
            this.context = context;
        }

        // The body arrives on the event loop; the request may end on a worker thread.
        synchronized boolean take(long bytes) {
            if (!buffered.take(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        void refuse(Problem problem) {
            synchronized (this) {
                if (done) {
                    return;
                }
                finish();
            }
            EarlyAnswer.send(context, json, problem, problem.status == 503 ? RETRY_AFTER : null);
        }

        synchronized void stopTimer() {
            if (timer >= 0) {
                context.vertx().cancelTimer(timer);
                timer = -1;
            }
        }

        /** The body is no longer held once its request is over, however it ended. */
        synchronized void finish() {
            done = true;
            stopTimer();
            buffered.give(held);
            held = 0;
        }
    }
}
