package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.PendingSend;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.OutboxState;
import dev.novyse.store.OutgoingFile;
import dev.novyse.store.PendingMessage;
import dev.novyse.store.PendingReaction;
import dev.novyse.store.ReactionQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers outbox entries. Every attempt for an entry sends the same {@code tempId}, so the server returns the
 * first message on a retry instead of storing a second one; a timeout or a cut connection is therefore always
 * safe to retry.
 *
 * <p>An entry with files goes in three steps: {@code POST /message} answers a pending message with an upload URL
 * per file, each file is PUT from disk, then {@code POST /message/confirm} commits it. A failure at any step leaves
 * the entry in the outbox; the next attempt posts the same tempId again, gets the same pending message (the server
 * says which files it already holds) and carries on. The confirm is sent only after every upload succeeded, so a
 * partial file is never confirmed.
 */
public final class OutboxSender {
    public enum State { DELIVERED, QUEUED, REJECTED }

    /**
     * How one delivery went; {@code earlier}: the messages queued before it in its chat that were sent first and
     * refused ({@link #deliver(String)}), which whoever sent it tells the person as a flush's are told.
     */
    public record Result(State state, Long messageId, String reason, List<Failed> earlier) {
        public Result(State state, Long messageId, String reason) {
            this(state, messageId, reason, List.of());
        }
    }

    /**
     * What a flush sent: messages and queued reactions; {@code refused} says, one sentence each, which queued
     * reactions the server refused for good (the message deleted meanwhile, the chat left): they are dropped, and
     * whoever flushed tells the person. {@code failed}: the messages it refused, kept in the outbox as FAILED (to be
     * retried or dropped), with the reason; said too.
     */
    public record Flushed(int messages, int reactions, List<String> refused, List<Failed> failed) {
        public int total() {
            return messages + reactions;
        }

        /** Whether the outbox changed: something went, or was refused. */
        public boolean changed() {
            return total() > 0 || !refused.isEmpty() || !failed.isEmpty();
        }
    }

    /** A message the server refused in a flush, and why (as the outbox's row now says it). */
    public record Failed(PendingMessage message, String reason) {
    }

    /** Upload progress of one file: bytes sent so far of {@code total}. Called from the uploading thread. */
    public interface Progress {
        void update(String name, long sent, long total);

        /** The file's upload ended (successfully or not). */
        void done(String name);

        Progress NONE = new Progress() {
            @Override
            public void update(String name, long sent, long total) {
            }

            @Override
            public void done(String name) {
            }
        };
    }

    private final ApiClient api;
    private final LocalDatabase db;
    private final Progress progress;

    public OutboxSender(ApiClient api, LocalDatabase db) {
        this(api, db, Progress.NONE);
    }

    public OutboxSender(ApiClient api, LocalDatabase db, Progress progress) {
        this.api = api;
        this.db = db;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** The longest content the protocol lets a server refuse nothing under (docs/protocol.md: 413 above it). */
    public static final int MAX_CONTENT = 16_384;

    /**
     * Why {@code content} cannot be sent, or null. Said before anything is queued: an entry no server takes only
     * fails in the outbox, after the draft it came from is gone.
     */
    public static String tooLong(String content) {
        return content == null || content.length() <= MAX_CONTENT ? null : String.format(java.util.Locale.ROOT,
                "the message is %,d characters long; a server takes at most %,d", content.length(), MAX_CONTENT);
    }

    public String enqueue(String chatUUID, int subID, String content, Long replyToId) {
        return enqueue(chatUUID, subID, content, replyToId, List.of());
    }

    /** Queues a message with attached files; nothing goes over the network until {@link #deliver}. */
    public String enqueue(String chatUUID, int subID, String content, Long replyToId, List<OutgoingFile> files) {
        String refused = tooLong(content);
        if (refused != null) throw new IllegalArgumentException(refused);
        ReplyTo reply = replyToId == null ? null : new ReplyTo(chatUUID, subID, replyToId, null, null);
        return db.enqueue(chatUUID, subID, content, reply, files);
    }

    /** Delivers every PENDING entry, oldest first, then the queued reactions; returns how many went out. */
    public int flush() {
        return flushAll().total();
    }

    /** As {@link #flush}, saying what went out and which queued reactions were refused. */
    public Flushed flushAll() {
        int delivered = 0;
        List<Failed> failed = new ArrayList<>();
        for (PendingMessage p : db.pending()) {
            Result r = deliver(p);
            if (r.state() == State.DELIVERED) {
                delivered++;
            } else if (r.state() == State.REJECTED) {
                failed.add(new Failed(p, r.reason()));
            } else { // unreachable: keep the order, try again later
                return new Flushed(delivered, 0, List.of(), List.copyOf(failed));
            }
        }
        // After the messages: a reaction may be to a message that was itself waiting in the outbox.
        int reacted = 0;
        List<String> refused = new ArrayList<>();
        ReactionQueue queue = db.reactionQueue();
        for (PendingReaction r : queue.pending()) {
            try {
                ObjectNode body = Json.mapper().createObjectNode().put("chatUUID", r.chatUUID()).put("subID", r.subID())
                        .put("messageID", r.messageID()).put("reaction", r.emoji());
                if (r.adding()) api.put("/message/reaction", body);
                else api.delete("/message/reaction", body);
                queue.settle(r.id());
                reacted++;
            } catch (ApiException e) {
                if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) throw e;
                if (!refusedForGood(e)) {
                    queue.markAttempt(r.id(), e.getMessage());
                    break;
                }
                queue.settle(r.id());
                refused.add((r.adding() ? "reaction " : "taking back reaction ") + r.emoji() + " on #" + r.messageID()
                        + ": " + refusal(e));
            }
        }
        return new Flushed(delivered, reacted, List.copyOf(refused), List.copyOf(failed));
    }

