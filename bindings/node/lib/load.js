'use strict';
/**
 * Finding and loading the addon (x402s_node.node), which finds libx402secure.so.<ABI major>
 * beside it through its run path $ORIGIN. Looked up, in order:
 *
 * 1. X402SECURE_NODE_ADDON (a path; it must load, no fallback);
 * 2. build/Release/x402s_node.node: built from source at install (node-gyp, binding.gyp);
 * 3. build/x402s_node.node: the repository's developer build (build.sh, `make node`);
 * 4. prebuilds/<platform>-<arch>/x402s_node.node: shipped in the npm package (linux-x64, glibc),
 *    with the library and its C dependencies beside it.
 *
 * When it does not load, the error names the cause: no addon for this platform (and how to
 * build one), a library it needs is missing (which one, and the Debian package providing
 * it), the system's glibc is too old, or a file for another architecture. An ABI version
 * mismatch between addon and library is reported by the addon's init (index.js).
 */

const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const ADDON = 'x402s_node.node';

/** Shared libraries the addon's library may need -> the Debian/Ubuntu package providing them. */
const DEBIAN_PACKAGES = Object.freeze({
  'libsecp256k1.so.1': 'libsecp256k1-1',
  'libsodium.so.23': 'libsodium23',
  'libcrypto.so.3': 'libssl3',
  'libstdc++.so.6': 'libstdc++6',
  'libgcc_s.so.1': 'libgcc-s1',
});

/** The smallest glibc the prebuilt library needs (its newest GLIBC_x symbol version). */
const PREBUILT_MIN_GLIBC = '2.34';

function platformTag() {
  return `${process.platform}-${process.arch}`;
}

function prebuiltDir() {
  return path.join(ROOT, 'prebuilds', platformTag());
}

/** The glibc version of this process ("2.36"), or null (musl, other systems). */
function glibcVersion() {
  try {
    const header = process.report.getReport().header;
    return header.glibcVersionRuntime || null;
  } catch {
    return null;
  }
}

function candidates() {
  return [
    { file: path.join(ROOT, 'build', 'Release', ADDON), what: 'the source build (node-gyp)' },
    { file: path.join(ROOT, 'build', ADDON), what: 'the developer build (build.sh)' },
    { file: path.join(prebuiltDir(), ADDON), what: `the prebuilt addon for ${platformTag()}` },
  ];
}

/** A sentence naming why loading `file` failed, from the dynamic loader's message. */
function explainLoadError(file, message) {
  const missing = /([^\s:]+): cannot open shared object file/.exec(message);
  if (missing && path.basename(missing[1]) !== path.basename(file)) {
    const needed = missing[1];
    const pkg = DEBIAN_PACKAGES[needed];
    // libx402secure.so.N and the bundled, renamed C libraries (libsodium-<hash>.so.23) ship beside the addon.
    const bundled = needed.startsWith('libx402secure') || /^lib[a-z0-9_]+-[0-9a-f]{8}\.so/.test(needed);
    const hint = pkg ? `install the Debian/Ubuntu package ${pkg} (apt-get install ${pkg})`
      : bundled ? 'it ships beside the addon in the x402secure package, which is incomplete: reinstall x402secure'
        : 'install the package that provides it';
    return `x402secure: ${file} is present but a library it needs is missing: ${needed}; ${hint}`;
  }
  const glibc = /version `(GLIBC_[0-9.]+)' not found/.exec(message);
  if (glibc) {
    return `x402secure: ${file} needs ${glibc[1]} or newer; this system has glibc ${glibcVersion() || 'unknown'}. ` +
      'Build from source instead: X402SECURE_BUILD_FROM_SOURCE=1 npm rebuild x402secure (needs an installed libx402secure)';
  }
  if (/wrong ELF class|invalid ELF header|ELF file/.test(message)) {
    return `x402secure: ${file} is not built for this machine (${platformTag()}): ${message}`;
  }
  return `x402secure: cannot load ${file}: ${message}`;
}

function requireAddon(file) {
  try {
    return require(file);
  } catch (e) {
    const err = new Error(explainLoadError(file, String(e && e.message)), { cause: e });
    err.code = 'X402S_ADDON_LOAD_FAILED';
    throw err;
  }
}

/** The addon's exports (see the module comment for the lookup order and errors). */
function loadAddon() {
  const explicit = process.env.X402SECURE_NODE_ADDON;
  if (explicit) {
    if (!fs.existsSync(explicit)) {
      const err = new Error(`x402secure: X402SECURE_NODE_ADDON=${explicit} does not exist`);
      err.code = 'X402S_ADDON_MISSING';
      throw err;
    }
    return requireAddon(path.resolve(explicit));
  }
  const list = candidates();
  for (const c of list) {
    if (fs.existsSync(c.file)) return requireAddon(c.file);
  }
  const glibc = process.platform === 'linux' ? glibcVersion() : null;
  const err = new Error(
    `x402secure: the native addon is missing: no prebuilt addon for ${platformTag()}` +
    `${process.platform === 'linux' ? ` (${glibc ? `glibc ${glibc}` : 'not glibc'})` : ''} and no source build ` +
    `(looked for ${list.map((c) => c.file).join(', ')}). The npm package ships one for linux-x64 with glibc >= ` +
    `${PREBUILT_MIN_GLIBC}; elsewhere install libx402secure (make install in the repository, needs Swift) and run ` +
    '`npm rebuild x402secure`, or set X402SECURE_LIB=/path/to/libx402secure.so for the rebuild.');
  err.code = 'X402S_ADDON_MISSING';
  throw err;
}

module.exports = {
  ADDON,
  DEBIAN_PACKAGES,
  PREBUILT_MIN_GLIBC,
  ROOT,
  explainLoadError,
  glibcVersion,
  loadAddon,
  platformTag,
  prebuiltDir,
};
