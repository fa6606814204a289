package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.Role;
import dev.novyse.store.ChatSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
            for (ChatSummary c : session.db().chatList(limit)) {
                if (out.closed()) break;
                out.record(ChatLine.of(c, mine), () -> textLine(c));
            }
        }
        return ExitCodes.OK;
    }

    static String textLine(ChatSummary c) {
        String marker = c.pinnedPosition() != null ? "*" : " ";
        String unread = c.unreadCount() > 0 ? "(" + c.unreadCount() + ")" : "";
        return String.format("%s %-7s %-30s %-6s %s", marker, c.type(), c.title(), unread,
                c.handle() == null ? "" : "@" + c.handle());
    }

    /** The stable JSON Lines shape of a chat (docs/output.md): every field on every line, null when unknown. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatLine(String uuid, String type, String title, String handle, Integer pinned, int unread,
                    String lastMessageAt, String lastSender, String lastMessage, String role) {
        /** {@code accountRoles}: the account's roles by chat, as {@link dev.novyse.store.LocalDatabase#accountRoles}. */
        static ChatLine of(ChatSummary c, Map<String, List<Role>> accountRoles) {
            return new ChatLine(c.uuid(), c.type(), c.title(), c.handle(), c.pinnedPosition(), c.unreadCount(),
                    c.lastMessageAt(), c.lastSenderName(), c.lastMessageDeleted() ? null : c.lastMessagePreview(),
                    RoleNames.highest(accountRoles.getOrDefault(c.uuid(), List.of())));
        }
    }
}
