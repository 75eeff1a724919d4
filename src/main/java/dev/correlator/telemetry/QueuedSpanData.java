package dev.correlator.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.internal.AttributeUtil;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

/**
 * A queued span handed to the SDK's OTLP exporter as it is: a span that already ended, with
 * the ids and times of the fact, not of the export. (The SDK's tracer would draw random ids
 * and take the clock's time, which is why spans are not made with it.) Bypassing the tracer also
 * bypasses the span limits it would apply, so the same limits are applied here, with the SDK's
 * own rule: attribute values come from text anyone can push (branch names, commit and pull
 * request titles, Codespace names).
 */
record QueuedSpanData(
        QueuedSpan span,
        Resource resource,
        InstrumentationScopeInfo scope,
        Attributes attributes,
        int totalAttributeCount,
        List<LinkData> links)
        implements SpanData {

    static QueuedSpanData of(
            QueuedSpan span,
            Map<String, Object> values,
            Resource resource,
            InstrumentationScopeInfo scope,
            SpanLimits limits) {
        List<LinkData> links = new ArrayList<>();
        for (QueuedSpan.Link link : span.links()) {
            links.add(LinkData.create(context(link.traceId(), link.spanId())));
        }
        Attributes limited = AttributeUtil.applyAttributesLimit(
                attributes(values), limits.getMaxNumberOfAttributes(), limits.getMaxAttributeValueLength());
        return new QueuedSpanData(span, resource, scope, limited, values.size(), List.copyOf(links));
    }

    /** The span and its children, as the exporter takes them; children get the parent's {@link QueuedSpan#INHERITED}. */
    static void flatten(
            QueuedSpan span,
            Resource resource,
            InstrumentationScopeInfo scope,
            SpanLimits limits,
            List<SpanData> into) {
        flatten(span, Map.of(), resource, scope, limits, into);
    }

    private static void flatten(
            QueuedSpan span,
            Map<String, Object> inherited,
            Resource resource,
            InstrumentationScopeInfo scope,
            SpanLimits limits,
            List<SpanData> into) {
        Map<String, Object> values = new LinkedHashMap<>(inherited);
        values.putAll(span.attributes());
        into.add(of(span, values, resource, scope, limits));
        Map<String, Object> passedOn = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (QueuedSpan.INHERITED.contains(key)) {
                passedOn.put(key, value);
            }
        });
        for (QueuedSpan child : span.children()) {
            flatten(child, passedOn, resource, scope, limits, into);
        }
    }

    private static SpanContext context(String traceId, String spanId) {
        return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static Attributes attributes(Map<String, Object> values) {
        AttributesBuilder builder = Attributes.builder();
        values.forEach((key, value) -> {
            if (value instanceof Boolean flag) {
                builder.put(AttributeKey.booleanKey(key), flag);
            } else if (value instanceof Double || value instanceof Float) {
                builder.put(AttributeKey.doubleKey(key), ((Number) value).doubleValue());
            } else if (value instanceof Number number) {
                builder.put(AttributeKey.longKey(key), number.longValue());
            } else if (value != null) {
                builder.put(AttributeKey.stringKey(key), value.toString());
            }
        });
        return builder.build();
    }

    @Override
    public String getName() {
        return span.name();
    }

    @Override
    public SpanKind getKind() {
        return SpanKind.INTERNAL;
    }

    @Override
    public SpanContext getSpanContext() {
        return context(span.traceId(), span.spanId());
    }

    @Override
    public SpanContext getParentSpanContext() {
        return span.parentSpanId() == null ? SpanContext.getInvalid() : context(span.traceId(), span.parentSpanId());
    }

    @Override
    public StatusData getStatus() {
        return StatusData.unset();
    }

    @Override
    public long getStartEpochNanos() {
        return span.startNanos();
    }

    @Override
    public Attributes getAttributes() {
        return attributes;
    }

    @Override
    public List<EventData> getEvents() {
        return List.of();
    }

    @Override
    public List<LinkData> getLinks() {
        return links;
    }

    @Override
    public long getEndEpochNanos() {
        return span.endNanos();
    }

    @Override
    public boolean hasEnded() {
        return true;
    }

    @Override
    public int getTotalRecordedEvents() {
        return 0;
    }

    @Override
    public int getTotalRecordedLinks() {
        return links.size();
    }

    @Override
    public int getTotalAttributeCount() {
        return totalAttributeCount;
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public Resource getResource() {
        return resource;
    }
}
