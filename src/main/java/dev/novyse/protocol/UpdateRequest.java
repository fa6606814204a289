package dev.novyse.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Body of {@code POST /user/update}: the client's cursors. */
public record UpdateRequest(Local local, List<ChatCursor> chats, List<UserCursor> users) {
    public record Local(long eventID) {
    }

    public record ChatCursor(String chatUUID, long eventID, List<SubCursor> subs) {
    }

    public record SubCursor(int subID, long messageID) {
    }

    public record UserCursor(String userUUID, long profileEventID) {
    }

    /**
     * A bare factory of jackson-core, not the mapper's: the thread that sends the first request must not wait for
     * the mapper's construction, which the other thread may be running then (the body holds uuids and numbers only,
     * which no feature of the mapper's factory writes differently).
     */
    private static final JsonFactory WRITER = new JsonFactory();

    /**
     * This request as the mapper writes it (nulls left out), written field by field: a one-shot {@code sync} would
     * otherwise build the mapper's serializers for these five records before its first request could leave, ~30 ms
     * of a cold start. UpdateRequestJsonTest holds the two to the same JSON.
     */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 96 * (chats == null ? 0 : chats.size()));
        try (JsonGenerator g = WRITER.createGenerator(out)) {
            g.writeStartObject();
            if (local != null) {
                g.writeObjectFieldStart("local");
                g.writeNumberField("eventID", local.eventID());
                g.writeEndObject();
            }
            if (chats != null) {
                g.writeArrayFieldStart("chats");
                for (ChatCursor c : chats) {
                    g.writeStartObject();
                    if (c.chatUUID() != null) g.writeStringField("chatUUID", c.chatUUID());
                    g.writeNumberField("eventID", c.eventID());
                    if (c.subs() != null) {
                        g.writeArrayFieldStart("subs");
                        for (SubCursor s : c.subs()) {
                            g.writeStartObject();
                            g.writeNumberField("subID", s.subID());
                            g.writeNumberField("messageID", s.messageID());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (users != null) {
                g.writeArrayFieldStart("users");
                for (UserCursor u : users) {
                    g.writeStartObject();
                    if (u.userUUID() != null) g.writeStringField("userUUID", u.userUUID());
                    g.writeNumberField("profileEventID", u.profileEventID());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown when writing to memory
        }
        return out.toByteArray();
    }
}
