package dev.novyse.account;

import dev.novyse.protocol.AuthReply;
import dev.novyse.store.LocalDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A signed-in account opened for one command or one chat screen: its credentials, an API client that refreshes the
 * access token through the account's session, its own local store, and the {@link AccountClient} around them.
 * Or, for cron and CI, an API key acting for its user ({@link #withApiKey}): the key is the bearer token on every
 * request and never refreshed, and nothing of it is written to disk.
 */
public final class Session implements AutoCloseable, TokenProvider {
    private final Accounts accounts;
    private final Accounts.Account account;
    private Credentials credentials;
    /** When the credentials file had changed as {@link #signedInAgain} last read it. */
    private java.nio.file.attribute.FileTime credentialsSeen;
    /** The API key this session runs with, or null for a signed-in session. */
    private final String apiKey;
    private final boolean maySend;
    private ApiClient api;
    private LocalDatabase db;
    private AccountClient client;

    private Session(Accounts accounts, Accounts.Account account, Credentials credentials) {
        this(accounts, account, credentials, null, true);
    }

    private Session(Accounts accounts, Accounts.Account account, Credentials credentials, String apiKey, boolean maySend) {
        this.accounts = accounts;
        this.account = account;
        this.credentials = credentials;
        this.apiKey = apiKey;
        this.maySend = maySend;
    }

    /**
     * A session that acts with the API key {@code key} on {@code server}, for its user: the server says whose key it is
     * ({@code GET /session}), and its store is the account folder {@code apikey-<username>@host_port}
     * ({@link Accounts#keyAccount}), apart from a signed-in account's, so that what a key queued is never delivered
     * with a password's rights. A key the server refuses (unknown, revoked, paused, expired) is NOT_SIGNED_IN.
     */
    public static Session withApiKey(Accounts accounts, String server, String key) {
        ApiClient api = new ApiClient(URI.create(server), TokenProvider.fixed(key));
        JsonNode self;
        try {
            self = api.get("/session", Map.of()).path("session");
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                throw new AccountException(AccountException.Kind.NOT_SIGNED_IN, "the API key was refused: " + e.sentence());
            }
            // Unreachable: a key an earlier run identified works offline as a password does (reads, queued sends).
            Optional<KeyIdentity> known = e.kind() == ApiException.Kind.NETWORK
                    ? KeyIdentity.find(accounts.root().resolve("accounts"), server, key) : Optional.empty();
            if (known.isEmpty()) throw e;
            KeyIdentity id = known.get();
            Session offline = new Session(accounts, accounts.keyAccount(id.username(), server),
                    new Credentials(server, id.username(), id.userUUID(), 0, null, key, null), key, id.maySend());
            offline.api = api;
            return offline;
        }
        String username = self.path("username").asText();
        Accounts.Account account = accounts.keyAccount(username, server);
        Credentials credentials = new Credentials(server, username, self.path("userUUID").asText(), 0, null, key, null);
        boolean maySend = self.path("apiKey").path("permissions").asText("").contains("send");
        new KeyIdentity(KeyIdentity.hash(key), username, credentials.userUUID(), maySend).remember(account.dir());
        Session session = new Session(accounts, account, credentials, key, maySend);
        session.api = api; // the one HTTP client of this run
        return session;
    }

    /** Whether this session may post messages: false only for a read-only API key. */
    public boolean maySend() {
        return maySend;
    }

    /** The account {@code accountName} (or the default one, when null) of the data directory behind {@code accounts}. */
    public static Session open(Accounts accounts, String accountName) {
        Accounts.Account account = accounts.resolve(accountName);
        return new Session(accounts, account, accounts.read(account));
    }

    public Accounts.Account account() {
        return account;
    }

    public synchronized Credentials credentials() {
        return credentials;
    }

    /** The server's REST base URL. */
    public URI server() {
        return URI.create(credentials().server());
    }

    /** {@code username@host:port}, as the chat screen's status bar shows the account. */
    public String label() {
        return credentials().username() + "@" + server().getAuthority();
    }

    /**
     * Made on first use: commands that only read the store (export, chats, complete) never start the HTTP client,
     * which costs start-up time and leaves a selector thread that the CLI must stop before exiting.
     */
    public synchronized ApiClient api() {
        if (api == null) {
            api = new ApiClient(server(), this);
        }
        return api;
    }

    public synchronized LocalDatabase db() {
        if (db == null) {
            db = LocalDatabase.open(account.databaseFile());
        }
        return db;
    }

    /** The account's synced, live, outbox-delivering client (made on first use; it needs the API client). */
    public synchronized AccountClient client() {
        if (client == null) {
            client = new AccountClient(db(), api(), this, server());
        }
        return client;
    }

    @Override
    public synchronized String current() {
        if (apiKey != null) {
            return apiKey;
        }
        return fresh(credentials) ? credentials.token() : refresh();
    }

    /** Whether {@code c}'s access token is good for 10 s more (else it is refreshed before use). */
    private static boolean fresh(Credentials c) {
        return c.token() != null && c.tokenExpiresAt() != null
                && Instant.parse(c.tokenExpiresAt()).isAfter(Instant.now().plusSeconds(10));
    }

    @Override
    public synchronized String refresh() {
        if (apiKey != null) {
            // Asked after the server refused the key (the live channel's handshake): a key has nothing to refresh.
            throw new ApiException(ApiException.Kind.HTTP, 401, "AUTH_INVALID_TOKEN",
                    "the server refused the API key (revoked, paused or expired)");
        }
        if (credentials.sessionSecret() == null) {
            // An account restored by 'novyse import' has a store but no session until someone signs in. Said as the
            // server would say it (401): the live channel then stops signed out instead of trying forever.
            throw new ApiException(ApiException.Kind.HTTP, 401, "AUTH_NO_SESSION", account.id()
                    + " is not signed in; run 'novyse login " + credentials.username() + "' first");
        }
        if (!java.nio.file.Files.exists(account.credentialsFile())) {
            // Signed out on this machine ('novyse logout' in another terminal, maybe unheard by the server): nothing
            // goes on with this session, and nothing of it is written back.
            forget();
            throw new ApiException(ApiException.Kind.HTTP, 401, "AUTH_NO_SESSION", account.id()
                    + " was signed out; run 'novyse login " + credentials.username() + "'");
        }
        AuthReply reply = api().refreshToken(credentials.sessionSecret());
        credentials = credentials.withToken(reply.token(), reply.expiresAt());
        // Kept only while the file still holds this session: a login since (another session) is not overwritten.
        if (stillOurs()) accounts.write(account, credentials);
        return credentials.token();
    }

    /** Whether the credentials file holds this session (not gone, not another sign-in's). */
    private boolean stillOurs() {
        try {
            return credentials.sessionSecret().equals(accounts.read(account).sessionSecret());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** This session is no longer used: no token, no secret (a refresh then says signed out). */
    private void forget() {
        credentials = new Credentials(credentials.server(), credentials.username(), credentials.userUUID(), 0, null,
                null, null);
    }

    /**
     * Whether the account was signed out on this machine since this session's credentials were read (its credentials
     * file removed by {@code novyse logout} in another terminal, maybe while the server was unreachable): the session
     * is then forgotten here and ended on the server if it can be, without writing anything of it.
     */
    @Override
    public boolean signedOutHere() {
        Credentials ended;
        synchronized (this) {
            if (apiKey != null || credentials.sessionSecret() == null) return false; // a key, or already forgotten
            if (java.nio.file.Files.exists(account.credentialsFile())) return false;
            ended = credentials;
            forget();
        }
        // Outside the lock (the live channel asks for tokens meanwhile): best effort, with a client of its own that
        // never refreshes through this session (a refresh would write the credentials back).
        try {
            String token = fresh(ended) ? ended.token() : api().refreshToken(ended.sessionSecret()).token();
            new ApiClient(server(), TokenProvider.fixed(token)).logout();
        } catch (RuntimeException e) {
            // unreachable still, or ended already: forgotten here either way
        }
        return true;
    }

    /**
     * Whether the account signed in again (with {@code novyse login}, in another terminal) since this session's
     * credentials were read: a new session of the same user on the same server in the credentials file, which this
     * session then goes on with. Never for an API key, and never for another user who took the same name on a server
     * that forgot the first (the store is the first one's).
     */
    @Override
    public synchronized boolean signedInAgain() {
        if (apiKey != null) return false;
        Credentials now;
        try {
            // Read only when the file changed since the last look (the chat screen asks every 2 s).
            java.nio.file.attribute.FileTime changed = java.nio.file.Files.getLastModifiedTime(account.credentialsFile());
            if (changed.equals(credentialsSeen)) return false;
            credentialsSeen = changed;
            now = accounts.read(account);
        } catch (java.io.IOException | RuntimeException e) {
            return false; // still signed out (no credentials), or unreadable: asked again later
        }
        boolean renewed = now.sessionSecret() != null && !now.sessionSecret().equals(credentials.sessionSecret())
                && now.server().equals(credentials.server()) && now.userUUID() != null
                && now.userUUID().equals(credentials.userUUID());
        if (renewed) credentials = now;
        return renewed;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }

    /**
     * Signs in with a password the caller already has (the demo's account): the same sign-in call and the same
     * stored session as {@code novyse login}. Returns the account id.
     */
    public static String signIn(Accounts accounts, String server, String username, String password) {
        AuthReply reply = new ApiClient(URI.create(server), TokenProvider.NONE).signin(username, password);
        return saveLogin(accounts, server, username, reply);
    }

    /**
     * Stores a sign-in's session 0600 and makes the account the default; {@code username} is normalised as the
     * server does. Returns the account id.
     */
    public static String saveLogin(Accounts accounts, String server, String username, AuthReply reply) {
        String normalised = normalise(username);
        String id = Accounts.accountId(normalised, server);
        Accounts.Account account = accounts.account(id);
        accounts.write(account, new Credentials(server, normalised, reply.userUUID(),
                reply.sessionID() == null ? 0 : reply.sessionID(), reply.sessionKey(), reply.token(), reply.expiresAt()));
        accounts.setDefault(id);
        return id;
    }

    /** A username as the server and the account ids spell it. */
    public static String normalise(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }
}
