'use strict';
// Runner for test-vectors/settle.json (one vector per "kind") through lib/settle.js. Used by
// vectors.test.js.
const assert = require('node:assert/strict');
const x = require('../..');

const { settle } = x;
const b = (h) => (h === null || h === undefined ? null : Buffer.from(h.slice(2), 'hex'));
const item = (j) => (typeof j === 'string' ? b(j) : j.map(item));
const pair = (s) => (s ? x.SolanaKeypair.fromSeed(b(s)) : null);

function expectCode(code, fn) {
  assert.throws(fn, (e) => e.code === code || assert.fail(`${e.code} (${e.message}) instead of ${code}`));
}

function runSettle(v) {
  const { kind: k, input: i, expect: e } = v;
  switch (k) {
    case 'rlp':
      assert.deepEqual(settle.rlpEncode(i.item), b(e.encoded));
      assert.deepEqual(settle.rlpDecode(b(e.encoded)), item(i.item));
      return;
    case 'rlp_invalid':
      return expectCode(e.error, () => settle.rlpDecode(b(i.encoded)));
    case 'evm_tx':
    case 'evm_tx_sign_invalid': {
      const acct = x.EvmAccount.fromKey(i.key);
      try {
        if (k === 'evm_tx_sign_invalid') return expectCode(e.error, () => settle.signTransaction(i.tx, acct));
        const s = settle.signTransaction(i.tx, acct);
        assert.deepEqual(s.raw, b(e.raw));
        assert.equal(s.hash, e.hash);
        assert.equal(s.from, e.from);
        const back = settle.decodeTransaction(b(e.raw));
        assert.equal(back.from, e.from);
        assert.equal(back.fields.nonce, String(i.tx.nonce));
        return undefined;
      } finally {
        acct.close();
      }
    }
    case 'evm_tx_decode_invalid':
      return expectCode(e.error, () => settle.decodeTransaction(b(i.raw)));
    case 'abi_call':
      return assert.deepEqual(settle.abiEncodeCall(i.signature, i.args), b(e.data));
    case 'abi_call_invalid':
      return expectCode(e.error, () => settle.abiEncodeCall(i.signature, i.args));
    case 'abi_decode':
      return assert.deepEqual(settle.abiDecode(i.types, b(i.data)), e.values);
    case 'abi_decode_invalid':
      return expectCode(e.error, () => settle.abiDecode(i.types, b(i.data)));
    case 'revert':
      return assert.deepEqual(settle.decodeRevert(b(i.data)), e);
    case 'settle_call': {
      const got = settle.settleCall(i.payment, i.requirements);
      for (const [key, want] of Object.entries(e)) assert.equal(got[key], want, key);
      return undefined;
    }
    case 'settle_call_invalid':
      return expectCode(e.error, () => settle.settleCall(i.payment, i.requirements));
    case 'solana_submission': {
      const got = settle.solanaSubmission(b(i.transaction), pair(i.feePayerSeed), b(i.messageHash));
      for (const [key, want] of Object.entries(e)) assert.equal(got[key], want, key);
      return undefined;
    }
    case 'solana_submission_invalid':
      return expectCode(e.error, () => settle.solanaSubmission(b(i.transaction), pair(i.feePayerSeed), b(i.messageHash)));
    default:
      throw new Error(`unknown settle vector kind ${k}`);
  }
}

module.exports = { settle: runSettle };
