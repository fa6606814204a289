package dev.novyse.sync;

/**
 * A failed API call, with a one-line message for the user. {@link Kind#HTTP}: the server refused (status and,
 * when it sent one, its error code); {@link Kind#BAD_REPLY}: the reply could not be understood;
 * {@link Kind#NETWORK}: no reply at all (unreachable, timed out, interrupted).
 */
public final class ApiException extends RuntimeException {
    public enum Kind { HTTP, BAD_REPLY, NETWORK }

    private final Kind kind;
    private final int status;
    private final String code;
    /** The server's own sentence for a refusal, when it sent one. */
    private final String serverWords;

    public ApiException(Kind kind, int status, String code, String message) {
        this(kind, status, code, message, null);
    }

    public ApiException(Kind kind, int status, String code, String message, Throwable cause) {
        this(kind, status, code, message, null, cause);
    }

    /** A refusal with the server's own sentence {@code serverWords} beside the full {@code message}. */
    ApiException(Kind kind, int status, String code, String message, String serverWords, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.serverWords = serverWords == null || serverWords.isBlank() ? null : serverWords;
    }

    /**
     * What a person is told: a refusal in the server's own words ("password must be at least 8 characters"),
     * without the request line, error code and status the {@link #getMessage message} carries for --verbose and
     * logs; a server that failed says so with its status. Anything else: the message as it is.
     */
    public String sentence() {
        String message = getMessage() == null ? "" : getMessage();
        if (kind != Kind.HTTP) return message;
        if (serverWords == null) return withoutRequest(message); // a proxy's error page, or a message built elsewhere
        return status >= 500 ? "the server failed: " + serverWords + " (HTTP " + status + ")" : serverWords;
    }

    /** {@code message} without the request name, error code and status ApiClient puts around the server's words. */
    private String withoutRequest(String message) {
        String m = message;
        int failed = m.indexOf(" failed: ");
        if (failed >= 0) m = m.substring(failed + " failed: ".length());
        int at = m.lastIndexOf(" [HTTP ");
        if (at >= 0) m = m.substring(0, at);
        String codeSaid = " (" + code + ")";
        if (code != null && m.endsWith(codeSaid)) m = m.substring(0, m.length() - codeSaid.length());
        return m.isBlank() ? "HTTP " + status : m;
    }

    static ApiException badReply(String message, Throwable cause) {
        return new ApiException(Kind.BAD_REPLY, 0, null, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when there was no HTTP reply. */
    public int status() {
        return status;
    }

    /** The server's machine-readable code (e.g. {@code AUTH_TOKEN_EXPIRED}), or null. */
    public String code() {
        return code;
    }
}
