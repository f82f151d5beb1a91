'use strict';
// Differential tests against Node's own crypto and Buffer (hundreds of seeded random inputs).

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const x = require('..');

/** Small deterministic PRNG (xorshift32) so failures are reproducible. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  return {
    int: (n) => next() % n,
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => next() & 0xff)),
  };
}

const CASES = 300;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

test('sha256 vs node:crypto', () => {
  const r = rng(1);
  for (let i = 0; i < CASES; i++) {
    const data = r.bytes(r.int(2000));
    assert.equal(x.sha256(data).toString('hex'), crypto.createHash('sha256').update(data).digest('hex'));
  }
});

test('keccak256 is not sha3-256', () => {
  assert.equal(x.keccak256(Buffer.alloc(0)).toString('hex'), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.notEqual(x.keccak256(Buffer.alloc(0)).toString('hex'), crypto.createHash('sha3-256').update(Buffer.alloc(0)).digest('hex'));
});

test('hex and base64 vs Buffer', () => {
  const r = rng(2);
  for (let i = 0; i < CASES; i++) {
    const data = r.bytes(r.int(300));
    assert.equal(x.hexEncode(data), '0x' + data.toString('hex'));
    assert.deepEqual(x.hexDecode('0x' + data.toString('hex').toUpperCase()), data);
    assert.equal(x.b64encode(data), data.toString('base64'));
    assert.deepEqual(x.b64decode(data.toString('base64')), data);
    assert.equal(x.b64encode(data, { urlsafe: true }), data.toString('base64url'));
    assert.deepEqual(x.b64decode(data.toString('base64url'), { urlsafe: true }), data);
  }
});

test('base58 round trip and leading zeros', () => {
  const r = rng(3);
  for (let i = 0; i < CASES; i++) {
    const data = Buffer.concat([Buffer.alloc(r.int(4)), r.bytes(r.int(64))]);
    const text = x.b58encode(data);
    assert.match(text, /^[1-9A-HJ-NP-Za-km-z]*$/);
    let zeros = 0;
    while (zeros < data.length && data[zeros] === 0) zeros++;
    assert.ok(text.startsWith('1'.repeat(zeros)));
    assert.deepEqual(x.b58decode(text), data);
  }
});

test('Ed25519 vs node:crypto', () => {
  const r = rng(4);
  for (let i = 0; i < CASES; i++) {
    const seed = r.bytes(32);
    const msg = r.bytes(r.int(500));
    const priv = crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const pubDer = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' });
    const pub = pubDer.subarray(pubDer.length - 32);
    const kp = x.SolanaKeypair.fromSeed(seed);
    assert.deepEqual(kp.publicKey, pub);
    const sig = kp.sign(msg);
    assert.deepEqual(sig, crypto.sign(null, msg, priv));
    assert.equal(x.ed25519Verify(sig, msg, pub), true);
    const bad = Buffer.from(sig);
    bad[0] ^= 1;
    assert.equal(x.ed25519Verify(bad, msg, pub), false);
    assert.deepEqual(x.b58decode(kp.address), pub);
    kp.close();
  }
});

test('secp256k1 sign/recover/verify round trip', () => {
  const r = rng(5);
  for (let i = 0; i < CASES; i++) {
    const key = r.bytes(32);
    key[0] &= 0x7f; // below n
    key[31] |= 1; // not zero
    const digest = r.bytes(32);
    const acct = x.EvmAccount.fromKey(key);
    const sig = acct.signDigest(digest);
    assert.equal(sig.length, 65);
    assert.ok(sig[64] === 27 || sig[64] === 28);
    assert.equal(x.recoverAddress(digest, sig), acct.address);
    assert.deepEqual(x.recoverPublicKey(digest, sig), acct.publicKey);
    assert.equal(x.secp256k1Verify(sig, digest, acct.publicKey), true);
    // the address is keccak256(pubkey[1:])[12:], checksummed
    const addr = '0x' + x.keccak256(acct.publicKey.subarray(1)).subarray(12).toString('hex');
    assert.equal(x.checksumAddress(addr), acct.address);
    assert.equal(acct.address.toLowerCase(), addr);
    // v as 0/1 is accepted by recovery
    const sig01 = Buffer.from(sig);
    sig01[64] -= 27;
    assert.equal(x.recoverAddress(digest, sig01), acct.address);
    acct.close();
  }
});

test('EIP-712: object, JSON string and bytes give the same digest', () => {
  const r = rng(6);
  for (let i = 0; i < 100; i++) {
    const addr = () => x.checksumAddress('0x' + r.bytes(20).toString('hex'));
    const doc = {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        TransferWithAuthorization: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'validAfter', type: 'uint256' },
          { name: 'validBefore', type: 'uint256' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'TransferWithAuthorization',
      domain: { name: 'USD Coin', version: '2', chainId: 8453, verifyingContract: addr() },
      message: {
        from: addr(), to: addr(), value: String(r.int(1e9)), validAfter: '0',
        validBefore: String(r.int(2 ** 31)), nonce: '0x' + r.bytes(32).toString('hex'),
      },
    };
    const h = x.eip712Hashes(doc);
    assert.deepEqual(x.eip712Hash(JSON.stringify(doc)), h.digest);
    assert.deepEqual(x.eip712Hash(Buffer.from(JSON.stringify(doc, null, 2))), h.digest);
    const prefix = Buffer.from([0x19, 0x01]);
    assert.deepEqual(x.keccak256(Buffer.concat([prefix, h.domainSeparator, h.structHash])), h.digest);
    const key = r.bytes(32);
    key[0] &= 0x7f;
    key[31] |= 1;
    const acct = x.EvmAccount.fromKey(key);
    assert.deepEqual(acct.signTypedData(doc), acct.signDigest(h.digest));
    acct.close();
  }
});
