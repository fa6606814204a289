package dev.novyse.tui;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.MemberView;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What Tab in the composer may complete, without any state: the word before the cursor ({@link #word}) and the
 * candidates for it. {@code @} + letters completes the open chat's members by handle or name, {@code /} + letters
 * at the start of the draft the slash commands, {@code :} + letters the emoji shortcodes of the table the project
 * ships ({@code emoji-shortcodes.txt} beside this class), the text after {@code /open} the chats' names; in the attach
 * and save prompts, the path's last segment from its folder's listing. {@link ComposerCompletion} does the cycling.
 */
final class Completion {
    enum Kind { MEMBER, COMMAND, EMOJI, CHAT }

    /**
     * The word to replace: its kind, what was typed after the sign, and the whole word as typed (sign included); a
     * chat's name after {@code /open} is everything typed after the command, spaces too.
     */
    record Word(Kind kind, String prefix, String text) {
    }

    /** One choice: the text that replaces the word, and how the hint shows it. */
    record Candidate(String insert, String label) {
    }

    private static final Pattern HANDLE_PREFIX = Pattern.compile("[\\p{L}\\p{N}_.-]*");
    private static final Pattern COMMAND_PREFIX = Pattern.compile("[a-zA-Z]*");
    private static final Pattern SHORTCODE_PREFIX = Pattern.compile("[a-zA-Z0-9_+-]+");

    private static final String OPEN = "/open ";

    private Completion() {
    }

    /**
     * The completable word that ends at the cursor, given the draft's text before the cursor; null when there is
     * none (then Tab keeps its other meaning). A command is completed only as the draft's first word.
     */
    static Word word(String beforeCursor) {
        if (beforeCursor.startsWith(OPEN) && beforeCursor.indexOf('\n') < 0) {
            String name = beforeCursor.substring(OPEN.length());
            return new Word(Kind.CHAT, name, name);
        }
        int start = beforeCursor.length();
        while (start > 0 && !Character.isWhitespace(beforeCursor.charAt(start - 1))) start--;
        String text = beforeCursor.substring(start);
        if (text.isEmpty()) return null;
        String rest = text.substring(1);
        return switch (text.charAt(0)) {
            case '@' -> HANDLE_PREFIX.matcher(rest).matches() ? new Word(Kind.MEMBER, rest, text) : null;
            case '/' -> start == 0 && COMMAND_PREFIX.matcher(rest).matches() ? new Word(Kind.COMMAND, rest, text) : null;
            case ':' -> SHORTCODE_PREFIX.matcher(rest).matches() ? new Word(Kind.EMOJI, rest, text) : null;
            default -> null;
        };
    }

    /**
     * The members whose handle, whole name or a word of the name starts with {@code prefix} (any case), the account
     * itself and members without a stored handle left out: those whose handle matches first, each part by handle.
     */
    static List<Candidate> members(String prefix, List<MemberView> members, String myUUID) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<MemberView> byHandle = new ArrayList<>();
        List<MemberView> byName = new ArrayList<>();
        for (MemberView mv : members) {
            if (mv.handle() == null || mv.handle().isEmpty() || mv.userUUID().equals(myUUID)) continue;
            if (mv.handle().toLowerCase(Locale.ROOT).startsWith(p)) byHandle.add(mv);
            else if (nameMatches(mv.name(), p)) byName.add(mv);
        }
        Comparator<MemberView> order = Comparator.comparing(mv -> mv.handle().toLowerCase(Locale.ROOT));
        byHandle.sort(order);
        byName.sort(order);
        List<Candidate> out = new ArrayList<>();
        for (MemberView mv : byHandle) out.add(new Candidate("@" + mv.handle() + " ", "@" + mv.handle()));
        for (MemberView mv : byName) out.add(new Candidate("@" + mv.handle() + " ", "@" + mv.handle()));
        return out;
    }

    private static boolean nameMatches(String name, String lowerPrefix) {
        if (name == null) return false;
        for (String w : name.toLowerCase(Locale.ROOT).split("\\s+")) if (w.startsWith(lowerPrefix)) return true;
        return false;
    }

    /** The commands (from {@code names}) starting with {@code prefix}, each followed by a space. */
    static List<Candidate> commands(String prefix, List<String> names) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<Candidate> out = new ArrayList<>();
        for (String n : names) if (n.startsWith(p)) out.add(new Candidate("/" + n + " ", "/" + n));
        return out;
    }

    /** The emoji whose shortcode starts with {@code prefix}: the exact one first, then by shortcode. */
    static List<Candidate> emoji(String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<Candidate> out = new ArrayList<>();
        for (var e : Shortcodes.TABLE.entrySet()) {
            if (!e.getKey().startsWith(p)) continue;
            Candidate c = new Candidate(e.getValue(), ":" + e.getKey() + ": " + e.getValue());
            if (e.getKey().equals(p)) out.add(0, c);
            else out.add(c);
        }
        return out;
    }

    /** The chats whose name or handle matches {@code prefix} as the chat switcher ranks them; each gives its name. */
    static List<Candidate> chats(String prefix, List<ChatSummary> chats) {
        Map<String, String> titles = new java.util.HashMap<>();
        for (ChatSummary c : chats) titles.put(c.uuid(), c.title() == null ? "" : c.title());
        List<Candidate> out = new ArrayList<>();
        for (ChatFilter.Choice c : ChatFilter.rank(chats, Map.of(), prefix)) {
            String title = titles.get(c.chatUUID());
            if (!title.isEmpty()) out.add(new Candidate(title, c.label()));
        }
        return out;
    }

    /**
     * The names in the folder of a typed path that its last segment starts with, sorted, a folder's with a slash (Tab
     * goes on into it); {@code ~} is {@code home}, a relative path is from the working directory. Hidden names only
     * when the segment starts with a dot. Each candidate replaces the last segment; a lone {@code ~} becomes
     * {@code ~/}.
     */
    static List<Candidate> paths(String typed, String home) {
        if (typed.equals("~")) return List.of(new Candidate("~/", "~/"));
        int slash = typed.lastIndexOf('/');
        String folder = typed.substring(0, slash + 1);
        String prefix = typed.substring(slash + 1);
        Path dir = folder.isEmpty() ? Path.of(".") : folder.startsWith("~/") ? Path.of(home, folder.substring(2)) : Path.of(folder);
        List<Candidate> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : entries.sorted().toList()) {
                String name = String.valueOf(e.getFileName());
                if (!name.startsWith(prefix) || (name.startsWith(".") && !prefix.startsWith("."))) continue;
                String shown = Files.isDirectory(e) ? name + "/" : name;
                out.add(new Candidate(shown, shown));
            }
        } catch (IOException | UncheckedIOException notAFolder) {
            return List.of(); // no such folder, or not readable: nothing to complete
        }
        return out;
    }

    /** The emoji of a shortcode ({@code thumbsup}, case as typed or lower), or null when the table has none. */
    static String emojiOf(String shortcode) {
        String e = Shortcodes.TABLE.get(shortcode);
        return e != null ? e : Shortcodes.TABLE.get(shortcode.toLowerCase(Locale.ROOT));
    }

    /** The shortcode of an emoji (the first in the table's order), with or without its emoji presentation sign; or null. */
    static String shortcodeOf(String emoji) {
        String code = Shortcodes.BY_EMOJI.get(emoji);
        return code != null ? code : Shortcodes.BY_EMOJI.get(emoji.replace("\uFE0F", ""));
    }

    /** The shortcode table, read from the jar once, on the first emoji completion. */
    private static final class Shortcodes {
        static final Map<String, String> TABLE = read();
        /** The table the other way round, for showing an emoji as text ({@link Ascii}). */
        static final Map<String, String> BY_EMOJI = reverse();

        private static Map<String, String> reverse() {
            Map<String, String> byEmoji = new java.util.HashMap<>();
            for (var e : TABLE.entrySet()) {
                byEmoji.putIfAbsent(e.getValue(), e.getKey());
                byEmoji.putIfAbsent(e.getValue().replace("\uFE0F", ""), e.getKey());
            }
            return byEmoji;
        }

        private static Map<String, String> read() {
            Map<String, String> table = new LinkedHashMap<>();
            try (InputStream in = Completion.class.getResourceAsStream("emoji-shortcodes.txt")) {
                if (in == null) throw new IllegalStateException("emoji-shortcodes.txt is missing from the jar");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                List<String[]> rows = new ArrayList<>();
                for (String line; (line = r.readLine()) != null; ) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) continue;
                    String[] parts = l.split("\\s+", 2);
                    if (parts.length == 2) rows.add(parts);
                }
                rows.sort(Comparator.comparing(row -> row[0]));
                for (String[] row : rows) table.put(row[0], row[1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Collections.unmodifiableMap(table);
        }
    }
}
