'use strict';
// Route protection that fails closed (issue 14): every spelling of a priced route is priced,
// what cannot be canonicalised is refused (400), a priced path asked with another method is
// refused (405 with Allow), HEAD is priced as GET and runs no handler unpaid. Requests are
// raw request lines on a TCP socket (node's http client would normalise some of them).
//
// 1. The example seller (examples/seller.js, what `make demo` runs) in MODE=local,
//    facilitator and proxy: every bypass of the issue plus the percent-encoded, slash and
//    case variants, unpaid -> never the data; paid through odd spellings -> the data.
// 2. The middleware in front of a handler that serves anything it is handed (the worst app),
//    in the three modes: unpaid spellings never reach it; the upstream is never called.
// 3. A Connect/Express-shaped harness with Express 4's routing semantics (legacy url.parse
//    of req.url, case-insensitive and non-strict by default, HEAD falling back to GET,
//    mounting): for each option set, whenever that router would run the paid handler, the
//    request was paid.

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const path = require('node:path');
const legacyUrl = require('node:url');
const { spawn } = require('node:child_process');

const x = require('..');

const { ADDRESS, BASE_SEPOLIA, listen, close, payment, riskHeaders } = require('./helpers/servers');

const PAY_TO = '0x2222222222222222222222222222222222222222';
const SELLER_JS = path.join(__dirname, '..', 'examples', 'seller.js');

// ------------------------------------------------------------------ raw HTTP

/** Send exactly `head` (request line + headers, CRLF-joined) and read the answer to the close. */
function raw(port, lines, body = '') {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    sock.setTimeout(10000, () => sock.destroy(new Error('raw request timed out')));
    sock.on('connect', () => {
      const head = [...lines, 'Connection: close', body ? `Content-Length: ${Buffer.byteLength(body)}` : null]
        .filter((l) => l !== null).join('\r\n');
      sock.write(Buffer.from(`${head}\r\n\r\n${body}`, 'latin1')); // no half-close: the answer may be asynchronous
    });
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const end = all.indexOf('\r\n\r\n');
      const headText = end >= 0 ? all.slice(0, end) : all;
      const [statusLine, ...hs] = headText.split('\r\n');
      const headers = {};
      for (const h of hs) {
        const i = h.indexOf(':');
        if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
      }
      let text = end >= 0 ? all.slice(end + 4) : '';
      if (/chunked/i.test(headers['transfer-encoding'] || '')) text = dechunk(text);
      let json = null;
      try {
        json = JSON.parse(text);
      } catch (_) {
        json = null;
      }
      resolve({ status: Number((statusLine || '').split(' ')[1]), headers, text, json });
    });
  });
}

function dechunk(t) {
  let out = '';
  let i = 0;
  for (;;) {
    const nl = t.indexOf('\r\n', i);
    if (nl < 0) return out;
    const n = parseInt(t.slice(i, nl), 16);
    if (!n) return out;
    out += t.slice(nl + 2, nl + 2 + n);
    i = nl + 2 + n + 2;
  }
}

const get = (port, target, headers = []) => raw(port, [`GET ${target} HTTP/1.1`, 'Host: h', ...headers]);

// ------------------------------------------------------------------ payments and upstreams

/** A payment header for the 402 answer of `target` (paid through whatever spelling). */
async function payFor(port, target, method = 'GET') {
  const r = await raw(port, [`${method} ${target} HTTP/1.1`, 'Host: h']);
  assert.equal(r.status, 402, `${method} ${target}: ${r.status} ${r.text}`);
  return payment(r.headers['payment-required']);
}

function riskHeaderLines() {
  return Object.entries(riskHeaders()).map(([k, v]) => `${k}: ${v}`);
}

/** A facilitator / x402-secure gateway that approves everything and records the calls. */
async function approvingUpstream() {
  const calls = [];
  const s = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push(req.url);
      res.setHeader('Content-Type', 'application/json');
      if (req.url.endsWith('/verify')) return res.end(JSON.stringify({ isValid: true, payer: ADDRESS }));
      return res.end(JSON.stringify({ success: true, transaction: '0x' + 'ab'.repeat(32), network: BASE_SEPOLIA, payer: ADDRESS }));
    });
  });
  s.calls = calls;
  return s;
}

const MODES = ['local', 'facilitator', 'proxy'];

function modeOptions(mode, upstream) {
  if (mode === 'facilitator') return { mode, facilitatorUrl: upstream.url };
  if (mode === 'proxy') return { mode, gatewayUrl: upstream.url };
  return { mode };
}

// ------------------------------------------------------------------ the bypasses

