package dev.novyse.cli;

import dev.novyse.protocol.Timestamps;
import dev.novyse.account.Credentials;
import dev.novyse.account.Session;
import dev.novyse.export.ExportFormat;
import dev.novyse.export.JsonlExporter;
import dev.novyse.export.MessageExporter;
import dev.novyse.export.archive.ArchiveExporter;
import dev.novyse.export.archive.ArchiveHeader;
import dev.novyse.io.IoWords;
import dev.novyse.io.ReaderWatchedOutput;
import dev.novyse.store.LocalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "export", description = {"Stream messages from the local store to stdout, oldest first per chat.",
        "With --all: the whole account (or with --chat, one chat) as a versioned archive for 'novyse import':"
                + " users, chats, members, subs, messages with their edit history, deletions, replies, reactions,"
                + " reads, pins, favourites, file metadata, settings and sync cursors (docs/output.md).",
        "Only data goes to stdout; a closed pipe (| head) ends the export quietly."})
final class ExportCommand implements Callable<Integer> {
    /** jsonl, csv and text are message listings; json (and jsonl) are the archive layouts of --all. */
    enum Format { jsonl, json, csv, text }

    @ParentCommand
    NovyseCommand root;

    @Option(names = "--chat", paramLabel = "CHAT", description = "Only this chat (uuid, handle or name).")
    String chat;

    @Option(names = "--since", paramLabel = "TIME", description = "Only messages created at or after this time: ISO-8601 (2026-01-31T08:00:00Z) or a date (2026-01-31, midnight UTC).")
    String since;

    @Option(names = "--format", description = "jsonl, csv or text; with --all jsonl or json (default: ${DEFAULT-VALUE}).",
            defaultValue = "jsonl")
    Format format;

    @Option(names = "--all", description = "Export everything as an archive for 'novyse import' (not only messages).")
    boolean all;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of stdout; it appears only once complete (written beside, then renamed).")
    Path output;

    @Mixin
    SharedOptions.SyncFirst syncFirst;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() throws Exception {
        if (all && since != null) {
            throw new CliException(ExitCodes.USAGE, "--since does not go with --all: an archive holds everything");
        }
        if (all && (format == Format.csv || format == Format.text)) {
            throw new CliException(ExitCodes.USAGE, "--all writes jsonl or json, not " + format);
        }
        if (!all && format == Format.json) {
            throw new CliException(ExitCodes.USAGE, "--format json is the archive layout: use it with --all");
        }
        if (since != null) {
            // The same fixed-width form the server stores (three fraction digits): the store compares text,
            // and Instant.toString() would drop a zero fraction ("...:05Z" sorts after "...:05.500Z").
            since = Timestamps.of(SharedOptions.instant(since, "--since"));
        }
        if (output != null) {
            checkFolder(output.toAbsolutePath());
        }
        try (Session session = apiKey.open(root)) {
            syncFirst.ifAsked(session);
            String chatUUID = chat == null ? null : ChatResolver.resolve(session.db(), chat).uuid();
            if (output == null) {
                ReaderWatchedOutput stdout = new ReaderWatchedOutput(new FileOutputStream(FileDescriptor.out));
                try {
                    write(session, chatUUID, stdout);
                } catch (IOException e) {
                    // The reader went away (a closed pipe): that is how `| head` ends an export, not an error.
                    if (stdout.readerGone()) return ExitCodes.OK;
                    // Anything else cut the export short: said, never a silent exit 0 (a backup to stdout).
                    throw new CliException(ExitCodes.DATA, "the export stopped: " + IoWords.of(e));
                }
                return ExitCodes.OK;
            }
            // Beside the target, then renamed over it: a failed or interrupted export never leaves a file that
            // looks complete (an archive's end record guards the same thing for stdout).
            Path target = output.toAbsolutePath();
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    write(session, chatUUID, out);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CliException(ExitCodes.DATA, "cannot write " + output + ": " + IoWords.of(e));
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return ExitCodes.OK;
    }

    /** -o into a folder that is not there is a usage error, said before anything is read or written. */
    private void checkFolder(Path target) {
        Path folder = target.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + output + ": the folder " + folder
                    + (Files.exists(folder) ? " is a file" : " does not exist"));
        }
    }

    private void write(Session session, String chatUUID, OutputStream raw) throws IOException {
        LocalDatabase db = session.db();
        if (all) {
            Credentials c = session.credentials();
            ArchiveHeader header = ArchiveHeader.of(chatUUID, session.account().id(), c.userUUID(), c.username(),
                    c.server(), db.schemaVersion(), Timestamps.now());
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            ArchiveExporter.export(db, header, format == Format.json, out);
            out.flush();
        } else if (format == Format.jsonl) {
            // Fast path: UTF-8 bytes from the store escaped straight into one buffer (same bytes as the
            // jsonl RowWriter).
            JsonlExporter.export(db, chatUUID, since, raw);
        } else {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            try (ExportFormat.RowWriter writer = ExportFormat.valueOf(format.name()).open(out)) {
                MessageExporter.export(db, chatUUID, since, writer);
            }
        }
    }
}
