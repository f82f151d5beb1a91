'use strict';
// The Node x402 front doors (lib/x402.js) beyond the vector runners: the seller's 402 answer,
// header lookup, prepared signers, verify results, replay guards (close and GC), receipts,
// worker threads.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const x = require('..');

const NOW = 1740672000;
const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C';
const REQ = {
  scheme: 'exact', network: 'eip155:84532', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: '10000',
  payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' },
};
const OFFERS = [{ network: 'base-sepolia', payTo: PAY_TO, price: '$0.01' }];
const CREATE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test-vectors', 'x402_create.json'), 'utf8'));

function throwsCode(fn, code, Klass) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected ${code}`);
  assert.equal(thrown.code, code, `${thrown.code}: ${thrown.message}`);
  if (Klass) assert.ok(thrown instanceof Klass, thrown.constructor.name);
  return thrown;
}

test('paymentRequiredResponse: v2 header answer and v1 body answer, two call forms', () => {
  const v2 = x.paymentRequiredResponse(OFFERS, { resource: 'https://example.com/x' });
  assert.equal(v2.status, 402);
  assert.equal(v2.x402Version, 2);
  assert.equal(v2.headers['Cache-Control'], 'no-store');
  assert.equal(v2.headers['PAYMENT-REQUIRED'], v2.header);
  assert.equal(v2.body.toString(), '{}');
  assert.equal(v2.accepts[0].amount, '10000');
  assert.deepEqual(x.parsePaymentRequired(v2.headers, v2.body), v2.paymentRequired);
  const doc = x.paymentRequiredResponse({ offers: OFFERS, resource: { url: 'https://example.com/x' } });
  assert.equal(doc.header, v2.header);

  const v1 = x.paymentRequiredResponse(OFFERS, { resource: 'https://example.com/x', version: 1, error: 'pay' });
  assert.equal(v1.x402Version, 1);
  assert.ok(!('PAYMENT-REQUIRED' in v1.headers) && !('header' in v1));
  assert.deepEqual(JSON.parse(v1.body), v1.paymentRequired);
  assert.equal(v1.paymentRequired.error, 'pay');
  assert.deepEqual(x.parsePaymentRequired(null, v1.body), v1.paymentRequired);
  throwsCode(() => x.paymentRequiredResponse(OFFERS, { version: 1 }), 'X402S_ERR_X402_INVALID_REQUIREMENTS', x.X402SError);
  throwsCode(() => x.paymentRequiredResponse(OFFERS, { resource: 5 }), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.paymentRequiredResponse(OFFERS, 'x'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
});

test('parsePaymentRequired: case-insensitive lookup in objects, Maps and fetch Headers', () => {
  const a = x.paymentRequiredResponse(OFFERS, { resource: 'https://example.com/x' });
  const value = a.header;
  for (const h of [{ 'payment-required': value }, { 'Payment-Required': [value] }, new Map([['PAYMENT-REQUIRED', value]]),
    new Headers({ 'payment-required': value }), value]) {
    assert.deepEqual(x.parsePaymentRequired(h), a.paymentRequired);
  }
  throwsCode(() => x.parsePaymentRequired(), 'X402S_ERR_NULL_ARGUMENT', TypeError);
  throwsCode(() => x.parsePaymentRequired({}), 'X402S_ERR_NULL_ARGUMENT', TypeError);
  throwsCode(() => x.parsePaymentRequired({ 'payment-required': 5 }), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.parsePaymentRequired([1]), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.parsePaymentRequired(value.replace(/=+$/, '')), 'X402S_ERR_INVALID_BASE64', x.X402SError);
});

test('createPaymentHeader: official bytes from a 402 answer, its JSON text and its header value', () => {
  const v = CREATE.vectors[0];
  const acct = x.EvmAccount.fromKey(v.input.privateKey);
  const opts = { now: v.input.now, nonce: v.input.nonce };
  assert.deepEqual(x.createPaymentHeader(v.input.paymentRequired, acct, null, opts), [v.expect.headerName, v.expect.header]);
  assert.deepEqual(x.createPaymentHeader(JSON.stringify(v.input.paymentRequired), acct, null, opts)[1], v.expect.header);
  const header = Buffer.from(JSON.stringify(v.input.paymentRequired)).toString('base64');
  assert.deepEqual(x.createPaymentHeader(header, acct, null, opts)[1], v.expect.header);
  assert.deepEqual(x.createPaymentHeader(v.input.paymentRequired, acct, null, JSON.stringify(opts))[1], v.expect.header);
  const full = x.createPayment(v.input.paymentRequired, acct, null, opts);
  assert.equal(full.headerValue, v.expect.header);
  assert.deepEqual(x.decodePaymentHeader(full.headerValue), full.payment);
  assert.equal(x.signerAddress(acct), acct.address);
  acct.close();
  throwsCode(() => x.createPaymentHeader(v.input.paymentRequired, acct, null, opts), 'X402S_ERR_INVALID_KEY', x.X402SError);
  throwsCode(() => x.createPaymentHeader(REQ, {}), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.createPaymentHeader(REQ, null), 'X402S_ERR_NULL_ARGUMENT', TypeError);
});

test('createPaymentHeader: the prepared signer is shared and gives fresh nonces', () => {
  const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 7));
  const a = x.createPaymentHeader(REQ, acct, null, { now: NOW });
  const b = x.createPaymentHeader(REQ, acct, null, { now: NOW });
  assert.notEqual(a[1], b[1]);
  for (const [, h] of [a, b]) assert.equal(x.verifyPayment(h, REQ, NOW).payer, acct.address);
  const kp = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 1));
  assert.equal(x.signerAddress(kp), kp.address);
  throwsCode(() => x.createPaymentHeader(REQ, kp), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
  kp.close();
  acct.close();
});

test('verifyPayment: result, options, replay guard (options or 5th argument)', () => {
  const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
  const [, h] = x.createPaymentHeader(REQ, acct, null, { now: NOW, nonce: Buffer.alloc(32, 9) });
  const ok = x.verifyPayment(h, REQ, NOW);
  assert.equal(ok.isValid, true);
  assert.equal(ok.message, 'valid');
  assert.deepEqual(JSON.parse(JSON.stringify(ok)), { isValid: true, payer: acct.address });
  const late = x.verifyPayment(h, REQ, BigInt(NOW + 55));
  assert.equal(late.invalidReason, 'invalid_exact_evm_payload_authorization_valid_before');
  assert.ok(late.message.length > 0 && late.message === late.invalidMessage);
  const guard = new x.ReplayGuard(8);
  assert.equal(x.verifyPayment(h, REQ, NOW, { replayGuard: guard }).isValid, true);
  assert.equal(x.verifyPayment(h, REQ, NOW, null, guard).invalidReason, 'duplicate_payment');
  guard.close();
  guard.close();
  throwsCode(() => x.verifyPayment(h, REQ, NOW, { replayGuard: guard }), 'X402S_ERR_HANDLE_CLOSED', x.X402SError);
  throwsCode(() => x.verifyPayment(h, REQ, NOW, { replayGuard: {} }), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.verifyPayment(h, REQ, NOW, { facilitatorAddresses: 'x' }), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.verifyPayment(h, REQ, -1), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
  throwsCode(() => x.verifyPayment(h, REQ, '1'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.verifyPayment(h.slice(0, -4) + '-___', REQ, NOW), 'X402S_ERR_INVALID_BASE64', x.X402SError);
  acct.close();
});

test('ReplayGuard: garbage-collected guards and signers are released by their finalizers', async () => {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  for (let i = 0; i < 2000; i++) {
    const g = new x.ReplayGuard(4);
    if (i % 2) g.close();
  }
  for (let i = 0; i < 200; i++) {
    const a = x.EvmAccount.fromKey(Buffer.alloc(32, 3));
    x.createPaymentHeader(REQ, a, null, { now: NOW });
  }
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  assert.ok(true);
});

test('encode/decodeSettleResponse: compact and python-spaced', () => {
  const s = { success: true, transaction: '0x12', network: 'eip155:84532', payer: 'é' };
  const compact = x.encodeSettleResponse(s);
  assert.equal(Buffer.from(compact, 'base64').toString(), '{"success":true,"payer":"é","transaction":"0x12","network":"eip155:84532"}');
  const spaced = x.encodeSettleResponse(s, { pythonSpaced: true });
  assert.equal(x.encodeSettleResponse(s, 'pythonSpaced'), spaced);
  assert.equal(Buffer.from(spaced, 'base64').toString(), '{"success": true, "payer": "\\u00e9", "transaction": "0x12", "network": "eip155:84532"}');
  assert.deepEqual(x.decodeSettleResponse(spaced), x.decodeSettleResponse(compact));
  throwsCode(() => x.encodeSettleResponse(s, 'pretty'), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
});

test('networks, network, prices', () => {
  const t = x.networks();
  assert.ok(t.networks.length > 20);
  assert.deepEqual(x.network('base-sepolia'), x.network('eip155:84532'));
  assert.deepEqual(x.priceToAtomic('$0.01', 'base-sepolia').amount, '10000');
  assert.equal(x.priceToAtomicUnits('1.5', 6), '1500000');
  throwsCode(() => x.network('nope'), 'X402S_ERR_X402_UNKNOWN_NETWORK', x.X402SError);
  throwsCode(() => x.network('\ud800'), 'X402S_ERR_INVALID_UTF8', x.X402SError);
  throwsCode(() => x.priceToAtomicUnits('1', -1), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
});

test('the x402 functions work in a worker thread (per-environment state)', async () => {
  const code = `
    const x = require(${JSON.stringify(path.join(__dirname, '..'))});
    const { parentPort } = require('node:worker_threads');
    const REQ = ${JSON.stringify(REQ)};
    const a = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
    const [, h] = x.createPaymentHeader(REQ, a, null, { now: ${NOW} });
    let code = null;
    try { x.decodePaymentHeader('%%'); } catch (e) { code = e.code + ':' + (e instanceof x.X402SError); }
    parentPort.postMessage([x.verifyPayment(h, REQ, ${NOW}).isValid, code]);`;
  const w = new Worker(code, { eval: true });
  const [valid, code2] = await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.equal(valid, true);
  assert.equal(code2, 'X402S_ERR_INVALID_BASE64:true');
});
