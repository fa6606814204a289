package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.e2e.ChatCommandsE2eTest.Cli;
import dev.novyse.protocol.Json;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.novyse.e2e.ChatCommandsE2eTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The moderation commands against a real server, each with its refusal: {@code chat invite|kick|ban|unban|bans|admin|
 * owner|describe|handle}, and the roles {@code chats}, {@code chat info} and {@code chat members} show. Every action
 * shows in the store after it (the follow-up sync); a removed member's next sync drops the chat; every refusal is
 * one line on stderr, its documented exit code (5 for the server's 403 and 409, 4 offline, 2 for bad usage), nothing
 * on stdout and nothing changed in the store.
 */
class ModerationCommandsE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static Cli signup(String username, String name) {
        return Cli.signup(dir, server.url(), username, name);
    }

    /** The account's store as the projection oracle reads it, to show a refusal changed nothing. */
    static String store(Cli cli) throws Exception {
        return Projection.client(cli.db()).toString();
    }

    /** {@code chats --format jsonl}: each chat's {@code role}, by chat uuid. */
    static Map<String, String> roles(Cli cli) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String l : cli.ok("chats", "--format", "jsonl").out().lines().toList()) {
            JsonNode n = Json.mapper().readTree(l);
            out.put(n.path("uuid").asText(), n.path("role").isNull() ? null : n.path("role").asText());
        }
        return out;
    }

    /** {@code chat members --format jsonl}: each member's {@code role}, by handle. */
    static Map<String, String> memberRoles(Cli cli, String chat) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (String l : cli.ok("chat", "members", chat, "--format", "jsonl").out().lines().toList()) {
            JsonNode n = Json.mapper().readTree(l);
            out.put(n.path("handle").asText(), n.path("role").asText());
        }
        return out;
    }

    @Test
    void invitesKicksBansAndAdminsAreTheServersPermissionTableWithOneLineRefusals() throws Exception {
        Cli olga = signup("olga", "Olga");
        Cli abe = signup("abe", "Abe");
        Cli mia = signup("mia", "Mia");
        Cli otto = signup("otto", "Otto");
        String club = olga.json("chat", "create", "Club", "--handle", "club", "@abe", "mia", "--format", "jsonl")
                .path("uuid").asText();
        olga.ok("send", "@club", "welcome");

        E2e.Run made = olga.ok("chat", "admin", "@club", "@abe");
        assertEquals("made Abe an admin of Club\n", made.err());
        assertEquals(Map.of("olga", "owner", "abe", "admin", "mia", "member"), memberRoles(olga, "@club"));
        assertEquals("owner", roles(olga).get(club));
        abe.ok("sync", "--quiet");
        mia.ok("sync", "--quiet");
        assertEquals("admin", roles(abe).get(club));
        assertEquals("member", roles(mia).get(club));
        String info = mia.ok("chat", "info", "@club").out();
        assertTrue(info.startsWith("Club (GROUP, @club), 1 unread; you are member\n"), info);

        // A member may not kick, invite, ban or make admins: 403, exit 5, their store as it was.
        String before = store(mia);
        assertRefused(mia.run("chat", "kick", "@club", "@abe"), 5, "a member kicking");
        assertRefused(mia.run("chat", "invite", "@club", "@otto"), 5, "a member inviting");
        assertRefused(mia.run("chat", "ban", "@club", "Abe"), 5, "a member banning");
        assertRefused(mia.run("chat", "bans", "@club"), 5, "a member listing bans");
        assertRefused(mia.run("chat", "admin", "@club", "@mia"), 5, "a member making themselves an admin");
        assertEquals(before, store(mia), "a refused action changed the store");
        // An admin may not kick the owner, nor make admins (the owner's right).
        assertRefused(abe.run("chat", "kick", "@club", "@olga"), 5, "an admin kicking the owner");
        assertRefused(abe.run("chat", "admin", "@club", "@mia"), 5, "an admin making an admin");
        assertRefused(olga.run("chat", "kick", "@club", "@nobody_here"), 2, "a user nobody has");

        E2e.Run invited = olga.ok("chat", "invite", "@club", "@otto", "mia");
        assertEquals("invited Otto to Club; already in it: Mia\n", invited.err());
        assertEquals(4, olga.count("SELECT COUNT(*) FROM member WHERE chatUUID = '" + club + "'"));
        otto.ok("sync", "--quiet");
        assertEquals("member", roles(otto).get(club));

        // A kick: the kicked member's next sync drops the chat and its history; they may rejoin.
        E2e.Run kicked = abe.ok("chat", "kick", "@club", "@mia");
        assertEquals("kicked Mia from Club\n", kicked.err());
        assertEquals(0, abe.count("SELECT COUNT(*) FROM member WHERE chatUUID = '" + club + "' AND userUUID = '"
                + mia.uuid() + "'"));
        mia.ok("sync", "--quiet");
        assertFalse(roles(mia).containsKey(club), "a kicked member's chats still list the chat");
        assertEquals(0, mia.count("SELECT COUNT(*) FROM message WHERE chatUUID = '" + club + "'"));
        mia.ok("chat", "join", "@club");
        assertEquals("member", roles(mia).get(club));

        // A ban: removed, cannot rejoin nor be invited, listed in 'chat bans' until unbanned.
        assertEquals("banned Mia from Club\n", olga.ok("chat", "ban", "@club", "Mia").err());
        mia.ok("sync", "--quiet");
        assertFalse(roles(mia).containsKey(club), "a banned member's chats still list the chat");
        before = store(mia);
        assertRefused(mia.run("chat", "join", "@club"), 5, "a banned user rejoining");
        assertEquals(before, store(mia));
        E2e.Run inviteBanned = olga.run("chat", "invite", "@club", "@mia");
        assertRefused(inviteBanned, 5, "inviting a banned user");
        assertTrue(inviteBanned.err().contains("@mia is banned from this chat") && !inviteBanned.err().contains(mia.uuid()),
                "the banned user named by handle, not by uuid: " + inviteBanned.err());
        JsonNode ban = olga.json("chat", "bans", "@club", "--format", "jsonl");
        assertEquals(mia.uuid(), ban.path("user").asText());
        assertEquals("Mia", ban.path("name").asText());
        assertEquals(olga.uuid(), ban.path("by").asText());
        assertEquals("Olga", ban.path("byName").asText());
        assertTrue(ban.path("bannedAt").asText().endsWith("Z"), ban.toString());
        assertTrue(olga.ok("chat", "bans", "@club").out().startsWith("Mia @mia  banned "), "the text line");

        assertEquals("unbanned Mia in Club\n", olga.ok("chat", "unban", "@club", "@mia").err());
        assertEquals("", olga.ok("chat", "bans", "@club").out());
        mia.ok("chat", "join", "@club");
        assertTrue(roles(mia).containsKey(club));

        assertEquals("Abe is no longer an admin of Club\n", olga.ok("chat", "admin", "--revoke", "@club", "abe").err());
        assertEquals("member", memberRoles(olga, "@club").get("abe"));
        abe.ok("sync", "--quiet");
        assertEquals("member", roles(abe).get(club));
    }

    @Test
    void anOwnerHandsOverAndTheNewOwnerMayKickTheOldOne() throws Exception {
        Cli una = signup("una", "Una");
        Cli vic = signup("vic", "Vic");
        String guild = una.json("chat", "create", "Guild", "--handle", "guild", "@vic", "--format", "jsonl")
                .path("uuid").asText();
        vic.ok("sync", "--quiet");
        assertRefused(vic.run("chat", "owner", "@guild", "@vic"), 5, "a member taking ownership");
        assertRefused(una.run("chat", "leave", "@guild"), 5, "the owner leaving before handing over");

        assertEquals("handed Guild over to Vic; you stay an admin\n", una.ok("chat", "owner", "@guild", "vic").err());
        assertEquals("admin", roles(una).get(guild));
        assertEquals(Map.of("una", "admin", "vic", "owner"), memberRoles(una, "@guild"));
        assertRefused(una.run("chat", "kick", "@guild", "@vic"), 5, "the old owner kicking the new one");

        vic.ok("sync", "--quiet");
        assertEquals("owner", roles(vic).get(guild));
        vic.ok("chat", "kick", "@guild", "@una");
        una.ok("sync", "--quiet");
        assertFalse(roles(una).containsKey(guild), "the kicked old owner's chats still list the chat");
    }

    @Test
    void descriptionAndHandleAreChangedByAdminsOnly() throws Exception {
        Cli wes = signup("wes", "Wes");
        Cli xia = signup("xia", "Xia");
        String den = wes.json("chat", "create", "Den", "--handle", "den_room", "@xia", "--format", "jsonl")
                .path("uuid").asText();
        wes.ok("chat", "create", "Other", "--handle", "other_room");
        String where = " FROM chat WHERE uuid = '" + den + "'";

        assertEquals("described Den\n", wes.ok("chat", "describe", "@den_room", "where we meet").err());
        assertEquals("where we meet", wes.text("SELECT description" + where));
        xia.ok("sync", "--quiet");
        assertEquals("where we meet", xia.text("SELECT description" + where));
        assertEquals("where we meet", xia.json("chat", "info", "Den", "--format", "jsonl").path("description").asText());
        assertTrue(xia.ok("chat", "info", "Den").out().contains("\nwhere we meet\n"), "the text form has it on its own line");
        assertRefused(xia.run("chat", "describe", "@den_room", "mine now"), 5, "a member describing");
        assertRefused(xia.run("chat", "handle", "@den_room", "xias_den"), 5, "a member changing the handle");
        assertEquals("where we meet", xia.text("SELECT description" + where));
        assertEquals("cleared the description of Den\n", wes.ok("chat", "describe", "Den", "").err());
        assertEquals(null, wes.text("SELECT description" + where));
        assertTrue(wes.json("chat", "info", "Den", "--format", "jsonl").path("description").isNull());

        assertEquals("Den is now @lair\n", wes.ok("chat", "handle", "@den_room", "@lair").err());
        assertEquals("lair", wes.text("SELECT handle" + where));
        assertRefused(wes.run("chat", "handle", "@lair", "other_room"), 5, "a handle another chat has");
        assertEquals("lair", wes.text("SELECT handle" + where));
        assertRefused(wes.run("chat", "handle", "@lair"), 2, "neither a handle nor --remove");
        assertRefused(wes.run("chat", "handle", "@lair", "x", "--remove"), 2, "both a handle and --remove");
        assertEquals("dropped the handle of Den\n", wes.ok("chat", "handle", "--remove", "@lair").err());
        assertEquals(null, wes.text("SELECT handle" + where));
        assertRefused(xia.run("chat", "join", "@lair"), 5, "joining a dropped handle");
    }

    @Test
    void everyModerationCommandIsRefusedOfflineWithExit4AndChangesNothing() throws Exception {
        Cli yan = signup("yan", "Yan");
        signup("zoe", "Zoe");
        signup("zed", "Zed");
        yan.ok("chat", "create", "Yard", "--handle", "yard", "@zoe");
        yan.ok("chat", "ban", "@yard", "@zed"); // someone outside may be banned ahead
        assertEquals(1, yan.ok("chat", "bans", "@yard", "--format", "jsonl").out().lines().count());
        yan.ok("sync", "--quiet");
        Cli down = yan.offline("yan-offline");
        String before = store(down);

        List<List<String>> actions = List.of(
                List.of("chat", "invite", "@yard", "@zed"), List.of("chat", "kick", "@yard", "@zoe"),
                List.of("chat", "ban", "@yard", "@zoe"), List.of("chat", "unban", "@yard", "@zed"),
                List.of("chat", "bans", "@yard"), List.of("chat", "admin", "@yard", "@zoe"),
                List.of("chat", "admin", "--revoke", "@yard", "@zoe"), List.of("chat", "owner", "@yard", "@zoe"),
                List.of("chat", "describe", "@yard", "text"), List.of("chat", "handle", "@yard", "yard2"));
        for (List<String> a : actions) {
            E2e.Run r = down.run(a.toArray(String[]::new));
            assertRefused(r, 4, String.join(" ", a));
            assertTrue(r.err().contains("was not done"), r.err());
        }
        assertEquals(before, store(down), "a refused action changed the store");
        assertEquals(0, down.count("SELECT COUNT(*) FROM pending_message"));
        // What the store holds still reads offline.
        assertTrue(down.ok("chat", "members", "@yard").out().contains("Yan @yan  owner"));
    }
}
