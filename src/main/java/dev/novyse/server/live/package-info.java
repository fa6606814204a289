/**
 * The server's live channel: engine.io / Socket.IO over websocket and long-polling, one sender thread per core
 * writing each user's frames in commit order, presence and typing. The services see it only as
 * {@link dev.novyse.server.live.LiveFeed}; it depends on nothing of the server.
 */
package dev.novyse.server.live;
