package dev.correlator.api;

import dev.correlator.http.Problem;

/** An answer other than 200, thrown from deep inside a read and mapped to its problem+json. */
public class ApiError extends RuntimeException {

    private final transient Problem problem;

    public ApiError(Problem problem) {
        super(problem.detail, null, false, false);
        this.problem = problem;
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(Problem.of(400, "Bad request", detail));
    }

    public static ApiError notFound(String detail) {
        return new ApiError(Problem.of(404, "Not found", detail));
    }

    public static ApiError conflict(String detail) {
        return new ApiError(Problem.of(409, "Conflict", detail));
    }

    public Problem problem() {
        return problem;
    }
}
