'use strict';
// Dispute evidence in Node: bad input through the binding (null, wrong types, malformed,
// oversize, invalid UTF-8) with the specific code, never a crash; records and verdicts
// against the shared vectors (test-vectors/evidence.json also runs in vectors.test.js).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const x = require('..');

const ev = x.evidence;
const VECTORS = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'test-vectors', 'evidence.json'), 'utf8'));
const vector = (name) => {
  const v = VECTORS.vectors.find((e) => e.name === name);
  assert.ok(v, name);
  return v;
};

function codeOf(fn) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, 'nothing was thrown');
  assert.equal(x.statusName(thrown.status), thrown.code, String(thrown));
  return thrown.code;
}

const MAKE = vector('record_make seq 1 (dec-1 verify)');
const RECORD = MAKE.expect.text;
const RECEIPT = vector('receipt_sign seq 1').expect.header;
const KEYSET = JSON.parse(vector('receipt_verify good (JWK Set)').input.public_keys);
const BUNDLE = vector('bundle_build dec-1 (verify + settle, a link between, trace attached)').expect.bundle;

test('makeRecord and parseRecord: bad input gives specific codes', () => {
  const decision = JSON.parse(MAKE.input.decision_json);
  const opts = { seq: 1, prev: MAKE.input.prev };
  assert.equal(ev.makeRecord(decision, opts).hash, MAKE.expect.hash);
  assert.equal(ev.makeRecord(Buffer.from(MAKE.input.decision_json), opts).text, RECORD);
  assert.equal(codeOf(() => ev.makeRecord(null, opts)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.makeRecord(decision)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.makeRecord(decision, { seq: -1 })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => ev.makeRecord(decision, { seq: 1.5 })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => ev.makeRecord(decision, { seq: 0, prev: MAKE.input.prev })), 'X402S_ERR_EVIDENCE_INVALID_RECORD');
  assert.equal(codeOf(() => ev.makeRecord({ ...decision, decisionId: 'a/b' }, opts)), 'X402S_ERR_EVIDENCE_INVALID_RECORD');
  assert.equal(codeOf(() => ev.makeRecord('{', opts)), 'X402S_ERR_INVALID_JSON');
  assert.equal(codeOf(() => ev.makeRecord({ ...decision, extra: { s: '\ud800' } }, opts)), 'X402S_ERR_INVALID_JSON');
  assert.equal(codeOf(() => ev.makeRecord({ ...decision, extra: { pad: 'x'.repeat(1 << 20) } }, opts)), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(codeOf(() => ev.parseRecord(null)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.parseRecord(12)), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(codeOf(() => ev.parseRecord(Buffer.from([0x7b, 0xff, 0x7d]))), 'X402S_ERR_INVALID_UTF8');
  assert.equal(codeOf(() => ev.parseRecord(RECORD + ' ')), 'X402S_ERR_EVIDENCE_NOT_CANONICAL');
  assert.equal(codeOf(() => ev.parseRecord('x'.repeat((1 << 20) + 1))), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(codeOf(() => ev.parseRecord('')), 'X402S_ERR_INVALID_JSON');
});

test('verifyReceipt: verdicts, keys in every form, bad input', () => {
  const pk = Buffer.from(KEYSET.keys[0].x, 'base64url');
  for (const keys of [KEYSET, JSON.stringify(KEYSET), KEYSET.keys, KEYSET.keys[0], pk, '0x' + pk.toString('hex'), KEYSET.keys[0].x]) {
    assert.equal(ev.verifyReceipt(RECEIPT, keys).isValid, true);
  }
  const rec = ev.parseRecord(RECORD);
  const got = ev.verifyReceipt(RECEIPT, KEYSET, { record: rec });
  assert.equal(got.isValid, true);
  assert.equal(got.receipt.record, rec.hash);
  const other = vector('record_make seq 3 (dec-1 settle)').expect.text;
  assert.deepEqual(ev.verifyReceipt(RECEIPT, KEYSET, { record: other }).reasons, ['receipt_record_mismatch']);
  assert.equal(codeOf(() => ev.verifyReceipt(null, KEYSET)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.verifyReceipt(RECEIPT, null)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.verifyReceipt(RECEIPT, { keys: [] })), 'X402S_ERR_EVIDENCE_INVALID_RECEIPT');
  assert.equal(codeOf(() => ev.verifyReceipt(RECEIPT, { ...KEYSET.keys[0], d: 'AA' })), 'X402S_ERR_EVIDENCE_INVALID_RECEIPT');
  assert.equal(codeOf(() => ev.verifyReceipt('rcpt.v1;m=e30', KEYSET)), 'X402S_ERR_EVIDENCE_INVALID_RECEIPT');
  assert.equal(codeOf(() => ev.verifyReceipt(RECEIPT + '=', KEYSET)), 'X402S_ERR_EVIDENCE_INVALID_RECEIPT');
  assert.equal(codeOf(() => ev.verifyReceipt('r'.repeat(5000), KEYSET)), 'X402S_ERR_RISK_HEADER_TOO_LONG');
  assert.equal(codeOf(() => ev.verifyReceipt(RECEIPT, KEYSET, { record: RECORD + '\n' })), 'X402S_ERR_EVIDENCE_NOT_CANONICAL');
});

test('verifyBundle: valid, pinned or not; tampering is a verdict; garbage is an error', () => {
  const pinned = ev.verifyBundle(BUNDLE, { publicKeys: KEYSET });
  assert.equal(pinned.isValid, true);
  assert.equal(pinned.keyPinned, true);
  assert.deepEqual(pinned.codes, []);
  assert.equal(pinned.records.length, 2);
  const unpinned = ev.verifyBundle(JSON.parse(BUNDLE));
  assert.equal(unpinned.isValid, true);
  assert.equal(unpinned.keyPinned, false);
  const b = JSON.parse(BUNDLE);
  b.segment[0].body.verdict = 'review';
  assert.deepEqual(ev.verifyBundle(b, { publicKeys: KEYSET }).codes,
    ['chain_link_broken', 'receipt_record_mismatch', 'manifest_mismatch']);
  assert.equal(codeOf(() => ev.verifyBundle(null)), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(codeOf(() => ev.verifyBundle('[]')), 'X402S_ERR_EVIDENCE_INVALID_BUNDLE');
  assert.equal(codeOf(() => ev.verifyBundle('{')), 'X402S_ERR_INVALID_JSON');
  assert.equal(codeOf(() => ev.verifyBundle(Buffer.from([0x7b, 0xff]))), 'X402S_ERR_INVALID_UTF8');
  assert.equal(codeOf(() => ev.verifyBundle(' '.repeat((32 << 20) + 1))), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(codeOf(() => ev.verifyBundle(BUNDLE, { publicKeys: 'not-a-key' })), 'X402S_ERR_EVIDENCE_INVALID_RECEIPT');
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(codeOf(() => ev.verifyBundle(cyclic)), 'X402S_ERR_INVALID_JSON');
});

test('the constants match the documented paths', () => {
  assert.equal(ev.RECEIPT_HEADER, 'X-Risk-Receipt');
  assert.equal(ev.RECEIPT_KEY_PATH, '/.well-known/x402-secure/receipt-key');
  assert.equal(ev.GENESIS_HASH, 'sha256:' + '0'.repeat(64));
  assert.equal(require('../lib/evidence'), ev);
});
