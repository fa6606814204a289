/**
 * The local SQLite store of one account, the single source of truth of the client: schema and migrations,
 * the domain writes of one transaction ({@link dev.novyse.store.StoreWriter}), the views the screen and the
 * commands read, the outbox, and one read-snapshot entry point for work that reads much at once. Uses protocol and
 * io only.
 */
package dev.novyse.store;