const MD = '/api/market-data';
/** [name, request line target, method, expected status (unpaid)] */
const BYPASSES = [
  ['plain', MD, 'GET', 402],
  ['dot segment /api/./market-data', '/api/./market-data', 'GET', 402],
  ['absolute-form http://h/api/market-data', 'http://h/api/market-data', 'GET', 402],
  ['dot-dot /x/../api/market-data', '/x/../api/market-data', 'GET', 402],
  ['backslash /api\\market-data', '/api\\market-data', 'GET', 400],
  ['fragment /api/market-data#x', '/api/market-data#x', 'GET', 402],
  ['POST on the priced path', MD, 'POST', 405],
  ['HEAD runs no handler', MD, 'HEAD', 402],
  ['percent-encoded letter /api/%6Darket-data', '/api/%6Darket-data', 'GET', 402],
  ['percent-encoded dots /x/%2e%2e/api/market-data', '/x/%2e%2e/api/market-data', 'GET', 402],
  ['percent-encoded slash /api%2Fmarket-data', '/api%2Fmarket-data', 'GET', 400],
  ['double-encoded dots', '/x/%252e%252e/api/market-data', 'GET', 400],
  ['dots above the root', '/../api/market-data', 'GET', 400],
  ['double slash inside /api//market-data', '/api//market-data', 'GET', 402],
  ['double slash first //x/api/market-data', '//x/api/market-data', 'GET', 400],
  ['trailing slash', `${MD}/`, 'GET', 402],
  ['upper case /API/Market-Data', '/API/Market-Data', 'GET', 402],
  ['absolute-form, odd case and dots', 'HTTP://H/API/./x/../Market-Data/?symbol=1', 'GET', 402],
  ['OPTIONS on the priced path', MD, 'OPTIONS', 405],
  ['asterisk-form', '*', 'GET', 400],
];

function checkRefusal(r, name, status, method) {
  assert.equal(r.status, status, `${name}: ${r.status} ${r.text}`);
  assert.ok(!/97000|example-seller/.test(r.text), `${name}: the data was served`);
  if (status === 402 && method !== 'HEAD') assert.ok(r.headers['payment-required'], `${name}: no PAYMENT-REQUIRED`);
  if (status === 402 && method === 'HEAD') {
    assert.equal(r.text, '', `${name}: HEAD got a body`);
    assert.ok(r.headers['payment-required']);
  }
  if (status === 405) assert.equal(r.headers.allow, 'GET, HEAD', `${name}: Allow`);
  if (status === 400) assert.equal(r.json && r.json.reason, 'invalid_request_target', `${name}: ${r.text}`);
}

// ------------------------------------------------------------------ 1. the example seller

/** Start examples/seller.js; resolves with {port, lines, stop}. */
function startSeller(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELLER_JS], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PAY_TO_EVM: PAY_TO, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = [];
    let buf = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`seller did not start: ${err}`)), 10000);
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      buf += c;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let doc = null;
        try {
          doc = JSON.parse(line);
        } catch (_) {
          doc = null;
        }
        if (doc) lines.push(doc);
        if (doc && doc.event === 'ready') {
          clearTimeout(timer);
          resolve({
            port: doc.port,
            lines,
            stop: () => new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGTERM');
            }),
          });
        }
      }
    });
    child.once('exit', (c) => {
      if (process.env.X402_DEBUG_SELLER) console.error(`seller exited (${c}): ${err}`);
      reject(new Error(`seller exited (${c}): ${err}`));
    });
  });
}

for (const mode of MODES) {
  test(`example seller, MODE=${mode}: every bypass of issue 14 is refused unpaid; odd spellings pay and get the data`, async () => {
    const up = await approvingUpstream();
    const seller = await startSeller({ MODE: mode, GATEWAY_URL: up.url, FACILITATOR_URL: up.url });
    try {
      for (const [name, target, method, status] of BYPASSES) {
        const r = await raw(seller.port, [`${method} ${target} HTTP/1.1`, 'Host: h']);
        checkRefusal(r, name, status, method);
      }
      assert.deepEqual(up.calls, [], 'no unpaid request reached the upstream');
      // free routes still work, and only with their method
      assert.equal((await get(seller.port, '/health')).status, 200);
      assert.equal((await get(seller.port, '/nothing-here')).status, 404);
      // paid, through odd spellings: the data, routed on what the middleware matched
      const extra = mode === 'proxy' ? riskHeaderLines() : [];
      for (const target of ['/API/./Market-Data/?symbol=ETH/USD', 'http://h/x/../api/%6Darket-data']) {
        const [name, value] = await payFor(seller.port, target);
        const r = await get(seller.port, target, [`${name}: ${value}`, ...extra]);
        assert.equal(r.status, 200, `${target}: ${r.text}`);
        assert.equal(r.json.price, '97000.00');
        assert.equal(r.json.payer, ADDRESS);
        assert.equal(r.json.route, 'GET /api/market-data');
      }
      const [hn, hv] = await payFor(seller.port, MD, 'HEAD');
      const head = await raw(seller.port, [`HEAD ${MD} HTTP/1.1`, 'Host: h', `${hn}: ${hv}`, ...extra]);
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      if (mode !== 'local') assert.equal(up.calls.length, 6); // verify + settle for each paid request
    } finally {
      await seller.stop();
      await close(up);
    }
  });
}

