package dev.novyse.cli;

import dev.novyse.protocol.AuthReply;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;

import java.time.Instant;

/**
 * A signed-in account opened for one command: its credentials, an API client that refreshes the access token
 * through the session, and its own local store.
 */
final class ClientSession implements AutoCloseable, TokenProvider {
    private final AccountStore store;
    private final AccountStore.Account account;
    private Credentials credentials;
    private ApiClient api;
    private LocalDatabase db;

    private ClientSession(AccountStore store, AccountStore.Account account, Credentials credentials) {
        this.store = store;
        this.account = account;
        this.credentials = credentials;
    }

    static ClientSession open(NovyseCommand root) {
        return open(root.accounts(), root.accountName());
    }

    /** The account {@code accountName} (or the default one, when null) of the data directory behind {@code store}. */
    static ClientSession open(AccountStore store, String accountName) {
        AccountStore.Account account = store.resolve(accountName);
        return new ClientSession(store, account, store.read(account));
    }

    AccountStore.Account account() {
        return account;
    }

    Credentials credentials() {
        return credentials;
    }

    /**
     * Made on first use: commands that only read the store (export, chats, complete) never start the HTTP client,
     * which costs start-up time and leaves a selector thread that {@link Main} must stop before exiting.
     */
    synchronized ApiClient api() {
        if (api == null) {
            api = new ApiClient(java.net.URI.create(credentials.server()), this);
        }
        return api;
    }

    synchronized LocalDatabase db() {
        if (db == null) {
            db = LocalDatabase.open(account.databaseFile());
        }
        return db;
    }

    SyncEngine syncEngine() {
        return new SyncEngine(api(), db());
    }

    @Override
    public synchronized String current() {
        String expires = credentials.tokenExpiresAt();
        boolean fresh = credentials.token() != null && expires != null
                && Instant.parse(expires).isAfter(Instant.now().plusSeconds(10));
        return fresh ? credentials.token() : refresh();
    }

    @Override
    public synchronized String refresh() {
        if (credentials.sessionSecret() == null) {
            // An account restored by 'novyse import' has a store but no session until someone signs in.
            throw new CliException(ExitCodes.AUTH, account.id() + " is not signed in (imported store); run 'novyse login "
                    + credentials.username() + "' first");
        }
        AuthReply reply = api().refreshToken(credentials.sessionSecret());
        credentials = credentials.withToken(reply.token(), reply.expiresAt());
        store.write(account, credentials);
        return credentials.token();
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }

    /**
     * Signup and login: ask for the password, call the server, store the session 0600 and make the account the
     * default. {@code call} receives the API client and the password.
     */
    static void signIn(NovyseCommand root, String username, String done,
                       java.util.function.BiFunction<ApiClient, String, AuthReply> call) {
        String server = root.serverUrl();
        String password = PasswordReader.read("Password for " + username + ": ");
        AuthReply reply = call.apply(new ApiClient(java.net.URI.create(server), TokenProvider.NONE), password);
        String normalised = username.trim().toLowerCase(java.util.Locale.ROOT);
        saveLogin(root.accounts(), server, normalised, reply);
        System.err.println(done + " " + normalised + " on " + server);
    }

    /**
     * Login with a password the caller already has (the demo's account): the same sign-in call and the same stored
     * session as {@code novyse login}. Returns the account id.
     */
    static String signIn(AccountStore store, String server, String username, String password) {
        AuthReply reply = new ApiClient(java.net.URI.create(server), TokenProvider.NONE).signin(username, password);
        return saveLogin(store, server, username.trim().toLowerCase(java.util.Locale.ROOT), reply);
    }

    private static String saveLogin(AccountStore store, String server, String username, AuthReply reply) {
        String id = AccountStore.accountId(username, server);
        AccountStore.Account account = store.account(id);
        store.write(account, new Credentials(server, username, reply.userUUID(),
                reply.sessionID() == null ? 0 : reply.sessionID(), reply.sessionKey(), reply.token(), reply.expiresAt()));
        store.setDefault(id);
        return id;
    }
}
