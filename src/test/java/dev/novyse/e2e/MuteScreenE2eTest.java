package dev.novyse.e2e;

import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Muting in the chat screen, in tmux with the bytes a terminal sends: {@code /mute} stores the account's synced
 * setting on the server, a muted chat keeps its unread count but next-unread (M-u) passes it by, and {@code /unmute}
 * takes the setting away again.
 */
class MuteScreenE2eTest {
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");

    private static String lastLine(String screen) {
        return screen.lines().reduce((a, b) -> b).orElse("");
    }
    private static final byte ESC = 0x1b;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    E2e.As bob;
    String loud;
    String quiet;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        RawApi.Account alice = f.alice;
        bob = new E2e.As(f.api, f.api.signup("bob"));
        E2e.As asAlice = new E2e.As(f.api, alice);
        loud = bob.createChat("GROUP", "Loud", null, alice.uuid());
        quiet = bob.createChat("GROUP", "Quiet", null, alice.uuid());
        String team = asAlice.createChat("GROUP", "Team", null, bob.uuid());
        E2e.nextMillisecond();
        asAlice.send(team, 0, "alice's own words"); // newest: Team opens first
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** Alice's value of a setting on the server, or null when she has none. */
    private String serverSetting(String key) throws Exception {
        return (String) f.serverValue("SELECT value FROM settings WHERE user_uuid = ? AND key = ?", f.alice.uuid(), key);
    }

    private void awaitSetting(String key, String value) throws Exception {
        f.awaitServer(key, () -> java.util.Objects.equals(serverSetting(key), value));
    }

    /** The chat list's row of a chat, as drawn. */
    private static String row(String screen, String name) {
        return screen.lines().filter(l -> l.contains("# " + name)).findFirst().orElse("").replaceAll("│.*", "");
    }

    @Test
    void aMutedChatKeepsItsCountButNextUnreadPassesItBy() throws Exception {
        tmux.type("TZ=Asia/Kolkata " + f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("alice's own words"));

        tmux.type("/open Quiet");
        tmux.keys("Enter");
        tmux.awaitScreen("Quiet open", s -> s.contains("── Quiet") || s.contains("# Quiet  group"));
        tmux.type("/mute");
        tmux.keys("Enter");
        tmux.awaitText("muted");
        awaitSetting("chat.mute." + quiet, "\"forever\"");

        tmux.type("/open Team");
        tmux.keys("Enter");
        tmux.awaitScreen("Team open", s -> s.contains("alice's own words"));
        bob.send(quiet, 0, "later in quiet");
        bob.send(loud, 0, "later in loud");
        tmux.awaitScreen("both counts", s -> row(s, "Quiet").matches(".*Quiet +1\\s*") && row(s, "Loud").matches(".*Loud +1\\s*"));

        tmux.bytes(ESC, (byte) 'u'); // M-u: Loud, not the muted Quiet
        tmux.awaitScreen("Loud opened", s -> s.contains("later in loud"));
        tmux.bytes(ESC, (byte) 'u');
        String s = tmux.awaitText("no unread messages");
        assertTrue(row(s, "Quiet").matches(".*Quiet +1\\s*"), "the muted chat still shows its count:\n" + s);
        assertTrue(!s.contains("later in quiet"), "M-u never opened the muted chat:\n" + s);

        tmux.type("/open Quiet");
        tmux.keys("Enter");
        tmux.awaitScreen("Quiet open", x -> x.contains("later in quiet"));
        tmux.type("/unmute");
        tmux.keys("Enter");
        tmux.awaitText("unmuted");
        awaitSetting("chat.mute." + quiet, null);
        assertNull(serverSetting("chat.mute." + loud));

        // For a while: the end on the person's clock (this screen runs in India's zone, half an hour off UTC's).
        Instant before = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        tmux.type("/mute 2d");
        tmux.keys("Enter");
        Matcher shown = Pattern.compile("muted until (\\w{3} \\d{1,2} \\w{3} \\d\\d:\\d\\d)").matcher("");
        s = tmux.awaitScreen("the end said", x -> shown.reset(lastLine(x)).find());
        // The screen read its clock between the key and now: any minute of that span, two days on, is right.
        DateTimeFormatter said = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH).withZone(INDIA);
        List<String> right = new ArrayList<>();
        for (Instant t = before; !t.isAfter(Instant.now()); t = t.plus(Duration.ofMinutes(1))) {
            right.add(said.format(t.plus(Duration.ofDays(2))));
        }
        assertTrue(right.contains(shown.group(1)), "said '" + shown.group(1) + "', expected one of " + right + ":\n" + s);
    }
}
