'use strict';
/**
 * npm "install" hook of x402secure.
 *
 * 1. If the package ships a prebuilt addon for this platform (prebuilds/linux-x64: the addon,
 *    libx402secure.so.1 and its C libraries, found through $ORIGIN) and it loads here, use it.
 * 2. Otherwise (another platform, musl, a glibc older than the prebuilt needs, or
 *    X402SECURE_BUILD_FROM_SOURCE=1) build the addon from source with node-gyp (the copy npm
 *    bundles) against this Node's own headers (--nodedir, no download) and an installed
 *    libx402secure: X402SECURE_LIB=/path/to/libx402secure.so, else pkg-config x402secure
 *    (`make install` in the repository). The library is copied beside the addon when given
 *    by path, so the addon finds it through $ORIGIN.
 * 3. If neither works, stop with one message saying what to do.
 *
 * `node scripts/install.js --check-pack` (npm's prepack) refuses to pack without the prebuilt
 * files and header that `make dist` puts in place.
 *
 * Inside the repository (a developer checkout with build/x402s_node.node from `make node`)
 * the hook does nothing.
 */

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const load = require('../lib/load');

const ROOT = load.ROOT;

function log(msg) {
  process.stderr.write(`x402secure: ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`\nx402secure: ${msg}\n\n`);
  process.exit(1);
}

function checkPack() {
  const needed = [
    path.join('prebuilds', 'linux-x64', load.ADDON),
    path.join('include', 'x402_secure.h'),
  ];
  const missing = needed.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) {
    fail(`cannot pack: ${missing.join(', ')} missing. Run \`make dist\` at the repository root ` +
      '(it builds the prebuilt addon and library, then packs build/dist/x402secure-<version>.tgz).');
  }
}

/** Does the prebuilt addon load in a fresh Node process? [ok, reason] */
function prebuiltLoads() {
  const addon = path.join(load.prebuiltDir(), load.ADDON);
  if (!fs.existsSync(addon)) return [false, `no prebuilt addon for ${load.platformTag()}`];
  const r = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', addon], { encoding: 'utf8' });
  if (r.status === 0) return [true, ''];
  return [false, load.explainLoadError(addon, (r.stderr || '').split('\n').find((l) => /Error/.test(l)) || r.stderr)];
}

/** Where to find libx402secure and its header: {lib | libdir, includedir, how} or null. */
function findLibrary() {
  const given = process.env.X402SECURE_LIB;
  if (given) {
    if (!fs.existsSync(given)) fail(`X402SECURE_LIB=${given} does not exist`);
    const includedir = fs.existsSync(path.join(ROOT, 'include', 'x402_secure.h'))
      ? path.join(ROOT, 'include') : path.resolve(path.dirname(given), '..', '..', 'include');
    return { lib: path.resolve(given), includedir, how: `X402SECURE_LIB=${given}` };
  }
  // npm install <checkout>/bindings/node: the repository's own build (make lib)
  const repoLib = path.join(ROOT, '..', '..', 'build', 'lib', 'libx402secure.so');
  if (fs.existsSync(repoLib) && fs.existsSync(path.join(ROOT, '..', '..', 'include', 'x402_secure.h'))) {
    return { lib: repoLib, includedir: path.join(ROOT, '..', '..', 'include'), how: `the repository's ${repoLib}` };
  }
  const pc = (args) => spawnSync('pkg-config', args, { encoding: 'utf8' });
  const exists = pc(['--exists', 'x402secure']);
  if (exists.status === 0) {
    const libdir = pc(['--variable=libdir', 'x402secure']).stdout.trim();
    const includedir = pc(['--variable=includedir', 'x402secure']).stdout.trim();
    return { libdir, includedir, how: `pkg-config x402secure (${libdir})` };
  }
  return null;
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(path.dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && fs.existsSync(c)) || null;
}

function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.dirname(path.dirname(process.execPath))];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'include', 'node', 'node_api.h'))) || null;
}

function buildFromSource(reason) {
  const found = findLibrary();
  if (!found) {
    fail(`${reason}, and no libx402secure to build the addon against was found.\n` +
      '  Install the C library first (git clone the x402-secure core repository, then `make install`;\n' +
      '  it needs Swift 6.1+ and libsecp256k1-dev libsodium-dev libssl-dev pkg-config), or set\n' +
      '  X402SECURE_LIB=/path/to/libx402secure.so, then run `npm rebuild x402secure`. Installing\n' +
      '  bindings/node of a repository checkout: run `make lib` (or `make dist` for the prebuilt) first.');
  }
  const gyp = nodeGyp();
  if (!gyp) fail(`${reason}; building from source needs node-gyp, which npm bundles, but it was not found`);
  const nodedir = nodeDir();
  if (!nodedir) {
    fail(`${reason}; building from source needs this Node's headers (<prefix>/include/node/node_api.h), ` +
      'which were not found: install your distribution\'s Node development headers or set npm_config_nodedir');
  }
  const out = path.join(ROOT, 'build', 'Release');
  let link = `-L${found.libdir} -lx402secure`;
  let rpath = found.libdir;
  let soname = null;
  if (found.lib) {
    // Link the given file (its SONAME is recorded) and put a copy beside the addon ($ORIGIN).
    const r = spawnSync('readelf', ['-d', found.lib], { encoding: 'utf8' });
    const m = /Library soname: \[([^\]]+)\]/.exec(r.stdout || '');
    soname = m ? m[1] : path.basename(found.lib);
    link = found.lib;
    rpath = path.dirname(found.lib);
  }
  log(`${reason}; building the addon from source with node-gyp against ${found.how}`);
  const env = { ...process.env, X402SECURE_LINK: link, X402SECURE_RPATH: rpath, X402SECURE_INCLUDEDIR: found.includedir };
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`], { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status !== 0) fail('node-gyp failed (its output is above)');
  if (soname) fs.copyFileSync(found.lib, path.join(out, soname));
  const check = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', path.join(out, load.ADDON)], { encoding: 'utf8' });
  if (check.status !== 0) fail(`the addon built from source does not load: ${check.stderr}`);
  log(`built ${path.join(out, load.ADDON)}`);
}

function main() {
  if (process.argv.includes('--check-pack')) return checkPack();
  if (fs.existsSync(path.join(ROOT, 'build', load.ADDON)) && !process.env.X402SECURE_BUILD_FROM_SOURCE) {
    return; // a developer checkout after `make node`
  }
  if (!process.env.X402SECURE_BUILD_FROM_SOURCE) {
    const [ok, why] = prebuiltLoads();
    if (ok) {
      log(`using the prebuilt addon for ${load.platformTag()}`);
      return;
    }
    return buildFromSource(why);
  }
  return buildFromSource('X402SECURE_BUILD_FROM_SOURCE is set');
}

main();
