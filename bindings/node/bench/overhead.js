'use strict';
// Per-call cost of the Node binding. Run: node bindings/node/bench/overhead.js [rounds]
// Interleaved rounds, medians in microseconds per call.
const x = require('..');

const DOC = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
    ],
    TransferWithAuthorization: [
      { name: 'from', type: 'address' }, { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' }, { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' },
    ],
  },
  primaryType: 'TransferWithAuthorization',
  domain: { name: 'USD Coin', version: '2', chainId: 8453, verifyingContract: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913' },
  message: {
    from: '0x857b06519E91e3A54538791bDbb0E22373e36b66', to: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
    value: '10000', validAfter: '1740672089', validBefore: '1740672154',
    nonce: '0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480',
  },
};

const rounds = Number(process.argv[2] || 15);
const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
const d32 = Buffer.alloc(32, 7);
const text = JSON.stringify(DOC);
const digest = x.eip712Hash(DOC);
const cases = {
  'keccak256(32 B)': [() => x.keccak256(d32), 200000],
  'sha256(32 B)': [() => x.sha256(d32), 200000],
  'JSON.stringify(doc)': [() => JSON.stringify(DOC), 20000],
  'eip712Hash(string)': [() => x.eip712Hash(text), 2000],
  'signDigest': [() => acct.signDigest(digest), 2000],
  'signTypedData(string)': [() => acct.signTypedData(text), 2000],
  'signTypedData(object)': [() => acct.signTypedData(DOC), 2000],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, [fn, n]] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples[name].push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
}
const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };
console.log(`library ${x.VERSION_STRING} ABI ${x.ABI_VERSION.join('.')}`);
for (const [name, s] of Object.entries(samples)) {
  console.log(`  ${name.padEnd(26)} median ${median(s).toFixed(3).padStart(9)} us   min ${Math.min(...s).toFixed(3).padStart(9)} us`);
}
