package dev.novyse.state;

import dev.novyse.protocol.User;

import java.util.List;
import java.util.function.Function;

/**
 * The person a command names, in the chat screen ({@code /kick @mara}) and on the command line ({@code chat kick
 * team mara}) alike: {@code @handle}, {@code handle} or the display name. The local store answers first; someone
 * it does not know yet is looked up on the server.
 */
public final class People {
    private People() {
    }

    /** {@code wanted} names nobody, or several people; the message is the sentence to show. */
    public static final class NotOnePerson extends IllegalArgumentException {
        NotOnePerson(String message) {
            super(message);
        }
    }

    /**
     * The one user {@code wanted} names: the store's people ({@code local}) first, else the server's ({@code
     * server}, which may block).
     */
    public static User resolve(Function<String, List<User>> local, Function<String, List<User>> server, String wanted) {
        List<User> found = local.apply(wanted);
        if (found.isEmpty()) found = server.apply(wanted);
        return one(found, wanted, "on the server");
    }

    /** The one user of {@code found}; {@code where} ends the sentence when there is none ("on the server"). */
    public static User one(List<User> found, String wanted, String where) {
        if (found.size() == 1) return found.get(0);
        if (found.isEmpty()) throw new NotOnePerson("no user '" + wanted + "' " + where);
        StringBuilder sb = new StringBuilder("'" + wanted + "' names several people; use a handle:");
        for (User u : found) sb.append(" @").append(u.handle()).append(" (").append(displayName(u)).append(')');
        throw new NotOnePerson(sb.toString());
    }

    /** A profile as lines of text: "Mara Lind (@mara)", then "bio: …", "birthday: …" and the rest that is set. */
    public static List<String> profileLines(User u) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(displayName(u) + (u.handle() == null ? "" : " (@" + u.handle() + ")"));
        java.util.Map<String, String> rest = new java.util.LinkedHashMap<>();
        rest.put("bio", u.biography());
        rest.put("birthday", u.birthday());
        rest.put("color", u.color());
        rest.put("region", u.region());
        rest.put("country", u.country());
        rest.forEach((k, v) -> {
            if (v != null && !v.isBlank()) lines.add(k + ": " + v);
        });
        return lines;
    }

    /** "name surname", or the name alone. */
    public static String displayName(User u) {
        return u.surname() == null || u.surname().isBlank() ? u.name() : u.name() + " " + u.surname();
    }
}
