package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The permission table of docs/protocol.md#permissions as a test: every chat and message endpoint, called by an
 * owner, an admin, a member, a removed (kicked) member, a banned one and a stranger, each on a fresh chat, answers
 * the documented status with the error envelope, and a refused call changes nothing the owner can see. The last
 * column is a read-only API key of the plain member (docs/protocol.md#api-keys): it reads what the member reads and
 * is refused (403) everything that writes.
 */
class AuthorizationMatrixTest {
    /** The callers, in the order of each row's expected statuses. */
    static final List<String> WHO = List.of("owner", "admin", "member", "removed", "banned", "stranger", Fixture.KEY);

    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;
    static int chats;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * A fresh chat with fresh accounts in place (so every owner's initialize stays small): the callers, a plain
     * member to act on ({@code target}), a user outside ({@code newcomer}), each caller's own message id, the
     * target's, a sub and the chat's handle.
     */
    record Fixture(String chat, String handle, Map<String, RawApi.Account> people, RawApi.Account target,
                   RawApi.Account newcomer, Map<String, Long> own, long targets, int sub, String readOnlyKey) {
        /** The caller that is the member's read-only API key, not an account of its own. */
        static final String KEY = "read-only key";

        String uuid(String who) {
            return people.get(who).uuid();
        }

        /** The bearer token {@code who} calls with. */
        String token(String who) {
            return who.equals(KEY) ? readOnlyKey : people.get(who).token();
        }
    }

    static Fixture fixture(String type) {
        int n = ++chats;
        Map<String, RawApi.Account> people = new LinkedHashMap<>();
        for (String w : WHO) if (!w.equals(Fixture.KEY)) people.put(w, api.signup(w.substring(0, 3) + n));
        RawApi.Account target = api.signup("tgt" + n);
        RawApi.Account newcomer = api.signup("new" + n);
        RawApi.Account owner = people.get("owner");
        String handle = "mx" + n;
        List<String> members = new ArrayList<>();
        for (String w : List.of("admin", "member", "removed", "banned")) members.add(people.get(w).uuid());
        members.add(target.uuid());
        String chat = api.ok(api.post("/chat/create", owner.token(), Map.of("type", type, "name", "M " + n,
                "handle", handle, "memberUUIDs", members))).path("chat").path("uuid").asText();
        api.ok(api.put("/chat/admin", owner.token(), Map.of("chatUUID", chat, "userUUID", people.get("admin").uuid())));
        Map<String, Long> own = new HashMap<>();
        long targets;
        if (type.equals("CHANNEL")) { // only admins post: everyone's "own" message is the owner's
            long id = api.ok(api.post("/message", owner.token(), Map.of("chatUUID", chat, "content", "post"))).path("id").asLong();
            for (String w : WHO) own.put(w, id);
            targets = id;
        } else {
            for (String w : List.of("owner", "admin", "member", "removed", "banned")) {
                own.put(w, api.ok(api.post("/message", people.get(w).token(), Map.of("chatUUID", chat, "content", "by " + w)))
                        .path("id").asLong());
            }
            targets = api.ok(api.post("/message", target.token(), Map.of("chatUUID", chat, "content", "by target"))).path("id").asLong();
            own.put("stranger", targets);
        }
        own.put(Fixture.KEY, own.get("member"));
        String readOnlyKey = api.ok(api.post("/apikey", people.get("member").token(), Map.of("name", "ro", "permissions", "read")))
                .path("key").asText();
        int sub = api.ok(api.post("/chat/sub/create", owner.token(), Map.of("chatUUID", chat, "name", "side"))).path("id").asInt();
        api.ok(api.post("/chat/kick", owner.token(), Map.of("chatUUID", chat, "userUUID", people.get("removed").uuid())));
        api.ok(api.put("/chat/ban", owner.token(), Map.of("chatUUID", chat, "userUUID", people.get("banned").uuid())));
        return new Fixture(chat, handle, people, target, newcomer, own, targets, sub, readOnlyKey);
    }

    /** One endpoint: the chat type it runs in, its request as a function of the fixture and the caller, the statuses. */
    record Row(String name, String type, String method, Function<Ctx, String> path, Function<Ctx, Object> body,
               int... expected) {
    }

    record Ctx(Fixture f, String who) {
        Map<String, Object> chat(Object... kv) {
            Map<String, Object> m = new HashMap<>();
            m.put("chatUUID", f.chat());
            for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
            return m;
        }

        Map<String, Object> message(long id, Object... kv) {
            Map<String, Object> m = chat(kv);
            m.put("subID", 0);
            m.put("messageID", id);
            return m;
        }

        long own() {
            return f.own().get(who);
        }
    }

    static Row row(String name, String method, String path, Function<Ctx, Object> body, int... expected) {
        return new Row(name, "GROUP", method, x -> path, body, expected);
    }

    static Row channel(String name, String method, String path, Function<Ctx, Object> body, int... expected) {
        return new Row(name, "CHANNEL", method, x -> path, body, expected);
    }

    static Row get(String name, Function<Ctx, String> path, int... expected) {
        return new Row(name, "GROUP", "GET", path, x -> null, expected);
    }

    //                                                          owner admin member removed banned stranger read-only key
    static final List<Row> ROWS = List.of(
            row("post", "POST", "/message", x -> x.chat("content", "hi"), 200, 200, 200, 403, 403, 403, 403),
            channel("post in a channel", "POST", "/message", x -> x.chat("content", "hi"), 200, 200, 403, 403, 403, 403, 403),
            row("edit own", "PATCH", "/message", x -> x.message(x.own(), "content", "edited"), 200, 200, 200, 403, 403, 403, 403),
            row("edit another's", "PATCH", "/message", x -> x.message(x.f().targets(), "content", "x"), 403, 403, 403, 403, 403, 403, 403),
            row("delete own", "DELETE", "/message", x -> x.message(x.own()), 200, 200, 200, 403, 403, 403, 403),
            row("delete another's", "DELETE", "/message", x -> x.message(x.f().targets()), 200, 200, 403, 403, 403, 403, 403),
            row("react", "PUT", "/message/reaction", x -> x.message(x.f().targets(), "reaction", "+1"), 200, 200, 200, 403, 403, 403, 403),
            row("unreact", "DELETE", "/message/reaction", x -> x.message(x.f().targets(), "reaction", "+1"), 200, 200, 200, 403, 403, 403, 403),
            row("pin", "PUT", "/message/pin", x -> x.message(x.f().targets()), 200, 200, 200, 403, 403, 403, 403),
            row("unpin", "DELETE", "/message/pin", x -> x.message(x.f().targets()), 200, 200, 200, 403, 403, 403, 403),
            channel("pin in a channel", "PUT", "/message/pin", x -> x.message(x.f().targets()), 200, 200, 403, 403, 403, 403, 403),
            row("read", "POST", "/message/read", x -> x.message(x.f().targets()), 200, 200, 200, 403, 403, 403, 403),
            row("favourite", "PUT", "/message/favorite", x -> x.message(x.f().targets()), 200, 200, 200, 403, 403, 403, 403),
            get("get a message", x -> "/message?chatUUID=" + x.f().chat() + "&subID=0&messageID=1", 200, 200, 200, 403, 403, 403, 200),
            get("history", x -> "/message/history?chatUUID=" + x.f().chat() + "&subID=0", 200, 200, 200, 403, 403, 403, 200),
            row("rename", "PATCH", "/chat/rename", x -> x.chat("name", "Renamed"), 200, 200, 403, 403, 403, 403, 403),
            row("describe", "PATCH", "/chat/description", x -> x.chat("description", "About"), 200, 200, 403, 403, 403, 403, 403),
            row("change handle", "PATCH", "/chat/handle", x -> x.chat("handle", x.f().handle() + "n"), 200, 200, 403, 403, 403, 403, 403),
            row("create sub", "POST", "/chat/sub/create", x -> x.chat("name", "more"), 200, 200, 403, 403, 403, 403, 403),
            row("rename sub", "PATCH", "/chat/sub/rename", x -> x.chat("id", x.f().sub(), "name", "other"), 200, 200, 403, 403, 403, 403, 403),
            row("delete sub", "DELETE", "/chat/sub/delete", x -> x.chat("id", x.f().sub()), 200, 200, 403, 403, 403, 403, 403),
            row("pin the chat", "PUT", "/chat/pin", x -> x.chat("position", 0), 200, 200, 200, 403, 403, 403, 403),
            row("unpin the chat", "DELETE", "/chat/pin", x -> x.chat(), 200, 200, 200, 403, 403, 403, 403),
            row("invite", "POST", "/chat/invite", x -> x.chat("userUUIDs", List.of(x.f().newcomer().uuid())), 200, 200, 403, 403, 403, 403, 403),
            row("kick a member", "POST", "/chat/kick", x -> x.chat("userUUID", x.f().target().uuid()), 200, 200, 403, 403, 403, 403, 403),
            row("kick an admin", "POST", "/chat/kick", x -> x.chat("userUUID", x.f().uuid("admin")), 200, 403, 403, 403, 403, 403, 403),
            row("kick the owner", "POST", "/chat/kick", x -> x.chat("userUUID", x.f().uuid("owner")), 403, 403, 403, 403, 403, 403, 403),
            row("ban a member", "PUT", "/chat/ban", x -> x.chat("userUUID", x.f().target().uuid()), 200, 200, 403, 403, 403, 403, 403),
            row("ban a stranger", "PUT", "/chat/ban", x -> x.chat("userUUID", x.f().newcomer().uuid()), 200, 200, 403, 403, 403, 403, 403),
            row("unban", "DELETE", "/chat/ban", x -> x.chat("userUUID", x.f().uuid("banned")), 200, 200, 403, 403, 403, 403, 403),
            get("list bans", x -> "/chat/bans?chatUUID=" + x.f().chat(), 200, 200, 403, 403, 403, 403, 403),
            row("grant admin", "PUT", "/chat/admin", x -> x.chat("userUUID", x.f().target().uuid()), 200, 403, 403, 403, 403, 403, 403),
            row("revoke admin", "DELETE", "/chat/admin", x -> x.chat("userUUID", x.f().uuid("admin")), 200, 403, 403, 403, 403, 403, 403),
            row("hand over ownership", "POST", "/chat/owner", x -> x.chat("userUUID", x.f().target().uuid()), 200, 403, 403, 403, 403, 403, 403),
            row("leave", "POST", "/chat/leave", x -> x.chat(), 409, 200, 200, 403, 403, 403, 403),
            row("join by handle", "POST", "/chat/join", x -> Map.of("handle", x.f().handle()), 200, 200, 200, 200, 403, 200, 403));

    /** What the owner sees of the chat: its state and messages, for "a refusal changes nothing". */
    static String ownerView(Fixture f) {
        JsonNode init = api.ok(api.get("/user/initialize", f.people().get("owner").token()));
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : init.path("chats")) if (c.path("uuid").asText().equals(f.chat())) sb.append(c);
        for (JsonNode m : init.path("messages")) if (m.path("chatUUID").asText().equals(f.chat())) sb.append(m);
        sb.append(api.ok(api.get("/chat/bans?chatUUID=" + f.chat(), f.people().get("owner").token())));
        return sb.toString();
    }

    @Test
    void everyEndpointAnswersEachRoleAsThePermissionTableSays() {
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS) {
            for (int i = 0; i < WHO.size(); i++) {
                String who = WHO.get(i);
                Fixture f = fixture(row.type());
                Ctx x = new Ctx(f, who);
                String before = ownerView(f);
                Object body = row.body().apply(x);
                RawApi.Reply r = row.method().equals("GET") ? api.get(row.path().apply(x), f.token(who))
                        : api.send(row.method(), row.path().apply(x), f.token(who), RawApi.json(body));
                String cell = row.name() + " as " + who + ": ";
                if (r.status() != row.expected()[i]) {
                    wrong.add(cell + "expected " + row.expected()[i] + ", got " + r.status() + " " + r.text());
                    continue;
                }
                if (r.status() != 200) {
                    if (r.body().path("success").asBoolean(true) || r.error() == null || r.body().path("message").asText().isEmpty()) {
                        wrong.add(cell + "a refusal without the error envelope: " + r.text());
                    }
                    if (!before.equals(ownerView(f))) wrong.add(cell + "a refusal changed the chat");
                }
            }
        }
        assertEquals(List.of(), wrong, "cells that disagree with the permission table");
    }

    @Test
    void anUnknownChatIs404OnEveryEndpoint() {
        Fixture f = fixture("GROUP");
        Fixture unknown = new Fixture("00000000-0000-4000-8000-000000000000", "nohandle", f.people(), f.target(),
                f.newcomer(), f.own(), f.targets(), f.sub(), f.readOnlyKey());
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS) {
            if (row.name().equals("join by handle")) continue; // joins name a handle, not a chat
            Ctx x = new Ctx(unknown, "owner");
            RawApi.Reply r = row.method().equals("GET") ? api.get(row.path().apply(x), f.people().get("owner").token())
                    : api.send(row.method(), row.path().apply(x), f.people().get("owner").token(), RawApi.json(row.body().apply(x)));
            if (r.status() != 404 || !"NOT_FOUND".equals(r.error())) wrong.add(row.name() + ": " + r.status() + " " + r.text());
        }
        assertEquals(List.of(), wrong);
    }
}
