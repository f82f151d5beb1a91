'use strict';
// The risk layer in Node: bad input for every parser (a specific code, never a crash),
// verdicts of the mandate gate and evidence verification, evidence signing, the seller
// helpers and the AgentTrace builder.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const x = require('..');

const VECTORS = path.resolve(__dirname, '..', '..', '..', 'test-vectors');
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const SID = '925ca6ee-aa4b-4508-955b-10b1c02c69bb';
const TID = 'af88271b-e93d-4998-bc15-2f130d437262';
const AP2_OK = 'evd.v1;mr=m;ms=M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc;mt=application/json;sz=25';
const VI_OK = 'vi.v1;ref=r;sha256=sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881;mt=t;sz=1';

function vector(area, name) {
  const d = JSON.parse(fs.readFileSync(path.join(VECTORS, `${area}.json`), 'utf8'));
  const v = d.vectors.find((e) => e.name === name);
  assert.ok(v, name);
  return v;
}

function codeOf(fn) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'nothing was thrown');
  assert.equal(typeof thrown.status, 'number', String(thrown));
  assert.equal(x.statusName(thrown.status), thrown.code);
  assert.ok(thrown.message.length > 0);
  return thrown.code;
}

const BUILD = vector('risk_evidence', 'build v1 spec example (base-sepolia, Hardhat #0)');
const VERIFY = vector('risk_evidence', 'verify v1 valid');
const GOOD_EVIDENCE = BUILD.expect.header;

function evidenceWithMessage(message) {
  const sig = GOOD_EVIDENCE.split(';sig=')[1];
  return `pev.v1;alg=secp256k1;m=${Buffer.from(message).toString('base64url')};sig=${sig}`;
}

test('X-PAYMENT-SECURE: oversize, wrong version, bad traceparent, bad UTF-8', () => {
  const cases = [
    [`w3c.v1;tp=${TP};x=${'a'.repeat(5000)}`, 'X402S_ERR_RISK_HEADER_TOO_LONG'],
    [`w3c.v1;tp=${TP};x=${'a'.repeat(2 << 20)}`, 'X402S_ERR_RISK_HEADER_TOO_LONG'],
    [`w3c.v2;tp=${TP}`, 'X402S_ERR_RISK_INVALID_HEADER'],
    ['', 'X402S_ERR_RISK_INVALID_HEADER'],
    ['w3c.v1;tp', 'X402S_ERR_RISK_INVALID_HEADER'],
    ['w3c.v1;ts=abc', 'X402S_ERR_RISK_INVALID_HEADER'],
    [`w3c.v1;tp=${TP.replace('00-', '01-')}`, 'X402S_ERR_RISK_INVALID_TRACEPARENT'],
    [`w3c.v1;tp=${TP.toUpperCase()}`, 'X402S_ERR_RISK_INVALID_TRACEPARENT'],
    [Buffer.concat([Buffer.from(`w3c.v1;tp=${TP};ts=`), Buffer.from([0xff])]), 'X402S_ERR_INVALID_UTF8'],
    [`w3c.v1;tp=${TP};ts=\ud800`, 'X402S_ERR_INVALID_UTF8'],
  ];
  for (const [value, code] of cases) assert.equal(codeOf(() => x.parsePaymentSecureHeader(value)), code, String(value).slice(0, 40));
});

test('X-PAYMENT-SECURE ts: bad percent-encoding, bad base64, bad JSON', () => {
  const cases = [
    ['%4', 'X402S_ERR_RISK_INVALID_HEADER'],
    ['%zz', 'X402S_ERR_RISK_INVALID_HEADER'],
    ['eyJ0aWQiOiJ4In0', 'X402S_ERR_INVALID_BASE64'],
    ['rojo=00f067aa0ba902b7', 'X402S_ERR_INVALID_BASE64'],
    ['bm90IGpzb24%3D', 'X402S_ERR_INVALID_JSON'],
    ['eyJhIjoxLCJhIjoyfQ%3D%3D', 'X402S_ERR_INVALID_JSON'],
  ];
  for (const [ts, code] of cases) {
    const value = `w3c.v1;tp=${TP};ts=${ts}`;
    assert.equal(codeOf(() => x.paymentSecureContext(value)), code, ts);
    assert.equal(x.parsePaymentSecureHeader(value).tid, undefined);
  }
});

