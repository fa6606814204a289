package dev.novyse.export.archive;

import java.util.List;
import java.util.Locale;

/**
 * The record kinds of a {@code novyse export --all} archive (format version {@link #VERSION}) and the store table
 * each one is a row of. One table per kind, every column named by a stable JSON field: the archive is the store's
 * content in a documented shape (docs/output.md), so exporting an imported store gives the same records again.
 * The order of {@link #KINDS} is the order records appear in, and the order that satisfies the foreign keys on
 * import. Not exported: the outbox and the reactions queued with it (unsent messages name local file paths and belong to the machine they were
 * typed on) and the unused legacy table {@code pinned_chat}.
 */
public final class ArchiveSchema {
    private ArchiveSchema() {}

    /** The archive format version; bumped for any change a version-1 reader could misread. */
    public static final int VERSION = 1;
    /** The header's {@code kind}. */
    public static final String HEADER_KIND = "novyse-export";
    /** The last record's {@code kind}: its absence means the file was cut short. */
    public static final String END_KIND = "end";

    /** What {@code novyse import --only} selects. Cursors go only with a whole-account archive imported whole. */
    public enum Group {
        chats, messages, settings, cursors;

        public static Group parse(String s) {
            try {
                Group g = valueOf(s.trim().toLowerCase(Locale.ROOT));
                if (g != cursors) return g;
            } catch (IllegalArgumentException ignored) {
                // fall through to the error
            }
            throw new IllegalArgumentException("unknown part '" + s.trim() + "' (expected settings, chats or messages)");
        }
    }

    /** How a field's JSON value maps to its column. */
    enum Type {
        /** a string or null */
        TEXT,
        /** an integer or null */
        INT,
        /** a number or null */
        REAL,
        /** true/false, stored 1/0 */
        BOOL,
        /** any JSON value, stored as its compact JSON text */
        JSON,
        /** a string, a number or null, stored as is (sync_state values are untyped) */
        ANY
    }

    record Field(String name, String column, Type type) {
    }

    /**
     * One record kind. {@code chatFilter}: the WHERE clause of a one-chat archive, every {@code ?} bound to the chat
     * uuid; null when the kind is account-wide and left out of one-chat archives.
     */
    record Kind(String name, String table, Group group, String orderBy, String chatFilter, List<Field> fields) {
        Field field(String name) {
            for (Field f : fields) if (f.name().equals(name)) return f;
            return null;
        }
    }

    private static Field f(String name, String column, Type type) {
        return new Field(name, column, type);
    }

    private static Field f(String name, Type type) {
        return new Field(name, name, type);
    }

    private static final String MSG = "chatUUID = ?";
    /** Users a one-chat archive needs: its members and everyone who wrote, reacted or read in it. */
    private static final String CHAT_USERS = "(SELECT userUUID FROM member WHERE chatUUID = ?"
            + " UNION SELECT senderUUID FROM message WHERE chatUUID = ?"
            + " UNION SELECT userUUID FROM reaction_message WHERE chatUUID = ?"
            + " UNION SELECT userUUID FROM message_read WHERE chatUUID = ?)";

