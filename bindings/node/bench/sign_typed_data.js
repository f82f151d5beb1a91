'use strict';
// Time of 20,000 EvmAccount.signTypedData calls (the x402 EIP-3009 document, as JSON text and
// as an object), median of several interleaved rounds, next to the same document signed with
// the raw key bytes on every call (the addon's eip712Sign, x402s_eip712_sign) as a reference.
// Run: node bindings/node/bench/sign_typed_data.js [rounds] [calls]
const path = require('path');
const x = require('..');

const native = require(process.env.X402SECURE_NODE_ADDON || path.join(__dirname, '..', 'build', 'x402s_node.node'));

const DOC = require('./doc');

const rounds = Number(process.argv[2] || 7);
const calls = Number(process.argv[3] || 20000);
const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
const text = JSON.stringify(DOC);
// The key External (the account's one symbol-keyed property), for the raw-key reference row.
const secret = acct[Object.getOwnPropertySymbols(acct)[0]];
const expected = acct.signTypedData(text);
if (!native.eip712Sign(text, secret).equals(expected) || !acct.signTypedData(DOC).equals(expected)) {
  throw new Error('the three ways of signing disagree');
}

const cases = {
  'signTypedData(string)': () => acct.signTypedData(text),
  'signTypedData(object)': () => acct.signTypedData(DOC),
  'raw key: eip712Sign(string)': () => native.eip712Sign(text, secret),
};
// Wall time and this process's CPU time (user + system, less disturbed by other processes on
// a shared machine); the case order rotates from round to round.
const names = Object.keys(cases);
const samples = Object.fromEntries(names.map((k) => [k, { wall: [], cpu: [] }]));
for (let r = 0; r < rounds; r++) {
  for (let j = 0; j < names.length; j++) {
    const name = names[(r + j) % names.length];
    const fn = cases[name];
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    samples[name].wall.push(wall);
    samples[name].cpu.push((c.user + c.system) / 1000);
  }
}
const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };
const ms = (v) => `${v.toFixed(1).padStart(7)} ms (${(v * 1000 / calls).toFixed(2)} us/call)`;
console.log(`library ${x.VERSION_STRING}; ${calls} calls a round, ${rounds} rounds; medians`);
for (const [name, s] of Object.entries(samples)) {
  console.log(`  ${name.padEnd(30)} wall ${ms(median(s.wall))}   cpu ${ms(median(s.cpu))}`);
}
