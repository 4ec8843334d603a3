// A tiny static file server for the end-to-end test: serves a directory (dist/) on
// 127.0.0.1 at a free port, with the MIME types the page needs (application/wasm for
// streaming compilation), and logs every request it answers.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Starts serving `root`. Resolves to { url, port, log, close }, where `log` is an array of
 * { time, method, path, status } for every request answered. `headers` are added to every
 * file served (e.g. a strict host's Content-Security-Policy).
 */
export async function startServer(root, port = 0, { headers = {} } = {}) {
  const base = resolve(root);
  const log = [];
  const server = createServer(async (req, res) => {
    let status = 500;
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let path = decodeURIComponent(url.pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        status = 403;
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        status = 405;
      } else {
        const info = await stat(file).catch(() => null);
        if (!info || !info.isFile()) {
          status = 404;
        } else {
          status = 200;
          res.writeHead(200, {
            'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
            'Content-Length': info.size,
            'Cache-Control': 'no-store',
            // A page in a sandboxed iframe has an opaque origin: its module script and wasm
            // fetches are cross-origin and need this (docs/page-contract.md, "Hosting").
            'Access-Control-Allow-Origin': '*',
            ...headers,
          });
          if (req.method === 'HEAD') res.end();
          else createReadStream(file).pipe(res);
        }
      }
    } catch {
      status = 400;
    }
    if (status !== 200) {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${status}\n`);
    }
    log.push({ time: Date.now(), method: req.method, path: req.url, status });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const bound = server.address().port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    log,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

// `node tests/e2e/server.mjs [dir] [port]` serves by hand (scripts/serve.sh uses it).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'dist';
  const s = await startServer(dir, Number(process.argv[3] ?? 0));
  console.log(`serving ${resolve(dir)} at ${s.url}/ (Ctrl-C to stop)`);
}
