'use strict';
// The smoke test of an INSTALLED x402secure npm package, run by smoke.cjs (require) and by
// smoke.mjs (the ESM named exports): every area once. Asserts invariants and published
// constants and returns the deterministic results (fixed keys, time, nonces) that
// npm_package.sh compares with the Python wheel's (Tests/dist/smoke.py: same core, same bytes).
const assert = require('assert');

module.exports = function smoke(x, expectedVersion) {
  assert.strictEqual(x.VERSION_STRING, expectedVersion);
  assert.strictEqual(x.ABI_VERSION[0], 1);
  const NOW = 1760000000;
  const out = { version: x.VERSION_STRING };

  // hashes
  assert.strictEqual(x.keccak256(Buffer.alloc(0)).toString('hex'), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  out.keccak256 = x.keccak256(Buffer.from('hello')).toString('hex');
  out.sha256 = x.sha256(Buffer.from('hello')).toString('hex');
  assert.strictEqual(out.sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');

  // EIP-712: the specification's Mail example, signed and recovered
  const mail = {
    types: {
      EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
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
  const digest = x.eip712Hash(mail);
  assert.strictEqual(digest.toString('hex'), 'be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2');
  const acct = x.EvmAccount.fromKey('0x' + '01'.repeat(32));
  assert.strictEqual(acct.address, '0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1');
  const sig = acct.signTypedData(mail);
  assert.strictEqual(x.recoverAddress(digest, sig), acct.address);
  out.eip712_signature = sig.toString('hex');
  acct.close();

  // Ed25519 / Solana keys
  const kp = x.SolanaKeypair.fromSeed(Buffer.alloc(32));
  const s = kp.sign(Buffer.from('hello'));
  assert.ok(x.ed25519Verify(s, Buffer.from('hello'), kp.publicKey));
  assert.ok(!x.ed25519Verify(s, Buffer.from('hellO'), kp.publicKey));
  out.solana_address = kp.address;
  out.ed25519_signature = s.toString('hex');
  kp.close();

  // x402: seller 402 -> buyer pays (EVM, Solana) -> seller verifies, replay refused
  const feePayer = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 2));
  const answer = x.paymentRequiredResponse([
    { network: 'eip155:84532', payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', price: '$0.01' },
    { network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', payTo: 'GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse', price: '$0.01',
      extra: { feePayer: feePayer.address, recentBlockhash: 'US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx' } },
  ], { resource: { url: 'https://api.example.com/data', description: 'data' } });
  assert.strictEqual(answer.status, 402);
  out.payment_required = answer.headers['PAYMENT-REQUIRED'];
  const required = x.parsePaymentRequired({ 'payment-required': out.payment_required }, answer.body);
  const guard = new x.ReplayGuard();
  const evm = x.EvmAccount.fromKey('0x' + '01'.repeat(32));
  const sol = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 1));
  for (const [signer, net, tag] of [[evm, 'eip155:84532', 'evm'], [sol, 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', 'svm']]) {
    const [, value] = x.createPaymentHeader(required, signer, { networks: [net] },
      { now: NOW, nonce: '0x' + '07'.repeat(32), memoNonce: '0x' + '05'.repeat(16) });
    const mine = answer.accepts.find((r) => r.network === net);
    const r = x.verifyPayment(value, mine, NOW, { solanaFeePayers: [feePayer.address], replayGuard: guard });
    assert.ok(r.isValid && r.payer === signer.address, JSON.stringify(r));
    const again = x.verifyPayment(value, mine, NOW, { solanaFeePayers: [feePayer.address], replayGuard: guard });
    assert.strictEqual(again.invalidReason, 'duplicate_payment');
    out[`payment_${tag}`] = value;
    if (tag === 'svm') {
      const tx = Buffer.from(x.decodePaymentHeader(value).payload.transaction, 'base64');
      const full = x.solanaSignTransaction(tx, feePayer);
      assert.strictEqual(x.solanaDecodeTransaction(full).signatures.length, 2);
    }
  }
  guard.close();
  evm.close();
  sol.close();
  feePayer.close();

  // risk headers
  const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const h = x.buildPaymentSecureHeader({ tid: 'trace-1' }, { traceparent: tp });
  const parsed = x.parsePaymentSecureHeader(h);
  assert.ok(parsed.tp === tp && parsed.tid === 'trace-1', JSON.stringify(parsed));
  out.payment_secure = h;
  return out;
};
