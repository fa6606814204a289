/**
 * One account of the client: its credentials and session ({@link dev.novyse.account.Session}), the accounts in
 * the data directory ({@link dev.novyse.account.Accounts}), the XDG folders, and the one place a synced, live,
 * outbox-delivering client is put together ({@link dev.novyse.account.AccountClient}). The CLI's commands,
 * {@code watch} and the chat screen all get their client here. Uses state, sync and store; never cli or tui.
 */
package dev.novyse.account;