test('non-UUID ids are refused everywhere with X402S_ERR_RISK_INVALID_UUID', () => {
  for (const value of ['', 'abc', `${SID}0`, SID.replace('-4508-', '-3508-'), ` ${SID}`, '0'.repeat(32), 'x'.repeat(5000)]) {
    assert.equal(codeOf(() => x.normalizeRiskId(value)), 'X402S_ERR_RISK_INVALID_UUID', value.slice(0, 40));
    assert.equal(codeOf(() => x.parseRiskIds(value)), 'X402S_ERR_RISK_INVALID_UUID');
    assert.equal(codeOf(() => x.riskTraceRequest(value)), 'X402S_ERR_RISK_INVALID_UUID');
    assert.equal(codeOf(() => x.parseRiskTraceAnswer(JSON.stringify({ tid: value }))), 'X402S_ERR_RISK_INVALID_UUID');
    assert.equal(codeOf(() => x.parseRiskSessionAnswer(JSON.stringify({ sid: value }))), 'X402S_ERR_RISK_INVALID_UUID');
  }
  assert.equal(codeOf(() => x.parseRiskIds(null, TID)), 'X402S_ERR_RISK_INVALID_UUID');
  assert.deepEqual(x.parseRiskIds(SID.toUpperCase(), `{${TID}}`), { sid: SID, tid: TID });
});

