'use strict';
// x402Middleware: 402 answers (v1 body + v2 header), 400 for malformed headers, offline
// verification with replay rejection, facilitator and x402-secure proxy settlement with
// error mapping (402 with the reason / 502), receipts, Express-style next().
// Payments are made by the same core (createPaymentHeader); reasons are x402 2.25.0's names.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const x = require('..');

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // Hardhat #0 (public)
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PAY_TO = '0x0987654321098765432109876543210987654321';
const BASE_SEPOLIA = 'eip155:84532';
const DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
const seed = (b) => Buffer.alloc(32, b);

const evm = x.EvmAccount.fromKey(KEY);
const buyerSol = x.SolanaKeypair.fromSeed(seed(8));
const sellerSol = x.SolanaKeypair.fromSeed(seed(9));
const feePayer = x.SolanaKeypair.fromSeed(seed(7));
const BLOCKHASH = x.b58encode(seed(0xab));

const ROUTES = {
  'GET /paid': {
    accepts: [
      { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$0.01' },
      { network: DEVNET, payTo: sellerSol.address, price: '$0.01', extra: { feePayer: feePayer.address, recentBlockhash: BLOCKHASH } },
    ],
    description: 'data',
  },
};

/** createPaymentHeader's answer as [name, value], whatever its shape. */
function pay(pr, signer, policy, opts) {
  const out = x.createPaymentHeader(pr, signer, policy, opts);
  if (Array.isArray(out)) return out;
  return [out.headerName || out.name, out.headerValue || out.value];
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

function close(s) {
  s.server.closeAllConnections();
  return new Promise((r) => s.server.close(r));
}

/** A seller on node:http with the middleware in front of a handler echoing req.x402. */
async function seller(options) {
  const calls = [];
  const mw = x.x402Middleware({ routes: ROUTES, ...options });
  const s = await listen((req, res) =>
    mw(req, res, () => {
      calls.push(req.url);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, payer: req.x402 ? req.x402.payer : null, network: req.x402 ? req.x402.requirement.network : null }));
    }),
  );
  s.calls = calls;
  return s;
}

async function get(url, headers = {}) {
  const r = await fetch(url, { headers });
  const text = await r.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (_) {
    body = text;
  }
  return { status: r.status, headers: r.headers, body };
}

async function required(url) {
  const r = await fetch(url);
  await r.arrayBuffer();
  return x.parsePaymentRequired(r.headers.get('payment-required'), null);
}

function riskHeaders(tid) {
  return {
    'X-RISK-SESSION': '925ca6ee-aa4b-4508-955b-10b1c02c69bb',
    'X-PAYMENT-SECURE': x.buildPaymentSecureHeader(null, tid ? { tid } : {}),
  };
}

const EVM_POLICY = { networks: [BASE_SEPOLIA] };
/** The risk layer (lib/risk.js) may land after this file: its tests skip without it. */
const NEEDS_RISK = { skip: typeof x.parsePaymentSecureHeader === 'function' ? false : 'the risk layer (lib/risk.js) is not built in' };

test('no payment: 402 with a v1 body and a v2 PAYMENT-REQUIRED header', async () => {
  const s = await seller({ mode: 'local' });
  try {
    const r = await get(`${s.url}/paid`);
    assert.equal(r.status, 402);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.body.x402Version, 1);
    assert.equal(r.body.error, 'Payment required');
    assert.deepEqual(r.body.accepts.map((a) => [a.network, a.maxAmountRequired, a.resource]), [
      ['base-sepolia', '10000', `${s.url}/paid`],
      ['solana-devnet', '10000', `${s.url}/paid`],
    ]);
    const v2 = x.parsePaymentRequired(r.headers.get('payment-required'), null);
    assert.equal(v2.x402Version, 2);
    assert.deepEqual(v2.accepts.map((a) => [a.network, a.amount, a.payTo]), [
      [BASE_SEPOLIA, '10000', PAY_TO],
      [DEVNET, '10000', sellerSol.address],
    ]);
    assert.equal(v2.resource.url, `${s.url}/paid`);
    assert.deepEqual(s.calls, []);
  } finally {
    await close(s);
  }
});

