package dev.novyse.state;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The profile fields a person changes, as the CLI's {@code profile set --bio} and the chat screen's {@code /profile
 * bio} name them, and each value checked before anything is sent: the sentence of a refusal is the same in both.
 */
public final class ProfileFields {
    /** The fields as a person names them, to the server's name for each ({@code PATCH /user/profile}). */
    public static final Map<String, String> SERVER_NAMES = orderedMap();
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern HANDLE = Pattern.compile("@?[A-Za-z0-9_.]{3,32}");

    private ProfileFields() {
    }

    private static Map<String, String> orderedMap() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("name", "name");
        m.put("surname", "surname");
        m.put("bio", "biography");
        m.put("color", "color");
        m.put("birthday", "birthday");
        m.put("handle", "handle");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The field {@code word} names ("bio", "Color"…), if it is one. */
    public static Optional<String> field(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("colour")) w = "color";
        return SERVER_NAMES.containsKey(w) ? Optional.of(w) : Optional.empty();
    }

    /**
     * {@code value} for {@code field} (one of {@link #SERVER_NAMES}' keys) as it is sent, stripped; an empty value
     * clears the field. A value the server would refuse is refused here with the sentence to show.
     */
    public static String checked(String field, String value) {
        String v = value.strip();
        switch (field) {
            case "name" -> {
                if (v.isEmpty()) throw new IllegalArgumentException("the name cannot be empty");
            }
            case "bio" -> {
                if (v.codePointCount(0, v.length()) > 1024) throw new IllegalArgumentException("a bio is at most 1024 characters");
            }
            case "color" -> {
                if (!v.isEmpty() && !COLOR.matcher(v).matches()) {
                    throw new IllegalArgumentException("a colour is #RRGGBB (e.g. #3b82f6), not '" + v + "'");
                }
            }
            case "birthday" -> {
                try {
                    if (!v.isEmpty()) LocalDate.parse(v);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("a birthday is YYYY-MM-DD, not '" + v + "'");
                }
            }
            case "handle" -> {
                if (!HANDLE.matcher(v).matches()) {
                    throw new IllegalArgumentException("a handle is 3-32 characters of a-z, 0-9, '_' and '.', not '" + v + "'");
                }
                v = (v.startsWith("@") ? v.substring(1) : v).toLowerCase(Locale.ROOT);
            }
            default -> {
                if (!SERVER_NAMES.containsKey(field)) throw new IllegalArgumentException("no profile field '" + field + "'");
            }
        }
        return v;
    }
}
