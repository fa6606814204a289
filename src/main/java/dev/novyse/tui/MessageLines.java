package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;
import dev.novyse.store.ReadMarker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lays the open chat out as screen lines for a given width: day separators, the "new messages" line, a time and
 * name column, wrapped text, reply quotes, attachments, reactions, read markers and the outbox at the bottom.
 * Pure: the same window and width always give the same lines, so the pane can scroll by line index.
 */
final class MessageLines {
    /** A run of text in one style. */
    record Seg(String text, Theme.Style style) {
    }

    /** The {@link Line#messageId} of the "new messages" line: the first unread message follows it. */
    static final long NEW_MESSAGES = -2;

    /** The index after the last of {@code lines} that belongs to message {@code id}; 0 when none does. */
    static int endOf(List<Line> lines, long id) {
        int at = lines.size();
        while (at > 0 && lines.get(at - 1).messageId() != id) at--;
        return at;
    }

    /**
     * One screen line; {@code messageId} is the message it belongs to (-1 for separators and markers);
     * {@code opensGroup}: the line with the time and sender name that the following lines of the same sender share;
     * {@code named}: for a line of a message under such a line, its gutter with the sender's name, drawn instead of
     * the blank one when the line is the top of the view (the name above it is out of sight).
     */
    record Line(List<Seg> segs, long messageId, boolean opensGroup, List<Seg> named) {
        Line(List<Seg> segs, long messageId) {
            this(segs, messageId, false, null);
        }

