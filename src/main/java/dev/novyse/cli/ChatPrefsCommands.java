package dev.novyse.cli;

import dev.novyse.protocol.Json;
import dev.novyse.store.ChatPrefs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The {@code chat} subcommands for the account's own view of a chat, which follows it to every device: mute, unmute,
 * folder. They are synced settings ({@link ChatPrefs}, docs/protocol.md#chat-settings) written through the server
 * like {@code settings set}, so offline they are refused with exit 4 as every server action is.
 */
final class ChatPrefsCommands {
    private ChatPrefsCommands() {
    }

    @Command(name = "mute", description = {
            "Mute a chat on every device of the account: no bell, no notification, skipped by next-unread; its"
                    + " unread count and mentions still show. For good, or --for / --until a time."})
    static final class Mute implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--for", paramLabel = "DURATION", description = "For this long: a number and m, h, d or w (e.g. 8h).")
        String duration;

        @Option(names = "--until", paramLabel = "TIME", description = "Until this time: ISO-8601 (2026-12-24T08:00:00Z) or a date (2026-12-24, midnight UTC).")
        String time;

        @Override
        public Integer call() {
            String end = end(Instant.now());
            return parent.act(chat.wanted, "chat mute", (a, c, db) -> {
                a.setPreference(ChatPrefs.MUTE + c.uuid(), Json.mapper().getNodeFactory().textNode(end));
                return "muted " + c.title() + (end.equals(ChatPrefs.FOREVER) ? "" : " until " + end);
            });
        }

        /** "forever", or the mute's end as an ISO-8601 instant to the second; checked before anything is sent. */
        String end(Instant now) {
            if (duration != null && time != null) {
                throw new CliException(ExitCodes.USAGE, "give --for or --until, not both");
            }
            if (duration == null && time == null) return ChatPrefs.FOREVER;
            Instant end;
            if (duration != null) {
                end = now.plus(SharedOptions.duration(duration, "--for"));
            } else {
                end = SharedOptions.instant(time, "--until");
                if (!end.isAfter(now)) {
                    throw new CliException(ExitCodes.USAGE, "--until " + time + " has already passed");
                }
            }
            return end.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "unmute", description = "Unmute a chat on every device of the account.")
    static final class Unmute implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat unmute", (a, c, db) -> {
                a.setPreference(ChatPrefs.MUTE + c.uuid(), null);
                return "unmuted " + c.title();
            });
        }
    }

    @Command(name = "folder", description = {
            "File a chat in a folder of the account's (on every device), or take it out of its folder with"
                    + " --none. 'chats --format jsonl' prints each chat's folder."})
    static final class Folder implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The folder's name.")
        String name;

        @Option(names = "--none", description = "Take the chat out of its folder.")
        boolean none;

        @Override
        public Integer call() {
            if (none == (name != null)) {
                throw new CliException(ExitCodes.USAGE, "give a folder NAME, or --none to take the chat out of its folder");
            }
            String folder = name == null ? null : name.strip();
            if (folder != null && (folder.isEmpty() || folder.length() > 64)) {
                throw new CliException(ExitCodes.USAGE, "a folder's NAME is 1 to 64 characters");
            }
            return parent.act(chat.wanted, "chat folder", (a, c, db) -> {
                a.setPreference(ChatPrefs.FOLDER + c.uuid(), folder == null ? null : Json.mapper().getNodeFactory().textNode(folder));
                return folder == null ? c.title() + " is in no folder" : c.title() + " is in folder " + folder;
            });
        }
    }
}
