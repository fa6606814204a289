/**
 * {@code novyse serve}: REST over Javalin, CQRS storage (state tables plus event logs with visibility rules) in
 * SQLite, dense per-(chat, sub) ids, exactly-once sends by tempId, files in two phases. Announcements go to
 * {@code server.live} after the commit, in commit order. Shares no package with the client except protocol,
 * concurrent and io.
 */
package dev.novyse.server;
