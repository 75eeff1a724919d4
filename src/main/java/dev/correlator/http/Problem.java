package dev.correlator.http;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, the body of every error the App answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    public final String type = "about:blank";
    public final String title;
    public final int status;
    public final String detail;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    private Problem(int status, String title, String detail) {
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail);
    }

    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extensions;
    }

    public Response.ResponseBuilder builder() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    public Response response() {
        return builder().build();
    }
}
