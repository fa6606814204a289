package dev.novyse.cli;

import dev.novyse.account.AccountClient;
import dev.novyse.account.Session;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.OutgoingFile;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.OutboxSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "send", description = {
        "Send a message, with files if given; retries never deliver it twice.",
        "The message and its files are written to the outbox first, with a client id the server uses to drop"
                + " duplicates. Files are uploaded from disk (progress on stderr when it is a terminal) and the message"
                + " is confirmed only when every file is complete; an interrupted upload is redone by the next sync or"
                + " send.",
        "Exits 0 when delivered, 7 when queued because the server is unreachable (the next sync or send"
                + " delivers it), 5 when the server refuses it, 2 when a file cannot be read.",
        "CHAT may name a person (@mara, or their name): their DM, started on the server when there is none"
                + " yet (that needs the server: exit 4 when it is unreachable)."})
final class SendCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Mixin
    SharedOptions.ChatArgument chat;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT",
            description = "The message; '-' reads stdin, and so does nothing when no --file is given.")
    String text;

    @Option(names = "--sub", paramLabel = "SUB", description = "A forum's sub, by id or name (default: ${DEFAULT-VALUE},"
            + " its first).", defaultValue = "0")
    String sub;

    @Option(names = "--reply-to", paramLabel = "ID", description = "Id of the message this one answers.")
    Long replyTo;

    @Option(names = "--file", paramLabel = "PATH", description = "Attach a file (repeatable, at most 10).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "While the server is unreachable, keep retrying for up to SECONDS before exiting 7"
                    + " (default: ${DEFAULT-VALUE}, give up at once).")
    int waitSeconds;

    static final int MAX_FILES = 10;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() throws IOException {
        if (waitSeconds < 0) {
            throw new CliException(ExitCodes.USAGE, "--wait must be 0 or more seconds");
        }
        List<OutgoingFile> attached = attachments();
        String content = text == null ? (attached.isEmpty() ? readStdin() : null)
                : text.equals("-") ? readStdin() : text;
        if (content != null && content.isBlank()) {
            if (attached.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "refusing to send an empty message");
            }
            content = null;
        }
        String tooLong = OutboxSender.tooLong(content);
        if (tooLong != null) {
            throw new CliException(ExitCodes.USAGE, tooLong + "; nothing was queued");
        }
        try (Session session = apiKey.open(root)) {
            if (!session.maySend()) {
                // Refused before anything is queued: the server would refuse it (403), and a doomed outbox entry helps no one.
                throw new CliException(ExitCodes.SERVER, "this API key may only read; nothing was sent"
                        + " (create one without --read-only to send)");
            }
            AccountClient client = session.client();
            LocalDatabase db = session.db();
            if (!db.isInitialized()) {
                client.syncEngine().sync();
            }
            // A sub is in a forum, never in a DM: with --sub, no DM is started for a person named.
            ChatSummary target = sub.strip().equals("0") ? ChatResolver.resolveOrStartDm(session, chat.wanted)
                    : ChatResolver.resolve(db, chat.wanted);
            refuseUnlessMayPost(client, target);
            OutboxSender outbox = client.outbox(UploadProgress.forStderr());
            int subID = subOf(session, target);
            String tempId = outbox.enqueue(target.uuid(), subID, content, replyTo, attached);
            OutboxSender.Result result = deliverWithin(outbox, tempId, waitSeconds * 1000L);
            OutboxCommand.warnRefused(result.earlier()); // queued before it in the chat, sent first, refused
            switch (result.state()) {
                case DELIVERED -> {
                    syncQuietly(client);
                    System.err.println("sent to " + target.title()
                            + (result.messageId() == null ? "" : " as #" + result.messageId()));
                    return ExitCodes.OK;
                }
                case QUEUED -> {
                    Failures.warn("server unreachable (" + result.reason() + "); queued in the outbox");
                    return ExitCodes.QUEUED;
                }
                default -> throw new CliException(ExitCodes.SERVER, "not sent: " + result.reason()
                        + "; it stays in the outbox (novyse outbox retry or drop)");
            }
        }
    }

    /**
     * A channel's member reads and reacts; only its admins post. Refused here, as the server would refuse it from the
     * outbox (a failed entry), once a sync has confirmed the stored roles (one made admin a moment ago may post);
     * unknown rights (roles not stored, another server's) and a failed sync leave it to the server.
     */
    private static void refuseUnlessMayPost(AccountClient client, ChatSummary target) {
        if (mayPost(client, target)) return;
        try {
            client.syncEngine().sync();
        } catch (ApiException unreachable) {
            return; // the server decides when the message goes
        }
        if (!mayPost(client, target)) {
            throw new CliException(ExitCodes.SERVER, "only the admins of " + (target.title() == null ? "that channel"
                    : target.title()) + " post there; nothing was sent");
        }
    }

    private static boolean mayPost(AccountClient client, ChatSummary target) {
        return client.lookups().accountRights(target.uuid()).map(r -> r.contains("SEND")).orElse(true);
    }

    /** Every --file, checked before anything is queued: a path that cannot be sent is a usage error. */
    private List<OutgoingFile> attachments() {
        if (files.size() > MAX_FILES) {
            throw new CliException(ExitCodes.USAGE, "at most " + MAX_FILES + " files per message");
        }
        List<OutgoingFile> out = new ArrayList<>();
        for (Path p : files) {
            // The path as one line: a name with a line break or an escape in it must not break or colour stderr.
            String shown = p.toString().codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            String problem = !Files.exists(p) ? "no such file" : !Files.isRegularFile(p) ? "not a regular file"
                    : !Files.isReadable(p) ? "not readable" : null;
            if (problem != null) {
                throw new CliException(ExitCodes.USAGE, "cannot attach " + shown + ": " + problem);
            }
            try {
                out.add(OutgoingFile.of(p));
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot attach " + shown + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Delivers, and while the server stays unreachable retries with growing pauses (0.5 s doubling to 5 s) until
     * {@code waitMillis} have passed. Every attempt sends the same tempId, so none can deliver twice.
     */
    static OutboxSender.Result deliverWithin(OutboxSender outbox, String tempId, long waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        long pause = 500;
        OutboxSender.Result result = outbox.deliver(tempId);
        List<OutboxSender.Failed> earlier = new ArrayList<>(result.earlier()); // refused on any attempt: all said
        while (result.state() == OutboxSender.State.QUEUED) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = Math.min(pause * 2, 5_000);
            result = outbox.deliver(tempId);
            earlier.addAll(result.earlier());
        }
        return new OutboxSender.Result(result.state(), result.messageId(), result.reason(), List.copyOf(earlier));
    }

    /**
     * The sub {@code --sub} names, checked before anything is queued (the server would refuse it, and the entry would
     * stay failed in the outbox): only a forum has subs; one the store does not know yet is looked for again after a
     * sync (someone may have started it a moment ago).
     */
    private int subOf(Session session, ChatSummary target) {
        if (sub.strip().equals("0")) return 0;
        if (!"FORUM".equals(target.type())) {
            throw new CliException(ExitCodes.USAGE, target.title() + " is not a forum; only a forum has subs (--sub)");
        }
        try {
            return ChatSubCommands.find(session.db(), target, sub).id();
        } catch (CliException notKnown) {
            try {
                session.client().syncEngine().sync();
            } catch (ApiException offline) {
                throw notKnown; // nothing newer to know: the store's word stands
            }
            return ChatSubCommands.find(session.db(), target, sub).id();
        }
    }

    /** The message is delivered: a failing follow-up sync must not turn that into an error. */
    static void syncQuietly(AccountClient client) {
        ServerActions.syncQuietly(client, "sent");
    }

    /** Standard input as UTF-8; anything else is refused rather than sent with replacement characters. */
    static String readStdin() throws IOException {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(System.in.readAllBytes())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CliException(ExitCodes.USAGE, "standard input is not UTF-8 text; nothing was sent"
                    + " (convert it first, e.g. with iconv)");
        }
        // Every line break at the end goes ($(...) in a shell strips them too): a message never ends in blank lines.
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
        return s.substring(0, end);
    }
}
