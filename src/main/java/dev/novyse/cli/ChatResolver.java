package dev.novyse.cli;

import dev.novyse.account.AccountClient;
import dev.novyse.account.Session;
import dev.novyse.protocol.User;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MemberView;
import dev.novyse.sync.ChatActions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the chat a command names, from the local store: by uuid, by handle (with or without '@'), by name, or a DM
 * by the other person's handle or name ({@code @mara}, {@code Mara Lind}). A chat's own name or handle wins.
 */
final class ChatResolver {
    /** How many chats the DM lookup reads: every chat an account plausibly has. */
    private static final int ALL_CHATS = 100_000;

    private ChatResolver() {}

    static ChatSummary resolve(LocalDatabase db, String wanted) {
        List<ChatSummary> found = find(db, wanted);
        if (found.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no chat '" + wanted + "' in the local store (try 'novyse sync',"
                    + " then 'novyse chats'; 'novyse dm USER' starts a DM)");
        }
        return one(found, wanted);
    }

    /**
     * As {@link #resolve}, but a person the store has no DM with yet gets one: the server is asked for the user and
     * the DM (so {@code novyse send @mara hi} works on a fresh account), then a sync stores it. That needs the
     * server: offline it is refused with exit 4.
     */
    static ChatSummary resolveOrStartDm(Session session, String wanted) {
        LocalDatabase db = session.db();
        List<ChatSummary> found = find(db, wanted);
        if (!found.isEmpty()) {
            return one(found, wanted);
        }
        String me = db.accountUserUUID().orElse("");
        List<User> people = db.findUsers(wanted).stream().filter(u -> !u.uuid().equals(me)).toList();
        ChatActions actions = ServerActions.open(session);
        if (people.isEmpty()) {
            people = ServerActions.call("starting a DM with '" + wanted + "'", () -> actions.findUsers(wanted));
        }
        if (people.isEmpty()) {
            return resolve(db, wanted); // the usual "no chat" refusal
        }
        return startDm(session, actions, UserResolver.one(people, wanted, "on the server"));
    }

    /** The DM with {@code user}, created on the server when there is none (it answers an existing one), stored. */
    static ChatSummary startDm(Session session, ChatActions actions, User user) {
        if (user.uuid().equals(session.db().accountUserUUID().orElse(null))) {
            throw new CliException(ExitCodes.USAGE, "that is you: a DM needs another person");
        }
        String uuid = ServerActions.call("starting a DM",
                () -> actions.createWith("DM", null, null, List.of(user.uuid())));
        AccountClient client = session.client();
        ServerActions.syncQuietly(client, "the DM exists");
        return session.db().chat(uuid).orElseThrow(() -> new CliException(ExitCodes.SERVER,
                "the server made the DM but the sync did not bring it; run 'novyse sync'"));
    }

    private static List<ChatSummary> find(LocalDatabase db, String wanted) {
        List<ChatSummary> found = db.findChats(wanted);
        return found.isEmpty() ? directChatsWith(db, wanted) : found;
    }

    /** The DMs whose other member {@code wanted} names. */
    private static List<ChatSummary> directChatsWith(LocalDatabase db, String wanted) {
        String me = db.accountUserUUID().orElse("");
        Set<String> people = db.findUsers(wanted).stream().map(User::uuid).filter(u -> !u.equals(me))
                .collect(Collectors.toSet());
        List<ChatSummary> out = new ArrayList<>();
        if (people.isEmpty()) {
            return out;
        }
        for (ChatSummary c : db.chatList(ALL_CHATS)) {
            if ("DM".equals(c.type()) && db.members(c.uuid()).stream().map(MemberView::userUUID).anyMatch(people::contains)) {
                out.add(c);
            }
        }
        return out;
    }

    private static ChatSummary one(List<ChatSummary> found, String wanted) {
        if (found.size() == 1) {
            return found.get(0);
        }
        StringBuilder sb = new StringBuilder("'" + wanted + "' matches several chats; use a uuid:");
        for (ChatSummary c : found) {
            sb.append(' ').append(c.uuid()).append(" (").append(c.title()).append(')');
        }
        throw new CliException(ExitCodes.USAGE, sb.toString());
    }
}
