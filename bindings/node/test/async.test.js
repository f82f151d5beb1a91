'use strict';
// The asynchronous seller calls (src/x402s_node_async.c: verifyPaymentAsync,
// decodePaymentHeaderAsync, verifyPaymentEvidenceAsync on the libuv thread pool): the same
// bytes as the synchronous API on every shared vector, many promises at once, a replay guard
// closed (or dropped) while promises are pending, inputs copied at call time, and an event
// loop that keeps running while large inputs verify. Close racing calls in worker threads and
// under forced GC runs in a child process: lifetimes.test.js.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const x = require('..');
const native = require('../lib/internal').native; // the addon the package loaded

const VECTORS = path.join(__dirname, '..', '..', '..', 'test-vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8')).vectors;
const NOW = 1740672000;
const REQ = {
  scheme: 'exact', network: 'eip155:84532', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: '10000',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' },
};
const payer = x.EvmAccount.fromKey('0x' + '03'.repeat(32));
const nonce = (i) => '0x' + i.toString(16).padStart(64, '0');
const header = (i) => x.createPaymentHeader(REQ, payer, null, { now: NOW, nonce: nonce(i) })[1];

/** The outcome of a call: its result or its error (code, status, operation, message, class). */
function outcomeSync(fn) {
  try {
    return { ok: JSON.stringify(fn()) };
  } catch (e) {
    return { error: [e.constructor.name, e.code, e.status, e.operation, e.message] };
  }
}

async function outcomeAsync(fn) {
  let p;
  try {
    p = fn();
  } catch (e) {
    assert.fail(`the async call threw synchronously: ${e.code} ${e.message}`);
  }
  assert.ok(p instanceof Promise);
  try {
    return { ok: JSON.stringify(await p) };
  } catch (e) {
    return { error: [e.constructor.name, e.code, e.status, e.operation, e.message] };
  }
}

test('verifyPaymentAsync: byte-identical to verifyPayment on every x402_verify vector', async () => {
  const vectors = load('x402_verify.json');
  assert.ok(vectors.length > 50);
  for (const v of vectors) {
    const inp = v.input;
    const options = { ...(inp.options || {}) };
    const useGuard = !!options.replayGuard;
    delete options.replayGuard;
    const opts = Object.keys(options).length ? options : null;
    const g1 = useGuard ? new x.ReplayGuard() : null;
    const g2 = useGuard ? new x.ReplayGuard() : null;
    try {
      for (let i = 0; i < (inp.times || 1); i++) {
        const a = outcomeSync(() => x.verifyPayment(inp.header, inp.requirements, inp.now, opts, g1));
        const b = await outcomeAsync(() => x.verifyPaymentAsync(inp.header, inp.requirements, inp.now, opts, g2));
        assert.deepEqual(b, a, v.name);
        if (a.ok) {
          const r = await x.verifyPaymentAsync(inp.header, inp.requirements, inp.now, opts); // no guard: repeatable
          assert.equal(r.message, x.verifyPayment(inp.header, inp.requirements, inp.now, opts).message);
        }
      }
    } finally {
      if (g1) g1.close();
      if (g2) g2.close();
    }
  }
});

test('decodePaymentHeaderAsync and verifyPaymentEvidenceAsync: identical to the synchronous calls on the vectors', async () => {
  const headers = load('x402_verify.json').map((v) => v.input.header);
  for (const v of load('x402_header.json')) {
    if (v.expect.kind === 'payment') {
      headers.push(v.input.headerRepeat ? v.input.headerRepeat.text.repeat(v.input.headerRepeat.times) : v.input.header);
    }
  }
  headers.push('', 'not base64', Buffer.from('eyJ4NDAyVmVyc2lvbiI6MX0='), 42, null);
  for (const h of headers) {
    const a = outcomeSync(() => x.decodePaymentHeader(h));
    const b = await outcomeAsync(() => x.decodePaymentHeaderAsync(h));
    assert.deepEqual(b, a, String(h).slice(0, 40));
  }
  const opt = (value) => (value === undefined ? null : value);
  let n = 0;
  for (const v of load('risk_evidence.json')) {
    const i = v.input;
    if (i.op !== 'evidence_verify') continue;
    n++;
    const args = [i.header, i.payment_header, i.requirement_json, {
      origin: i.origin, resource: i.resource, sessionId: i.sid, traceId: opt(i.tid),
      agentTraceDigest: i.agent_trace_digest === undefined ? null : Buffer.from(i.agent_trace_digest.slice(2), 'hex'),
      payer: opt(i.payer), now: i.now,
    }];
    const a = outcomeSync(() => x.verifyPaymentEvidence(...args));
    const b = await outcomeAsync(() => x.verifyPaymentEvidenceAsync(...args));
    assert.deepEqual(b, a, v.name);
    assert.deepEqual(JSON.parse(b.ok), { isValid: v.expect.isValid, reasons: v.expect.reasons, signer: v.expect.signer });
  }
  assert.ok(n >= 20);
  // malformed evidence: the same error, as a rejection
  const bad = ['pev.v1;garbage', REQ];
  assert.deepEqual(await outcomeAsync(() => x.verifyPaymentEvidenceAsync(bad[0], header(1), REQ, { origin: 'o', resource: 'r', sessionId: 's' })),
    outcomeSync(() => x.verifyPaymentEvidence(bad[0], header(1), REQ, { origin: 'o', resource: 'r', sessionId: 's' })));
  const missing = await x.verifyRequestEvidenceAsync({}, { requirement: REQ, origin: 'o', resource: 'r' });
  assert.deepEqual(missing, x.verifyRequestEvidence({}, { requirement: REQ, origin: 'o', resource: 'r' }));
});

