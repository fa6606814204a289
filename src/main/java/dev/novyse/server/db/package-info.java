/**
 * The server's two storage engines behind one shape: SQLite (a file, the embedded default) and PostgreSQL (a pool of
 * connections to a database that several server processes share). This package knows connections, transactions and
 * the dialect's DDL types; what the tables mean is the server package's business, in one SQL for both engines.
 */
package dev.novyse.server.db;
