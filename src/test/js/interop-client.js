#!/usr/bin/env node
// The reference JavaScript socket.io-client against a novyse server, driven by JsClientInteropTest.
//
//   node interop-client.js URL TRANSPORTS [TOKEN]
//
// TRANSPORTS is a comma-separated list for the client's `transports` option ("websocket", "polling" or
// "polling,websocket"); "polling" alone also turns `upgrade` off. TOKEN goes into `auth: {token}`; without it the
// handshake carries no token. Every observation is one JSON line on stdout:
//   {"event":"connect","id":...,"transport":...}
//   {"event":"upgrade","transport":...}               (the engine switched transports)
//   {"event":"message:new","payload":{...},"transport":...}
//   {"event":"connect_error","message":...,"data":...}
//   {"event":"disconnect","reason":...}
//   {"event":"fatal","message":...}
// The client stays connected until a line "quit" arrives on stdin (or stdin closes), then disconnects and exits.
// No reconnection: one connection per run, so the test sees exactly what this one did.
"use strict";

const { io } = require("socket.io-client");

const [url, transportList, token] = process.argv.slice(2);
if (!url || !transportList) {
  process.stderr.write("usage: interop-client.js URL TRANSPORTS [TOKEN]\n");
  process.exit(2);
}
const transports = transportList.split(",");

function out(record) {
  process.stdout.write(JSON.stringify(record) + "\n");
}

// A bound on a stuck run, not a synchronisation: unref'd, it never keeps a finished client alive.
setTimeout(() => {
  out({ event: "fatal", message: "no exit within 20 s" });
  process.exit(3);
}, 20_000).unref();

const socket = io(url, {
  transports,
  upgrade: transports.length > 1,
  reconnection: false,
  forceNew: true,
  auth: token === undefined ? {} : { token },
});

const transportName = () => (socket.io.engine && socket.io.engine.transport ? socket.io.engine.transport.name : null);

socket.io.on("open", () => {
  socket.io.engine.on("upgrade", (t) => out({ event: "upgrade", transport: t.name }));
});
socket.on("connect", () => out({ event: "connect", id: socket.id, transport: transportName() }));
socket.on("connect_error", (err) => {
  out({ event: "connect_error", message: err.message, data: err.data === undefined ? null : err.data });
  socket.close();
});
socket.on("disconnect", (reason) => out({ event: "disconnect", reason }));
socket.on("message:new", (payload) => out({ event: "message:new", payload, transport: transportName() }));

let quitting = false;
function quit() {
  if (!quitting) {
    quitting = true;
    socket.close();
    process.stdin.pause();
  }
}
process.stdin.setEncoding("utf8");
let pending = "";
process.stdin.on("data", (chunk) => {
  pending += chunk;
  if (pending.split("\n").some((line) => line.trim() === "quit")) {
    quit();
  }
});
process.stdin.on("end", quit);