    /**
     * Sends {@code tempIds} again, oldest first, as {@code novyse outbox retry} and the chat screen's {@code /retry} do:
     * every FAILED one goes back to PENDING first, a refusal does not stop the ones behind it, and once the server is
     * unreachable the rest stay PENDING for the next flush (reported QUEUED, not tried). One result per entry, in order.
     */
    public List<Result> retry(List<String> tempIds) {
        for (String tempId : tempIds) db.retry(tempId);
        List<Result> results = new ArrayList<>();
        Result unreachable = null;
        for (String tempId : tempIds) {
            Result r = unreachable != null ? unreachable : deliver(tempId);
            if (r.state() == State.QUEUED) unreachable = r;
            results.add(r);
        }
        return results;
    }

    /**
     * Delivers one entry, after those queued before it in its chat (and sub): a message typed the moment the server
     * is back never overtakes one that waited offline (a flush may be sending that one at the same time; the server
     * takes a tempId once and answers a second sending with the first's message, so the order holds either way).
     * When one of those cannot reach the server, this one stays queued behind it. An entry that is no longer
     * pending was settled meanwhile (by a sync, or by another process flushing the same outbox): that is reported
     * as it stands, never sent again.
     */
    public Result deliver(String tempId) {
        for (PendingMessage p : db.outbox()) {
            if (p.tempId().equals(tempId)) {
                return switch (p.state()) {
                    case PENDING -> deliverInOrder(p);
                    case SENT -> new Result(State.DELIVERED, p.serverMessageId(), null);
                    default -> new Result(State.REJECTED, null, p.lastError());
                };
            }
        }
        return new Result(State.DELIVERED, null, null); // acknowledged and removed: delivered
    }

    private Result deliverInOrder(PendingMessage p) {
        List<Failed> refused = new ArrayList<>();
        for (PendingMessage earlier : db.pending()) { // oldest first
            if (earlier.id() >= p.id()) break;
            if (!earlier.chatUUID().equals(p.chatUUID()) || earlier.subID() != p.subID()) continue;
            Result r = deliver(earlier);
            if (r.state() == State.QUEUED) return new Result(State.QUEUED, null, r.reason(), List.copyOf(refused));
            if (r.state() == State.REJECTED) refused.add(new Failed(earlier, r.reason()));
        }
        Result own = deliver(p);
        return new Result(own.state(), own.messageId(), own.reason(), List.copyOf(refused));
    }