test('async calls: bad arguments reject (never throw) with the synchronous errors', async () => {
  const cases = [
    [() => x.verifyPayment(null, REQ, NOW), () => x.verifyPaymentAsync(null, REQ, NOW)],
    [() => x.verifyPayment(header(1), 5, NOW), () => x.verifyPaymentAsync(header(1), 5, NOW)],
    [() => x.verifyPayment(header(1), REQ, -1), () => x.verifyPaymentAsync(header(1), REQ, -1)],
    [() => x.verifyPayment(header(1), REQ, 'now'), () => x.verifyPaymentAsync(header(1), REQ, 'now')],
    [() => x.verifyPayment(header(1), REQ, NOW, null, {}), () => x.verifyPaymentAsync(header(1), REQ, NOW, null, {})],
    [() => x.verifyPayment('\ud800', REQ, NOW), () => x.verifyPaymentAsync('\ud800', REQ, NOW)],
    [() => x.verifyPayment(header(1), '{', NOW), () => x.verifyPaymentAsync(header(1), '{', NOW)],
    [() => x.verifyPayment('x'.repeat(70000), REQ, NOW), () => x.verifyPaymentAsync('x'.repeat(70000), REQ, NOW)],
    [() => x.decodePaymentHeader(undefined), () => x.decodePaymentHeaderAsync(undefined)],
    [() => x.verifyPaymentEvidence('h', header(1), REQ, null), () => x.verifyPaymentEvidenceAsync('h', header(1), REQ, null)],
  ];
  for (const [sync, async] of cases) {
    const a = outcomeSync(sync);
    assert.ok(a.error, 'the synchronous call must fail');
    assert.deepEqual(await outcomeAsync(async), a);
  }
  // the addon functions themselves type-check too (a TypeError, thrown at the call)
  assert.throws(() => native.x402VerifyAsync(1, 'r', 0, null, null), { code: 'X402S_ERR_INVALID_ARGUMENT' });
  assert.throws(() => native.x402VerifyAsync('h', 'r', 0, null, 5), { code: 'X402S_ERR_INVALID_ARGUMENT' });
  assert.throws(() => native.riskEvidenceVerifyAsync('h', {}, null), { code: 'X402S_ERR_INVALID_ARGUMENT' });
  assert.throws(() => native.x402DecodePaymentAsync(), { code: 'X402S_ERR_NULL_ARGUMENT' });
});

test('inputs are copied when the call is made: changing them afterwards changes nothing', async () => {
  const h = Buffer.from(header(7));
  const req = Buffer.from(JSON.stringify(REQ));
  const guard = new x.ReplayGuard();
  const p = x.verifyPaymentAsync(h, req, NOW, null, guard);
  h.fill(0x41);
  req.fill(0x20);
  const r = await p;
  assert.equal(r.isValid, true);
  assert.equal(r.payer, payer.address);
  const d = Buffer.from(header(8));
  const q = x.decodePaymentHeaderAsync(d);
  d.fill(0);
  assert.equal((await q).payload.authorization.nonce, nonce(8));
  guard.close();
});

test('many concurrent promises on one guard: every payment accepted exactly once', async () => {
  const guard = new x.ReplayGuard();
  const values = Array.from({ length: 64 }, (_, i) => header(1000 + i));
  // each payment 4 times, interleaved, all in flight at once
  const all = [];
  for (let k = 0; k < 4; k++) for (const v of values) all.push(x.verifyPaymentAsync(v, REQ, NOW, null, guard));
  assert.equal(native.replayGuardPending(guard[Object.getOwnPropertySymbols(guard)[0]]), all.length);
  const results = await Promise.all(all);
  const valid = new Map();
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r.isValid) valid.set(i % values.length, (valid.get(i % values.length) || 0) + 1);
    else assert.equal(r.invalidReason, 'duplicate_payment');
  }
  assert.equal(valid.size, values.length);
  assert.ok([...valid.values()].every((c) => c === 1));
  assert.equal(native.replayGuardPending(guard[Object.getOwnPropertySymbols(guard)[0]]), 0);
  guard.close();
});

