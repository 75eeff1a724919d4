package dev.correlator.webhook;

/** What the intake answers GitHub: the outcome and why. */
public record IntakeResult(String deliveryId, String event, DeliveryOutcome outcome, String detail) {}
