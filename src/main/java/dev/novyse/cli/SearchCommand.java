package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.export.ExportFormat;
import dev.novyse.export.ExportRow;
import dev.novyse.protocol.Sub;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.FullTextQuery;
import dev.novyse.store.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The chat screen's search (C-f) for scripts: the local store's full-text index, offline, every word required as the
 * start of a word, newest first. Exit 0 with nothing printed when nothing matches, as {@code chats} prints no chats.
 */
@Command(name = "search", description = "Find messages in the local store by their words (offline, full text):"
        + " newest first, every word required, each as the start of a word.")
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Parameters(arity = "1..*", paramLabel = "WORD", description = "Words the message must hold (deplo finds deploy).")
    List<String> words;

    @Option(names = "--chat", paramLabel = "CHAT", description = "Only in this chat. " + SharedOptions.CHAT_WORDS)
    String chat;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N messages (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Mixin
    SharedOptions.SyncFirst syncFirst;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() {
        if (limit < 1) throw new CliException(ExitCodes.USAGE, "--limit must be at least 1");
        String query = FullTextQuery.ofWords(String.join(" ", words));
        if (query.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "search needs at least one word of letters or digits (emoji and"
                    + " punctuation are not in the index)");
        }
        try (Session session = apiKey.open(root)) {
            syncFirst.ifAsked(session);
            String only = chat == null ? null : ChatResolver.resolve(session.db(), chat).uuid();
            // The titles of the hits' chats only (at most --limit of them), not the whole chat list with its counts.
            Map<String, String> titles = new HashMap<>();
            Map<String, List<Sub>> subs = new HashMap<>();
            OutputWriter out = OutputWriter.stdout(format);
            for (MessageView m : session.db().search(query, only, limit, () -> false).orElseThrow()) {
                if (out.closed()) break;
                String title = titles.computeIfAbsent(m.chatUUID(),
                        c -> session.db().chat(c).map(ChatSummary::title).orElse(null));
                Hit hit = Hit.of(m, title);
                String subName = m.subID() == 0 ? null : subs.computeIfAbsent(m.chatUUID(), c -> session.db().subs(c))
                        .stream().filter(s -> s.id() == m.subID()).map(Sub::name).findFirst().orElse(null);
                out.record(hit, () -> hit.text(subName));
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The JSON Lines shape of a hit (docs/output.md): the fields of an exported message that a search reads, the chat
     * by its title as the chat list shows it ({@code chatTitle}: a DM's is the other person's name, where an export's
     * {@code chatName} is null).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Hit(String chat, String chatTitle, int sub, long id, String sender, String senderName, String createdAt,
               String content, boolean edited) {
        static Hit of(MessageView m, String chatTitle) {
            return new Hit(m.chatUUID(), chatTitle, m.subID(), m.id(), m.senderUUID(), m.senderName(), m.createdAt(),
                    m.content(), m.edited());
        }

        /**
         * As {@code export --format text} writes a message: {@code 2026-11-23 07:28 [Team #12] Alice: hello}; a
         * forum's sub by {@code subName} when the store has one.
         */
        String text(String subName) {
            return ExportFormat.textLine(new ExportRow(chat, chatTitle, chatTitle, sub, subName, id, sender, senderName, createdAt,
                    content, edited, false, null, null, null, null, null));
        }
    }
}