test('close() while promises are pending: they complete normally; later calls reject HANDLE_CLOSED', async () => {
  for (let round = 0; round < 20; round++) {
    const guard = new x.ReplayGuard();
    const ext = guard[Object.getOwnPropertySymbols(guard)[0]];
    const values = Array.from({ length: 16 }, (_, i) => header(round * 100 + i));
    const pending = values.map((v) => x.verifyPaymentAsync(v, REQ, NOW, null, guard));
    pending.push(...values.slice(0, 4).map((v) => x.verifyPaymentAsync(v, REQ, NOW, { replayGuard: guard })));
    if (round % 2) await new Promise(setImmediate); // sometimes let some complete first
    guard.close();
    assert.equal(guard.closed, true);
    await assert.rejects(x.verifyPaymentAsync(values[0], REQ, NOW, null, guard), { code: 'X402S_ERR_HANDLE_CLOSED' });
    assert.throws(() => x.verifyPayment(values[0], REQ, NOW, null, guard), { code: 'X402S_ERR_HANDLE_CLOSED' });
    assert.throws(() => native.x402VerifyAsync(values[0], JSON.stringify(REQ), NOW, null, ext), { code: 'X402S_ERR_HANDLE_CLOSED' });
    const results = await Promise.all(pending);
    // the guard was alive for all of them: the 16 payments valid once, the 4 repeats duplicates
    assert.equal(results.filter((r) => r.isValid).length, 16);
    assert.ok(results.filter((r) => !r.isValid).every((r) => r.invalidReason === 'duplicate_payment'));
    assert.equal(native.replayGuardPending(ext), 0);
    guard.close(); // idempotent
  }
});

/** CPU time (ns) the calling thread has run: Linux /proc/thread-self/schedstat, or null. */
function threadCpuNs() {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch (_) {
    return null;
  }
}

test('the event loop keeps running while large inputs verify on the pool', async (t) => {
  // Requirement documents of ~550 KB of JSON structure (an output schema of 8,000 fields; the
  // verification parses all of it, then checks the signature), as Buffers: the call copies
  // them (a memcpy) on the event loop, and parses and verifies them on the pool. 16 requests
  // in flight.
  const schema = Array.from({ length: 8000 }, (_, i) => ({ name: `field${i}`, type: 'string', required: i % 2 === 0, enum: [1, 2, 3] }));
  const big = Buffer.from(JSON.stringify({ ...REQ, extra: { ...REQ.extra, outputSchema: schema } }));
  const values = Array.from({ length: 8 }, (_, i) => header(5000 + i));
  assert.equal(x.verifyPayment(values[0], big, NOW).isValid, true);
  const count = 48;
  const c1 = threadCpuNs();
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) x.verifyPayment(values[i % values.length], big, NOW);
  const syncWall = Number(process.hrtime.bigint() - t1) / 1e6;
  const syncCpu = c1 === null ? null : (threadCpuNs() - c1) / 1e6;

  async function run() {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const i = next++;
        const r = await x.verifyPaymentAsync(values[i % values.length], big, NOW);
        assert.equal(r.isValid, true);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
  }
  await run(); // warm-up: the first copies page-fault the allocator's memory in
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 1);
  const c0 = threadCpuNs();
  const t0 = process.hrtime.bigint();
  await run();
  const asyncWall = Number(process.hrtime.bigint() - t0) / 1e6;
  const asyncCpu = c0 === null ? null : (threadCpuNs() - c0) / 1e6;
  clearInterval(timer);
  const f = (v) => (v === null ? '?' : v.toFixed(1));
  const message = `${count} verifications of ${(big.length / 1024).toFixed(0)} KB: sync ${f(syncWall)} ms wall / ${f(syncCpu)} ms event-loop CPU; ` +
    `async ${f(asyncWall)} ms wall / ${f(asyncCpu)} ms event-loop CPU, ${ticks} timer ticks meanwhile`;
  t.diagnostic(message);
  // The event loop's thread spends a small fraction of the synchronous CPU (copying inputs,
  // settling promises); CPU time, unlike wall time, does not depend on the machine's load.
  if (asyncCpu !== null) assert.ok(asyncCpu < syncCpu / 3, message);
  else assert.ok(asyncWall < syncWall * 4, message); // no per-thread CPU clock here
  assert.ok(ticks > 0, message);
});
