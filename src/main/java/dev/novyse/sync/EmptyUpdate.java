package dev.novyse.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.novyse.protocol.UpdateData;

import java.io.IOException;
import java.util.List;

/**
 * Recognises the reply of an up-to-date {@code POST /user/update} from its bytes: a success envelope whose data holds
 * nothing but empty (or null) lists and no {@code hasMore}. It is what a sync from cron or the chat screen's start
 * gets most of the time, and it needs none of the deserializers of the {@code UpdateData} record graph, which a cold
 * JVM takes ~110 ms of a core to build (the up-to-date sync's main thread waited 34-67 ms for them after its reply
 * was in). Anything else, however slightly different, is left to the full reader: this gives the record that reader
 * would give, or null.
 */
final class EmptyUpdate {
    /** jackson-core's own factory: the mapper may still be under construction on another thread. */
    private static final JsonFactory JSON = new JsonFactory();

    private EmptyUpdate() {
    }

    /** The reply as the full reader would read it when it is an empty update, else null. */
    static UpdateData of(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            boolean success = false;
            UpdateData data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("success") && value == JsonToken.VALUE_TRUE) {
                    success = true;
                } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                    data = data(p);
                    if (data == null) return null;
                } else {
                    return null;
                }
            }
            return success && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? data : null;
        } catch (IOException e) {
            return null; // malformed: the full reader reports it
        }
    }

    /** The data object's fields, each an empty list, a group of empty lists, or null; else null. */
    private static UpdateData data(JsonParser p) throws IOException {
        UpdateData.Chats chats = null;
        UpdateData.Users users = null;
        List<dev.novyse.protocol.Message> messages = null;
        List<dev.novyse.protocol.UserEvent> local = null;
        Boolean hasMore = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NULL) {
                if (!List.of("chats", "users", "messages", "local", "hasMore").contains(field)) return null;
                continue;
            }
            switch (field) {
                case "messages" -> {
                    if ((messages = emptyList(p)) == null) return null;
                }
                case "local" -> {
                    if ((local = emptyList(p)) == null) return null;
                }
                case "hasMore" -> {
                    if (value != JsonToken.VALUE_FALSE) return null;
                    hasMore = false;
                }
                case "chats", "users" -> {
                    if (value != JsonToken.START_OBJECT) return null;
                    List<Object> created = null, events = null, removed = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String list = p.currentName();
                        p.nextToken();
                        List<Object> empty = null; // for null
                        if (p.currentToken() != JsonToken.VALUE_NULL && (empty = emptyList(p)) == null) return null;
                        switch (list) {
                            case "new" -> created = empty;
                            case "events" -> events = empty;
                            case "removed" -> {
                                if (field.equals("users")) return null;
                                removed = empty;
                            }
                            default -> {
                                return null;
                            }
                        }
                    }
                    if (field.equals("chats")) chats = new UpdateData.Chats(cast(created), cast(events), cast(removed));
                    else users = new UpdateData.Users(cast(created), cast(events));
                }
                default -> {
                    return null;
                }
            }
        }
        return new UpdateData(chats, users, messages, local, hasMore);
    }

    /** An empty list for {@code []} (the parser on its end), null for anything else. */
    private static <T> List<T> emptyList(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.END_ARRAY) return null;
        return new java.util.ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<Object> list) {
        return (List<T>) (List<?>) list;
    }
}