    static final List<Kind> KINDS = List.of(
            new Kind("user", "user", Group.chats, "uuid", "uuid IN " + CHAT_USERS, List.of(
                    f("uuid", Type.TEXT), f("name", Type.TEXT), f("surname", Type.TEXT), f("handle", Type.TEXT),
                    f("profilePictureUUID", Type.TEXT), f("bannerPictureUUID", Type.TEXT),
                    f("biography", Type.TEXT), f("birthday", Type.TEXT), f("region", Type.TEXT),
                    f("country", Type.TEXT), f("color", Type.TEXT), f("profileEventID", Type.INT))),
            new Kind("bot", "bot", Group.chats, "uuid", null, List.of(
                    f("uuid", Type.TEXT), f("name", Type.TEXT), f("biography", Type.TEXT),
                    f("profilePictureUUID", Type.TEXT))),
            new Kind("chat", "chat", Group.chats, "uuid", "uuid = ?", List.of(
                    f("uuid", Type.TEXT), f("type", Type.TEXT), f("name", Type.TEXT), f("description", Type.TEXT),
                    f("profilePictureUUID", Type.TEXT), f("handle", Type.TEXT), f("eventID", Type.INT))),
            new Kind("handle", "handle", Group.chats, "handle", "chatUUID = ? OR userUUID IN " + CHAT_USERS, List.of(
                    f("handle", Type.TEXT), f("type", Type.TEXT), f("user", "userUUID", Type.TEXT),
                    f("chat", "chatUUID", Type.TEXT), f("bot", "botUUID", Type.TEXT))),
            new Kind("sub", "chat_sub", Group.chats, "chatUUID, id", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("id", Type.INT), f("name", Type.TEXT), f("type", Type.TEXT),
                    f("createdAt", "created_at", Type.TEXT))),
            new Kind("role", "role", Group.chats, "chatUUID, id", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("id", Type.INT), f("name", Type.TEXT),
                    f("permission", Type.TEXT), f("level", Type.INT), f("color", Type.TEXT))),
            new Kind("member", "member", Group.chats, "chatUUID, userUUID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("user", "userUUID", Type.TEXT),
                    f("roleIDs", "role_ids", Type.JSON), f("joinedAt", "joined_at", Type.TEXT))),
            new Kind("chatPin", "chat_pin", Group.chats, "chatUUID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("position", Type.INT))),
            new Kind("file", "file", Group.messages, "uuid",
                    "uuid IN (SELECT fileUUID FROM message_files WHERE chatUUID = ?)", List.of(
                    f("uuid", Type.TEXT), f("name", Type.TEXT), f("ref", Type.TEXT), f("mimeType", Type.TEXT),
                    f("size", Type.INT), f("createdAt", "created_at", Type.TEXT), f("duration", Type.REAL),
                    f("waveform", Type.TEXT))),
            new Kind("message", "message", Group.messages, "chatUUID, subID, id", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", Type.INT),
                    f("sender", "senderUUID", Type.TEXT), f("content", Type.TEXT), f("type", Type.TEXT),
                    f("systemAction", "system_action", Type.TEXT), f("createdAt", "created_at", Type.TEXT),
                    f("edited", Type.BOOL), f("deleted", Type.BOOL))),
            new Kind("edit", "edited_message", Group.messages, "chatUUID, subID, messageID, eventID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("eventID", Type.INT), f("content", Type.TEXT), f("editedAt", Type.TEXT),
                    f("editor", "editorUUID", Type.TEXT))),
            new Kind("deletion", "deleted_message", Group.messages, "chatUUID, subID, messageID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("eventID", Type.INT), f("deletedAt", Type.TEXT), f("deletedBy", Type.TEXT))),
            new Kind("reply", "message_reply", Group.messages, "chatUUID, subID, messageID, position", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("position", Type.INT), f("toChat", "replyTo_chatUUID", Type.TEXT),
                    f("toSub", "replyTo_subID", Type.INT), f("toId", "replyTo_messageID", Type.INT),
                    f("rangeStart", "replyTo_rangeStart", Type.INT), f("rangeEnd", "replyTo_rangeEnd", Type.INT))),
            new Kind("reaction", "reaction_message", Group.messages, "chatUUID, subID, messageID, userUUID, reaction",
                    MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("user", "userUUID", Type.TEXT), f("reaction", Type.TEXT), f("at", Type.TEXT))),
            new Kind("messageFile", "message_files", Group.messages, "chatUUID, subID, messageID, fileUUID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("file", "fileUUID", Type.TEXT), f("position", Type.INT))),
            new Kind("read", "message_read", Group.messages, "chatUUID, subID, messageID, userUUID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("user", "userUUID", Type.TEXT), f("readAt", Type.TEXT))),
            new Kind("pin", "pinned_message", Group.messages, "chatUUID, subID, messageID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("pinnedAt", "pinned_at", Type.TEXT), f("pinnedBy", "pinned_by", Type.TEXT))),
            new Kind("favorite", "favorite_message", Group.messages, "chatUUID, subID, messageID", MSG, List.of(
                    f("chat", "chatUUID", Type.TEXT), f("sub", "subID", Type.INT), f("id", "messageID", Type.INT),
                    f("createdAt", Type.TEXT))),
            new Kind("setting", "local_settings", Group.settings, "key", null, List.of(
                    f("key", Type.TEXT), f("value", "value_json", Type.JSON), f("scope", Type.TEXT),
                    f("updatedAt", "updated_at", Type.TEXT))),
            new Kind("cursor", "sync_state", Group.cursors, "key", null, List.of(
                    f("key", Type.TEXT), f("value", Type.ANY)))
    );

    static Kind kind(String name) {
        for (Kind k : KINDS) if (k.name().equals(name)) return k;
        return null;
    }

    /** The field names of every kind, in record order: the contract the golden test pins. */
    public static java.util.Map<String, List<String>> fieldNames() {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Kind k : KINDS) out.put(k.name(), k.fields().stream().map(Field::name).toList());
        return out;
    }
}
