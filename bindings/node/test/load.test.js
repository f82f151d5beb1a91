'use strict';
// The addon loader names the real cause when the addon does not load (issue 10): each case
// requires the package in a fresh Node process with X402SECURE_NODE_ADDON at a prepared file.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const load = require('../lib/load');

const PKG = path.join(__dirname, '..');

function loadError(addon) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(PKG)})`],
    { env: { ...process.env, X402SECURE_NODE_ADDON: addon }, encoding: 'utf8' });
  assert.notStrictEqual(r.status, 0, 'the require succeeded');
  const line = r.stderr.split('\n').find((l) => /^Error: x402secure/.test(l));
  assert.ok(line, r.stderr);
  return line;
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'x402s-load-'));
}

test('X402SECURE_NODE_ADDON at a missing file', () => {
  const dir = tmpdir();
  try {
    assert.match(loadError(path.join(dir, 'x402s_node.node')), /X402SECURE_NODE_ADDON=.* does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the addon without its library beside it: the library is named, not "not found"', () => {
  const dir = tmpdir();
  try {
    // the addon finds libx402secure.so.<ABI major> only through $ORIGIN: copy it alone
    const addon = path.join(dir, 'x402s_node.node');
    fs.copyFileSync(require.resolve('../build/x402s_node.node'), addon);
    const msg = loadError(addon);
    assert.match(msg, /is present but a library it needs is missing: libx402secure\.so\.1; it ships beside the addon/);
    assert.doesNotMatch(msg, /Cannot find module/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing system library is named with its Debian package', () => {
  for (const [needed, pkg] of Object.entries(load.DEBIAN_PACKAGES)) {
    const msg = load.explainLoadError('/x/x402s_node.node', `${needed}: cannot open shared object file: No such file or directory`);
    assert.ok(msg.includes(`a library it needs is missing: ${needed}; install the Debian/Ubuntu package ${pkg}`), msg);
  }
  assert.match(load.explainLoadError('/x/x402s_node.node', 'libsodium-0123abcd.so.23.3.0: cannot open shared object file: No such file or directory'),
    /reinstall x402secure/);
  assert.match(load.explainLoadError('/x/x402s_node.node', "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /x/libx402secure.so.1)"),
    /needs GLIBC_2\.34 or newer/);
  assert.match(load.explainLoadError('/x/x402s_node.node', '/x/x402s_node.node: wrong ELF class: ELFCLASS32'), /not built for this machine/);
});

test('a library with another ABI major version is refused by the addon', { skip: !fs.existsSync('/usr/bin/cc') && 'no cc' }, () => {
  const dir = tmpdir();
  try {
    // every symbol the addon imports, each a stub; x402s_abi_version says 2.0
    const nm = spawnSync('nm', ['-D', '--undefined-only', require.resolve('../build/x402s_node.node')], { encoding: 'utf8' });
    const syms = [...nm.stdout.matchAll(/ U (x402s_\w+)/g)].map((m) => m[1]).filter((s) => s !== 'x402s_abi_version');
    const src = path.join(dir, 'abi2.c');
    fs.writeFileSync(src, 'unsigned int x402s_abi_version(void) { return 2u << 16; }\n' +
      syms.map((s) => `int ${s}(void) { return 90; }\n`).join(''));
    const lib = path.join(dir, 'libx402secure.so.1');
    const cc = spawnSync('cc', ['-shared', '-fPIC', '-Wl,-soname,libx402secure.so.1', src, '-o', lib], { encoding: 'utf8' });
    assert.strictEqual(cc.status, 0, cc.stderr);
    fs.copyFileSync(require.resolve('../build/x402s_node.node'), path.join(dir, 'x402s_node.node'));
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(PKG)})`],
      { env: { ...process.env, X402SECURE_NODE_ADDON: path.join(dir, 'x402s_node.node') }, encoding: 'utf8' });
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr, /libx402secure ABI 2\.0 is not compatible with this addon \(1\.\d+\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
