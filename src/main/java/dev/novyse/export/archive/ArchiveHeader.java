package dev.novyse.export.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The first record of an archive: what it is ({@code kind}, {@code version}), whose it is ({@code account} as
 * {@code user@host_port}, {@code user} uuid, {@code username}, {@code server}), what it holds ({@code scope}
 * {@code account} or {@code chat}, and {@code chat} for the latter), the store schema it came from and when.
 */
@JsonPropertyOrder({"kind", "version", "scope", "chat", "account", "user", "username", "server", "schema", "exportedAt"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ArchiveHeader(String kind, int version, String scope, String chat, String account, String user,
                            String username, String server, int schema, String exportedAt) {
    public static final String SCOPE_ACCOUNT = "account";
    public static final String SCOPE_CHAT = "chat";

    public static ArchiveHeader of(String chatUUID, String account, String user, String username, String server,
                                   int schema, String exportedAt) {
        return new ArchiveHeader(ArchiveSchema.HEADER_KIND, ArchiveSchema.VERSION,
                chatUUID == null ? SCOPE_ACCOUNT : SCOPE_CHAT, chatUUID, account, user, username, server, schema,
                exportedAt);
    }

    public boolean wholeAccount() {
        return SCOPE_ACCOUNT.equals(scope);
    }
}