test('X-AP2-EVIDENCE and X-VERIFIABLE-INTENT bad input', () => {
  const cases = [
    [x.parseAp2EvidenceHeader, `${AP2_OK};x=${'a'.repeat(2048)}`, 'X402S_ERR_RISK_HEADER_TOO_LONG'],
    [x.parseAp2EvidenceHeader, AP2_OK.replace('evd.v1', 'evd.v2'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [x.parseAp2EvidenceHeader, AP2_OK.replace(';sz=25', ''), 'X402S_ERR_RISK_INVALID_HEADER'],
    [x.parseAp2EvidenceHeader, AP2_OK.replace('application/json', 'text/plain'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [x.parseVerifiableIntentHeader, `${VI_OK};x=${'a'.repeat(4096)}`, 'X402S_ERR_RISK_HEADER_TOO_LONG'],
    [x.parseVerifiableIntentHeader, VI_OK.replace('vi.v1', 'vi.v0'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [x.parseVerifiableIntentHeader, VI_OK.replace('sha256:2d', 'sha256:2D'), 'X402S_ERR_RISK_INVALID_HEADER'],
  ];
  for (const [fn, value, code] of cases) assert.equal(codeOf(() => fn(value)), code, value.slice(0, 50));
  assert.equal(x.ap2EvidenceMatches(AP2_OK, Buffer.from('{"type":"PaymentMandate"}')), true);
  assert.equal(x.ap2EvidenceMatches(AP2_OK, Buffer.from('{"type":"PaymentMandate"} ')), false);
  assert.equal(x.verifiableIntentMatches(VI_OK, 'x'), true);
  assert.equal(x.verifiableIntentMatches(VI_OK, Buffer.from('y')), false);
  const vi = x.buildVerifiableIntentHeader('r', { b: 1, a: [2] });
  assert.equal(x.verifiableIntentMatches(vi, { a: [2], b: 1 }), true);
  assert.equal(codeOf(() => x.buildAp2EvidenceHeader('a;b', Buffer.from('{}'))), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => x.buildAp2EvidenceHeader('m', { mandateSha256: 'abc', size: 1 })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => x.buildAp2EvidenceHeader('m', { mandateSha256: 'M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc', size: -1 })),
    'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(x.buildAp2EvidenceHeader('m', { mandateSha256: 'M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc', size: 2n ** 64n - 1n }),
    'evd.v1;mr=m;ms=M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc;mt=application/json;sz=18446744073709551615');
});

test('X-PAYMENT-EVIDENCE bad input through parse and verify', () => {
  const msg = JSON.parse(BUILD.expect.message_json);
  const cases = [
    [`${GOOD_EVIDENCE};x=${'a'.repeat(4096)}`, 'X402S_ERR_RISK_HEADER_TOO_LONG'],
    [GOOD_EVIDENCE.replace('pev.v1', 'pev.v2'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [GOOD_EVIDENCE.replace('alg=secp256k1', 'alg=rsa'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [GOOD_EVIDENCE.split(';sig=')[0], 'X402S_ERR_RISK_INVALID_HEADER'],
    [GOOD_EVIDENCE.replace(';m=', ';m=*'), 'X402S_ERR_INVALID_BASE64'],
    [evidenceWithMessage('not json'), 'X402S_ERR_INVALID_JSON'],
    [evidenceWithMessage('[]'), 'X402S_ERR_RISK_INVALID_HEADER'],
    [evidenceWithMessage(JSON.stringify({ ...msg, riskSessionId: 'nope' })), 'X402S_ERR_RISK_INVALID_UUID'],
    [evidenceWithMessage(JSON.stringify({ ...msg, amount: '01' })), 'X402S_ERR_INVALID_NUMBER'],
  ];
  const i = VERIFY.input;
  for (const [value, code] of cases) {
    assert.equal(codeOf(() => x.parsePaymentEvidenceHeader(value)), code);
    assert.equal(codeOf(() => x.verifyPaymentEvidence(value, i.payment_header, i.requirement_json, {
      origin: i.origin, resource: i.resource, sessionId: i.sid, now: i.now,
    })), code);
  }
});

test('bad JSON for every JSON input', () => {
  const docs = [
    ['{', 'X402S_ERR_INVALID_JSON'],
    ['{"a":1,"a":2}', 'X402S_ERR_INVALID_JSON'],
    [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), 'X402S_ERR_INVALID_UTF8'],
    ['['.repeat(100) + ']'.repeat(100), 'X402S_ERR_JSON_TOO_DEEP'],
  ];
  for (const [doc, code] of docs) {
    assert.equal(codeOf(() => x.canonicalJson(doc)), code);
    assert.equal(codeOf(() => x.parseAgentTrace(doc)), code);
    assert.equal(codeOf(() => x.evaluateMandate(doc, '{}', null, { now: 0 })), code);
    assert.equal(codeOf(() => x.parseRiskSessionAnswer(doc)), code);
  }
  const big = Buffer.alloc(9 << 20, 0x20);
  assert.equal(codeOf(() => x.canonicalJson(big)), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(codeOf(() => x.canonicalJson({ a: 1n })), 'X402S_ERR_INVALID_JSON');
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(codeOf(() => x.canonicalJson(cyclic)), 'X402S_ERR_INVALID_JSON');
});

test('wrong JavaScript types throw TypeError with a code', () => {
  for (const [fn, code] of [
    [() => x.parsePaymentSecureHeader(null), 'X402S_ERR_NULL_ARGUMENT'],
    [() => x.normalizeRiskId(5), 'X402S_ERR_INVALID_ARGUMENT'],
    [() => x.ap2EvidenceMatches(AP2_OK, 'not bytes'), 'X402S_ERR_INVALID_ARGUMENT'],
    [() => x.riskSessionRequest(undefined), 'X402S_ERR_NULL_ARGUMENT'],
    [() => x.newTraceparent(null, {}), 'X402S_ERR_INVALID_ARGUMENT'],
    [() => x.canonicalJson(undefined), 'X402S_ERR_NULL_ARGUMENT'],
  ]) {
    let thrown = null;
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof TypeError, String(thrown));
    assert.equal(thrown.code, code);
  }
});

test('random mutations of valid headers never crash', () => {
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const seeds = [
    [x.parsePaymentSecureHeader, x.buildPaymentSecureHeader(null, { traceparent: TP, tid: TID })],
    [x.paymentSecureContext, x.buildPaymentSecureHeader(null, { traceparent: TP, tid: TID })],
    [x.parseAp2EvidenceHeader, AP2_OK],
    [x.parseVerifiableIntentHeader, VI_OK],
    [x.parsePaymentEvidenceHeader, GOOD_EVIDENCE],
    [x.normalizeRiskId, SID],
    [x.parseAgentTrace, '{"task":"t","parameters":{},"events":[{"type":"a","ts":1}]}'],
  ];
  const alphabet = Buffer.from(';=%-{}[]",:\x00 aZ09');
  for (const [fn, s] of seeds) {
    const base = Buffer.from(s);
    for (let k = 0; k < 300; k++) {
      const b = [...base];
      for (let m = 0; m < 1 + rnd(3); m++) {
        const pos = rnd(b.length + 1);
        const op = rnd(3);
        if (op === 0 && b.length) b.splice(Math.min(pos, b.length - 1), 1);
        else if (op === 1) b.splice(pos, 0, alphabet[rnd(alphabet.length)]);
        else if (b.length) b[Math.min(pos, b.length - 1)] = rnd(256);
      }
      try {
        fn(Buffer.from(b));
      } catch (e) {
        assert.ok(e instanceof x.X402SError, String(e));
        assert.equal(x.statusName(e.status), e.code);
      }
    }
  }
});

test('mandate gate: verdicts are returned, not thrown', () => {
  for (const [name, action] of [
    ['deny 2: payTo not in the merchant allow-list', 'deny'],
    ['step_up 6: selection justified by a single low-trust source', 'step_up'],
    ['allow: everything within the mandate', 'allow'],
  ]) {
    const i = vector('risk_mandate', name).input;
    const d = x.evaluateMandate(JSON.parse(i.mandate_json), Buffer.from(i.requirement_json), i.trace_json, { now: i.now });
    assert.equal(d.action, action);
    assert.equal(d.allowed, action === 'allow');
  }
  assert.equal(codeOf(() => x.evaluateMandate('{"mandate_version":2}', '{}', null, { now: 0 })), 'X402S_ERR_RISK_INVALID_MANDATE');
});

test('evidence: Node signs with the account and assembles; other keys are refused', () => {
  const i = BUILD.input;
  const ev = x.PaymentEvidence.build(i.payment_header, i.requirement_json, {
    origin: i.origin, resource: i.resource, sessionId: i.sid, traceId: i.tid, agentTrace: i.agent_trace_json,
    validFor: 300, now: i.now,
  });
  const payer = x.EvmAccount.fromKey(i.key);
  assert.equal(ev.sign(payer), BUILD.expect.header);
  assert.equal(ev.assemble(payer.signTypedData(ev.typedData)), BUILD.expect.header);
  const other = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
  assert.equal(codeOf(() => ev.sign(other)), 'X402S_ERR_RISK_EVIDENCE_MISMATCH');
  const sol = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 1));
  assert.equal(codeOf(() => ev.sign(sol)), 'X402S_ERR_RISK_EVIDENCE_MISMATCH');
  assert.equal(codeOf(() => ev.assemble(Buffer.alloc(64))), 'X402S_ERR_INVALID_LENGTH');
  assert.equal(codeOf(() => ev.assemble(Buffer.alloc(65), 'rsa')), 'X402S_ERR_INVALID_ARGUMENT');
  payer.close();
  assert.equal(codeOf(() => ev.sign(payer)), 'X402S_ERR_INVALID_KEY');
  // big times travel exactly as BigInt
  const late = x.PaymentEvidence.build(i.payment_header, i.requirement_json, {
    origin: i.origin, resource: i.resource, sessionId: i.sid, validFor: 1, now: 2n ** 64n - 2n,
  });
  assert.equal(late.messageJson.includes('"validBefore":18446744073709551615'), true);
});

test('seller helpers: readRiskHeaders and verifyRequestEvidence', () => {
  const i = VERIFY.input;
  const headers = {
    'x-payment': i.payment_header,
    'X-Risk-Session': i.sid.toUpperCase(),
    'x-payment-secure': x.buildPaymentSecureHeader(null, { traceparent: TP, tid: i.tid }),
    'x-payment-evidence': i.header,
    'x-ap2-evidence': AP2_OK,
  };
  const r = x.readRiskHeaders(headers);
  assert.equal(r.sid, i.sid);
  assert.equal(r.tid, i.tid);
  assert.equal(r.paymentSecure.tp, TP);
  assert.equal(r.ap2Evidence.sz, 25);
  assert.equal(r.paymentEvidence.alg, 'secp256k1');
  assert.equal(r.verifiableIntent, null);
  const opts = { requirement: i.requirement_json, origin: i.origin, resource: i.resource, now: i.now,
    agentTraceDigest: Buffer.from(i.agent_trace_digest.slice(2), 'hex') };
  assert.deepEqual(x.verifyRequestEvidence(headers, opts), VERIFY.expect);
  assert.deepEqual(x.verifyRequestEvidence(new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), opts),
    VERIFY.expect);
  const wrongOrigin = x.verifyRequestEvidence(headers, { ...opts, origin: 'https://evil.example' });
  assert.deepEqual(wrongOrigin.reasons, ['evidence_origin_mismatch']);
  assert.deepEqual(x.verifyRequestEvidence({}, opts).reasons, ['evidence_missing', 'payment_missing', 'session_missing']);
  assert.equal(codeOf(() => x.readRiskHeaders({ 'x-risk-session': 'nope' })), 'X402S_ERR_RISK_INVALID_UUID');
  assert.equal(codeOf(() => x.readRiskHeaders({ 'x-payment-secure': 'w3c.v2' })), 'X402S_ERR_RISK_INVALID_HEADER');
  // the object form of verifyPaymentEvidence (used by lib/middleware.js)
  assert.deepEqual(x.verifyPaymentEvidence(i.header, {
    paymentHeader: i.payment_header, requirement: i.requirement_json, origin: i.origin, resource: i.resource,
    riskSessionId: i.sid, riskTraceId: i.tid, now: i.now,
  }), VERIFY.expect);
});

test('AgentTrace: collector order, frozen completedAt, clock defaults, options refused', () => {
  const t = new x.AgentTrace('task', { a: 1 });
  t.agentOutput('out', 'assistant', { ts: 3 });
  t.userInput('first', 'user', { ts: 1 });
  t.systemPrompt('sys', 'v1.0', { ts: 2 });
  assert.deepEqual(t.toDict().events.map((e) => e.type), ['system_prompt', 'user_input', 'agent_output']);
  t.eventOrder = 'recorded';
  assert.deepEqual(t.toDict().events.map((e) => e.type), ['agent_output', 'user_input', 'system_prompt']);
  const d = t.digest();
  assert.deepEqual(t.digest(), d);
  assert.deepEqual(x.parseAgentTrace(t.toJson()).digest, d);
  assert.deepEqual(x.canonicalSha256(t.toJson()), d);
  assert.ok(t.completedAt.endsWith('+00:00'));
  const ev = new x.AgentTrace('t').userInput('x');
  assert.ok(Math.abs(ev.ts - Date.now() / 1000) < 60);
  assert.equal(codeOf(() => new x.AgentTrace('t', {}, { eventOrder: 'x' })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => new x.AgentTrace('t').custom('m', { ts: 1 })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => new x.AgentTrace('t').toolCall('n', {})), 'X402S_ERR_RISK_INVALID_TRACE');
  assert.equal(codeOf(() => x.newTraceparent(null, 256)), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => x.newTraceparent(null, null, { random: Buffer.alloc(10, 1) })), 'X402S_ERR_RANDOMNESS_FAILED');
  const tp = x.newTraceparent();
  const child = x.newTraceparent(tp, '03');
  assert.equal(child.split('-')[1], tp.split('-')[1]);
  assert.equal(child.slice(-2), '03');
});

test('gateway bodies and answers', () => {
  assert.equal(x.isJsonContentType('application/json; charset=utf-8'), true);
  assert.equal(x.isJsonContentType('text/html'), false);
  assert.equal(x.isJsonContentType(null), false);
  assert.equal(codeOf(() => x.parseRiskTraceAnswer(`{"tid":"${TID}"}`, { contentType: 'text/html' })), 'X402S_ERR_INVALID_JSON');
  assert.equal(x.parseRiskErrorAnswer('not json'), null);
  const body = x.riskSessionRequest('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', { device: { ua: 'oss-buyer' } });
  assert.equal(body, vector('risk_trace', 'session spec 3.1 example').expect.body);
  assert.equal(codeOf(() => x.riskSessionRequest('0x1234')), 'X402S_ERR_INVALID_ADDRESS');
});
