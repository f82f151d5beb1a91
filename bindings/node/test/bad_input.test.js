'use strict';
// Bad input through every public function: a specific `code`, never a crash.

const test = require('node:test');
const assert = require('node:assert/strict');

const x = require('..');

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const KEY = Buffer.alloc(32, 1);
const DIGEST = Buffer.from([...Array(32).keys()]);
const SEED = Buffer.from([...Array(32).keys()].map((i) => i + 32));

const MAIL = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
};

function big32(n) {
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
}

function throwsCode(fn, code, Klass) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected ${code}, nothing thrown`);
  assert.equal(thrown.code, code, `got ${thrown.code}: ${thrown.message}`);
  if (Klass) assert.ok(thrown instanceof Klass, `expected ${Klass.name}, got ${thrown.constructor.name}`);
  assert.equal(typeof thrown.status, 'number');
  assert.equal(typeof thrown.operation, 'string');
  assert.match(thrown.operation, /^x402s_/);
  return thrown;
}

const acct = x.EvmAccount.fromKey(KEY);
const kp = x.SolanaKeypair.fromSeed(SEED);

const CALLS = {
  keccak256: (v) => x.keccak256(v),
  sha256: (v) => x.sha256(v),
  hexEncode: (v) => x.hexEncode(v),
  hexDecode: (v) => x.hexDecode(v),
  b64encode: (v) => x.b64encode(v),
  b64decode: (v) => x.b64decode(v),
  b58encode: (v) => x.b58encode(v),
  b58decode: (v) => x.b58decode(v),
  eip712Hash: (v) => x.eip712Hash(v),
  eip712Hashes: (v) => x.eip712Hashes(v),
  eip191Hash: (v) => x.eip191Hash(v),
  'EvmAccount.fromKey': (v) => x.EvmAccount.fromKey(v),
  signDigest: (v) => acct.signDigest(v),
  signTypedData: (v) => acct.signTypedData(v),
  'recoverAddress.digest': (v) => x.recoverAddress(v, Buffer.alloc(65)),
  'recoverAddress.signature': (v) => x.recoverAddress(DIGEST, v),
  'recoverPublicKey.digest': (v) => x.recoverPublicKey(v, Buffer.alloc(65)),
  'recoverPublicKey.signature': (v) => x.recoverPublicKey(DIGEST, v),
  'secp256k1Verify.signature': (v) => x.secp256k1Verify(v, DIGEST, acct.publicKey),
  'secp256k1Verify.digest': (v) => x.secp256k1Verify(Buffer.alloc(64), v, acct.publicKey),
  'secp256k1Verify.publicKey': (v) => x.secp256k1Verify(Buffer.alloc(64), DIGEST, v),
  checksumAddress: (v) => x.checksumAddress(v),
  'SolanaKeypair.fromSeed': (v) => x.SolanaKeypair.fromSeed(v),
  sign: (v) => kp.sign(v),
  'ed25519Verify.signature': (v) => x.ed25519Verify(v, Buffer.from('m'), kp.publicKey),
  'ed25519Verify.message': (v) => x.ed25519Verify(Buffer.alloc(64), v, kp.publicKey),
  'ed25519Verify.publicKey': (v) => x.ed25519Verify(Buffer.alloc(64), Buffer.from('m'), v),
};

// Functions that take text also accept strings (and typed data also objects).
const TEXT_OK = new Set(['hexDecode', 'b64decode', 'b58decode', 'eip712Hash', 'eip712Hashes', 'eip191Hash',
  'EvmAccount.fromKey', 'signTypedData', 'checksumAddress']);
const OBJECT_OK = new Set(['eip712Hash', 'eip712Hashes', 'signTypedData']);

test('null and undefined -> TypeError X402S_ERR_NULL_ARGUMENT', () => {
  for (const [name, fn] of Object.entries(CALLS)) {
    for (const v of [null, undefined]) {
      const e = throwsCode(() => fn(v), 'X402S_ERR_NULL_ARGUMENT', TypeError);
      assert.equal(e.status, 1, name);
    }
  }
});

test('wrong types -> TypeError X402S_ERR_INVALID_ARGUMENT', () => {
  for (const [name, fn] of Object.entries(CALLS)) {
    const bads = [123, 1.5, true, Symbol('s'), 10n, () => 1, new Uint16Array(32), new ArrayBuffer(32), new DataView(new ArrayBuffer(32))];
    if (!OBJECT_OK.has(name)) bads.push([1, 2], {}, { length: 32 });
    if (!TEXT_OK.has(name)) bads.push('00'.repeat(32));
    for (const v of bads) {
      throwsCode(() => fn(v), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
    }
  }
});

test('lone surrogates -> X402S_ERR_INVALID_UTF8', () => {
  for (const fn of [x.hexDecode, x.b64decode, x.b58decode, x.eip712Hash, x.eip191Hash, x.checksumAddress, (v) => acct.signTypedData(v)]) {
    throwsCode(() => fn('0x\ud800'), 'X402S_ERR_INVALID_UTF8', x.X402SError);
  }
  // inside an object, JSON.stringify escapes it and the core rejects the escape (same code as Python)
  throwsCode(() => acct.signTypedData({ types: {}, message: { a: '\udc00' } }), 'X402S_ERR_INVALID_JSON', x.X402SError);
});

test('invalid UTF-8 bytes', () => {
  for (const fn of [x.eip712Hash, (v) => acct.signTypedData(v)]) {
    throwsCode(() => fn(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 'X402S_ERR_INVALID_UTF8', x.X402SError);
  }
});

test('key and seed lengths -> X402S_ERR_INVALID_LENGTH', () => {
  for (const n of [0, 31, 33, 64]) {
    throwsCode(() => x.EvmAccount.fromKey(Buffer.alloc(n, 1)), 'X402S_ERR_INVALID_LENGTH', x.X402SError);
    throwsCode(() => x.EvmAccount.fromKey('0x' + '01'.repeat(n)), 'X402S_ERR_INVALID_LENGTH', x.X402SError);
    throwsCode(() => x.SolanaKeypair.fromSeed(Buffer.alloc(n, 1)), 'X402S_ERR_INVALID_LENGTH', x.X402SError);
  }
});

test('invalid keys (zero, n, n+1, max) -> X402S_ERR_INVALID_KEY', () => {
  for (const k of [0n, N, N + 1n, (1n << 256n) - 1n]) {
    const key = big32(k);
    for (const form of [key, new Uint8Array(key), '0x' + key.toString('hex'), key.toString('hex')]) {
      const e = throwsCode(() => x.EvmAccount.fromKey(form), 'X402S_ERR_INVALID_KEY', x.X402SError);
      assert.ok(!e.message.includes(key.toString('hex')));
    }
  }
  x.EvmAccount.fromKey(big32(N - 1n)).close();
});

test('digest and signature lengths', () => {
  const sig = acct.signDigest(DIGEST);
  for (const n of [0, 31, 33]) {
    throwsCode(() => acct.signDigest(Buffer.alloc(n, 1)), 'X402S_ERR_INVALID_LENGTH');
    throwsCode(() => x.recoverAddress(Buffer.alloc(n, 1), sig), 'X402S_ERR_INVALID_LENGTH');
    throwsCode(() => x.secp256k1Verify(sig, Buffer.alloc(n, 1), acct.publicKey), 'X402S_ERR_INVALID_LENGTH');
  }
  for (const n of [0, 63, 64, 66]) {
    throwsCode(() => x.recoverAddress(DIGEST, Buffer.alloc(n, 1)), 'X402S_ERR_INVALID_SIGNATURE');
  }
  for (const n of [0, 63, 65]) {
    throwsCode(() => x.ed25519Verify(Buffer.alloc(n, 1), Buffer.from('m'), kp.publicKey), 'X402S_ERR_INVALID_SIGNATURE');
  }
  for (const n of [0, 31, 33]) {
    throwsCode(() => x.ed25519Verify(Buffer.alloc(64), Buffer.from('m'), Buffer.alloc(n, 1)), 'X402S_ERR_INVALID_LENGTH');
  }
});

test('bad signatures and public keys', () => {
  const sig = acct.signDigest(DIGEST);
  const s = BigInt('0x' + sig.subarray(32, 64).toString('hex'));
  const high = Buffer.concat([sig.subarray(0, 32), big32(N - s), Buffer.from([55 - sig[64]])]); // v 27 <-> 28
  throwsCode(() => x.recoverAddress(DIGEST, high), 'X402S_ERR_NON_CANONICAL_SIGNATURE');
  throwsCode(() => x.secp256k1Verify(high.subarray(0, 64), DIGEST, acct.publicKey), 'X402S_ERR_NON_CANONICAL_SIGNATURE');
  for (const v of [2, 26, 29, 255]) {
    throwsCode(() => x.recoverPublicKey(DIGEST, Buffer.concat([sig.subarray(0, 64), Buffer.from([v])])), 'X402S_ERR_INVALID_SIGNATURE');
  }
  for (const pub of [Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]), acct.publicKey.subarray(0, 64)]) {
    throwsCode(() => x.secp256k1Verify(sig, DIGEST, pub), 'X402S_ERR_INVALID_PUBLIC_KEY');
  }
  assert.equal(x.secp256k1Verify(sig, Buffer.alloc(32), acct.publicKey), false);
  assert.equal(x.ed25519Verify(kp.sign(Buffer.from('m')), Buffer.from('n'), kp.publicKey), false);
});

test('bad addresses', () => {
  for (const bad of ['', '0x', '0x123', '0X' + 'ab'.repeat(20), '0x' + 'zz'.repeat(20), '0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed']) {
    throwsCode(() => x.checksumAddress(bad), 'X402S_ERR_INVALID_ADDRESS');
  }
});

test('malformed JSON -> X402S_ERR_INVALID_JSON', () => {
  for (const doc of ['{"types":', '', '[', '{"a":1,}', "{'a':1}", 'nul', '{"a":1} x', 'NaN']) {
    for (const fn of [x.eip712Hash, x.eip712Hashes, (v) => acct.signTypedData(v)]) {
      throwsCode(() => fn(doc), 'X402S_ERR_INVALID_JSON');
      throwsCode(() => fn(Buffer.from(doc)), 'X402S_ERR_INVALID_JSON');
    }
  }
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  throwsCode(() => x.eip712Hash(cyclic), 'X402S_ERR_INVALID_JSON');
  throwsCode(() => x.eip712Hash({ a: 1n }), 'X402S_ERR_INVALID_JSON');
});

test('10,000-deep nesting -> X402S_ERR_JSON_TOO_DEEP', () => {
  const depth = 10000;
  const arr = '['.repeat(depth) + ']'.repeat(depth);
  const obj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  let nested = {};
  const root = nested;
  for (let i = 0; i < depth; i++) {
    nested.a = {};
    nested = nested.a;
  }
  for (const fn of [x.eip712Hash, (v) => acct.signTypedData(v)]) {
    for (const form of [arr, obj, Buffer.from(obj), root]) {
      throwsCode(() => fn(form), 'X402S_ERR_JSON_TOO_DEEP');
    }
  }
});

test('10 MB document -> X402S_ERR_INPUT_TOO_LARGE', () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const text = '{"types":{},"message":{"a":"' + big + '"}}';
  for (const fn of [x.eip712Hash, x.eip712Hashes, (v) => acct.signTypedData(v)]) {
    for (const form of [text, Buffer.from(text), { types: {}, message: { a: big } }]) {
      throwsCode(() => fn(form), 'X402S_ERR_INPUT_TOO_LARGE');
    }
  }
  const bytes = Buffer.alloc(10 * 1024 * 1024, 0xab);
  assert.equal(x.keccak256(bytes).length, 32);
  assert.equal(x.sha256(bytes).length, 32);
  throwsCode(() => x.b58encode(bytes), 'X402S_ERR_INPUT_TOO_LARGE');
});

test('EIP-712 document errors', () => {
  assert.equal(x.eip712Hash(MAIL).length, 32);
  const cases = [
    [{}, 'X402S_ERR_EIP712_INVALID_DOCUMENT'],
    [{ ...MAIL, primaryType: 'Nope' }, 'X402S_ERR_EIP712_UNKNOWN_TYPE'],
    [{ ...MAIL, message: { from: MAIL.message.from, to: MAIL.message.to } }, 'X402S_ERR_EIP712_MISSING_FIELD'],
    [{ ...MAIL, domain: { ...MAIL.domain, chainId: -1 } }, 'X402S_ERR_EIP712_VALUE_OUT_OF_RANGE'],
    [{ ...MAIL, message: { ...MAIL.message, contents: { x: 1 } } }, 'X402S_ERR_EIP712_INVALID_VALUE'],
  ];
  for (const [doc, code] of cases) {
    throwsCode(() => x.eip712Hash(doc), code, x.X402SError);
    throwsCode(() => acct.signTypedData(doc), code, x.X402SError);
  }
});

test('closed keys', () => {
  const a = x.EvmAccount.fromKey(KEY);
  assert.equal(a.closed, false);
  a.close();
  a.close();
  assert.equal(a.closed, true);
  throwsCode(() => a.signDigest(DIGEST), 'X402S_ERR_INVALID_KEY', x.X402SError);
  throwsCode(() => a.signTypedData(MAIL), 'X402S_ERR_INVALID_KEY', x.X402SError);
  const k = x.SolanaKeypair.fromSeed(SEED);
  k.close();
  throwsCode(() => k.sign(Buffer.from('m')), 'X402S_ERR_INVALID_KEY', x.X402SError);
});

test('secrets are not exposed', () => {
  const util = require('node:util');
  for (const [obj, secret] of [[acct, KEY], [kp, SEED]]) {
    const hex = secret.toString('hex');
    for (const text of [util.inspect(obj, { showHidden: true, depth: 5 }), JSON.stringify(obj), String(obj)]) {
      assert.ok(!text.toLowerCase().includes(hex));
    }
    for (const key of Reflect.ownKeys(obj)) {
      const v = obj[key];
      assert.ok(!(v instanceof Uint8Array) || !Buffer.from(v).equals(secret));
    }
  }
  assert.throws(() => new x.EvmAccount(), TypeError);
  assert.throws(() => new x.SolanaKeypair(), TypeError);
});

test('the caller buffer is copied, not kept', () => {
  const key = Buffer.from(KEY);
  const a = x.EvmAccount.fromKey(key);
  key.fill(0);
  assert.equal(a.address, acct.address);
  assert.deepEqual(a.signDigest(DIGEST), acct.signDigest(DIGEST));
  a.close();
});

test('errors carry status names from the library', () => {
  const e = throwsCode(() => x.hexDecode('zz'), 'X402S_ERR_INVALID_HEX', x.X402SError);
  assert.equal(e.status, 11);
  assert.equal(e.operation, 'x402s_hex_decode');
  assert.equal(e.name, 'X402SError');
  assert.ok(e instanceof Error);
  assert.equal(x.statusName(20), 'X402S_ERR_INVALID_KEY');
  assert.equal(x.statusName(12345), null);
});

// ----------------------------------------------------------------------------- x402 protocol

const PAY_TO = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C';
const REQUEST = { offers: [{ network: 'eip155:84532', payTo: PAY_TO, price: '$0.01' }], resource: { url: 'https://api.example.com/x' } };
const answer = x.paymentRequiredResponse(REQUEST);
const required = x.parsePaymentRequired(answer.header);
const requirement = required.accepts[0];
const NOW = 1740672000;
const payHeader = x.createPayment(requirement, acct, null, { now: NOW, nonce: '0x' + '22'.repeat(32) }).headerValue;

test('x402: null and wrong types', () => {
  const calls = {
    networkLookup: (v) => x.networkLookup(v),
    'priceToAtomic.price': (v) => x.priceToAtomic(v, 'base'),
    'priceToAtomic.network': (v) => x.priceToAtomic('$1', v),
    paymentRequiredResponse: (v) => x.paymentRequiredResponse(v),
    selectRequirement: (v) => x.selectRequirement(v),
    'createPayment.request': (v) => x.createPayment(v, acct),
    'createPayment.signer': (v) => x.createPayment(requirement, v),
    decodePaymentHeader: (v) => x.decodePaymentHeader(v),
    'verifyPayment.header': (v) => x.verifyPayment(v, requirement, NOW),
    'verifyPayment.requirements': (v) => x.verifyPayment(payHeader, v, NOW),
    encodeSettleResponse: (v) => x.encodeSettleResponse(v),
    decodeSettleResponse: (v) => x.decodeSettleResponse(v),
  };
  for (const [name, fn] of Object.entries(calls)) {
    throwsCode(() => fn(null), 'X402S_ERR_NULL_ARGUMENT', TypeError);
    for (const bad of [123, 1.5, true, Symbol('s')]) {
      const e = throwsCode(() => fn(bad), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
      assert.ok(e, name);
    }
  }
  throwsCode(() => x.parsePaymentRequired(), 'X402S_ERR_NULL_ARGUMENT', TypeError);
  throwsCode(() => x.verifyPayment(payHeader, requirement, '1'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  for (const bad of [-1, 1.5, 2 ** 60, -1n, 1n << 64n]) {
    throwsCode(() => x.verifyPayment(payHeader, requirement, bad), 'X402S_ERR_INVALID_ARGUMENT');
  }
  assert.equal(x.verifyPayment(payHeader, requirement, BigInt(NOW)).isValid, true);
});

test('x402: malformed documents', () => {
  const fns = [x.paymentRequiredResponse, (v) => x.selectRequirement(v), (v) => x.createPayment(v, acct),
    (v) => x.verifyPayment(payHeader, v, NOW)];
  for (const fn of fns) {
    for (const doc of ['{', Buffer.from('[1,]'), '{"a":1,"a":2}']) throwsCode(() => fn(doc), 'X402S_ERR_INVALID_JSON');
    throwsCode(() => fn('['.repeat(10000) + ']'.repeat(10000)), 'X402S_ERR_JSON_TOO_DEEP');
    throwsCode(() => fn('{"a":"' + 'x'.repeat(10 * 1024 * 1024) + '"}'), 'X402S_ERR_INPUT_TOO_LARGE');
    throwsCode(() => fn(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), 'X402S_ERR_INVALID_UTF8');
  }
  throwsCode(() => x.paymentRequiredResponse({ offers: [{ network: 'eip155:84532', payTo: PAY_TO }], resource: { url: 'https://x' } }),
    'X402S_ERR_X402_INVALID_REQUIREMENTS', x.X402SError);
});

test('x402: bad headers', () => {
  const variants = [payHeader.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), ' ' + payHeader, payHeader + '\n', '', '{}'];
  for (const bad of variants) {
    if (bad === payHeader) continue;
    for (const fn of [() => x.decodePaymentHeader(bad), () => x.verifyPayment(bad, requirement, NOW)]) {
      let code = null;
      try { fn(); } catch (e) { code = e.code; }
      assert.ok(code === 'X402S_ERR_INVALID_BASE64' || code === 'X402S_ERR_INVALID_JSON', `${JSON.stringify(bad.slice(0, 10))}: ${code}`);
    }
  }
});

test('x402: signers and replay guards', () => {
  const closed = x.EvmAccount.fromKey(KEY);
  closed.close();
  throwsCode(() => x.createPayment(requirement, closed), 'X402S_ERR_INVALID_KEY', x.X402SError);
  throwsCode(() => x.createPayment(requirement, kp), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
  throwsCode(() => x.createPayment(requirement, KEY), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  assert.equal(x.verifyPayment(payHeader, requirement, NOW).isValid, true);
  const late = x.verifyPayment(payHeader, requirement, NOW + 1e6);
  assert.equal(late.isValid, false);
  assert.ok(late.invalidReason);
  const guard = new x.ReplayGuard(16);
  assert.equal(x.verifyPayment(payHeader, requirement, NOW, null, guard).isValid, true);
  assert.equal(x.verifyPayment(payHeader, requirement, NOW, null, guard).invalidReason, 'duplicate_payment');
  guard.close();
  guard.close();
  assert.equal(guard.closed, true);
  throwsCode(() => x.verifyPayment(payHeader, requirement, NOW, null, guard), 'X402S_ERR_HANDLE_CLOSED', x.X402SError);
  throwsCode(() => x.verifyPayment(payHeader, requirement, NOW, null, {}), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => new x.ReplayGuard('10'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => new x.ReplayGuard(-1), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
  throwsCode(() => x.encodeSettleResponse({ success: true }, 'pretty'), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
});

test('x402: selection without a match', () => {
  const req = { x402Version: 2, accepts: [{ scheme: 'exact', network: 'eip155:8453', asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
    amount: '5000000', payTo: PAY_TO, maxTimeoutSeconds: 60, extra: {} }] };
  throwsCode(() => x.selectRequirement(req), 'X402S_ERR_X402_NO_MATCHING_REQUIREMENT', x.X402SError);
  assert.equal(x.selectRequirementIndex(req, { maxPrice: '$10' }), 0);
});

test('Solana helpers: bad input', () => {
  for (const fn of [x.solanaIsOnCurve, x.solanaDecodeTransaction, x.solanaSanitizeTransaction, (v) => x.solanaSignTransaction(v, kp)]) {
    throwsCode(() => fn(null), 'X402S_ERR_NULL_ARGUMENT', TypeError);
    throwsCode(() => fn('00'.repeat(32)), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  }
  throwsCode(() => x.solanaPublicKeyDecode('0OIl'), 'X402S_ERR_SOLANA_INVALID_PUBLIC_KEY', x.X402SError);
  for (const bad of [Buffer.alloc(0), Buffer.from([1]), Buffer.alloc(10), Buffer.alloc(2000, 0xff)]) {
    let code = null;
    try { x.solanaDecodeTransaction(bad); } catch (e) { code = e.code; }
    assert.ok(code === 'X402S_ERR_SOLANA_INVALID_TRANSACTION' || code === 'X402S_ERR_INPUT_TOO_LARGE', code);
    assert.throws(() => x.solanaSanitizeTransaction(bad), x.X402SError);
  }
  throwsCode(() => x.solanaFindProgramAddress(Buffer.from('seed'), '11111111111111111111111111111111'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.solanaFindProgramAddress([1, 2], '11111111111111111111111111111111'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.solanaFindProgramAddress([Buffer.alloc(33)], '11111111111111111111111111111111'), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
  throwsCode(() => x.solanaExactBuild({}, acct), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  const closed = x.SolanaKeypair.fromSeed(SEED);
  closed.close();
  throwsCode(() => x.solanaSignTransaction(Buffer.from([0]), closed), 'X402S_ERR_INVALID_KEY', x.X402SError);
  throwsCode(() => x.priceToAtomicUnits('$1', '6'), 'X402S_ERR_INVALID_ARGUMENT', TypeError);
  throwsCode(() => x.priceToAtomicUnits('$0.0000001', 6), 'X402S_ERR_X402_INVALID_AMOUNT', x.X402SError);
  throwsCode(() => x.priceToAtomicUnits('$1', 78), 'X402S_ERR_INVALID_ARGUMENT', x.X402SError);
});
