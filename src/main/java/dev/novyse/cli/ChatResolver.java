package dev.novyse.cli;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;

import java.util.List;

/** Finds the chat a command names: by uuid, by handle (with or without '@'), or by name, from the local store. */
final class ChatResolver {
    private ChatResolver() {}

    static ChatSummary resolve(LocalDatabase db, String wanted) {
        List<ChatSummary> found = db.findChats(wanted);
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no chat '" + wanted + "' in the local store (try 'novyse sync', then 'novyse chats')");
        }
        StringBuilder sb = new StringBuilder("'" + wanted + "' matches several chats; use a uuid:");
        for (ChatSummary c : found) {
            sb.append(' ').append(c.uuid()).append(" (").append(c.title()).append(')');
        }
        throw new CliException(ExitCodes.USAGE, sb.toString());
    }
}
