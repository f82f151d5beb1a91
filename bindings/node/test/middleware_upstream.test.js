'use strict';
// The middleware's upstream client (facilitator and x402-secure gateway): answers are read
// as a stream with a hard 1 MiB cap (the request is destroyed as soon as it is passed), one
// deadline covers connect + headers + body (a trickling upstream cannot extend it),
// redirects are never followed, and error pages and other non-JSON answers map to the
// documented 502. Loopback upstreams send 150 MB, trickle a byte every 300 ms, redirect,
// and answer HTML 404 / 500. Every case runs in facilitator and proxy modes; nothing is
// served and no receipt is sent.

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');

const x = require('..');

const { ADDRESS, BASE_SEPOLIA, listen, close, json, payment, riskHeaders } = require('./helpers/servers');

const PAY_TO = '0x0987654321098765432109876543210987654321';
const MIB = 1 << 20;

/** A seller on node:http in `mode` against `upstreamUrl`; records handler runs. */
async function seller(mode, upstreamUrl, timeoutMs = 2000) {
  const ran = [];
  const mw = x.x402Middleware({
    routes: { 'GET /paid': { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$0.01' } },
    mode,
    ...(mode === 'proxy' ? { gatewayUrl: upstreamUrl } : { facilitatorUrl: upstreamUrl }),
    timeoutMs,
  });
  const s = await listen((req, res) => mw(req, res, () => {
    ran.push(req.url);
    res.end('paid content');
  }));
  s.ran = ran;
  return s;
}

/** A paid GET /paid: {status, body, receipt, ms}. */
async function paidRequest(s, mode) {
  const r0 = await fetch(`${s.url}/paid`);
  await r0.arrayBuffer();
  const [name, value] = payment(r0.headers.get('payment-required'));
  const headers = { [name]: value, ...(mode === 'proxy' ? riskHeaders() : {}) };
  const t0 = process.hrtime.bigint();
  const r = await fetch(`${s.url}/paid`, { headers });
  const text = await r.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (_) {
    body = text;
  }
  return { status: r.status, body, receipt: r.headers.get('payment-response'), ms };
}

function expect502(r, mode, pattern) {
  const reason = mode === 'proxy' ? 'gateway_error' : 'facilitator_error';
  assert.equal(r.status, 502, JSON.stringify(r.body));
  assert.equal(r.body.reason, reason);
  assert.equal(r.receipt, null);
  if (pattern) assert.match(r.body.message, pattern);
}

const MODES = ['facilitator', 'proxy'];

for (const mode of MODES) {
  test(`${mode}: a 150 MB answer is cut at 1 MiB; memory stays bounded; 502`, async () => {
    for (const announce of [false, true]) {
      let written = 0;
      let closedAt = null;
      const chunk = Buffer.alloc(MIB, 0x20);
      const up = await listen((req, res) => {
        req.resume();
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        if (announce) res.setHeader('Content-Length', String(150 * MIB));
        res.on('close', () => (closedAt = written));
        const pump = () => {
          while (written < 150 * MIB && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
          return undefined;
        };
        res.write('{"isValid":true,"pad":"');
        pump();
      });
      const s = await seller(mode, up.url, 20000);
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
      try {
        const r = await paidRequest(s, mode);
        expect502(r, mode, announce ? /bytes \(limit 1048576\)/ : /more than 1048576 bytes/);
        assert.deepEqual(s.ran, []);
        // the upstream was cut off long before it could send its answer
        await new Promise((res) => setTimeout(res, 50));
        assert.ok(closedAt !== null, 'the upstream connection was not closed');
        assert.ok(closedAt < 16 * MIB, `the upstream wrote ${closedAt} bytes before the middleware hung up`);
        const growth = peak - rss0;
        assert.ok(growth < 48 * MIB, `RSS grew by ${(growth / MIB).toFixed(1)} MiB for a 150 MiB answer`);
        test.diagnostic?.(`announce=${announce}: upstream wrote ${(closedAt / MIB).toFixed(1)} MiB, RSS +${(growth / MIB).toFixed(1)} MiB, ${r.ms.toFixed(0)} ms`);
      } finally {
        clearInterval(sampler);
        await close(s);
        await close(up);
      }
    }
  });

  test(`${mode}: a trickling upstream (one byte every 300 ms) cannot extend the deadline`, async () => {
    const timers = new Set();
    // body trickle: headers at once, then one byte of a JSON document every 300 ms
    const bodyTrickle = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const doc = '{"isValid":true,"payer":"' + ADDRESS + '"}';
      let i = 0;
      const t = setInterval(() => {
        if (res.destroyed || i >= doc.length) return clearInterval(t);
        res.write(doc[i++]);
        return undefined;
      }, 300);
      timers.add(t);
    });
    // head trickle: the status line and headers, one byte every 300 ms (raw TCP)
    const sockets = new Set();
    const headServer = net.createServer((sock) => {
      sockets.add(sock);
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"isValid":true}';
      let i = 0;
      sock.on('error', () => {});
      const t = setInterval(() => {
        if (sock.destroyed || i >= head.length) return clearInterval(t);
        sock.write(head[i++]);
        return undefined;
      }, 300);
      timers.add(t);
    });
    await new Promise((r) => headServer.listen(0, '127.0.0.1', r));
    const headUrl = `http://127.0.0.1:${headServer.address().port}`;
    try {
      for (const url of [bodyTrickle.url, headUrl]) {
        const s = await seller(mode, url, 1000);
        try {
          const r = await paidRequest(s, mode);
          expect502(r, mode, /no complete answer within 1000 ms/);
          assert.ok(r.ms >= 950 && r.ms < 1800, `answered after ${r.ms.toFixed(0)} ms with a 1000 ms deadline`);
          assert.deepEqual(s.ran, []);
        } finally {
          await close(s);
        }
      }
    } finally {
      for (const t of timers) clearInterval(t);
      await close(bodyTrickle);
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => headServer.close(r));
    }
  });

  test(`${mode}: redirects are not followed (502), the target is never contacted`, async () => {
    const target = await listen((req, res) => json(res, 200, { isValid: true, success: true, payer: ADDRESS, transaction: '0x01', network: BASE_SEPOLIA }));
    let targetHits = 0;
    target.server.on('request', () => (targetHits += 1));
    for (const code of [301, 302, 307, 308]) {
      const up = await listen((req, res) => {
        req.resume();
        res.writeHead(code, { Location: `${target.url}${req.url}`, 'Content-Type': 'application/json' });
        res.end('{"isValid":true}');
      });
      const s = await seller(mode, up.url);
      try {
        const r = await paidRequest(s, mode);
        expect502(r, mode, new RegExp(`answered ${code} \\(redirects are not followed\\)`));
        assert.deepEqual(s.ran, []);
      } finally {
        await close(s);
        await close(up);
      }
    }
    assert.equal(targetHits, 0);
    await close(target);
  });

  test(`${mode}: error pages and other non-JSON answers -> 502; JSON refusals -> 402`, async () => {
    const html = (status) => (req, res) => {
      req.resume();
      res.writeHead(status, { 'Content-Type': 'text/html' });
      res.end(`<html><body><h1>${status}</h1></body></html>`);
    };
    const cases = [
      ['HTML 404', html(404), 502, /answered 404 \(not JSON\)/],
      ['HTML 500', html(500), 502, /answered 500 \(not JSON\)/],
      ['HTML 200', html(200), 502, /answered 200 \(not JSON\)/],
      ['JSON 404 without a refusal', (req, res) => json(res, 404, { detail: 'Not Found' }), 502, /answered 404/],
      ['JSON 422 (our request rejected)', (req, res) => json(res, 422, { detail: [{ msg: 'field required' }] }), 502, /answered 422/],
      ['JSON typed as text/plain', (req, res) => { res.setHeader('Content-Type', 'text/plain'); res.end('{"isValid":true}'); }, 502, /not JSON/],
      ['invalid UTF-8 in JSON', (req, res) => { res.setHeader('Content-Type', 'application/json'); res.end(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])); }, 502, /not JSON/],
      ['closed mid-body', (req, res) => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' }); res.write('{"isValid":'); setTimeout(() => res.destroy(), 20); }, 502, /closed mid-body|unreachable/],
      ['400 VerifyResponse refusal', (req, res) => json(res, 400, { isValid: false, invalidReason: 'insufficient_funds' }), 402, 'insufficient_funds'],
      ['403 x402-secure envelope', (req, res) => json(res, 403, { error: { code: 'RISK_DENIED', message: 'Risk denied' } }), 402, 'risk_denied'],
    ];
    for (const [name, script, status, expectation] of cases) {
      const up = await listen(script);
      const s = await seller(mode, up.url);
      try {
        const r = await paidRequest(s, mode);
        if (status === 502) expect502(r, mode, expectation);
        else {
          assert.equal(r.status, 402, `${name}: ${JSON.stringify(r.body)}`);
          assert.equal(r.body.reason, expectation, name);
          assert.equal(r.receipt, null);
        }
        assert.deepEqual(s.ran, [], name);
      } finally {
        await close(s);
        await close(up);
      }
    }
  });
}

test('upstream URLs are checked at creation; the fetch option is refused', () => {
  const routes = { 'GET /paid': { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$0.01' } };
  for (const facilitatorUrl of ['not a url', 'ftp://h/x', 'http://user:pw@h/x', 'http://h/x?q=1', 'file:///etc/passwd']) {
    assert.throws(() => x.x402Middleware({ routes, mode: 'facilitator', facilitatorUrl }), x.X402MiddlewareConfigError, facilitatorUrl);
  }
  assert.throws(() => x.x402Middleware({ routes, mode: 'proxy', gatewayUrl: 'javascript:alert(1)' }), x.X402MiddlewareConfigError);
  assert.throws(() => x.x402Middleware({ routes, mode: 'local', fetch: () => {} }), /fetch option is gone/);
  x.x402Middleware({ routes, mode: 'facilitator', facilitatorUrl: 'https://x402.org/facilitator/' });
});
