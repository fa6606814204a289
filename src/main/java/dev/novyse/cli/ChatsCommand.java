package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.Role;
import dev.novyse.store.ChatPrefs;
import dev.novyse.store.ChatSummary;
import dev.novyse.tui.TerminalColumns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "chats", description = "List chats from the local store: pinned first, then by last activity.")
final class ChatsCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    OutputFormat format;

    @Mixin
    SharedOptions.SyncFirst syncFirst;

    @Option(names = "--limit", description = "At most this many chats (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int limit;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() {
        try (Session session = apiKey.open(root)) {
            syncFirst.ifAsked(session);
            OutputWriter out = OutputWriter.stdout(format);
            Map<String, List<Role>> mine = session.db().accountRoles();
            Map<String, ChatPrefs> prefs = ChatPrefs.of(session.db().syncedSettings());
            Instant now = Instant.now();
            for (ChatSummary c : session.db().chatList(limit)) {
                if (out.closed()) break;
                ChatPrefs p = prefs.getOrDefault(c.uuid(), ChatPrefs.NONE);
                out.record(ChatLine.of(c, mine, p, now), () -> textLine(c, p, now));
            }
        }
        return ExitCodes.OK;
    }

    static String textLine(ChatSummary c, ChatPrefs prefs, Instant now) {
        String marker = c.pinnedPosition() != null ? "*" : " ";
        String unread = c.unreadCount() > 0 ? "(" + c.unreadCount() + ")" : "";
        String line = String.format("%s %-7s %s %-6s %s", marker, c.type(), TerminalColumns.cell(c.title() == null ? "(unnamed)" : c.title(), 30),
                unread, c.handle() == null ? "" : "@" + c.handle());
        String extra = (prefs.muted(now) ? " [muted]" : "") + (prefs.folder() == null ? "" : " [" + prefs.folder() + "]");
        return extra.isEmpty() ? line : line.stripTrailing() + extra;
    }

    /** The stable JSON Lines shape of a chat (docs/output.md): every field on every line, null when unknown. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatLine(String uuid, String type, String title, String handle, Integer pinned, int unread,
                    String lastMessageAt, String lastSender, String lastMessage, String role, boolean muted,
                    String mutedUntil, String folder) {
        /**
         * {@code accountRoles}: the account's roles by chat, as {@link dev.novyse.store.LocalDatabase#accountRoles};
         * {@code prefs}: the chat's mute and folder, read at {@code now} (an expired mute is not muted).
         */
        static ChatLine of(ChatSummary c, Map<String, List<Role>> accountRoles, ChatPrefs prefs, Instant now) {
            return new ChatLine(c.uuid(), c.type(), c.title(), c.handle(), c.pinnedPosition(), c.unreadCount(),
                    c.lastMessageAt(), c.lastSenderName(), c.lastMessageDeleted() ? null : c.lastMessagePreview(),
                    RoleNames.highest(accountRoles.getOrDefault(c.uuid(), List.of())), prefs.muted(now),
                    prefs.mutedUntil(now), prefs.folder());
        }
    }
}
