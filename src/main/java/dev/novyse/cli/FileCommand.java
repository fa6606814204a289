package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoredFile;
import dev.novyse.sync.FileFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "file", description = {
        "Files attached to messages: list them, fetch them.",
        "Downloads go to a cache ($XDG_CACHE_HOME/novyse/files/<fileUUID>); a cached file whose size matches"
                + " is used without the network. To send a file: novyse send CHAT --file PATH."},
        subcommands = {FileCommand.Get.class, FileCommand.ListFiles.class})
final class FileCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    @Command(name = "get", description = {
            "Fetch a file into the cache, then print its path, write it to -o PATH, or stream it to stdout with"
                    + " -o -. FILE is a file uuid, or CHAT/ID for the file of message ID (use --index when the message has"
                    + " several)."})
    static final class Get implements Callable<Integer> {
        @ParentCommand
        FileCommand parent;

        @Mixin
        SharedOptions.CacheDir cache;

        @Parameters(index = "0", paramLabel = "FILE", description = "A file uuid, or CHAT/MESSAGE-ID (e.g. @team/42).")
        String ref;

        @Option(names = "--sub", description = "Sub-channel of CHAT/ID (default: ${DEFAULT-VALUE}).", defaultValue = "0")
        int sub;

        @Option(names = "--index", paramLabel = "N", description = "Which file of the message, from 1.")
        Integer index;

        @Option(names = {"-o", "--output"}, paramLabel = "PATH",
                description = "Write the file here ('-' for stdout; a directory, or a path ending in '/', which is made,"
                        + " keeps the file's name).")
        String output;

        @Override
        public Integer call() throws IOException {
            try (Session session = parent.root.openSession()) {
                Path cached = fetch(session, cache.resolve(), pick(session.db()));
                if (output == null) {
                    OutputWriter.stdout(OutputFormat.text).text(cached.toString());
                } else if (output.equals("-")) {
                    OutputStream out = System.out;
                    Files.copy(cached, out);
                    out.flush();
                } else {
                    if (output.endsWith("/")) Files.createDirectories(Path.of(output)); // "into this folder"
                    Path written = writeTo(cached, Path.of(output));
                    System.err.println("wrote " + written);
                }
            }
            return ExitCodes.OK;
        }

        private static final Pattern MESSAGE_REF = Pattern.compile("(.+)/(\\d+)");

        /** The file the reference names, from the local store; a uuid the store does not know is asked of the server. */
        private Wanted pick(LocalDatabase db) {
            if (isUuid(ref)) {
                Optional<StoredFile> f = db.file(ref);
                return new Wanted(ref, f.map(StoredFile::size).orElse(null), f.map(StoredFile::name).orElse(null));
            }
            Matcher m = MESSAGE_REF.matcher(ref);
            if (!m.matches()) {
                throw new CliException(ExitCodes.USAGE, "'" + ref + "' is neither a file uuid nor CHAT/MESSAGE-ID");
            }
            ChatSummary chat = ChatResolver.resolve(db, m.group(1));
            long id = Long.parseLong(m.group(2));
            List<StoredFile> files = db.messageFiles(chat.uuid(), sub, id);
            if (files.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "message " + id + " of " + chat.title()
                        + " has no files in the local store (try 'novyse sync')");
            }
            if (index == null && files.size() > 1) {
                StringBuilder sb = new StringBuilder("message " + id + " has " + files.size() + " files; pick one with --index:");
                for (int i = 0; i < files.size(); i++) {
                    sb.append(' ').append(i + 1).append('=').append(files.get(i).name());
                }
                throw new CliException(ExitCodes.USAGE, sb.toString());
            }
            int i = index == null ? 1 : index;
            if (i < 1 || i > files.size()) {
                throw new CliException(ExitCodes.USAGE, "--index must be between 1 and " + files.size());
            }
            StoredFile f = files.get(i - 1);
            return new Wanted(f.uuid(), f.size(), f.name());
        }

        private Path writeTo(Path cached, Path target) throws IOException {
            Path dest = Files.isDirectory(target) ? target.resolve(FileFetcher.safeName(name)) : target;
            Path dir = dest.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new CliException(ExitCodes.USAGE, "cannot write " + target + ": no such directory");
            }
            FileFetcher.copyInto(cached, dest);
            return dest;
        }

        /** Name of the file being fetched, for -o DIR; set by {@link #fetch}. */
        private String name;

        private Path fetch(Session session, Path cacheDir, Wanted w) {
            FileFetcher.Fetched f = new FileFetcher(session.api(), cacheDir).fetch(w.uuid(), w.size(), w.name());
            name = f.name();
            return f.path();
        }
    }

    private record Wanted(String uuid, Long size, String name) {
    }

    @Command(name = "list", description = {
            "List the files of a chat from the local store, oldest first: message id, size, name, uuid, and"
                    + " whether it is cached. --format jsonl prints one object per file."})
    static final class ListFiles implements Callable<Integer> {
        @ParentCommand
        FileCommand parent;

        @Mixin
        SharedOptions.CacheDir cache;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        OutputFormat format;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most N newest files (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws IOException {
            if (limit < 1) {
                throw new CliException(ExitCodes.USAGE, "--limit must be at least 1");
            }
            Path cacheDir = cache.resolve();
            try (Session session = parent.root.openSession()) {
                ChatSummary target = chat.resolve(session.db());
                OutputWriter out = OutputWriter.stdout(format);
                for (StoredFile f : session.db().chatFiles(target.uuid(), limit)) {
                    if (out.closed()) break;
                    Path c = cacheDir.resolve(f.uuid());
                    boolean cached = f.size() != null && Files.isRegularFile(c) && Files.size(c) == f.size();
                    out.record(FileLine.of(f, cached), () -> f.messageID() + "\t"
                            + (f.size() == null ? "?" : dev.novyse.io.ByteSizes.human(f.size())) + "\t" + f.name() + "\t"
                            + f.uuid() + (cached ? "\tcached" : ""));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The JSON Lines shape of {@code file list}: every field on every line, null when unknown. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FileLine(String chat, int sub, long id, String uuid, String name, String mimeType, boolean cached,
                    Long size) {
        static FileLine of(StoredFile f, boolean cached) {
            return new FileLine(f.chatUUID(), f.subID(), f.messageID(), f.uuid(), f.name(), f.mimeType(), cached,
                    f.size());
        }
    }

    static boolean isUuid(String s) {
        try {
            return UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
