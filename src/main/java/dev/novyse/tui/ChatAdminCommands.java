package dev.novyse.tui;

import dev.novyse.protocol.Json;
import dev.novyse.protocol.User;
import dev.novyse.state.AppState;
import dev.novyse.state.Durations;
import dev.novyse.state.Lookups;
import dev.novyse.state.People;
import dev.novyse.store.ChatPrefs;
import dev.novyse.store.ChatSummary;
import dev.novyse.sync.ChatActions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The slash commands that change the open chat or who is in it — {@code /leave}, {@code /rename}, {@code /describe},
 * {@code /invite}, {@code /kick}, {@code /ban}, {@code /unban}, {@code /admin}, {@code /owner}, {@code /pin},
 * {@code /unpin}, {@code /mute}, {@code /unmute}, {@code /sub} — as the CLI's {@code chat} commands do them: the server checks the permission table and a refusal
 * comes back as one flash in its own words. People are named by {@code @handle}, handle or display name, from the
 * store first, then from the server. Leaving and handing a chat over ask first.
 */
final class ChatAdminCommands {
    /** The names {@link SlashCommands} hands over here. */
    static final List<String> NAMES = List.of("admin", "ban", "describe", "invite", "kick", "leave", "mute", "owner",
            "pin", "rename", "sub", "unban", "unmute", "unpin");

    private final UiModel m;
    private final ServerCalls calls;
    private final Lookups lookups;
    private final StoreReads reads;
    /** Opens a forum's sub just started (the forum and the sub's id). */
    private final java.util.function.ObjIntConsumer<String> openSub;

    ChatAdminCommands(UiModel m, ServerCalls calls, Lookups lookups, StoreReads reads,
                      java.util.function.ObjIntConsumer<String> openSub) {
        this.m = m;
        this.calls = calls;
        this.lookups = lookups;
        this.reads = reads;
        this.openSub = openSub;
    }

    /** Runs {@code cmd} (one of {@link #NAMES}) with the words after it. */
    void run(String cmd, List<String> args, String rest) {
        AppState.OpenChat open = calls.writableChat();
        if (open == null) return;
        String chat = open.chatUUID();
        String title = title(chat);
        switch (cmd) {
            case "leave" -> m.overlay = new UiModel.Confirm("Leave " + title + "?", () -> {
                m.leaving = chat;
                calls.run("left " + title, a -> a.leave(chat), () -> m.leaving = null);
            });
            case "rename" -> {
                if (rest.isEmpty()) m.flash("usage: /rename NAME", true);
                else if (oneLine(rest)) calls.run("renamed to " + rest, a -> a.rename(chat, rest));
            }
            case "describe" -> calls.run(rest.isEmpty() ? "description cleared" : "description set",
                    a -> a.describe(chat, rest));
            case "invite" -> {
                if (args.isEmpty()) m.flash("usage: /invite @user [@user…]", true);
                else calls.run("invited " + String.join(" ", args), a -> a.invite(chat, uuids(a, args)));
            }
            case "kick" -> onePerson(args, "/kick @user", (a, u) -> a.kick(chat, u), "removed ");
            case "ban" -> onePerson(args, "/ban @user", (a, u) -> a.ban(chat, u, true), "banned ");
            case "unban" -> onePerson(args, "/unban @user", (a, u) -> a.ban(chat, u, false), "unbanned ");
            case "admin" -> {
                boolean revoke = args.size() == 2 && args.get(1).equals("off");
                if (args.size() == 2 && !revoke) {
                    m.flash("usage: /admin @user [off]", true);
                    return;
                }
                onePerson(args.subList(0, Math.min(1, args.size())), "/admin @user [off]",
                        (a, u) -> a.setAdmin(chat, u, !revoke), revoke ? "no longer admin: " : "made admin: ");
            }
            case "owner" -> {
                if (args.size() != 1) {
                    m.flash("usage: /owner @user", true);
                    return;
                }
                m.overlay = new UiModel.Confirm("Hand " + title + " over to " + args.get(0) + "? You stay an admin.",
                        () -> calls.run(args.get(0) + " owns " + title, a -> a.transferOwnership(chat, person(a, args.get(0)).uuid())));
            }
            case "pin" -> pin(chat, true);
            case "unpin" -> pin(chat, false);
            case "mute" -> mute(chat, rest);
            case "unmute" -> setMute(chat, null, "unmuted " + title);
            case "sub" -> sub(open, title, args, rest);
            default -> throw new IllegalArgumentException(cmd);
        }
    }