test('unpriced routes go straight to next(); another method on a priced path gets 405, never next()', async () => {
  const s = await seller({ mode: 'local' });
  try {
    assert.equal((await get(`${s.url}/free`)).status, 200);
    const r = await fetch(`${s.url}/paid`, { method: 'POST' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(await r.json(), { error: 'method_not_allowed', reason: 'method_not_allowed', allow: ['GET', 'HEAD'] });
    assert.deepEqual(s.calls, ['/free']);
  } finally {
    await close(s);
  }
});

for (const version of [1, 2]) {
  test(`local mode: an EVM v${version} payment passes once, the replay gets duplicate_payment`, async () => {
    const s = await seller({ mode: 'local' });
    try {
      const pr = version === 2 ? await required(`${s.url}/paid`) : (await get(`${s.url}/paid`)).body;
      const [name, value] = pay(pr, evm, EVM_POLICY, {});
      assert.equal(name, version === 2 ? 'PAYMENT-SIGNATURE' : 'X-PAYMENT');
      const r = await get(`${s.url}/paid?q=1`, { [name]: value });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { ok: true, payer: ADDRESS, network: version === 2 ? BASE_SEPOLIA : 'base-sepolia' });
      const receipt = r.headers.get(version === 2 ? 'payment-response' : 'x-payment-response');
      const settle = x.decodeSettleResponse(receipt);
      assert.equal(settle.success, true);
      assert.equal(settle.payer, ADDRESS);
      const again = await get(`${s.url}/paid`, { [name]: value });
      assert.equal(again.status, 402);
      assert.equal(again.body.reason, 'duplicate_payment');
      assert.equal(s.calls.length, 1);
    } finally {
      await close(s);
    }
  });
}

test('local mode: a Solana devnet payment', async () => {
  const s = await seller({ mode: 'local', solanaFeePayers: [feePayer.address] });
  try {
    const pr = await required(`${s.url}/paid`);
    const [name, value] = pay(pr, buyerSol, { networks: [DEVNET] }, {});
    const r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.payer, buyerSol.address);
    assert.equal(r.body.network, DEVNET);
  } finally {
    await close(s);
  }
});

test('expired authorization and wrong payTo are refused with their x402 reasons', async () => {
  const s = await seller({ mode: 'local' });
  try {
    const v1 = (await get(`${s.url}/paid`)).body;
    const past = Math.floor(Date.now() / 1000) - 4000;
    let [name, value] = pay(v1, evm, EVM_POLICY, { now: past });
    let r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.status, 402);
    assert.equal(r.body.reason, 'invalid_exact_evm_payload_authorization_valid_before');

    const tampered = { ...v1, accepts: v1.accepts.map((a) => ({ ...a, payTo: '0x' + '66'.repeat(20) })) };
    [name, value] = pay(tampered, evm, EVM_POLICY, {});
    r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.body.reason, 'invalid_exact_evm_payload_recipient_mismatch');

    const v2 = await required(`${s.url}/paid`);
    const t2 = { ...v2, accepts: v2.accepts.map((a) => ({ ...a, payTo: '0x' + '66'.repeat(20) })) };
    [name, value] = pay(t2, evm, EVM_POLICY, {});
    r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.status, 402);
    assert.equal(r.body.reason, 'no_matching_requirements');
    assert.ok(r.headers.get('payment-required'));
    assert.deepEqual(s.calls, []);
  } finally {
    await close(s);
  }
});

test('malformed payment and risk headers get 400 with a reason', NEEDS_RISK, async () => {
  const s = await seller({ mode: 'local' });
  try {
    let r = await get(`${s.url}/paid`, { 'X-PAYMENT': 'not*base64' });
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'invalid_payment_header');
    assert.match(r.body.message, /X402S_ERR_INVALID_BASE64/);
    r = await get(`${s.url}/paid`, { 'PAYMENT-SIGNATURE': Buffer.from('{"x402Version":2}').toString('base64') });
    assert.equal(r.status, 400);
    const pr = await required(`${s.url}/paid`);
    const [name, value] = pay(pr, evm, EVM_POLICY, {});
    r = await get(`${s.url}/paid`, { [name]: value, 'X-PAYMENT-SECURE': 'garbage', 'X-RISK-SESSION': '925ca6ee-aa4b-4508-955b-10b1c02c69bb' });
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'invalid_risk_header');
    r = await get(`${s.url}/paid`, { [name]: value, ...riskHeaders(), 'X-RISK-SESSION': 'abc' });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /X-RISK-SESSION/);
    r = await get(`${s.url}/paid`, { [name]: value, 'X-RISK-SESSION': '925ca6ee-aa4b-4508-955b-10b1c02c69bb' });
    assert.equal(r.status, 400);
    // The header was never accepted, so it still pays.
    r = await get(`${s.url}/paid`, { [name]: value, ...riskHeaders() });
    assert.equal(r.status, 200);
  } finally {
    await close(s);
  }
});

