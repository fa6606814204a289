package dev.novyse.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.novyse.account.Session;
import dev.novyse.protocol.Json;
import dev.novyse.store.ChatSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "chats", description = "List chats from the local store: pinned first, then by last activity.")
final class ChatsCommand implements Callable<Integer> {
    enum Format { text, jsonl }

    @ParentCommand
    NovyseCommand root;

    @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format;

    @Option(names = "--sync", description = "Sync with the server first.")
    boolean sync;

    @Option(names = "--limit", description = "At most this many chats (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int limit;

    @Override
    public Integer call() throws Exception {
        try (Session session = root.openSession()) {
            if (sync) {
                session.client().syncEngine().sync();
            }
            List<ChatSummary> chats = session.db().chatList(limit);
            PrintStream out = System.out;
            if (format == Format.jsonl) {
                JsonGenerator gen = Json.mapper().getFactory().createGenerator(out);
                for (ChatSummary c : chats) {
                    Json.mapper().writeValue(gen, new ChatLine(c.uuid(), c.type(), c.title(), c.handle(),
                            c.pinnedPosition(), c.unreadCount(), c.lastMessageAt(), c.lastSenderName(),
                            c.lastMessageDeleted() ? null : c.lastMessagePreview()));
                    gen.writeRaw('\n');
                }
                gen.flush();
            } else {
                for (ChatSummary c : chats) {
                    String marker = c.pinnedPosition() != null ? "*" : " ";
                    String unread = c.unreadCount() > 0 ? "(" + c.unreadCount() + ")" : "";
                    out.printf("%s %-7s %-30s %-6s %s%n", marker, c.type(), c.title(), unread,
                            c.handle() == null ? "" : "@" + c.handle());
                }
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The stable JSON Lines shape of a chat (docs/output.md): every field on every line, null when unknown. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record ChatLine(String uuid, String type, String title, String handle, Integer pinned, int unread,
                    String lastMessageAt, String lastSender, String lastMessage) {
    }
}