    /**
     * {@code /sub NAME} opens the open forum's sub of that name, or starts one ({@code /sub new NAME} always starts
     * one, which the server refuses for a name the forum has); {@code /sub rename NAME} and
     * {@code /sub delete} (asks first: its messages go for everyone) act on the open sub, never on sub 0, the forum's
     * own first one; {@code /sub list} says where the subs are listed.
     */
    private void sub(AppState.OpenChat open, String title, List<String> args, String rest) {
        String chat = open.chatUUID();
        boolean forum = m.state.chats().stream().anyMatch(c -> c.uuid().equals(chat) && "FORUM".equals(c.type()));
        if (!forum) {
            m.flash(title + " is not a forum; only a forum has subs (/forum NAME makes one)", true);
            return;
        }
        String verb = args.isEmpty() ? "" : args.get(0).toLowerCase(java.util.Locale.ROOT);
        if (verb.equals("list")) {
            m.flash("the subs are listed under " + title + " in the chat list (Right unfolds it; /open NAME opens one)", false);
            return;
        }
        if (!verb.equals("rename") && !verb.equals("delete")) {
            // The words the CLI uses as verbs never become a sub's name by accident: "/sub new list" names it so.
            boolean starting = verb.equals("new") || verb.equals("create");
            String name = starting ? rest.substring(verb.length()).strip() : rest;
            // "/sub Build" where Build exists opens it (it made a second Build, which the server now refuses).
            if (name.isEmpty()) {
                m.flash("usage: /sub NAME (or /sub new NAME), /sub rename NAME, /sub delete", true);
            } else if (oneLine(name)) {
                Runnable start = () -> calls.runThenOpen("started " + name + " in " + title, a -> a.createSub(chat, name),
                        id -> openSub.accept(chat, id));
                if (starting) start.run();
                else reads.subs(chat, (subs, counts) -> { // the store is read off the UI thread
                    var existing = subs.stream().filter(s -> name.equals(s.name())).findFirst() // the exact name first
                            .or(() -> subs.stream().filter(s -> name.equalsIgnoreCase(s.name())).findFirst());
                    if (existing.isPresent()) openSub.accept(chat, existing.get().id());
                    else start.run();
                });
            }
            return;
        }
        int sub = open.subID();
        String name = m.subName(chat, sub);
        String newName = rest.substring(verb.length()).strip();
        if (sub == 0) {
            m.flash(name + " is the forum's own first sub: it is neither renamed nor deleted", true);
        } else if (verb.equals("delete") && !newName.isEmpty()) {
            m.flash("usage: /sub delete (deletes the open sub: open it first)", true);
        } else if (verb.equals("delete")) {
            m.overlay = new UiModel.Confirm("Delete " + name + " and all its messages, for everyone?",
                    () -> calls.run("deleted " + name, a -> a.deleteSub(chat, sub)));
        } else if (newName.isEmpty()) {
            m.flash("usage: /sub rename NAME", true);
        } else if (oneLine(newName)) {
            calls.run("renamed " + name + " to " + newName, a -> a.renameSub(chat, sub, newName));
        }
    }

    /**
     * A chat's or sub's name is one line, as the CLI's {@code chat} commands require: a tab (a paste can bring one)
     * or a control character in a name breaks every listing that prints a chat per line. Flashes why when not.
     */
    private boolean oneLine(String name) {
        if (name.codePoints().noneMatch(Character::isISOControl)) return true;
        m.flash("a name is one line: no tabs or control characters", true);
        return false;
    }