    private Result deliver(PendingMessage p) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("chatUUID", p.chatUUID()).put("subID", p.subID()).put("content", p.content())
                .put("type", "message").put("tempId", p.tempId());
        if (p.replyTo() != null) {
            body.putArray("replyTos").addPOJO(Json.mapper().valueToTree(p.replyTo()));
        }
        if (!p.files().isEmpty()) {
            String changed = changedFile(p);
            if (changed != null) {
                db.markFailed(p.tempId(), changed, false); // found before any request
                return new Result(State.REJECTED, null, changed);
            }
            ArrayNode files = body.putArray("files");
            for (PendingMessage.PendingFile f : p.files()) {
                files.addObject().put("name", f.name()).put("size", f.size()).put("mimeType", f.mimeType());
            }
        }
        try {
            JsonNode data = api.post("/message", body);
            if (PendingSend.STATUS.equals(data.path("status").asText(null))) {
                data = uploadAndConfirm(p, ApiClient.decode(data, PendingSend.class, "POST /message"));
            }
            Message sent = Json.mapper().treeToValue(data, Message.class);
            db.acknowledge(p.tempId(), sent);
            return new Result(State.DELIVERED, sent.id(), null);
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                throw e;
            }
            if (refusedForGood(e)) {
                String why = refusal(e);
                db.markFailed(p.tempId(), why, true);
                return new Result(State.REJECTED, null, why);
            }
            db.markAttempt(p.tempId(), e.getMessage());
            return new Result(State.QUEUED, null, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            db.markAttempt(p.tempId(), "unreadable reply");
            return new Result(State.QUEUED, null, "the server's reply was unreadable");
        }
    }

    /**
     * A refusal no later attempt of the same entry gets past: a 4xx other than 401 (the session, handled by the
     * caller), 408 (the server timed out reading: a retry may be quicker) and 429 (too many requests: later is fine).
     * Two codes are passing too: an upload URL that expired while the entry waited (the next attempt gets fresh
     * ones), a confirm that found a file missing (the next attempt uploads it again).
     */
    static boolean refusedForGood(ApiException e) {
        if (e.kind() != ApiException.Kind.HTTP || e.status() < 400 || e.status() >= 500) return false;
        if (e.status() == 401 || e.status() == 408 || e.status() == 429) return false;
        return !"URL_EXPIRED".equals(e.code()) && !"UPLOAD_INCOMPLETE".equals(e.code());
    }

    /** Why the server refused an entry, in the words the outbox shows: "the server refused it: ... (413)". */
    static String refusal(ApiException e) {
        String reason = switch (e.status()) {
            case 413 -> "message too long";
            case 403 -> "not allowed in this chat";
            case 404 -> "the chat or the message it answers is gone";
            default -> e.sentence();
        };
        return "the server refused it: " + reason + " (" + e.status() + ")";
    }

    /** Uploads what the server does not hold yet, in order, then confirms; returns the confirmed message. */
    private JsonNode uploadAndConfirm(PendingMessage p, PendingSend pending) {
        if (pending == null || pending.messageUUID() == null || pending.files() == null
                || pending.files().size() != p.files().size()) {
            throw ApiException.badReply("malformed reply to POST /message: the pending message does not list the "
                    + p.files().size() + " file(s) sent", null);
        }
        for (int i = 0; i < p.files().size(); i++) {
            PendingMessage.PendingFile f = p.files().get(i);
            PendingSend.Upload u = pending.files().get(i);
            if (!u.uploaded()) {
                if (u.uploadURL() == null) {
                    throw ApiException.badReply("malformed reply to POST /message: no uploadURL for " + f.name(), null);
                }
                try {
                    api.upload(u.uploadURL(), f.path(), f.size(), f.mimeType(),
                            sent -> progress.update(f.name(), sent, f.size()));
                } finally {
                    progress.done(f.name());
                }
            }
            db.markFileProgress(f.id(), f.size(), OutboxState.UPLOADED);
        }
        return api.post("/message/confirm", Json.mapper().createObjectNode().put("messageUUID", pending.messageUUID()));
    }

    /** Why a queued file can no longer be sent as declared (gone, or another size), or null when it can. */
    private static String changedFile(PendingMessage p) {
        for (PendingMessage.PendingFile f : p.files()) {
            try {
                if (!Files.isRegularFile(f.path()) || Files.size(f.path()) != f.size()) {
                    return "attached file " + f.path() + " is gone or changed size since it was queued";
                }
            } catch (IOException e) {
                return "attached file " + f.path() + " cannot be read: " + e.getMessage();
            }
        }
        return null;
    }
}
