'use strict';
// Runner for test-vectors/evidence.json through require('x402secure').evidence (the verifying
// side; receipt_sign and bundle_build vectors are checked by Node's own Ed25519 signer and by
// verifying the expected outputs). Spread into the RUNNERS table of vectors.test.js.

const assert = require('node:assert/strict');

const x = require('../..');

const ev = x.evidence;
const RECEIPT_DOMAIN = Buffer.from('x402-secure/decision-receipt/v1\n');

function expectError(code, fn) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected ${code}, nothing was thrown`);
  assert.equal(thrown.code, code, `got ${thrown.code} (${thrown.message}), expected ${code}`);
  assert.equal(x.statusName(thrown.status), code);
}

function b64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

function runEvidence(v) {
  const i = v.input;
  const exp = v.expect;
  switch (i.op) {
    case 'record_make': {
      const make = () => ev.makeRecord(i.decision_json, { seq: i.seq, prev: i.prev, chain: i.chain });
      if ('error' in exp) return expectError(exp.error, make);
      const r = make();
      assert.equal(r.text, exp.text);
      assert.equal(r.hash, exp.hash);
      assert.equal(r.bodyDigest, exp.bodyDigest);
      assert.deepEqual(ev.parseRecord(r.text), r);
      if (v.intermediate && v.intermediate.link) {
        const link = ev.parseRecord(v.intermediate.link);
        assert.equal(link.hash, r.hash);
        assert.equal(link.isLink, true);
      }
      return undefined;
    }
    case 'record_parse': {
      if ('error' in exp) return expectError(exp.error, () => ev.parseRecord(i.text));
      const r = ev.parseRecord(Buffer.from(i.text));
      assert.deepEqual([r.hash, r.seq, r.prev, r.isLink, r.decisionId],
        [exp.hash, exp.seq, exp.prev, exp.isLink, exp.decisionId]);
      return undefined;
    }
    case 'receipt_sign': {
      const kp = x.SolanaKeypair.fromSeed(Buffer.from(i.seed.slice(2), 'hex'));
      const jwk = JSON.parse(exp.jwk || '{}');
      if ('error' in exp) {
        // the refused input is a link: Node sees it as one
        assert.equal(ev.parseRecord(i.record).isLink, true);
        return undefined;
      }
      // Node's own Ed25519 signer over the documented bytes gives the same header.
      const m = Buffer.from(v.intermediate.receipt, 'utf8');
      const sig = kp.sign(Buffer.concat([RECEIPT_DOMAIN, m]));
      assert.equal(`rcpt.v1;m=${b64url(m)};sig=${b64url(sig)}`, exp.header);
      assert.equal(jwk.x, b64url(kp.publicKey));
      const got = ev.verifyReceipt(exp.header, { keys: [jwk] }, { record: i.record });
      assert.equal(got.isValid, true);
      assert.equal(got.keyId, exp.kid);
      assert.deepEqual(got.receipt, JSON.parse(v.intermediate.receipt));
      assert.equal(ev.verifyReceipt(exp.header, kp.publicKey).isValid, true);
      return undefined;
    }
    case 'receipt_verify': {
      const run = () => ev.verifyReceipt(i.header, i.public_keys, { record: i.record });
      if ('error' in exp) return expectError(exp.error, run);
      const got = run();
      assert.equal(got.isValid, exp.isValid);
      assert.deepEqual(got.reasons, exp.reasons);
      assert.equal(got.keyId, exp.keyId);
      return undefined;
    }
    case 'bundle_build': {
      if ('error' in exp) {
        // Building is the proxy's (Python); Node checks that a bad record set is refused as records.
        if (exp.error === 'X402S_ERR_EVIDENCE_NOT_CANONICAL') expectError(exp.error, () => ev.parseRecord(i.records[0]));
        return undefined;
      }
      const got = ev.verifyBundle(exp.bundle);
      assert.equal(got.isValid, true, JSON.stringify(got.reasons));
      assert.equal(got.decisionId, i.decision_id);
      return undefined;
    }
    case 'bundle_verify': {
      const opts = 'public_keys' in i ? { publicKeys: i.public_keys } : {};
      const run = () => ev.verifyBundle(i.bundle, opts);
      if ('error' in exp) return expectError(exp.error, run);
      const got = run();
      assert.equal(got.isValid, exp.isValid);
      assert.deepEqual(got.codes, exp.codes, JSON.stringify(got.reasons));
      assert.deepEqual(got.reasons.map((r) => r.at), exp.at);
      assert.equal(got.keyPinned, exp.keyPinned);
      if ('records' in exp) assert.deepEqual(got.records, exp.records);
      assert.deepEqual(ev.verifyBundle(JSON.parse(i.bundle), opts).codes, got.codes);
      return undefined;
    }
    default:
      throw new Error(`unknown evidence op ${i.op}`);
  }
}

module.exports = { evidence: runEvidence };
