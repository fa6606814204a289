// A Novyse-compatible sign-in endpoint on node's own http server with an 'upgrade' listener attached, as
// engine.io attaches one: node hands any request carrying `Upgrade:` to that listener instead of the request
// handler, and engine.io drops the ones that are not its own. Prints its port; writes one JSON line per request to
// the file named by its argument before answering it.
const fs = require('fs');
const http = require('http');
const log = (o) => fs.appendFileSync(process.argv[2], JSON.stringify(o) + '\n');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    log({ method: req.method, url: req.url, headers: req.headers });
    if (req.method === 'POST' && req.url === '/signin/password') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: 't', userUUID: '00000000-0000-4000-8000-000000000001', sessionID: 1,
        session_id: 's', expiresAt: new Date(Date.now() + 3600e3).toISOString() }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"NOT_FOUND","message":"not found"}}');
    }
  });
});
server.on('upgrade', (req, socket) => {
  log({ upgrade: req.headers.upgrade, url: req.url });
  socket.destroy();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
