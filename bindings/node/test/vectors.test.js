'use strict';
// Runner over every shared vector file in <repo>/test-vectors/*.json.
// RUNNERS[area] consumes <area>.json; EXPECTED_MISSING is the one list of files whose
// functions are not in the binding yet. Meta-tests fail when a file is in neither, and
// when an expected-missing file's binding function appears.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const x = require('..');

const REPO = path.resolve(__dirname, '..', '..', '..');
const VECTOR_DIR = path.join(REPO, 'test-vectors');
const HEADER = path.join(REPO, 'include', 'x402_secure.h');
const ADDON_SRC = path.join(__dirname, '..', 'src', 'x402s_node.c');

// ----------------------------------------------------------------------------- helpers

function hx(value) {
  assert.equal(typeof value, 'string');
  assert.match(value, /^0[xX]/);
  return Buffer.from(value.slice(2), 'hex');
}

function expandText(value) {
  if (value !== null && typeof value === 'object') return value.pattern.repeat(value.repeat);
  assert.equal(typeof value, 'string');
  return value;
}

function expandBytes(value) {
  if (value !== null && typeof value === 'object') return Buffer.concat(Array(value.repeat).fill(hx(value.pattern)));
  return hx(value);
}

function expectError(code, fn) {
  let thrown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected ${code}, nothing was thrown`);
  assert.equal(thrown.code, code, `got ${thrown.code} (${thrown.message}), expected ${code}`);
  assert.equal(typeof thrown.status, 'number');
  assert.equal(x.statusName(thrown.status), code);
  return thrown;
}

function runOrError(v, fn) {
  if ('error' in v.expect) {
    expectError(v.expect.error, fn);
    return undefined;
  }
  return fn();
}

function checkKeys(obj, allowed, what) {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  assert.deepEqual(unknown, [], `${what}: this runner does not know the keys ${unknown}; extend it`);
}

// ----------------------------------------------------------------------------- runners

function runSha256(v) {
  const inp = v.input;
  checkKeys(inp, ['message', 'parts'], 'sha256 input');
  // No streaming API: the digest of the concatenation is what is checked.
  const data = 'parts' in inp ? Buffer.concat(inp.parts.map(hx)) : expandBytes(inp.message);
  const got = runOrError(v, () => x.sha256(data));
  if (got !== undefined) {
    assert.equal(got.toString('hex'), hx(v.expect.digest).toString('hex'));
    assert.deepEqual(x.sha256(new Uint8Array(data)), got);
  }
}

function runKeccak256(v) {
  const inp = v.input;
  checkKeys(inp, ['message', 'parts'], 'keccak256 input');
  const data = 'parts' in inp ? Buffer.concat(inp.parts.map(hx)) : expandBytes(inp.message);
  const got = runOrError(v, () => x.keccak256(data));
  if (got !== undefined) {
    checkKeys(v.expect, ['digest', 'notDigest'], 'keccak256 expect');
    assert.equal(got.toString('hex'), hx(v.expect.digest).toString('hex'));
    // notDigest is the SHA3-256 of the same message
    if (v.expect.notDigest) assert.notEqual(got.toString('hex'), hx(v.expect.notDigest).toString('hex'));
  }
}

function encode(codec, data, inp) {
  switch (codec) {
    case 'hex': return x.hexEncode(data, { prefix: inp.prefix !== undefined ? inp.prefix : true });
    case 'base64': return x.b64encode(data);
    case 'base64url': return x.b64encode(data, { urlsafe: true, padding: !!inp.padding });
    case 'base58':
    case 'base58_32': return x.b58encode(data);
    default: throw new Error(`unknown codec ${codec}`);
  }
}

function decode(codec, text, inp) {
  switch (codec) {
    case 'hex': return x.hexDecode(text, { requirePrefix: !!inp.requirePrefix });
    case 'base64': return x.b64decode(text);
    case 'base64url': return x.b64decode(text, { urlsafe: true });
    case 'base58': return x.b58decode(text);
    case 'base58_32': return x.b58decode(text, { size: 32 });
    default: throw new Error(`unknown codec ${codec}`);
  }
}

function runEncodings(v) {
  const inp = v.input;
  checkKeys(inp, ['codec', 'op', 'bytes', 'text', 'prefix', 'padding', 'requirePrefix'], 'encodings input');
  const { codec, op } = inp;
  if (op === 'encode' || op === 'roundtrip') {
    const data = expandBytes(inp.bytes);
    const text = runOrError(v, () => encode(codec, data, inp));
    if (text !== undefined) assert.equal(text, expandText(v.expect.text));
    if (op === 'roundtrip' && !('error' in v.expect)) {
      assert.equal(decode(codec, expandText(v.expect.text), inp).toString('hex'), data.toString('hex'));
    }
  } else if (op === 'decode') {
    const got = runOrError(v, () => decode(codec, expandText(inp.text), inp));
    if (got !== undefined) assert.equal(got.toString('hex'), hx(v.expect.bytes).toString('hex'));
  } else {
    throw new Error(`unknown op ${op}`);
  }
}

function runSecp256k1(v) {
  const inp = v.input;
  const exp = v.expect;
  const inter = v.intermediate || {};
  checkKeys(inter, ['publicKey', 'address'], 'secp256k1 intermediate');
  switch (inp.op) {
    case 'sign': {
      checkKeys(inp, ['op', 'privateKey', 'digest'], 'secp256k1 sign input');
      const digest = hx(inp.digest);
      const sig = runOrError(v, () => {
        const acct = x.EvmAccount.fromKey(hx(inp.privateKey));
        try {
          if (inter.publicKey) assert.equal(acct.publicKey.toString('hex'), hx(inter.publicKey).toString('hex'));
          if (inter.address) assert.equal(acct.address, inter.address);
          return acct.signDigest(digest);
        } finally {
          acct.close();
        }
      });
      if (sig !== undefined) {
        assert.equal(sig.toString('hex'), hx(exp.signature).toString('hex'));
        assert.deepEqual(x.EvmAccount.fromKey(inp.privateKey).signDigest(digest), sig);
      }
      break;
    }
    case 'recover': {
      checkKeys(inp, ['op', 'digest', 'signature'], 'secp256k1 recover input');
      const digest = hx(inp.digest);
      const sig = hx(inp.signature);
      const addr = runOrError(v, () => x.recoverAddress(digest, sig));
      if (addr !== undefined) {
        assert.equal(addr, exp.address);
        if (exp.publicKey) assert.equal(x.recoverPublicKey(digest, sig).toString('hex'), hx(exp.publicKey).toString('hex'));
      } else {
        expectError(exp.error, () => x.recoverPublicKey(digest, sig));
      }
      break;
    }
    case 'verify': {
      checkKeys(inp, ['op', 'digest', 'signature', 'publicKey'], 'secp256k1 verify input');
      const valid = runOrError(v, () => x.secp256k1Verify(hx(inp.signature), hx(inp.digest), hx(inp.publicKey)));
      if (valid !== undefined) assert.equal(valid, exp.valid);
      break;
    }
    case 'eip191': {
      checkKeys(inp, ['op', 'message', 'privateKey'], 'secp256k1 eip191 input');
      const h = x.eip191Hash(hx(inp.message));
      assert.equal(h.toString('hex'), hx(exp.hash).toString('hex'));
      const acct = x.EvmAccount.fromKey(hx(inp.privateKey));
      assert.equal(acct.address, exp.address);
      assert.equal(acct.signDigest(h).toString('hex'), hx(exp.signature).toString('hex'));
      acct.close();
      assert.equal(x.recoverAddress(h, hx(exp.signature)), exp.address);
      break;
    }
    case 'address': {
      checkKeys(inp, ['op', 'text'], 'secp256k1 address input');
      const got = runOrError(v, () => x.checksumAddress(inp.text));
      if (got !== undefined) {
        assert.equal(got, exp.checksummed);
        assert.equal(x.hexDecode(got).toString('hex'), hx(exp.bytes).toString('hex'));
        assert.equal(x.checksumAddress(exp.lowercased), exp.checksummed);
      }
      break;
    }
    default:
      throw new Error(`unknown secp256k1 op ${inp.op}`);
  }
}

function runEd25519(v) {
  const inp = v.input;
  const exp = v.expect;
  const inter = v.intermediate || {};
  checkKeys(inter, ['solanaAddress'], 'ed25519 intermediate');
  if (inp.op === 'sign') {
    checkKeys(inp, ['op', 'seed', 'message'], 'ed25519 sign input');
    const msg = hx(inp.message);
    const got = runOrError(v, () => {
      const kp = x.SolanaKeypair.fromSeed(hx(inp.seed));
      try {
        return [kp.publicKey, kp.address, kp.sign(msg)];
      } finally {
        kp.close();
      }
    });
    if (got !== undefined) {
      const [pub, address, sig] = got;
      assert.equal(pub.toString('hex'), hx(exp.publicKey).toString('hex'));
      assert.equal(sig.toString('hex'), hx(exp.signature).toString('hex'));
      if (inter.solanaAddress) assert.equal(address, inter.solanaAddress);
      assert.equal(x.ed25519Verify(sig, msg, pub), true);
    }
  } else if (inp.op === 'verify') {
    checkKeys(inp, ['op', 'publicKey', 'message', 'signature'], 'ed25519 verify input');
    const valid = runOrError(v, () => x.ed25519Verify(hx(inp.signature), hx(inp.message), hx(inp.publicKey)));
    if (valid !== undefined) assert.equal(valid, exp.valid);
  } else {
    throw new Error(`unknown ed25519 op ${inp.op}`);
  }
}

const EIP712_KEY = Buffer.alloc(32, 1);

function runEip712(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['json'], 'eip712 input');
  checkKeys(v.intermediate || {}, ['encodeType', 'typeHash'], 'eip712 intermediate');
  const text = inp.json;
  if ('error' in exp) {
    for (const form of [text, Buffer.from(text, 'utf8')]) {
      expectError(exp.error, () => x.eip712Hash(form));
      expectError(exp.error, () => x.eip712Hashes(form));
    }
    const acct = x.EvmAccount.fromKey(EIP712_KEY);
    expectError(exp.error, () => acct.signTypedData(text));
    acct.close();
    return;
  }
  checkKeys(exp, ['digest', 'domainSeparator', 'structHash'], 'eip712 expect');
  const h = x.eip712Hashes(text);
  assert.equal(h.domainSeparator.toString('hex'), hx(exp.domainSeparator).toString('hex'));
  assert.equal(h.structHash.toString('hex'), hx(exp.structHash).toString('hex'));
  assert.equal(h.digest.toString('hex'), hx(exp.digest).toString('hex'));
  assert.deepEqual(x.eip712Hash(Buffer.from(text, 'utf8')), h.digest);
  // Objects go through JSON.stringify; JSON.parse would round numbers beyond 2^53, so the
  // object form is only checked when every number literal is small.
  if (!/[0-9]{16,}/.test(text)) assert.deepEqual(x.eip712Hash(JSON.parse(text)), h.digest);
  const acct = x.EvmAccount.fromKey(EIP712_KEY);
  assert.deepEqual(acct.signTypedData(text), acct.signDigest(h.digest));
  acct.close();
}

/** area -> runner. Add one per vector file as its functions reach the binding. */
const RUNNERS = {
  sha256: runSha256,
  keccak256: runKeccak256,
  encodings: runEncodings,
  secp256k1: runSecp256k1,
  ed25519: runEd25519,
  eip712: runEip712,
  ...require('./helpers/risk_runners'),
};

/**
 * THE list of vector files not wired in Node yet: area -> [binding names that would serve
 * it, reason]. When one of those names appears in the module, the meta-test fails until
 * the entry is replaced by a runner.
 */
const EXPECTED_MISSING = {
  x402_networks: [['networkLookup', 'lookupNetwork'], 'no x402s_network_lookup in the C ABI yet'],
  x402_price: [['parsePrice', 'priceToAmount'], 'no price conversion function in the C ABI yet'],
  x402_header: [['encodePaymentHeader', 'decodePaymentHeader'], 'no x402 header functions in the C ABI yet'],
  x402_create: [['createPayment', 'createPaymentHeader'], 'no x402 payment creation in the C ABI yet'],
  x402_select: [['selectRequirement', 'selectPaymentRequirement'], 'no requirement selection in the C ABI yet'],
  x402_seller: [['buildPaymentRequired', 'paymentRequirements'], 'no seller functions in the C ABI yet'],
  x402_verify: [['verifyPayment'], 'no x402 verify function in the C ABI yet'],
  solana_exact: [['buildSolanaPayment', 'verifySolanaPayment'], 'no Solana exact functions in the C ABI yet'],
  solana_message: [['solanaMessage', 'parseSolanaMessage'], 'no Solana message functions in the C ABI yet'],
  solana_pda: [['findProgramAddress', 'associatedTokenAddress'], 'no Solana PDA functions in the C ABI yet'],
  uint256: [['uint256'], 'Swift-internal 256-bit arithmetic; not part of the C ABI'],
};

// ----------------------------------------------------------------------------- meta-tests

const files = fs.readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json')).sort();

test('every vector file has a runner', () => {
  assert.ok(files.length > 0, 'no vector files found');
  const unhandled = files.filter((f) => {
    const area = f.slice(0, -5);
    return !(area in RUNNERS) && !(area in EXPECTED_MISSING);
  });
  assert.deepEqual(unhandled, [], `vector files without a Node runner: ${unhandled}`);
});

test('expected-missing files are still missing in the binding', () => {
  const wired = Object.entries(EXPECTED_MISSING)
    .map(([area, [names]]) => [area, names.filter((n) => n in x)])
    .filter(([, names]) => names.length > 0);
  assert.deepEqual(wired, [], 'binding functions exist for expected-missing vector files: write their runners');
});

/** Header functions the addon deliberately does not call: name -> reason. */
const NOT_CALLED = {
  // Node signs evidence with the account's own digest signer (the key never leaves its
  // External) and assembles the header with x402s_risk_evidence_assemble, which checks
  // the signature is the payer's.
  x402s_risk_evidence_sign: 'evidence is signed by EvmAccount/SolanaKeypair, then x402s_risk_evidence_assemble',
};

test('every header function is called by the addon', () => {
  const declared = new Set([...fs.readFileSync(HEADER, 'utf8').matchAll(/\b(x402s_[a-z0-9_]+)\s*\(/g)].map((m) => m[1]));
  const srcDir = path.dirname(ADDON_SRC);
  const src = fs.readdirSync(srcDir).filter((f) => f.endsWith('.c'))
    .map((f) => fs.readFileSync(path.join(srcDir, f), 'utf8')).join('\n');
  const missing = [...declared].filter((name) => !(name in NOT_CALLED) && !new RegExp(`\\b${name}\\b`).test(src)).sort();
  assert.deepEqual(missing, [], `functions of include/x402_secure.h not used by src/*.c: ${missing}`);
  for (const name of Object.keys(NOT_CALLED)) assert.ok(declared.has(name), `${name} is not in the header any more`);
});

test('vector files have the house schema', () => {
  for (const f of files) {
    const d = JSON.parse(fs.readFileSync(path.join(VECTOR_DIR, f), 'utf8'));
    assert.equal(d.schema, `x402s.vectors.${f.slice(0, -5)}@1`, f);
    assert.ok(typeof d.source === 'string' && d.source.length > 0, f);
    assert.ok(Array.isArray(d.vectors) && d.vectors.length > 0, f);
  }
});

// ----------------------------------------------------------------------------- the vectors

for (const f of files) {
  const area = f.slice(0, -5);
  if (!(area in RUNNERS)) continue;
  const d = JSON.parse(fs.readFileSync(path.join(VECTOR_DIR, f), 'utf8'));
  test(`vectors ${f}`, async (t) => {
    for (const [i, v] of d.vectors.entries()) {
      await t.test(`${area}:${i}:${v.name}`, () => RUNNERS[area](v));
    }
  });
}