// ------------------------------------------------------------------ 2. the worst application

for (const mode of MODES) {
  test(`middleware, ${mode} mode: a handler serving whatever it is handed never runs unpaid`, async () => {
    const up = await approvingUpstream();
    const served = [];
    const mw = x.x402Middleware({ routes: { [`GET ${MD}`]: { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$0.01' } }, ...modeOptions(mode, up) });
    const s = await listen((req, res) => mw(req, res, () => {
      served.push([req.method, req.url, req.x402Route]);
      res.end(JSON.stringify({ price: '97000.00', source: 'example-seller' }));
    }));
    try {
      for (const [name, target, method, status] of BYPASSES) {
        checkRefusal(await raw(s.port, [`${method} ${target} HTTP/1.1`, 'Host: h']), name, status, method);
      }
      assert.deepEqual(served, []);
      assert.deepEqual(up.calls, []);
      // a free route reaches the handler with the canonical route and no key
      const r = await get(s.port, '/Free/./x/');
      assert.equal(r.status, 200);
      assert.deepEqual(served[0][2], { key: null, method: 'GET', path: '/free/x' });
    } finally {
      await close(s);
      await close(up);
    }
  });
}

// ------------------------------------------------------------------ 3. Express-style semantics

/** Express 4's router in miniature: path-to-regexp 0.1 for a literal path, parseurl's reading
 * of req.url (the legacy url.parse), HEAD served by GET routes, mounting with app.use(path). */
function expressApp(routerOptions) {
  const stack = [];
  const app = (req, res) => {
    req.originalUrl = req.originalUrl || req.url;
    let i = 0;
    const next = (err) => {
      if (err) {
        res.statusCode = 500;
        return res.end('error');
      }
      const layer = stack[i++];
      if (!layer) {
        res.statusCode = 404;
        return res.end('Cannot GET');
      }
      const pathname = legacyUrl.parse(req.originalUrl).pathname || '';
      if (layer.kind === 'use') {
        const mount = layer.path;
        if (mount !== '/' && !(pathname.toLowerCase() === mount || pathname.toLowerCase().startsWith(mount + '/'))) return next();
        const saved = req.url;
        if (mount !== '/') req.url = req.url.slice(mount.length) || '/';
        return layer.fn(req, res, (e) => {
          req.url = saved;
          next(e);
        });
      }
      const methodOk = req.method === layer.method || (req.method === 'HEAD' && layer.method === 'GET');
      if (methodOk && layer.re.test(pathname)) return layer.fn(req, res, next);
      return next();
    };
    next();
  };
  app.use = (p, fn) => stack.push(typeof p === 'function' ? { kind: 'use', path: '/', fn: p } : { kind: 'use', path: p.toLowerCase(), fn });
  app.get = (p, fn) => {
    const escaped = p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const re = new RegExp(`^${escaped}${routerOptions.strict ? '' : '\\/?'}$`, routerOptions.caseSensitive ? '' : 'i');
    stack.push({ kind: 'route', method: 'GET', re, fn });
  };
  return app;
}

/** Spellings an Express router may serve or the middleware must refuse. */
const EXPRESS_SPELLINGS = [
  MD, `${MD}/`, `${MD}//`, '/API/Market-Data', '/API/Market-Data/', `${MD}?a=1`, `${MD}#frag`, `http://h${MD}`,
  `HTTP://H/API/MARKET-DATA/`, `ftp://h${MD}`, '/api/./market-data', '/x/../api/market-data', '/api/%6Darket-data',
  '/api//market-data', '//api/market-data', '/api\\market-data', `${MD}%20`, `${MD};x`, '/api/market-data.',
];

for (const options of [{}, { caseSensitive: true }, { strict: true }, { caseSensitive: true, strict: true }]) {
  for (const mounted of [false, true]) {
    test(`Express-style routing ${JSON.stringify(options)}${mounted ? ', middleware mounted at /api' : ''}: the paid handler never runs unpaid`, async () => {
      const mw = x.x402Middleware({ routes: { [`GET ${MD}`]: { network: BASE_SEPOLIA, payTo: PAY_TO, amount: '5' } }, mode: 'local', ...options });
      const app = expressApp(options);
      const ran = [];
      if (mounted) app.use('/api', mw);
      else app.use(mw);
      app.get(MD, (req, res) => {
        ran.push([req.originalUrl, req.method, Boolean(req.x402)]);
        res.end(JSON.stringify({ price: '97000.00', paid: Boolean(req.x402) }));
      });
      const s = await listen(app);
      try {
        for (const target of EXPRESS_SPELLINGS) {
          for (const method of ['GET', 'HEAD']) {
            const before = ran.length;
            const r = await raw(s.port, [`${method} ${target} HTTP/1.1`, 'Host: h']);
            if (ran.length > before) assert.ok(ran[ran.length - 1][2], `${method} ${target} ran the paid handler unpaid`);
            assert.ok([400, 402, 404].includes(r.status), `${method} ${target}: ${r.status}`);
          }
        }
        assert.deepEqual(ran, []);
        // and paid, the router's own spellings get the data
        for (const target of options.strict ? [MD] : [`${MD}/`]) {
          const spelled = options.caseSensitive ? target : target.toUpperCase();
          const [name, value] = await payFor(s.port, spelled);
          const r = await get(s.port, spelled, [`${name}: ${value}`]);
          assert.equal(r.status, 200, `${spelled}: ${r.text}`);
          assert.deepEqual(r.json, { price: '97000.00', paid: true });
        }
      } finally {
        await close(s);
      }
    });
  }
}

// ------------------------------------------------------------------ configuration

test('route keys are checked when the middleware is created', () => {
  const offer = { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$0.01' };
  for (const key of ['GET /users/:id', 'HEAD /a', 'GET paid', 'GET /a?x', 'GET  /a', '/a/*/b', 'GET /a%2Fb', 'GET /../a', 'G@T /a']) {
    assert.throws(() => x.x402Middleware({ routes: { [key]: offer }, mode: 'local' }), (e) => {
      assert.ok(e instanceof x.X402MiddlewareConfigError, key);
      assert.match(e.message, /route/);
      return true;
    });
  }
  assert.throws(() => x.x402Middleware({ routes: { 'GET /a': offer, 'GET /A/': offer }, mode: 'local' }), x.X402MiddlewareConfigError);
  assert.throws(() => x.x402Middleware({ routes: { '/a': offer }, mode: 'local', strict: 'yes' }), x.X402MiddlewareConfigError);
  assert.throws(() => x.x402Middleware({ routes: { '/a': offer }, mode: 'local', caseSensitive: 1 }), x.X402MiddlewareConfigError);
  assert.throws(() => x.x402Middleware({ routes: { '/a': offer }, mode: 'local', fetch: globalThis.fetch }), x.X402MiddlewareConfigError);
  // strict / case-sensitive keys keep their spelling
  x.x402Middleware({ routes: { 'GET /A/': offer, 'GET /a': offer }, mode: 'local', caseSensitive: true, strict: true });
});

test('a prefix protects a whole subtree; the handler gets the matched route', async () => {
  const seen = [];
  const mw = x.x402Middleware({
    routes: { 'GET /files/*': { network: BASE_SEPOLIA, payTo: PAY_TO, amount: '7' }, 'POST /files/upload': { network: BASE_SEPOLIA, payTo: PAY_TO, amount: '9' } },
    mode: 'local',
  });
  const s = await listen((req, res) => mw(req, res, () => {
    seen.push(req.x402 ? req.x402.route : req.x402Route);
    res.end('ok');
  }));
  try {
    for (const target of ['/files', '/files/', '/FILES/a/b.txt', '/x/../files/%61', 'http://h/files/deep/er/']) {
      const r = await get(s.port, target);
      assert.equal(r.status, 402, target);
      assert.equal(x.parsePaymentRequired(r.headers['payment-required'], null).accepts[0].amount, '7');
    }
    assert.equal((await get(s.port, '/filesystem')).status, 200); // not under /files/
    const del = await raw(s.port, ['DELETE /files/a HTTP/1.1', 'Host: h']);
    assert.equal(del.status, 405);
    assert.equal(del.headers.allow, 'GET, HEAD');
    const up = await raw(s.port, ['POST /files/upload HTTP/1.1', 'Host: h'], '{}');
    assert.equal(up.status, 402);
    assert.equal(x.parsePaymentRequired(up.headers['payment-required'], null).accepts[0].amount, '9');
    // resource URLs name the canonical path
    assert.equal(x.parsePaymentRequired((await get(s.port, '/FILES/./A')).headers['payment-required'], null).resource.url, 'http://h/files/a');
    const [name, value] = await payFor(s.port, '/Files/Report%20One.PDF');
    const paid = await get(s.port, '/Files/Report%20One.PDF', [`${name}: ${value}`]);
    assert.equal(paid.status, 200);
    assert.deepEqual(seen.pop(), { key: 'GET /files/*', method: 'GET', path: '/files/report one.pdf' });
    assert.deepEqual(seen.pop(), { key: null, method: 'GET', path: '/filesystem' });
  } finally {
    await close(s);
  }
});
