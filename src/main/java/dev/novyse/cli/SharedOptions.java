package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.account.XdgDirs;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * Options and arguments that several commands declare with the same meaning and the same words, as picocli mixins
 * ({@code @Mixin}): one declaration, one behaviour. Options that only share a name ({@code --format}, {@code --limit},
 * {@code --sub}, {@code --chat}, {@code -o}, {@code --port}) differ in their description or default on purpose and
 * stay with their command. A mixin's options join the command's where the {@code @Mixin} field is declared, which
 * keeps the generated completions and man pages as they were.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** How a CHAT argument is named, wherever one is. */
    static final String CHAT_WORDS = "Chat uuid, handle (@team) or name; a DM also by the other person's @handle or name.";

    /** {@code --sync} of {@code chats} and {@code export}: bring the local store up to date before reading it. */
    static final class SyncFirst {
        @Option(names = "--sync", description = "Sync with the server first.")
        boolean sync;

        void ifAsked(Session session) {
            if (sync) {
                session.client().syncEngine().sync();
            }
        }
    }

    /** {@code text} as a duration ({@link dev.novyse.state.Durations}); anything else is a usage error naming {@code option}. */
    static java.time.Duration duration(String text, String option) {
        return dev.novyse.state.Durations.parse(text).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                option + " must be " + dev.novyse.state.Durations.FORM + ", not '" + text + "'"));
    }

    /**
     * {@code text} as an instant: ISO-8601 ({@code 2026-01-31T08:00:00Z}, or with an offset), or a date alone,
     * its midnight UTC (what people type); anything else is a usage error naming {@code option}.
     */
    static java.time.Instant instant(String text, String option) {
        try {
            return java.time.Instant.parse(text.strip());
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            try {
                return java.time.LocalDate.parse(text.strip()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException notADate) {
                throw new CliException(ExitCodes.USAGE, option + " takes an ISO-8601 time such as 2026-01-31T08:00:00Z"
                        + " or a date such as 2026-01-31 (midnight UTC), not '" + text + "'");
            }
        }
    }

    /** The CHAT argument of {@code send} and {@code file list}: a chat of the local store. */
    static final class ChatArgument {
        @Parameters(index = "0", paramLabel = "CHAT", description = CHAT_WORDS)
        String wanted;

        ChatSummary resolve(LocalDatabase db) {
            return ChatResolver.resolve(db, wanted);
        }
    }

    /** Where downloads are cached: --cache-dir, then NOVYSE_CACHE_DIR, then $XDG_CACHE_HOME/novyse/files. */
    static final class CacheDir {
        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Download cache (env NOVYSE_CACHE_DIR; default $XDG_CACHE_HOME/novyse/files).")
        Path dir;

        Path resolve() {
            return dir != null ? dir.toAbsolutePath() : defaultDir();
        }

        /** The cache without --cache-dir (the TUI's): NOVYSE_CACHE_DIR, then $XDG_CACHE_HOME/novyse/files. */
        static Path defaultDir() {
            String env = System.getenv("NOVYSE_CACHE_DIR");
            return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath() : XdgDirs.cacheHome().resolve("files");
        }
    }

    /**
     * {@code --api-key-file} of the commands a script runs unattended ({@code sync}, {@code send}, {@code watch},
     * {@code export}, {@code chats}): act with an API key instead of a sign-in. The key itself is never an option,
     * where {@code ps} would show it to every user of the machine; it comes from a file or from NOVYSE_API_KEY.
     */
    static final class ApiKey {
        static final String ENV = "NOVYSE_API_KEY";

        @Option(names = "--api-key-file", paramLabel = "FILE", description = "Act with the API key in FILE instead of"
                + " the signed-in account (env NOVYSE_API_KEY holds a key itself); the server is --server's.")
        Path file;

        /** The key from --api-key-file, else NOVYSE_API_KEY, else null: the signed-in account. */
        String key() {
            if (file != null) {
                String k;
                try {
                    k = java.nio.file.Files.readString(file).strip();
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    throw new CliException(ExitCodes.USAGE, "cannot read the API key file " + file + ": " + e.getMessage());
                }
                if (k.isEmpty()) {
                    throw new CliException(ExitCodes.USAGE, "the API key file " + file + " is empty");
                }
                return k;
            }
            String env = System.getenv(ENV);
            return env == null || env.isBlank() ? null : env.strip();
        }

        /** The session a command runs with: the API key's when there is one, else the chosen signed-in account. */
        Session open(NovyseCommand root) {
            String key = key();
            return key == null ? root.openSession() : Session.withApiKey(root.accounts(), root.serverUrl(), key);
        }
    }
}
