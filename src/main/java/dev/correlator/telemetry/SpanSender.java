package dev.correlator.telemetry;

import java.util.Collection;

import io.opentelemetry.sdk.trace.data.SpanData;

/** Sends one batch of spans to the OTLP backend, once, and says what came of it. */
interface SpanSender extends AutoCloseable {

    ExportOutcome send(Collection<SpanData> spans);

    @Override
    void close();
}
