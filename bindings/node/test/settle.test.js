'use strict';
// lib/settle.js with bad input: wrong JS types, malformed bytes, closed accounts, oversize
// input (the vectors of test-vectors/settle.json run in vectors.test.js).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const x = require('..');

const { settle } = x;
const V = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test-vectors', 'settle.json'), 'utf8'));
const b = (h) => (h === null || h === undefined ? null : Buffer.from(h.slice(2), 'hex'));
const FULL = V.vectors.filter((v) => v.kind === 'solana_submission')[1].input.transaction;

function throwsCode(fn, code, what) {
  assert.throws(fn, (e) => e.code === code, what);
}

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
  throwsCode(() => settle.solanaSubmission(b(FULL), evm, null), 'X402S_ERR_INVALID_ARGUMENT');
  evm.close();
  throwsCode(() => settle.decodeTransaction(Buffer.alloc(x.MAX_DOCUMENT_BYTES + 1)), 'X402S_ERR_INPUT_TOO_LARGE');
  // a closed account cannot sign
  const acct = x.EvmAccount.fromKey('0x' + '02'.repeat(32));
  acct.close();
  throwsCode(() => settle.signTransaction({ chainId: 1, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 1, gas: 21000 }, acct),
    'X402S_ERR_INVALID_KEY');
  // integers are their minimal big-endian bytes: [1024, 0, "dog"] = c8 820400 80 83646f67
  assert.deepStrictEqual(settle.rlpEncode([1024n, 0, Buffer.from('dog')]), Buffer.from('c88204008083646f67', 'hex'));
});
