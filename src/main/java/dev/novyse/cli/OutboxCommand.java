package dev.novyse.cli;

import dev.novyse.protocol.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.PendingMessage;
import dev.novyse.tui.TerminalColumns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "outbox", description = {"List the messages not delivered yet: their state, attempts and last error.",
        "PENDING entries go with the next sync or send.",
        "FAILED ones were refused for good (the last error says why) and stay until retried or dropped.",
        "SENT ones were accepted and arrive with the next sync.",
        "An ID is an entry's id or an unambiguous start of it (the list shows the first 8 characters).",
        "'outbox retry' exits 0 when delivered, 7 when the server is unreachable, 5 when refused again."},
        subcommands = {OutboxRetryCommand.class, OutboxDropCommand.class})
final class OutboxCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    OutputFormat format;

    /** How many characters of a message the list shows. */
    static final int PREVIEW = 60;

    @Override
    public Integer call() {
        try (Session session = root.openSession()) {
            LocalDatabase db = session.db();
            Map<String, String> chatNames = new HashMap<>();
            OutputWriter out = OutputWriter.stdout(format);
            for (PendingMessage p : db.outbox()) {
                if (out.closed()) break;
                String chatName = chatNames.computeIfAbsent(p.chatUUID(),
                        uuid -> db.chat(uuid).map(ChatSummary::title).orElse(null));
                OutboxLine line = OutboxLine.of(p, chatName);
                out.record(line, line::text);
            }
        }
        return ExitCodes.OK;
    }

    /** The entries {@code id} names: the one whose id is {@code id} or the only one starting with it. */
    static PendingMessage find(List<PendingMessage> outbox, String id) {
        List<PendingMessage> matches = outbox.stream().filter(p -> p.tempId().equals(id)).toList();
        if (matches.isEmpty()) {
            matches = outbox.stream().filter(p -> p.tempId().startsWith(id)).toList();
        }
        if (matches.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no outbox entry " + id + " (see 'novyse outbox')");
        }
        if (matches.size() > 1) {
            throw new CliException(ExitCodes.USAGE, "outbox entry " + id + " is ambiguous: it starts "
                    + String.join(", ", matches.stream().map(p -> shortId(p.tempId())).toList()));
        }
        return matches.get(0);
    }

    /**
     * One stderr line per message the server refused (a flush's, or those a send delivered first), by its outbox
     * id: never silent, {@code --quiet} or not; each waits to be retried or dropped.
     */
    static void warnRefused(List<dev.novyse.sync.OutboxSender.Failed> refused) {
        for (dev.novyse.sync.OutboxSender.Failed f : refused) {
            PendingMessage p = f.message();
            String what = p.content() == null || p.content().isBlank()
                    ? "[" + p.files().size() + (p.files().size() == 1 ? " file]" : " files]") : preview(p.content(), 40);
            Failures.warn(shortId(p.tempId()) + " not sent: " + what + ": " + f.reason()
                    + "; it stays in the outbox (novyse outbox retry or drop)");
        }
    }

    static String shortId(String tempId) {
        return tempId.length() <= 8 ? tempId : tempId.substring(0, 8);
    }

    /** The start of a message on one line: whitespace runs as one space, cut at {@code max} characters with "…". */
    static String preview(String content, int max) {
        if (content == null) return "";
        // A 10 MiB message is cut before the regex sees it; 4 chars per code point is more than any needs.
        String head = content.length() > max * 4 ? content.substring(0, max * 4) : content;
        boolean cut = head.length() < content.length();
        String flat = head.replaceAll("\\s+", " ").strip();
        if (flat.codePointCount(0, flat.length()) > max) {
            flat = flat.substring(0, flat.offsetByCodePoints(0, max)).strip();
            cut = true;
        }
        return cut ? flat + "…" : flat;
    }

    /** A stored time as the output contract writes times (UTC, three fraction digits); kept as is if unreadable. */
    static String time(String stored) {
        if (stored == null) return null;
        try {
            return Timestamps.of(java.time.Instant.parse(stored));
        } catch (java.time.format.DateTimeParseException e) {
            return stored;
        }
    }

    /** One line of {@code novyse outbox --format jsonl} (docs/output.md): every field on every line. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record OutboxLine(String id, String state, String chat, String chatName, int sub, String createdAt, int attempts,
                      String lastError, String preview, int length, List<String> files, Long messageId) {
        static OutboxLine of(PendingMessage p, String chatName) {
            return new OutboxLine(p.tempId(), p.state().name(), p.chatUUID(), chatName, p.subID(), time(p.createdAt()),
                    p.attempts(), p.lastError(), OutboxCommand.preview(p.content(), PREVIEW),
                    p.content() == null ? 0 : p.content().codePointCount(0, p.content().length()),
                    p.files().stream().map(PendingMessage.PendingFile::name).toList(), p.serverMessageId());
        }

        String text() {
            String what = OutboxCommand.preview(preview, 40) + (files.isEmpty() ? "" : " [" + files.size()
                    + (files.size() == 1 ? " file]" : " files]"));
            String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
            return String.format("%s  %-7s  %s  %s  %-10s  %s%s", shortId(id), state,
                    createdAt == null ? "" : createdAt, chatName == null ? TerminalColumns.padRight(chat, 20) : TerminalColumns.cell(chatName, 20),
                    tries, what,
                    lastError == null ? "" : "  (" + lastError + ")");
        }
    }
}