        /** The line as the view's top line draws it. */
        List<Seg> atTop() {
            if (named == null) return segs;
            List<Seg> out = new ArrayList<>(named);
            out.addAll(segs.subList(1, segs.size()));
            return out;
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private final Theme theme;
    private final ZoneId zone;

    /** Messages' text and reactions in ASCII, an emoji as {@code :shortcode:} ({@link Ascii#text}). */
    private final boolean ascii;

    MessageLines(Theme theme, ZoneId zone) {
        this(theme, zone, false);
    }

    MessageLines(Theme theme, ZoneId zone, boolean ascii) {
        this.theme = theme;
        this.zone = zone;
        this.ascii = ascii;
    }

    /** Text of a message as this screen shows it: tabs to their stops, in ASCII on a terminal that needs it. */
    private String shown(String text) {
        if (text == null) return null;
        return TextWidth.expandTabs(ascii ? Ascii.text(text) : text); // stops counted on what is drawn
    }

    /** A message of files alone draws no (empty) text row: its first file row comes first. */
    private static boolean filesOnly(String content, List<?> files) {
        return (content == null || content.isEmpty()) && !files.isEmpty();
    }

    /** As {@link #build(AppState.ChatWindow, String, String, int, String)} with the server within reach. */
    List<Line> build(AppState.ChatWindow w, String me, String mention, int width) {
        return build(w, me, mention, width, null);
    }

    /**
     * {@code mention}: the account's "@handle" in lower case (its messages are highlighted), or null; {@code waiting}:
     * what the outbox's messages wait for (the server, unreachable; a sign-in), null when they go.
     */
    List<Line> build(AppState.ChatWindow w, String me, String mention, int width, String waiting) {
        List<Line> out = new ArrayList<>();
        int nameCol = Math.max(6, Math.min(14, width / 5));
        int textCol = 6 + nameCol + 3; // "HH:MM " + name + " │ "
        int textWidth = Math.max(8, width - textCol);
        Map<Long, List<String>> readsAt = readMarks(w, me);
        // Messages up to one's own newest were seen when it was written: no "new messages" rule above them.
        long myNewest = -1;
        for (MessageView m : w.messages()) if (me != null && me.equals(m.senderUUID())) myNewest = Math.max(myNewest, m.id());
        Set<String> people = new HashSet<>();
        for (MessageView m : w.messages()) if (m.senderUUID() != null) people.add(m.senderUUID());
        Map<String, Theme.Style> names = theme.senders(people);
        if (w.hasOlder()) out.add(centred("· older messages: PageUp ·", width, theme.dim()));
        else if (!w.messages().isEmpty()) out.add(centred("· the start of this conversation ·", width, theme.dim()));
        LocalDate lastDay = null;
        String lastSender = null;
        Instant lastAt = null;
        boolean newLineShown = false;
        for (MessageView m : w.messages()) {
            Instant at = parse(m.createdAt());
            LocalDate day = at == null ? null : at.atZone(zone).toLocalDate();
            if (day != null && !day.equals(lastDay)) {
                out.add(centred(" " + DAY.format(day) + " ", width, theme.separator(), '─'));
                lastDay = day;
                lastSender = null;
            }
            boolean fromOther = m.senderUUID() != null && !m.senderUUID().equals(me);
            if (!newLineShown && fromOther && m.id() > w.myReadUpTo() && m.id() > myNewest && w.myReadUpTo() >= 0
                    && w.messages().get(0).id() <= w.myReadUpTo() + 1) {
                Line rule = centred(" new messages ", width, theme.newMessages(), '─');
                out.add(new Line(rule.segs(), NEW_MESSAGES));
                newLineShown = true;
                lastSender = null;
            }
            boolean continued = m.senderUUID() != null && m.senderUUID().equals(lastSender) && lastAt != null
                    && at != null && at.minusSeconds(300).isBefore(lastAt);
            String time = at == null ? "--:--" : TIME.format(at.atZone(zone));
            String name = m.senderName() == null ? "unknown" : m.senderName();
            List<List<Seg>> body = new ArrayList<>();
            Set<Integer> urlRows = new HashSet<>();
            if (m.replyTo() != null) {
                // Read with the window, from the whole store.
                body.add(List.of(new Seg(TextWidth.fit(quote(m.replyTo().quoted()), textWidth), theme.quote())));
            }
            if (m.deleted()) {
                body.add(List.of(new Seg("(message deleted)", theme.deleted())));
            } else {
                List<TextWidth.Row> rows = filesOnly(m.content(), m.files()) ? List.of()
                        : TextWidth.wrapRows(m.content() == null ? "" : shown(m.content()), textWidth);
                List<String> text = rows.stream().map(TextWidth.Row::text).toList();
                Theme.Style style = mentions(m, mention) ? theme.mention() : theme.normal();
                boolean inUrl = false;
                for (int i = 0; i < rows.size(); i++) {
                    // A URL split by column goes on at the message column with the gutter blank, nothing between.
                    inUrl = rows.get(i).continuesWord() && (inUrl || endsInUrl(text.get(i - 1)));
                    if (inUrl) urlRows.add(body.size());
                    body.add(new ArrayList<>(List.of(new Seg(text.get(i), style))));
                }
                String tail = (m.edited() ? " (edited)" : "") + (m.pinned() ? " [pinned]" : "")
                        + (m.favorite() ? " ★" : "");
                if (!tail.isEmpty() && text.isEmpty()) {
                    body.add(List.of(new Seg(tail.strip(), theme.dim())));
                } else if (!tail.isEmpty()) {
                    if (TextWidth.columns(text.get(text.size() - 1) + tail) <= textWidth) {
                        body.get(body.size() - 1).add(new Seg(tail, theme.dim()));
                    } else {
                        body.add(List.of(new Seg(tail.strip(), theme.dim())));
                    }
                }
            }
            for (MessageView.FileView f : m.files()) {
                body.add(List.of(new Seg(fileLine(f.name() == null ? f.uuid() : f.name(), f.size(), textWidth), theme.reaction())));
            }
            if (!m.reactions().isEmpty()) {
                // As many rows as the reactions take: one that would not fit goes on the next row, never cut off.
                List<Seg> segs = new ArrayList<>();
                int used = 0;
                for (MessageView.ReactionCount r : m.reactions()) {
                    String one = shown(r.emoji()) + " " + r.count();
                    int cols = TextWidth.columns(one);
                    if (used > 0 && used + cols > textWidth) {
                        body.add(segs);
                        segs = new ArrayList<>();
                        used = 0;
                    }
                    segs.add(new Seg(TextWidth.fit(one, textWidth), r.mine() ? theme.reaction().plus(com.googlecode.lanterna.SGR.BOLD) : theme.reaction()));
                    segs.add(new Seg("  ", theme.normal()));
                    used += cols + 2;
                }
                body.add(segs);
            }
            Theme.Style nameStyle = names.getOrDefault(m.senderUUID(), theme.title());
            for (int i = 0; i < body.size(); i++) {
                List<Seg> line = new ArrayList<>();
                List<Seg> named = null;
                if (i == 0 && !continued) {
                    line.add(new Seg(time + " ", theme.dim()));
                    line.add(new Seg(pad(name, nameCol, true), nameStyle));
                } else if (i == 0) {
                    // The next message of a run by one sender: its time says where it starts (a blank gutter is a
                    // line of the same message; a message of two lines and two messages looked alike).
                    line.add(new Seg(time + " " + " ".repeat(nameCol), theme.dim()));
                    named = List.of(new Seg(time + " ", theme.dim()), new Seg(pad(name, nameCol, true), nameStyle));
                } else {
                    line.add(new Seg(" ".repeat(6 + nameCol), theme.normal()));
                    named = List.of(new Seg("      ", theme.normal()), new Seg(pad(name, nameCol, true), nameStyle));
                }
                line.add(urlRows.contains(i) ? new Seg("   ", theme.normal()) : new Seg(" │ ", theme.border()));
                line.addAll(body.get(i));
                out.add(new Line(line, m.id(), i == 0 && !continued, named));
            }
            List<String> readers = readsAt.get(m.id());
            if (readers != null) {
                String r = "✓ read by " + String.join(", ", readers);
                out.add(new Line(List.of(new Seg(" ".repeat(Math.max(0, width - TextWidth.columns(r) - 1)), theme.normal()),
                        new Seg(TextWidth.fit(r, width - 1), theme.dim())), -1));
            }
            lastSender = m.senderUUID();
            lastAt = at;
        }
        boolean firstPending = true;
        PendingMessage newestRefused = null; // the one /drop takes back
        for (PendingMessage p : w.pending()) if (p.state() == OutboxState.FAILED) newestRefused = p;
        for (PendingMessage p : w.pending()) {
            String state = p.state() == OutboxState.FAILED ? refused(p.lastError(), p == newestRefused, textWidth)
                    : waiting != null ? waiting : "sending…";
            // As it will be drawn once sent: the message it answers, its text, its files.
            List<Seg> body = new ArrayList<>();
            if (p.replyTo() != null && p.replyTo().messageID() != null) {
                body.add(new Seg(TextWidth.fit(quote(quotedInWindow(w, p.replyTo().messageID())), textWidth), theme.quote()));
            }
            if (!filesOnly(p.content(), p.files())) {
                for (String row : TextWidth.wrap(p.content() == null ? "" : shown(p.content()), textWidth)) {
                    body.add(new Seg(row, theme.pending()));
                }
            }
            for (PendingMessage.PendingFile f : p.files()) body.add(new Seg(fileLine(f.name(), f.size(), textWidth), theme.pending()));
            for (int i = 0; i < body.size(); i++) {
                List<Seg> line = new ArrayList<>();
                // "you" once over the outbox's messages, as over a run of one sender's.
                String gutter = i > 0 ? " ".repeat(6 + nameCol) : "--:-- " + pad(firstPending ? "you" : "", nameCol, true);
                firstPending = false;
                line.add(new Seg(gutter, theme.pending()));
                line.add(new Seg(" │ ", theme.border()));
                line.add(body.get(i));
                out.add(new Line(line, -1));
            }
            out.add(new Line(List.of(new Seg(" ".repeat(textCol), theme.normal()), new Seg(TextWidth.fit(state, textWidth),
                    p.state() == OutboxState.FAILED ? theme.failed() : theme.pending())), -1));
        }
        return out;
    }

    /** The row over a reply: who wrote the message it answers and its text on one row. */
    private String quote(MessageView.Quoted q) {
        return q == null ? "↪ reply to an earlier message"
                : "↪ " + first(q.senderName(), "unknown") + ": " + (q.deleted() ? "(deleted)" : oneLine(shown(q.content())));
    }

    /** The message a queued reply answers, when the window holds it (a reply is mostly to one on the screen). */
    private static MessageView.Quoted quotedInWindow(AppState.ChatWindow w, long id) {
        for (MessageView m : w.messages()) {
            if (m.id() == id) return new MessageView.Quoted(m.senderName(), m.content(), m.deleted());
        }
        return null;
    }

    /** A file's row under its message: its name and size. */
    private static String fileLine(String name, Long size, int width) {
        return TextWidth.fit("▪ " + name + (size == null ? "" : " · " + dev.novyse.io.ByteSizes.human(size)), width);
    }

    /**
     * Who has read up to which message, by the message the mark is drawn under: a mark on the reader's own message
     * (which says nothing) goes up to the newest message before it that someone else wrote. The account's own mark is
     * not drawn.
     */
    private static Map<Long, List<String>> readMarks(AppState.ChatWindow w, String me) {
        Map<Long, List<String>> at = new HashMap<>();
        List<MessageView> messages = w.messages(); // oldest first
        for (ReadMarker r : w.reads()) {
            if (r.userUUID().equals(me)) continue;
            int lo = 0, hi = messages.size() - 1, i = -1; // the marked message, when it is in the window
            while (lo <= hi && i < 0) {
                int mid = (lo + hi) >>> 1;
                long id = messages.get(mid).id();
                if (id == r.messageID()) i = mid;
                else if (id < r.messageID()) lo = mid + 1;
                else hi = mid - 1;
            }
            while (i >= 0 && r.userUUID().equals(messages.get(i).senderUUID())) i--;
            if (i >= 0) at.computeIfAbsent(messages.get(i).id(), k -> new ArrayList<>()).add(first(r.name(), "someone"));
        }
        return at;
    }

    /** A refused message's line: the server's reason, cut to leave room for what can be done about it. */
    private static String refused(String reason, boolean newest, int width) {
        String hint = newest ? " · /retry or /drop" : " · /retry";
        String said = "not sent: " + reason;
        int room = width - TextWidth.columns(hint);
        return room < 20 ? said : TextWidth.fit(said, room) + hint;
    }

    /** Whether the row's last word is the start of a link (the word a split row goes on with). */
    private static boolean endsInUrl(String row) {
        String last = row.substring(row.lastIndexOf(' ') + 1).toLowerCase(Locale.ROOT);
        return last.startsWith("http://") || last.startsWith("https://");
    }

    private static boolean mentions(MessageView m, String mention) {
        return mention != null && !mention.isEmpty() && m.content() != null
                && m.content().toLowerCase(Locale.ROOT).contains(mention);
    }

    private Line centred(String label, int width, Theme.Style style) {
        return centred(label, width, style, ' ');
    }

    private Line centred(String label, int width, Theme.Style style, char rule) {
        int lw = TextWidth.columns(label);
        int left = Math.max(0, (width - lw) / 2);
        int right = Math.max(0, width - lw - left);
        String r = String.valueOf(rule);
        return new Line(List.of(new Seg(r.repeat(left) + TextWidth.fit(label, width) + r.repeat(right), style)), -1);
    }

    private static String first(String name) {
        int sp = name.indexOf(' ');
        return sp > 0 ? name.substring(0, sp) : name;
    }

    /** The first name, or {@code ifNone} when there is no name. */
    static String first(String name, String ifNone) {
        return name == null ? ifNone : first(name);
    }

    /** A message on one row (a search hit, a pin, a quote): its lines and runs of blanks or tabs each one space. */
    static String oneLine(String s) {
        return s == null ? "" : WHITESPACE.matcher(s.strip()).replaceAll(" ");
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Right-aligns (or left-aligns) {@code s} in {@code cols} columns, cutting it when too long. */
    static String pad(String s, int cols, boolean right) {
        String f = TextWidth.fit(s, cols);
        String space = " ".repeat(Math.max(0, cols - TextWidth.columns(f)));
        return right ? space + f : f + space;
    }

    private static Instant parse(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
