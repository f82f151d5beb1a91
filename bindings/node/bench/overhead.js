'use strict';
// Per-call cost of the Node binding. Run: node bindings/node/bench/overhead.js [rounds]
// Interleaved rounds, medians in microseconds per call.
const x = require('..');

const DOC = require('./doc');

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
