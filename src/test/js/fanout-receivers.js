// Receivers for FanoutBenchmark: many Socket.IO connections in one node process on one event loop, over raw
// websockets (the `ws` package the build unpacks into target/js/node_modules), so a delivery costs the receivers
// less CPU than it costs the server and the benchmark's figure is the server's. Frames are counted, not decoded:
// a `message:new` event is a text frame starting with 42["message:new", compared as bytes.
//
// usage: node fanout-receivers.js SERVER_URL TOKENS_FILE   (one access token per line)
// prints: "open N" once every connection is admitted, then "count N" (message:new frames so far) every 100 ms,
// and "closed N reason" whenever connections drop (they do not reconnect: a benchmark must see losses).
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const [url, tokensFile] = process.argv.slice(2);
const tokens = fs.readFileSync(tokensFile, 'utf8').split('\n').filter((t) => t.length > 0);
const endpoint = url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';
const EVENT = Buffer.from('42["message:new"');
const OPEN = 0x30, PING = 0x32, MESSAGE = 0x34, CONNECT = 0x30, ERROR = 0x34;

let admitted = 0;
let received = 0;
let closed = 0;

function startsWith(data, prefix) {
  return data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

function connect(token) {
  const ws = new WebSocket(endpoint, { perMessageDeflate: false });
  ws.on('message', (data) => {
    const type = data[0];
    if (type === MESSAGE) {
      if (startsWith(data, EVENT)) {
        received++;
      } else if (data[1] === CONNECT) {
        if (++admitted === tokens.length) console.log('open ' + admitted);
      } else if (data[1] === ERROR) {
        console.log('refused ' + data.toString());
      }
    } else if (type === PING) {
      ws.send('3');
    } else if (type === OPEN) {
      ws.send('40' + JSON.stringify({ token }));
    }
  });
  ws.on('close', (code) => {
    closed++;
    console.log('closed ' + closed + ' ' + code);
  });
  ws.on('error', (e) => console.log('error ' + e.message));
}

// Connected in waves, as many clients would arrive: not all handshakes at once.
let next = 0;
function wave() {
  for (let i = 0; i < 50 && next < tokens.length; i++) connect(tokens[next++]);
  if (next < tokens.length) setTimeout(wave, 20);
}
wave();
setInterval(() => console.log('count ' + received), 100);
