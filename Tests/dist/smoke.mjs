// import of the ESM entry point (named exports and default) from a project that installed the
// npm tarball (npm_package.sh): every value name index.d.ts declares is a named export, the same
// object require() gives; then the smoke test through the named exports.
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as named from 'x402secure';
import x402secure, { keccak256, x402Middleware, verifyPayment, EvmAccount } from 'x402secure';

const require = createRequire(import.meta.url);
const cjs = require('x402secure');
const dts = readFileSync(require.resolve('x402secure').replace(/index\.js$/, 'index.d.ts'), 'utf8');
const declared = new Set([...dts.matchAll(/^export (?:declare )?(?:abstract )?(?:function|class|const|let|var|enum) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]));
assert.ok(declared.size > 50, `only ${declared.size} names in index.d.ts`);
for (const name of declared) {
  assert.ok(name in named, `index.d.ts declares ${name}, but import { ${name} } from 'x402secure' fails`);
  assert.strictEqual(named[name], cjs[name], `${name}: ESM and CommonJS differ`);
}
assert.strictEqual(x402secure, cjs);
assert.strictEqual(typeof keccak256, 'function');
assert.strictEqual(typeof x402Middleware, 'function');
assert.strictEqual(typeof verifyPayment, 'function');
assert.strictEqual(typeof EvmAccount.fromKey, 'function');
const smoke = require('./smoke_body.cjs');
console.log(JSON.stringify(smoke(named, process.argv[2])));
console.error(`esm: ${declared.size} names of index.d.ts imported by name`);