    /** The chat list's pin key: pins {@code chat} after the last pinned one, or unpins it. */
    void togglePin(String chat) {
        pin(chat, m.state.chats().stream().noneMatch(c -> c.uuid().equals(chat) && c.pinnedPosition() != null));
    }

    private void pin(String chat, boolean pin) {
        String title = title(chat);
        if (pin) calls.run("pinned " + title, a -> a.pinChat(chat, nextPinPosition(chat)));
        else calls.run("unpinned " + title, a -> a.pinChat(chat, null));
    }

    /** The chat list's mute key: mutes {@code chat} for good, or unmutes it ({@code /mute 8h} mutes for a while). */
    void toggleMute(String chat) {
        String title = title(chat);
        if (m.state.chatPrefs().getOrDefault(chat, ChatPrefs.NONE).muted(Instant.now())) {
            setMute(chat, null, "unmuted " + title);
        } else {
            setMute(chat, ChatPrefs.FOREVER, "muted " + title + " (/mute 8h mutes for a while)");
        }
    }

    /** The account's mute setting of {@code chat}: {@link ChatPrefs#FOREVER}, an instant, or null (not muted). */
    private void setMute(String chat, String until, String done) {
        calls.run(done, a -> a.setPreference(ChatPrefs.MUTE + chat,
                until == null ? null : Json.mapper().getNodeFactory().textNode(until)));
    }

    /** {@code /mute [DURATION]}: for good, or for 8h, 2d…, on every device of the account ({@link ChatPrefs}). */
    private void mute(String chat, String duration) {
        if (duration.isEmpty()) {
            setMute(chat, ChatPrefs.FOREVER, "muted");
            return;
        }
        Optional<Duration> d = Durations.parse(duration);
        if (d.isEmpty()) {
            m.flash("usage: /mute [DURATION], DURATION " + Durations.FORM, true);
            return;
        }
        Instant now = Instant.now();
        Instant end = now.plus(d.get()).truncatedTo(ChronoUnit.SECONDS);
        setMute(chat, end.toString(), "muted until " + clock(end, ZoneId.systemDefault(), now));
    }

    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter LATER = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter NEXT_YEAR = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm", Locale.ENGLISH);

    /**
     * {@code end} on the person's clock: "14:05" when that is today, "Tue 8 Dec 14:05" on another day this year,
     * "Tue 7 Dec 2027 14:05" in another year.
     */
    static String clock(Instant end, ZoneId zone, Instant now) {
        ZonedDateTime at = end.atZone(zone);
        ZonedDateTime today = now.atZone(zone);
        return (at.toLocalDate().equals(today.toLocalDate()) ? TODAY : at.getYear() == today.getYear() ? LATER
                : NEXT_YEAR).format(at);
    }

    private interface OnPerson {
        void apply(ChatActions actions, String userUUID);
    }

    private void onePerson(List<String> args, String usage, OnPerson action, String done) {
        if (args.size() != 1) {
            m.flash("usage: " + usage, true);
            return;
        }
        calls.run(done + args.get(0), a -> action.apply(a, person(a, args.get(0)).uuid()));
    }

    private List<String> uuids(ChatActions a, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) out.add(person(a, n).uuid());
        return out;
    }

    /** The one person {@code wanted} names ({@link People}; runs on the network thread, the server may be asked). */
    private User person(ChatActions a, String wanted) {
        return People.resolve(lookups::findUsers, a::findUsers, wanted);
    }

    private String title(String chat) {
        return m.state.chats().stream().filter(c -> c.uuid().equals(chat)).map(ChatSummary::title)
                .filter(Objects::nonNull).findFirst().orElse("this chat");
    }

    /** Where a newly pinned chat goes: after the last pinned one (its own place when already pinned). */
    private int nextPinPosition(String chat) {
        for (ChatSummary c : m.state.chats()) {
            if (c.uuid().equals(chat) && c.pinnedPosition() != null) return c.pinnedPosition();
        }
        return m.state.chats().stream().filter(c -> c.pinnedPosition() != null).mapToInt(ChatSummary::pinnedPosition)
                .max().orElse(-1) + 1;
    }
}
