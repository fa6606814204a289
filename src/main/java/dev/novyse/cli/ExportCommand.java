package dev.novyse.cli;

import dev.novyse.export.ExportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

@Command(name = "export", description = {"Stream messages from the local store to stdout, oldest first per chat.",
        "Only data goes to stdout; a closed pipe (| head) ends the export quietly."})
final class ExportCommand implements Callable<Integer> {
    static final java.time.format.DateTimeFormatter SINCE_FORMAT = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    @ParentCommand
    NovyseCommand root;

    @Option(names = "--chat", paramLabel = "CHAT", description = "Only this chat (uuid, handle or name).")
    String chat;

    @Option(names = "--since", paramLabel = "TIME", description = "Only messages created at or after this ISO-8601 instant.")
    String since;

    @Option(names = "--format", description = "jsonl, csv or text (default: ${DEFAULT-VALUE}).", defaultValue = "jsonl")
    ExportFormat format;

    @Option(names = "--sync", description = "Sync with the server first.")
    boolean sync;

    @Override
    public Integer call() throws Exception {
        if (since != null) {
            try {
                // The same fixed-width form the server stores (three fraction digits): the store compares text,
                // and Instant.toString() would drop a zero fraction ("...:05Z" sorts after "...:05.500Z").
                since = SINCE_FORMAT.format(Instant.parse(since));
            } catch (DateTimeParseException e) {
                throw new CliException(ExitCodes.USAGE, "--since must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
            }
        }
        try (ClientSession session = ClientSession.open(root)) {
            if (sync) {
                session.syncEngine().sync();
            }
            String chatUUID = chat == null ? null : ChatResolver.resolve(session.db(), chat).uuid();
            if (format == ExportFormat.jsonl) {
                // Fast path: UTF-8 bytes from the store escaped straight into one buffer (same bytes as the
                // jsonl RowWriter).
                try {
                    session.db().exportMessagesJsonl(chatUUID, since, new FileOutputStream(FileDescriptor.out));
                } catch (IOException e) {
                    return ExitCodes.OK;
                }
                return ExitCodes.OK;
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            try (ExportFormat.RowWriter writer = format.open(out)) {
                session.db().exportMessages(chatUUID, since, writer);
            } catch (IOException e) {
                // The reader went away (a closed pipe): that is how `| head` ends an export, not an error.
                return ExitCodes.OK;
            }
        }
        return ExitCodes.OK;
    }
}
