'use strict';
// EvmAccount.signTypedData on the account's prepared signer (x402s_signer_new once, then
// x402s_signer_eip712_sign): signatures, errors identical to the raw-key path
// (x402s_eip712_sign, still in the addon as eip712Sign), close() semantics, and the release
// of signers by the garbage collector.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { Worker } = require('node:worker_threads');

const x = require('..');
const internal = require('../lib/internal');

const { native } = internal;
const VECTORS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test-vectors', 'eip712.json'), 'utf8')).vectors;
const DOCS = Object.fromEntries(VECTORS.map((v) => [v.name, v.input.json]));
const VALID = VECTORS.filter((v) => !('error' in v.expect));
const INVALID = VECTORS.filter((v) => 'error' in v.expect);

// Signatures computed with eth_account 0.14.0 (/tmp/probe-venv):
//   Account.sign_message(encode_typed_data(full_message=json.loads(doc)), key).signature
// for the documents of test-vectors/eip712.json named here. Keys: 0x01 * 32, n - 1, and
// sha256(b"x402s node signer test").
const ETH_ACCOUNT = [
  ['eip712_spec_mail', '0x0101010101010101010101010101010101010101010101010101010101010101', '0xbf1f6c2e4894fbba878ab2bfb313e30cbd0dc307d26c0d168198463565a43fcd3b715279d6147d0d20e94815f93542219be9f880fc2c145f3913e2028ee5ccf21b'],
  ['eip712_spec_mail', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0x6a89f9bb37737a90cf31a917e70d6ee99bfeeb9727af7f2c74416c78f87d49f02ae4335775a050e330f2c63a7901f0e99e0c22b1b29bcb995dbb5d4c9974866d1b'],
  ['eip712_spec_mail', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0x6012d86a731d3b0c33fd3eb9b7365a24cd0f98d65c2d4bf3c89db6e1a441a5a92145314340d0c3b642fcddfe018d22c7475a7449f80b3dea264942b4545538f01c'],
  ['integers_ranges_and_forms', '0x0101010101010101010101010101010101010101010101010101010101010101', '0x5c1668f8f4dfa2d999231d4b059eab526a04eae512c307b4698432bb0ce7a58c400447086919ee9328dacbffa429cbe78db9648d57806c53dee27ec61211aead1c'],
  ['integers_ranges_and_forms', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0x515f94bf3b7248d31fcdf03f37aac3336b6a1f1c244e98f313d3fc554f8297f07c6fd3329cfb8c046234bd621ebf75931f3e1e8b296153d83a97630ba528ca9b1c'],
  ['integers_ranges_and_forms', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0x420e18a2f804141ffcc9ce2f652886758b6b042a6e6c644a90159d8f436724aa5aaa65ad873c4aa6aebb9387b90af2b219d14a7bd5b2d98647423f811055885e1b'],
  ['non_ascii_strings', '0x0101010101010101010101010101010101010101010101010101010101010101', '0x14696da84b2faa1755cbdd63701fcda4347d959291dbda0b04c96bf22863f82a060c53880c522b9502da8e1b65191bcccd824784760e2d131c1c02fd77a8ef121c'],
  ['non_ascii_strings', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0xcb1a14ec8694893092637be8dfe2192fa4ecdc14c41d6b2fa2a39056330cbe6c131df2f334260bdc424ca18a6e1ccf0ce67c386427c506e7b940d08d1a5b7cac1c'],
  ['non_ascii_strings', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0xb79e6e5cf035de6b83a08f3bec10ca6190cd7967b7540f695a86b02a09cc5626208ff1536291a776baaa0ef46b738ec955a5f7e70e7de57ced3addf6fc6c8ae41c'],
  ['x402_eip3009_eip155_8453_0', '0x0101010101010101010101010101010101010101010101010101010101010101', '0xe0bc527015435f5f7a66ef05e2c4600544a847e6526d27432259c2ae2b2703907e7a40e0179dcc79fc600a67ca85a5b73ef8c9e08aa56314673a1c20d0a86b0e1c'],
  ['x402_eip3009_eip155_8453_0', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0xe9ce0dd91277f6eb0e00cd90089b906abf719e286beeaab7c13054bad609704a6e931ccd8d1d32c3852f8584314b40193020662fc409242afcbdda7e5736aac01c'],
  ['x402_eip3009_eip155_8453_0', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0x84f21c717aae4f490caa050d8c8c804c607595abe08e51c6fed512a787c0b71102e0d64d444ffa589180fe6db3c37960a09eff3b521744e023242375f5b3f9c41b'],
  ['x402_evm_exact_v2_permit2_0', '0x0101010101010101010101010101010101010101010101010101010101010101', '0x2f818b3ec0648c237a5127a1bc67d4f6dd50e2f438b8f44f27a408599b599bc64d10a9175137e5b6d6f44b4888fa59db9612c4f2f66d095fddd14b000786ee301c'],
  ['x402_evm_exact_v2_permit2_0', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0x41d5c869b709dc0e66307625d5f5b73ce494eeb3fd5b8c84b723c5388dac75a84a7bf2d30d70be03e7b8f83c32e9a290082e6532138e83de4dc996e6d03d03541b'],
  ['x402_evm_exact_v2_permit2_0', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0xd30c9c7a6052c2eb59b0603098ab210e7dfa40bc12627a0461b75612ec6ea50a0caf7c5b789e1fb3d88f09b12f59f325756def6a6e8bde162a2337fcabe1d5eb1b'],
  ['random_00', '0x0101010101010101010101010101010101010101010101010101010101010101', '0x09d83a54447d8e27a7a3d39c0ef65bb700d5d75087af72350eac8835c62224b33e6e91058ee778847a8ed34f023916cfe2628d7ad66a0bc56f8da2e0e21b5db81b'],
  ['random_00', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', '0x7c0d185702b9dd31d2dd061830d503baf8b356e538ded3c4b1bafbbd2defefea3ecf98688f545e42a61b4b79aa4d6f27d555eed5feb9d3316f975633f1d51ab51c'],
  ['random_00', '0xdb772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', '0x1aedb795ce5ed7337bf4534e087a891fc65c9014f24348b8a228d25c4d94f9954fe1368ebbe5956dc441ed382b478ac62a246605f57496e2800ac0b959c991a11c'],
];

const KEY = Buffer.alloc(32, 1);
const MAIL = DOCS.eip712_spec_mail;

/** The error fn throws, as a plain record of everything a caller can see. */
function caught(fn) {
  try {
    fn();
  } catch (e) {
    return { class: e.constructor.name, name: e.name, code: e.code, status: e.status, operation: e.operation, message: e.message };
  }
  assert.fail('expected an error');
}

/** gc(): the global one under --expose-gc, else one enabled at run time. */
function getGc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
}

test('signTypedData on the prepared signer gives eth_account signatures', () => {
  assert.ok(ETH_ACCOUNT.every(([name]) => name in DOCS));
  for (const [name, key, sig] of ETH_ACCOUNT) {
    const acct = x.EvmAccount.fromKey(key);
    const text = DOCS[name];
    assert.equal(x.hexEncode(acct.signTypedData(text)), sig, `${name} ${key}`);
    // the signer made by the first call is reused: same bytes, as text, bytes and object
    assert.equal(x.hexEncode(acct.signTypedData(Buffer.from(text, 'utf8'))), sig);
    if (!/[0-9]{16,}/.test(text)) assert.equal(x.hexEncode(acct.signTypedData(JSON.parse(text))), sig);
    assert.equal(x.recoverAddress(x.eip712Hash(text), Buffer.from(sig.slice(2), 'hex')), acct.address);
    acct.close();
  }
});

test('signTypedData is byte-identical to the raw-key path on every eip712 vector', () => {
  const keys = [KEY, Buffer.from('db772292e2618890dae93f926f5c6ed27cf944c97e44f754724a8091f3217f79', 'hex')];
  for (const key of keys) {
    const acct = x.EvmAccount.fromKey(key);
    const secret = internal.secretOf(acct);
    for (const v of VALID) {
      const text = v.input.json;
      const sig = acct.signTypedData(text);
      assert.equal(sig.length, 65);
      assert.deepEqual(sig, native.eip712Sign(text, secret), v.name);
      assert.deepEqual(sig, acct.signDigest(x.eip712Hash(text)), v.name);
    }
    acct.close();
  }
});

// Failing documents beyond the vectors: empty, not JSON, invalid UTF-8, over the size limit,
// too deep, not an object, a lone surrogate escape, an unknown primary type.
const EXTRA_BAD = [
  '', Buffer.alloc(0), '{', '[]', 'null', Buffer.from([0x7b, 0xff, 0x7d]),
  Buffer.alloc(x.MAX_DOCUMENT_BYTES + 1, 0x20), '['.repeat(5000) + ']'.repeat(5000),
  '{"types":{"EIP712Domain":[]},"primaryType":"\\ud800","domain":{},"message":{}}',
  '{"types":{"EIP712Domain":[]},"primaryType":"Nope","domain":{},"message":{}}',
  MAIL.replace('"Mail"', '"Mail2"'),
];

test('bad typed data through the signer: the same error as the raw-key path', () => {
  const acct = x.EvmAccount.fromKey(KEY);
  const secret = internal.secretOf(acct);
  acct.signTypedData(MAIL); // the signer exists from here on
  const signer = internal.signerOf(acct);
  const docs = [...INVALID.map((v) => v.input.json), ...EXTRA_BAD];
  assert.ok(docs.length > 90);
  for (const doc of docs) {
    const keyPath = caught(() => native.eip712Sign(doc, secret));
    assert.equal(keyPath.class, 'X402SError');
    assert.deepEqual(caught(() => acct.signTypedData(doc)), keyPath);
    assert.deepEqual(caught(() => native.x402SignerEip712Sign(doc, signer)), keyPath);
  }
  for (const v of INVALID) {
    assert.equal(caught(() => acct.signTypedData(v.input.json)).code, v.expect.error, v.name);
  }
  // a failed call leaves the signer usable
  assert.deepEqual(acct.signTypedData(MAIL), native.eip712Sign(MAIL, secret));
  // wrong JavaScript types: the same TypeError from the addon as from the key path
  for (const bad of [undefined, null, 7, {}, []]) {
    const keyPath = caught(() => native.eip712Sign(bad, secret));
    assert.equal(keyPath.class, 'TypeError');
    assert.deepEqual(caught(() => native.x402SignerEip712Sign(bad, signer)), keyPath);
  }
  acct.close();
});

test('signing after close throws X402S_ERR_INVALID_KEY, as the key path did', () => {
  const wiped = x.EvmAccount.fromKey(KEY);
  const wipedSecret = internal.secretOf(wiped);
  wiped.close();
  const expected = caught(() => native.eip712Sign(MAIL, wipedSecret));
  assert.deepEqual(expected, {
    class: 'X402SError', name: 'X402SError', code: 'X402S_ERR_INVALID_KEY', status: internal.STATUS.X402S_ERR_INVALID_KEY,
    operation: 'x402s_eip712_sign', message: 'the key was closed (wiped)',
  });

  const before = x.EvmAccount.fromKey(KEY).signTypedData(MAIL);
  // closed after its signer was made
  const used = x.EvmAccount.fromKey(KEY);
  assert.deepEqual(used.signTypedData(MAIL), before);
  used.close();
  assert.equal(used.closed, true);
  assert.deepEqual(caught(() => used.signTypedData(MAIL)), expected);
  assert.deepEqual(caught(() => used.signTypedData(Buffer.from(MAIL))), expected);
  assert.deepEqual(caught(() => used.signTypedData('{')), expected); // the key is checked before the document
  used.close(); // idempotent
  assert.deepEqual(caught(() => used.signTypedData(MAIL)), expected);
  // closed before any signature (no signer yet)
  const unused = x.EvmAccount.fromKey(KEY);
  unused.close();
  assert.deepEqual(caught(() => unused.signTypedData(MAIL)), expected);
  // argument errors still come first
  assert.equal(caught(() => used.signTypedData(null)).code, 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(caught(() => used.signTypedData(5)).class, 'TypeError');
  // the other signing paths of a closed account
  assert.equal(caught(() => used.signDigest(Buffer.alloc(32, 7))).code, 'X402S_ERR_INVALID_KEY');
  assert.equal(caught(() => x.signerAddress(used)).code, 'X402S_ERR_INVALID_KEY');
  assert.equal(caught(() => x.signerAddress(unused)).code, 'X402S_ERR_INVALID_KEY');
  // a new account of the same key signs as before
  const again = x.EvmAccount.fromKey(KEY);
  assert.deepEqual(again.signTypedData(MAIL), before);
  again.close();
});

test('one signer per account, shared by signTypedData and payments, released by close()', () => {
  const acct = x.EvmAccount.fromKey(KEY);
  const first = internal.signerOf(acct);
  assert.equal(internal.signerOf(acct), first);
  acct.signTypedData(MAIL);
  assert.equal(internal.signerOf(acct), first);
  assert.equal(x.signerAddress(acct), acct.address);
  assert.equal(internal.signerOf(acct), first);
  acct.close();
  // the released External is unusable (the account no longer holds it)
  assert.equal(caught(() => native.x402SignerEip712Sign(MAIL, first)).code, 'X402S_ERR_INVALID_KEY');
  assert.equal(caught(() => native.x402SignerAddress(first)).code, 'X402S_ERR_INVALID_KEY');
  native.x402SignerFree(first); // freeing a released signer again is a no-op
  assert.equal(caught(() => internal.signerOf(acct)).code, 'X402S_ERR_INVALID_KEY');

  // signTypedData goes through the signer (and only it): with the signer released behind the
  // account's back, typed data fails while the key itself (signDigest) still works
  const probe = x.EvmAccount.fromKey(KEY);
  native.x402SignerFree(internal.signerOf(probe));
  assert.equal(caught(() => probe.signTypedData(MAIL)).code, 'X402S_ERR_INVALID_KEY');
  assert.equal(probe.signDigest(Buffer.alloc(32, 7)).length, 65);
  probe.close();

  const kp = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 2));
  assert.equal(x.signerAddress(kp), kp.address);
  kp.close();
  assert.equal(caught(() => x.signerAddress(kp)).code, 'X402S_ERR_INVALID_KEY');
});

test('many accounts created and dropped: the garbage collector releases their signers', async () => {
  const gc = getGc();
  const N = 1500;
  let collected = 0;
  const registry = new FinalizationRegistry(() => { collected++; });
  const expected = x.EvmAccount.fromKey(KEY).signTypedData(MAIL);
  (function churn() {
    for (let i = 0; i < N; i++) {
      const key = Buffer.alloc(32);
      key.writeUInt32BE(i + 1, 28);
      if (i % 5 === 4) {
        const kp = x.SolanaKeypair.fromSeed(key);
        x.signerAddress(kp);
        registry.register(internal.signerOf(kp), i);
        if (i % 2) kp.close();
        continue;
      }
      const acct = x.EvmAccount.fromKey(key);
      const sig = acct.signTypedData(MAIL);
      if (i % 97 === 0) assert.deepEqual(sig, native.eip712Sign(MAIL, internal.secretOf(acct)));
      registry.register(internal.signerOf(acct), i);
      // half are closed first (signer freed by close(), its External later by the GC), half
      // are only dropped (signer freed by the External's finalizer)
      if (i % 2) acct.close();
    }
  })();
  for (let round = 0; round < 200 && collected < N; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(collected, N, 'every signer External was collected');
  // the heap is intact and signing goes on
  for (let i = 0; i < 3; i++) {
    const acct = x.EvmAccount.fromKey(KEY);
    assert.deepEqual(acct.signTypedData(MAIL), expected);
  }
  gc();
  await new Promise((resolve) => setTimeout(resolve, 5));
});

test('prepared signers in a worker thread', async () => {
  const indexPath = path.join(__dirname, '..', 'index.js');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const x = require(workerData.indexPath);
    const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
    const sig = acct.signTypedData(workerData.doc).toString('hex');
    acct.close();
    let error = null;
    try { acct.signTypedData(workerData.doc); } catch (e) { error = { isX402SError: e instanceof x.X402SError, code: e.code, operation: e.operation }; }
    parentPort.postMessage({ sig, error });`;
  const result = await new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { indexPath, doc: MAIL } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(result.sig, x.EvmAccount.fromKey(KEY).signTypedData(MAIL).toString('hex'));
  assert.deepEqual(result.error, { isX402SError: true, code: 'X402S_ERR_INVALID_KEY', operation: 'x402s_eip712_sign' });
});
