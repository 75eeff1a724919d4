package dev.correlator.telemetry;

import java.io.IOException;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.internal.grpc.GrpcResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What a gRPC backend's answer means for the batch, with the failures the SDK's exporter reports:
 * answers about the request itself split it (as HTTP 400 and 413 do), the others wait.
 */
class GrpcSenderTest {

    @Test
    void anInvalidArgumentIsARefusalOfTheRequest() {
        assertInstanceOf(ExportOutcome.Refused.class, answer(3, "span attribute value is not valid UTF-8"));
    }

    @Test
    void aMessageOverTheServersSizeLimitIsARefusalOfTheRequest() {
        assertInstanceOf(
                ExportOutcome.Refused.class, answer(8, "grpc: received message larger than max (5242880 vs. 4194304)"));
        assertInstanceOf(ExportOutcome.Refused.class, answer(8, "gRPC message exceeds maximum size 4194304: 5242880"));
    }

    @Test
    void aQuotaAndEverythingElseWait() {
        assertInstanceOf(ExportOutcome.Retry.class, answer(8, "ingest quota exceeded for this project"));
        assertInstanceOf(ExportOutcome.Retry.class, answer(8, null));
        assertInstanceOf(ExportOutcome.Retry.class, answer(14, "upstream connect error"));
        assertInstanceOf(ExportOutcome.Retry.class, answer(16, "invalid access token"));
        assertInstanceOf(
                ExportOutcome.Retry.class,
                GrpcSender.outcome(
                        FailedExportException.grpcFailedExceptionally(new IOException("connection refused"))));
        assertInstanceOf(ExportOutcome.Retry.class, GrpcSender.outcome(null));
    }

    private static ExportOutcome answer(int status, String description) {
        return GrpcSender.outcome(
                FailedExportException.grpcFailedWithResponse(GrpcResponse.create(status, description)));
    }
}
