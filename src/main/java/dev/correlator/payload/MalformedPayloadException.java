package dev.correlator.payload;

/** A verified delivery whose body is not the JSON GitHub sends for its event. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
