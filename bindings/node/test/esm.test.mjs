// The ESM entry point (index.mjs) and the package's exports map (issue 10): every value name
// index.d.ts declares is importable by name and by require(), the same objects both ways, and
// index.mjs exports nothing the CommonJS module lacks. `x402secure` resolves through the
// package's own exports map (self-reference), as it does for users.
import test from 'node:test';
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

test('every value name of index.d.ts is a named ESM export and a require() export', async () => {
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  const declared = new Set([...dts.matchAll(/^export (?:declare )?(?:abstract )?(?:function|class|const|let|var|enum|namespace) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]));
  assert.ok(declared.size > 50);
  const esm = await import('x402secure');
  const cjs = require('x402secure');
  assert.strictEqual(esm.default, cjs);
  for (const name of declared) {
    assert.ok(name in esm, `import { ${name} } from 'x402secure' is missing (add it to index.mjs)`);
    assert.ok(name in cjs, `require('x402secure').${name} is missing`);
    assert.strictEqual(esm[name], cjs[name], name);
  }
  const named = Object.keys(esm).filter((n) => n !== 'default').sort();
  assert.deepStrictEqual(named, Object.keys(cjs).sort(), 'index.mjs and index.js export different names');
  for (const name of named) assert.ok(declared.has(name), `${name} is exported but not declared in index.d.ts`);
});

test('package.json: exports map, types, files, os/cpu, one version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.deepStrictEqual(pkg.exports['.'], { types: './index.d.ts', import: './index.mjs', require: './index.js' });
  assert.strictEqual(pkg.types, './index.d.ts');
  for (const f of ['index.js', 'index.mjs', 'index.d.ts', 'lib/', 'examples/', 'prebuilds/', 'binding.gyp', 'scripts/install.js']) {
    assert.ok(pkg.files.includes(f), `files lacks ${f}`);
  }
  assert.deepStrictEqual(pkg.os, ['linux']);
  assert.ok(pkg.cpu.includes('x64'));
  assert.deepStrictEqual(pkg.dependencies, {});
  const version = readFileSync(new URL('../../../VERSION', import.meta.url), 'utf8').trim();
  assert.strictEqual(pkg.version, version);
  assert.strictEqual(require('x402secure').VERSION_STRING, version);
});
