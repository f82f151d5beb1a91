'use strict';
// test-vectors/settle.json through the Node addon (the same file runs in Swift and Python),
// and bad input through the addon: wrong JS types, malformed bytes, closed accounts.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const x = require('..');

const { settle } = x;
const V = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test-vectors', 'settle.json'), 'utf8'));
const b = (h) => (h === null || h === undefined ? null : Buffer.from(h.slice(2), 'hex'));
const item = (j) => (typeof j === 'string' ? b(j) : j.map(item));

function throwsCode(fn, code, what) {
  assert.throws(fn, (e) => e.code === code, what);
}

test('RLP vectors', () => {
  for (const c of V.rlp.valid) {
    assert.deepStrictEqual(settle.rlpEncode(c.item), b(c.encoded));
    assert.deepStrictEqual(settle.rlpDecode(b(c.encoded)), item(c.item));
  }
  for (const c of V.rlp.invalid) throwsCode(() => settle.rlpDecode(b(c.encoded)), c.error, c.what);
  // integers are their minimal big-endian bytes: [1024, 0, "dog"] = c8 820400 80 83646f67
  assert.deepStrictEqual(settle.rlpEncode([1024n, 0, Buffer.from('dog')]), Buffer.from('c88204008083646f67', 'hex'));
});

test('EIP-1559 vectors', () => {
  for (const c of V.evmTransactions.valid) {
    const acct = x.EvmAccount.fromKey(c.key);
    const s = settle.signTransaction(c.tx, acct);
    assert.deepStrictEqual(s.raw, b(c.raw));
    assert.strictEqual(s.hash, c.hash);
    assert.strictEqual(s.from, c.from);
    const back = settle.decodeTransaction(b(c.raw));
    assert.strictEqual(back.from, c.from);
    assert.strictEqual(back.fields.nonce, String(c.tx.nonce));
    acct.close();
    throwsCode(() => settle.signTransaction(c.tx, acct), 'X402S_ERR_INVALID_KEY', 'closed account');
  }
  const acct = x.EvmAccount.fromKey(V.evmTransactions.valid[0].key);
  for (const c of V.evmTransactions.invalidSign) throwsCode(() => settle.signTransaction(c.tx, acct), c.error, c.what);
  for (const c of V.evmTransactions.invalidDecode) throwsCode(() => settle.decodeTransaction(b(c.raw)), c.error, c.what);
  // bigint fields are accepted
  const t = { ...V.evmTransactions.valid[1].tx, maxFeePerGas: 3000000000n };
  assert.deepStrictEqual(settle.signTransaction(t, acct).raw.length > 0, true);
  acct.close();
});

test('ABI, reverts and settle-call vectors', () => {
  for (const c of V.abiCalls.valid) assert.deepStrictEqual(settle.abiEncodeCall(c.signature, c.args), b(c.data), c.signature);
  for (const c of V.abiCalls.invalid) throwsCode(() => settle.abiEncodeCall(c.signature, c.args), c.error, c.what);
  for (const c of V.abiDecode.valid) assert.deepStrictEqual(settle.abiDecode(c.types, b(c.data)), c.values);
  for (const c of V.abiDecode.invalid) throwsCode(() => settle.abiDecode(c.types, b(c.data)), c.error, c.what);
  for (const c of V.reverts) assert.deepStrictEqual(settle.decodeRevert(b(c.data)), c.result);
  for (const c of V.settleCalls.valid) {
    const got = settle.settleCall(c.payment, c.requirements);
    for (const [k, v] of Object.entries(c.expected)) assert.strictEqual(got[k], v, `${c.name} ${k}`);
  }
  for (const c of V.settleCalls.invalid) throwsCode(() => settle.settleCall(c.payment, c.requirements), c.error, c.what);
});

test('Solana submission vectors', () => {
  const pair = (s) => (s ? x.SolanaKeypair.fromSeed(b(s)) : null);
  for (const c of V.solanaSubmission.valid) {
    const got = settle.solanaSubmission(b(c.transaction), pair(c.feePayerSeed), b(c.messageHash));
    for (const [k, v] of Object.entries(c.expected)) assert.strictEqual(got[k], v, k);
  }
  for (const c of V.solanaSubmission.invalid) {
    throwsCode(() => settle.solanaSubmission(b(c.transaction), pair(c.feePayerSeed), b(c.messageHash)), c.error, c.what);
  }
});

test('bad JavaScript input is a TypeError with a code, never a crash', () => {
  throwsCode(() => settle.rlpDecode('c0'), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.rlpDecode(null), 'X402S_ERR_NULL_ARGUMENT');
  throwsCode(() => settle.rlpEncode({}), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.rlpEncode(-1), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.signTransaction({}, {}), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.abiEncodeCall(1, []), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.abiDecode('(uint256)', 'zz'), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.solanaSubmission(Buffer.alloc(3), {}, null), 'X402S_ERR_INVALID_ARGUMENT');
  throwsCode(() => settle.solanaSubmission(Buffer.alloc(0), null, null), 'X402S_ERR_SOLANA_INVALID_TRANSACTION');
  const evm = x.EvmAccount.fromKey('0x' + '01'.repeat(32));
  // an EVM account is not a fee payer
  throwsCode(() => settle.solanaSubmission(b(V.solanaSubmission.valid[1].transaction), evm, null), 'X402S_ERR_INVALID_ARGUMENT');
  evm.close();
  throwsCode(() => settle.decodeTransaction(Buffer.alloc(x.MAX_DOCUMENT_BYTES + 1)), 'X402S_ERR_INPUT_TOO_LARGE');
});
