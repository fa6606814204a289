package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.PendingMessage;

import java.util.List;

/**
 * Delivers outbox entries. Every attempt for an entry sends the same {@code tempId}, so the server returns the
 * first message on a retry instead of storing a second one; a timeout or a cut connection is therefore always
 * safe to retry.
 */
public final class OutboxSender {
    public enum State { DELIVERED, QUEUED, REJECTED }

    public record Result(State state, Long messageId, String reason) {
    }

    private final ApiClient api;
    private final LocalDatabase db;

    public OutboxSender(ApiClient api, LocalDatabase db) {
        this.api = api;
        this.db = db;
    }

    public String enqueue(String chatUUID, int subID, String content, Long replyToId) {
        ReplyTo reply = replyToId == null ? null : new ReplyTo(chatUUID, subID, replyToId, null, null);
        return db.enqueue(chatUUID, subID, content, reply, List.of());
    }

    /** Delivers every PENDING entry, oldest first; returns how many were delivered. */
    public int flush() {
        int delivered = 0;
        for (PendingMessage p : db.pending()) {
            Result r = deliver(p);
            if (r.state() == State.DELIVERED) {
                delivered++;
            } else if (r.state() == State.QUEUED) {
                break; // the server is unreachable: keep the order, try again later
            }
        }
        return delivered;
    }

    public Result deliver(String tempId) {
        for (PendingMessage p : db.pending()) {
            if (p.tempId().equals(tempId)) {
                return deliver(p);
            }
        }
        throw new IllegalArgumentException("no pending outbox entry " + tempId);
    }

    private Result deliver(PendingMessage p) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("chatUUID", p.chatUUID()).put("subID", p.subID()).put("content", p.content())
                .put("type", "message").put("tempId", p.tempId());
        if (p.replyTo() != null) {
            body.putArray("replyTos").addPOJO(Json.mapper().valueToTree(p.replyTo()));
        }
        try {
            JsonNode data = api.post("/message", body);
            Message sent = Json.mapper().treeToValue(data, Message.class);
            db.acknowledge(p.tempId(), sent);
            return new Result(State.DELIVERED, sent.id(), null);
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                throw e;
            }
            boolean permanent = e.kind() == ApiException.Kind.HTTP && e.status() >= 400 && e.status() < 500;
            if (permanent) {
                db.markFailed(p.tempId(), e.getMessage());
                return new Result(State.REJECTED, null, e.getMessage());
            }
            db.markAttempt(p.tempId(), e.getMessage());
            return new Result(State.QUEUED, null, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            db.markAttempt(p.tempId(), "unreadable reply");
            return new Result(State.QUEUED, null, "the server's reply was unreadable");
        }
    }
}
