package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.AuthReply;
import dev.novyse.protocol.Json;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's write endpoints called in-process, without HTTP: the same handlers as the REST routes, so the same
 * checks, rows, event logs and live announcements, minus the socket, the JSON text and the bearer token. For
 * seeding a fresh server ({@code novyse demo}): its people, chats and subs through {@link #call}, its history of
 * thousands of messages through {@link #writeHistory}, all committed at once by {@link #inOneTransaction}; and the
 * demo client's first sync through {@link #initialize} and {@link #update}.
 *
 * <p>Only the endpoints a seeder needs are here; each maps to the handler its route in {@link NovyseServer} uses.
 */
public final class InProcessCalls {
    private final ServerDatabase db;
    private final AuthService auth;
    private final MessageService messages;
    private final ChatService chats;
    private final MembershipService members;
    private final UserService users;
    private final SyncService sync;
    private final Supplier<String> base;

    InProcessCalls(ServerDatabase db, AuthService auth, MessageService messages, ChatService chats,
                   MembershipService members, UserService users, SyncService sync, Supplier<String> base) {
        this.db = db;
        this.auth = auth;
        this.messages = messages;
        this.chats = chats;
        this.members = members;
        this.users = users;
        this.sync = sync;
        this.base = base;
    }

    /** {@code POST /signup/password}: a new user and a session for it (its tokens work over HTTP too). */
    public AuthReply signup(String username, String password, String name) {
        return auth.signup(Body.of(Json.mapper().createObjectNode().put("username", username)
                .put("password", password).put("name", name)), "in-process");
    }

    /** {@code POST /signin/password}: a new session of an existing user. */
    public AuthReply signin(String username, String password) {
        return auth.signin(Body.of(Json.mapper().createObjectNode().put("username", username)
                .put("password", password)), "in-process");
    }

    /**
     * The endpoint {@code method path} called as {@code userUUID} with {@code body} (a map or record, as a client
     * would send it as JSON); returns the reply the route would send. A refusal is the {@link ApiError} the route
     * would answer with (thrown, and within {@link #inOneTransaction} rolling back everything).
     */
    public JsonNode call(String userUUID, String method, String path, Object body) {
        Body b = Body.of((ObjectNode) Json.mapper().valueToTree(body == null ? Map.of() : body));
        Object reply = switch (method + " " + path) {
            case "PATCH /user/profile" -> users.updateProfile(userUUID, b);
            case "POST /chat/create" -> chats.create(userUUID, b);
            case "POST /chat/sub/create" -> chats.createSub(userUUID, b);
            case "POST /chat/join" -> members.join(userUUID, b);
            case "PUT /chat/pin" -> chats.pinChat(userUUID, b, true);
            case "POST /message" -> messages.send(userUUID, b, base.get()).reply();
            case "PATCH /message" -> messages.edit(userUUID, b);
            case "DELETE /message" -> messages.delete(userUUID, b);
            case "PUT /message/reaction" -> messages.react(userUUID, b, true);
            case "PUT /message/pin" -> messages.pin(userUUID, b, true);
            case "PUT /message/favorite" -> messages.favorite(userUUID, b, true);
            case "POST /message/read" -> messages.read(userUUID, b);
            default -> throw new IllegalArgumentException("not callable in-process: " + method + " " + path);
        };
        return reply instanceof JsonNode node ? node : Json.mapper().valueToTree(reply);
    }

    /** {@code GET /user/initialize} as {@code userUUID}: the reply's data, the same records the route sends as JSON. */
    public dev.novyse.protocol.InitializeData initialize(String userUUID, int limit) {
        return sync.initialize(userUUID, limit);
    }

    /** {@code POST /user/update} as {@code userUUID} from {@code request}'s cursors. */
    public dev.novyse.protocol.UpdateData update(String userUUID, dev.novyse.protocol.UpdateRequest request, int limit) {
        return sync.update(userUUID, Body.of((ObjectNode) Json.mapper().valueToTree(request)), limit);
    }

    /** What a seeder does with a {@link HistoryWriter}. */
    @FunctionalInterface
    public interface HistoryWork {
        void write(HistoryWriter history) throws java.sql.SQLException;
    }

    /**
     * Writes a chat history straight into the tables ({@link HistoryWriter}), in the current transaction of
     * {@link #inOneTransaction} or in one of its own; the tables are complete when this returns.
     */
    public void writeHistory(HistoryWork work) {
        db.write(c -> {
            HistoryWriter history = new HistoryWriter(c);
            work.write(history);
            history.finish();
            return null;
        });
    }

    /**
     * Runs {@code work} and every call it makes in one transaction: all of it commits, or on an exception none of
     * it. Other requests wait meanwhile, as they wait for any write.
     */
    public void inOneTransaction(Runnable work) {
        db.write(c -> {
            work.run();
            return null;
        });
    }
}