test('required risk headers: absent -> 402 risk_headers_required', async () => {
  const s = await seller({ mode: 'local', requireRiskHeaders: true });
  try {
    const pr = await required(`${s.url}/paid`);
    const [name, value] = pay(pr, evm, EVM_POLICY, {});
    const r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.status, 402);
    assert.equal(r.body.reason, 'risk_headers_required');
  } finally {
    await close(s);
  }
});

/** A scripted facilitator / gateway recording requests. */
async function upstream(script) {
  const seen = [];
  const s = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body: body ? JSON.parse(body) : null });
      script(req, res, JSON.parse(body || 'null'));
    });
  });
  s.seen = seen;
  return s;
}

function json(res, status, doc) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(doc));
}

test('facilitator mode: /verify then /settle; receipt from the settle answer', async () => {
  const fac = await upstream((req, res) => {
    if (req.url === '/fac/verify') return json(res, 200, { isValid: true, payer: ADDRESS });
    return json(res, 200, { success: true, transaction: '0x' + 'cd'.repeat(32), network: BASE_SEPOLIA, payer: ADDRESS });
  });
  const s = await seller({ mode: 'facilitator', facilitatorUrl: `${fac.url}/fac/` });
  try {
    const pr = await required(`${s.url}/paid`);
    const [name, value] = pay(pr, evm, EVM_POLICY, {});
    const r = await get(`${s.url}/paid`, { [name]: value });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(fac.seen.map((q) => q.url), ['/fac/verify', '/fac/settle']);
    const body = fac.seen[0].body;
    assert.equal(body.x402Version, 2);
    assert.equal(body.paymentHeader, value);
    assert.equal(body.paymentRequirements.network, BASE_SEPOLIA);
    assert.deepEqual(body.paymentPayload, x.decodePaymentHeader(value));
    assert.equal(x.decodeSettleResponse(r.headers.get('payment-response')).transaction, '0x' + 'cd'.repeat(32));
  } finally {
    await close(s);
    await close(fac);
  }
});

