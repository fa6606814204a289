package dev.novyse.server;

/** A refusal with an HTTP status and a machine-readable code; rendered as the error envelope. */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "FORBIDDEN", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "NOT_FOUND", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "CONFLICT", message);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "PAYLOAD_TOO_LARGE", message);
    }

    public static ApiError unauthorized(String code, String message) {
        return new ApiError(401, code, message);
    }
}
