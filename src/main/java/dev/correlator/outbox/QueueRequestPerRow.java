package dev.correlator.outbox;

import java.util.List;

/**
 * The same work for each row a query selects (its dedup key, installation id and JSON payload,
 * in that order), ready now: for work about rows the projector has not read. {@code key} tells
 * two such requests of one batch apart.
 */
public record QueueRequestPerRow(String kind, String key, String select, List<Object> parameters) {}