test('facilitator refusals -> 402 with the reason; 500, non-JSON, down, slow -> 502', async () => {
  const cases = [
    [(req, res) => json(res, 200, { isValid: false, invalidReason: 'insufficient_funds' }), 402, 'insufficient_funds'],
    [(req, res) => (req.url.endsWith('/verify') ? json(res, 200, { isValid: true }) : json(res, 200, { success: false, errorReason: 'settlement_pending' })), 402, 'settlement_pending'],
    [(req, res) => json(res, 500, { error: 'boom' }), 502, 'facilitator_error'],
    [(req, res) => { res.setHeader('Content-Type', 'text/html'); res.end('<html>'); }, 502, 'facilitator_error'],
    [null, 502, 'facilitator_error'], // down
    [() => {}, 502, 'facilitator_error'], // never answers
  ];
  for (const [script, status, reason] of cases) {
    const fac = script ? await upstream(script) : null;
    const url = fac ? fac.url : 'http://127.0.0.1:9';
    const s = await seller({ mode: 'facilitator', facilitatorUrl: url, timeoutMs: 300 });
    try {
      const pr = await required(`${s.url}/paid`);
      const [name, value] = pay(pr, evm, EVM_POLICY, {});
      const r = await get(`${s.url}/paid`, { [name]: value });
      assert.equal(r.status, status, `${reason}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.reason, reason);
      assert.equal(r.headers.get('payment-response'), null);
      assert.deepEqual(s.calls, []);
    } finally {
      await close(s);
      if (fac) await close(fac);
    }
  }
});

test('proxy mode: x402-secure /x402/verify and /x402/settle with the risk headers forwarded', NEEDS_RISK, async () => {
  const gw = await upstream((req, res, body) => {
    if (req.url === '/x402/verify') return json(res, 200, { isValid: true, payer: ADDRESS, invalidReason: null });
    return json(res, 200, { success: true, payer: ADDRESS, transaction: '0x' + 'ef'.repeat(32), network: body.paymentRequirements.network, errorReason: null });
  });
  const s = await seller({ mode: 'proxy', gatewayUrl: gw.url });
  try {
    const pr = (await get(`${s.url}/paid`)).body; // v1, as x402-secure 0.1.4 buyers pay
    const [name, value] = pay(pr, evm, EVM_POLICY, {});
    const tid = 'af88271b-e93d-4998-bc15-2f130d437262';
    const rh = riskHeaders(tid);
    // risk headers are required in proxy mode
    assert.equal((await get(`${s.url}/paid`, { [name]: value })).body.reason, 'risk_headers_required');
    const [name2, value2] = pay(pr, evm, EVM_POLICY, {});
    const r = await get(`${s.url}/paid`, { [name2]: value2, ...rh, Origin: s.url });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(gw.seen.map((q) => q.url), ['/x402/verify', '/x402/settle']);
    for (const q of gw.seen) {
      assert.equal(q.headers['x-payment'], value2);
      assert.equal(q.headers['x-payment-secure'], rh['X-PAYMENT-SECURE']);
      assert.equal(q.headers['x-risk-session'], rh['X-RISK-SESSION']);
      assert.equal(q.headers.origin, s.url);
      assert.deepEqual(Object.keys(q.body), ['x402Version', 'paymentPayload', 'paymentRequirements']);
      assert.equal(q.body.x402Version, 1);
    }
    assert.equal(x.decodeSettleResponse(r.headers.get('x-payment-response')).transaction, '0x' + 'ef'.repeat(32));
  } finally {
    await close(s);
    await close(gw);
  }
});

test('proxy mode: gateway refusals (403 RISK_DENIED, 404) -> 402 with the code; 5xx -> 502', NEEDS_RISK, async () => {
  const cases = [
    [403, { error: { code: 'RISK_DENIED', message: 'Risk denied: amount_over_cap' }, request_id: 'r' }, 402, 'risk_denied'],
    [404, { error: { code: 'UNSPECIFIED', message: '{"detail":"unknown sid"}' }, request_id: 'r' }, 402, 'unspecified'],
    [500, { error: { code: 'UNSPECIFIED', message: 'upstream 500' } }, 502, 'gateway_error'],
  ];
  for (const [gwStatus, doc, status, reason] of cases) {
    const gw = await upstream((req, res) => json(res, gwStatus, doc));
    const s = await seller({ mode: 'proxy', gatewayUrl: gw.url });
    try {
      const pr = await required(`${s.url}/paid`);
      const [name, value] = pay(pr, evm, EVM_POLICY, {});
      const r = await get(`${s.url}/paid`, { [name]: value, ...riskHeaders() });
      assert.equal(r.status, status);
      assert.equal(r.body.reason, reason);
      if (status === 402) assert.equal(r.body.message, doc.error.message);
      assert.deepEqual(gw.seen.map((q) => q.url), ['/x402/verify']); // never settled
    } finally {
      await close(s);
      await close(gw);
    }
  }
});

test('Express/Connect style: next() is called once after payment; withX402 wraps node:http handlers', async () => {
  const mw = x.x402Middleware({ routes: { '/paid': { network: BASE_SEPOLIA, payTo: PAY_TO, amount: '5' } }, mode: 'local' });
  let nexts = 0;
  const s = await listen((req, res) => mw(req, res, () => { nexts += 1; res.end('paid'); }));
  const w = await listen(x.withX402({ routes: { 'GET /w': { network: BASE_SEPOLIA, payTo: PAY_TO, amount: '5' } }, mode: 'local' }, (req, res) => res.end('ok')));
  try {
    const pr = await required(`${s.url}/paid`);
    assert.equal(pr.accepts[0].amount, '5');
    const [name, value] = pay(pr, evm, EVM_POLICY, {});
    const r = await fetch(`${s.url}/paid`, { headers: { [name]: value } });
    assert.equal(await r.text(), 'paid');
    assert.equal(nexts, 1);
    assert.equal((await get(`${w.url}/w`)).status, 402);
    assert.equal((await get(`${w.url}/other`)).body, 'ok');
  } finally {
    await close(s);
    await close(w);
  }
});

test('bad configurations throw X402MiddlewareConfigError', () => {
  const bad = [
    undefined,
    { routes: ROUTES },
    { routes: ROUTES, mode: 'facilitator' },
    { routes: ROUTES, mode: 'proxy' },
    { routes: {}, mode: 'local' },
    { routes: { 'GET paid': { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$1' } }, mode: 'local' },
    { routes: { '/p': { network: BASE_SEPOLIA, payTo: PAY_TO } }, mode: 'local' },
    { routes: { '/p': { network: BASE_SEPOLIA, payTo: PAY_TO, price: '$1', amount: '1' } }, mode: 'local' },
    { routes: { '/p': [] }, mode: 'local' },
    { routes: ROUTES, mode: 'local', timeoutMs: 0 },
  ];
  for (const options of bad) assert.throws(() => x.x402Middleware(options), x.X402MiddlewareConfigError);
});
