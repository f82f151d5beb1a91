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

// ----------------------------------------------------------------------------- x402

function runX402Networks(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['network'], 'x402_networks input');
  checkKeys(exp, ['caip2', 'family', 'chainId', 'defaultAsset', 'assetCount', 'inTable', 'error'], 'x402_networks expect');
  if (exp.inTable === false) {
    // A well-formed id outside the table: the C ABI's lookup serves the table only.
    expectError('X402S_ERR_X402_UNKNOWN_NETWORK', () => x.networkLookup(inp.network));
    return;
  }
  const got = runOrError(v, () => x.networkLookup(inp.network));
  if (got === undefined) return;
  for (const key of ['caip2', 'family', 'chainId']) if (key in exp) assert.equal(got[key], exp[key], key);
  if (exp.defaultAsset) {
    for (const [key, value] of Object.entries(exp.defaultAsset)) assert.deepEqual(got.assets[0][key], value, key);
  }
  if ('assetCount' in exp) assert.equal(got.assets.length, exp.assetCount);
}

let assetsByDecimals = null;
function assetWithDecimals(decimals) {
  if (assetsByDecimals === null) {
    assetsByDecimals = new Map();
    for (const net of x.networks().networks) {
      for (const asset of net.assets || []) {
        if (!assetsByDecimals.has(asset.decimals)) assetsByDecimals.set(asset.decimals, [net.caip2, asset.address]);
      }
    }
  }
  return assetsByDecimals.get(decimals);
}

function runX402Price(v) {
  const inp = v.input;
  checkKeys(inp, ['price', 'decimals'], 'x402_price input');
  const units = runOrError(v, () => x.priceToAtomicUnits(inp.price, inp.decimals));
  if (units !== undefined) assert.equal(units, v.expect.amount);
  // the same rule through a table asset with those decimals, where the table has one
  const target = assetWithDecimals(inp.decimals);
  if (target === undefined) return;
  const got = runOrError(v, () => x.priceToAtomic(inp.price, target[0], target[1]));
  if (got !== undefined) {
    assert.equal(got.amount, v.expect.amount);
    assert.equal(got.asset.decimals, inp.decimals);
  }
}

const RESOURCE = { url: 'https://api.example.com/premium-data' };

function runX402Seller(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['offer', 'offers', 'resource', 'v1'], 'x402_seller input');
  if ('offer' in inp) {
    const got = runOrError(v, () => x.paymentRequiredResponse({ x402Version: 2, offers: [inp.offer], resource: RESOURCE }));
    if (got !== undefined) assert.equal(JSON.stringify(got.paymentRequired.accepts[0]), JSON.stringify(exp.requirement));
    return;
  }
  const request = { x402Version: inp.v1 ? 1 : 2, offers: inp.offers, resource: inp.resource };
  const got = runOrError(v, () => x.paymentRequiredResponse(request));
  if (got === undefined) return;
  checkKeys(exp, ['paymentRequired', 'header', 'body'], 'x402_seller expect');
  assert.equal(JSON.stringify(got.paymentRequired), JSON.stringify(exp.paymentRequired));
  if ('header' in exp) {
    assert.equal(got.header, exp.header);
    assert.deepEqual(x.parsePaymentRequired(got.header), exp.paymentRequired);
  }
  if ('body' in exp) {
    assert.ok(!('header' in got));
    assert.equal(JSON.stringify(got.paymentRequired), exp.body);
    assert.deepEqual(x.parsePaymentRequired(null, exp.body), exp.paymentRequired);
  }
}

function runX402Select(v) {
  const inp = v.input;
  checkKeys(inp, ['paymentRequired', 'policy'], 'x402_select input');
  const got = runOrError(v, () => [x.selectRequirementIndex(inp.paymentRequired, inp.policy),
    x.selectRequirement(inp.paymentRequired, inp.policy)]);
  if (got !== undefined) {
    const [index, requirement] = got;
    assert.equal(index, v.expect.selectedIndex);
    const chosen = inp.paymentRequired.accepts[index];
    for (const key of ['scheme', 'network', 'payTo', 'asset']) assert.equal(requirement[key], chosen[key]);
  }
}

function runX402Header(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['header', 'headerRepeat'], 'x402_header input');
  checkKeys(exp, ['kind', 'error', 'json', 'reencoded', 'style', 'headerName', 'network', 'scheme', 'x402Version'], 'x402_header expect');
  const header = inp.headerRepeat ? inp.headerRepeat.text.repeat(inp.headerRepeat.times) : inp.header;
  const decode = {
    payment: (h) => x.decodePaymentHeader(h),
    paymentRequired: (h) => x.parsePaymentRequired(h),
    settleResponse: (h) => x.decodeSettleResponse(h),
  }[exp.kind];
  const got = runOrError(v, () => decode(header));
  if (got === undefined) return;
  assert.deepEqual(got, exp.json);
  if (exp.kind === 'settleResponse') assert.equal(x.encodeSettleResponse(got, exp.style), exp.reencoded);
  // Payment and PAYMENT-REQUIRED bytes are checked by the x402_create and x402_seller runners.
  if (exp.kind === 'payment') assert.equal(got.x402Version, exp.x402Version);
}

function runX402Create(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['paymentRequired', 'requirement', 'privateKey', 'solanaSeed', 'now', 'nonce', 'memoNonce',
    'recentBlockhash', 'mintDecimals', 'tokenProgram'], 'x402_create input');
  checkKeys(v.intermediate || {}, ['digest', 'domainSeparator', 'structHash'], 'x402_create intermediate');
  const request = inp.paymentRequired || inp.requirement;
  const options = {};
  for (const k of ['now', 'nonce', 'memoNonce', 'recentBlockhash', 'mintDecimals', 'tokenProgram']) if (k in inp) options[k] = inp[k];
  const got = runOrError(v, () => {
    const signer = inp.privateKey ? x.EvmAccount.fromKey(hx(inp.privateKey)) : x.SolanaKeypair.fromSeed(hx(inp.solanaSeed));
    try {
      return [signer.address, x.createPayment(request, signer, null, options)];
    } finally {
      signer.close();
    }
  });
  if (got === undefined) return;
  const [address, created] = got;
  assert.equal(created.headerName, exp.headerName);
  if (exp.header) {
    assert.equal(created.headerValue, exp.header);
    assert.deepEqual(x.decodePaymentHeader(created.headerValue), created.payment);
  }
  if (exp.from) assert.equal(exp.from, address);
  const inter = v.intermediate || {};
  if (inter.digest) assert.equal(x.recoverAddress(hx(inter.digest), hx(created.payment.payload.signature)), address);
}

function runX402Verify(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(inp, ['header', 'requirements', 'now', 'options', 'times'], 'x402_verify input');
  checkKeys(v.intermediate || {}, ['official', 'stricter'], 'x402_verify intermediate');
  const options = { ...(inp.options || {}) };
  const useGuard = !!options.replayGuard;
  delete options.replayGuard;
  const guard = useGuard ? new x.ReplayGuard() : null;
  let result;
  try {
    for (let i = 0; i < (inp.times || 1); i++) {
      result = runOrError(v, () => x.verifyPayment(inp.header, inp.requirements, inp.now,
        Object.keys(options).length ? options : null, guard));
    }
  } finally {
    if (guard) guard.close();
  }
  if (result === undefined) return;
  checkKeys(exp, ['isValid', 'invalidReason', 'payer'], 'x402_verify expect');
  assert.equal(result.isValid, exp.isValid);
  assert.equal(result.invalidReason, exp.invalidReason);
  assert.equal(result.payer, exp.payer);
}

// ----------------------------------------------------------------------------- Solana

const crypto = require('node:crypto');

function onCurveBulkInput(i) {
  const b = crypto.createHash('sha256').update(`x402s-oncurve-${i}`).digest();
  const mode = i % 4;
  if (mode === 1) b[31] ^= 0x80;
  else if (mode === 2) {
    for (let j = 1; j < 31; j++) b[j] = 0xff;
    b[31] = 0x7f | (b[31] & 0x80);
  } else if (mode === 3) {
    for (let j = 2; j < 32; j++) b[j] = 0;
  }
  return b;
}

function runSolanaPda(v) {
  const inp = v.input;
  const exp = v.expect;
  switch (inp.op) {
    case 'isOnCurve': {
      checkKeys(inp, ['op', 'bytes'], 'isOnCurve input');
      const got = runOrError(v, () => x.solanaIsOnCurve(hx(inp.bytes)));
      if (got !== undefined) assert.equal(got, exp.onCurve);
      break;
    }
    case 'isOnCurveBulk': {
      checkKeys(inp, ['op', 'count'], 'isOnCurveBulk input');
      const bitmap = Buffer.alloc((inp.count + 7) >> 3);
      let on = 0;
      for (let i = 0; i < inp.count; i++) {
        if (x.solanaIsOnCurve(onCurveBulkInput(i))) {
          bitmap[i >> 3] |= 1 << (i & 7);
          on++;
        }
      }
      assert.equal(on, exp.onCurveCount);
      assert.equal(crypto.createHash('sha256').update(bitmap).digest('hex'), hx(exp.bitmapSha256).toString('hex'));
      break;
    }
    case 'findProgramAddress':
    case 'createProgramAddress': {
      checkKeys(inp, ['op', 'seeds', 'programId'], `${inp.op} input`);
      const seeds = inp.seeds.map(hx);
      if (inp.op === 'findProgramAddress') {
        const got = runOrError(v, () => x.solanaFindProgramAddress(seeds, inp.programId));
        if (got !== undefined) {
          assert.deepEqual(got, { address: exp.address, bump: exp.bump });
          assert.equal(x.solanaCreateProgramAddress([...seeds, Buffer.from([got.bump])], inp.programId), got.address);
        }
      } else {
        const got = runOrError(v, () => x.solanaCreateProgramAddress(seeds, inp.programId));
        if (got !== undefined) assert.equal(got, exp.address);
      }
      break;
    }
    case 'associatedTokenAddress': {
      checkKeys(inp, ['op', 'owner', 'mint', 'tokenProgram'], 'associatedTokenAddress input');
      const got = runOrError(v, () => x.solanaAssociatedTokenAddress(inp.owner, inp.mint, inp.tokenProgram));
      if (got !== undefined) assert.equal(got, exp.address);
      break;
    }
    case 'publicKeyFromBase58': {
      checkKeys(inp, ['op', 'base58'], 'publicKeyFromBase58 input');
      const got = runOrError(v, () => x.solanaPublicKeyDecode(inp.base58));
      if (got !== undefined) assert.equal(got.toString('hex'), hx(exp.bytes).toString('hex'));
      break;
    }
    default:
      throw new Error(`unknown solana_pda op ${inp.op}`);
  }
}

function runSolanaMessage(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(v.intermediate || {}, ['note', 'solders_from_bytes'], 'solana_message intermediate');
  if (inp.op === 'compileV0') {
    checkKeys(inp, ['op', 'payer', 'recentBlockhash', 'instructions'], 'compileV0 input');
    const got = runOrError(v, () => x.solanaCompileMessageV0({ payer: inp.payer, recentBlockhash: inp.recentBlockhash, instructions: inp.instructions }));
    if (got !== undefined) {
      checkKeys(exp, ['messageHex', 'accountKeys', 'header'], 'compileV0 expect');
      for (const [k, value] of Object.entries(exp)) assert.deepEqual(got[k], value, k);
    }
  } else if (inp.op === 'parseTransaction') {
    checkKeys(inp, ['op', 'bytes'], 'parseTransaction input');
    const got = runOrError(v, () => x.solanaDecodeTransaction(hx(inp.bytes)));
    if (got !== undefined) {
      for (const [k, value] of Object.entries(exp)) {
        if (k === 'addressTableLookups' && typeof value === 'number') assert.equal(got[k].length, value);
        else assert.deepEqual(got[k], value, k);
      }
    }
  } else if (inp.op === 'sanitizeTransaction') {
    checkKeys(inp, ['op', 'bytes'], 'sanitizeTransaction input');
    if ('error' in exp) expectError(exp.error, () => x.solanaSanitizeTransaction(hx(inp.bytes)));
    else {
      assert.equal(exp.sanitizeOk, true);
      x.solanaSanitizeTransaction(hx(inp.bytes));
      assert.equal(x.solanaDecodeTransaction(hx(inp.bytes)).sanitizeOk, true);
    }
  } else {
    throw new Error(`unknown solana_message op ${inp.op}`);
  }
}

function runSolanaExact(v) {
  const inp = v.input;
  const exp = v.expect;
  checkKeys(v.intermediate || {}, ['official_x402_2_25_0', 'network', 'note'], 'solana_exact intermediate');
  if (inp.op === 'build') {
    checkKeys(inp, ['op', 'signerSeed', 'feePayer', 'payTo', 'mint', 'decimals', 'tokenProgram', 'amount',
      'recentBlockhash', 'memo', 'memoNonce'], 'build input');
    const request = { ...inp };
    delete request.op;
    delete request.signerSeed;
    const tx = runOrError(v, () => {
      const kp = x.SolanaKeypair.fromSeed(hx(inp.signerSeed));
      try { return x.solanaExactBuild(request, kp); } finally { kp.close(); }
    });
    if (tx !== undefined) {
      assert.equal(tx.toString('base64'), exp.transactionBase64);
      assert.equal(x.solanaDecodeTransaction(tx).messageHashBase64, exp.messageHashBase64);
    }
  } else if (inp.op === 'feePayerSign') {
    checkKeys(inp, ['op', 'transactionBase64', 'feePayerSeed'], 'feePayerSign input');
    const tx = runOrError(v, () => {
      const kp = x.SolanaKeypair.fromSeed(hx(inp.feePayerSeed));
      try { return x.solanaSignTransaction(Buffer.from(inp.transactionBase64, 'base64'), kp); } finally { kp.close(); }
    });
    if (tx !== undefined) {
      assert.equal(tx.toString('base64'), exp.transactionBase64);
      assert.deepEqual(x.solanaDecodeTransaction(tx).signatures, exp.signatures);
    }
  } else if (inp.op === 'verify') {
    checkKeys(inp, ['op', 'transactionBase64', 'network', 'asset', 'payTo', 'amount', 'feePayer', 'memo', 'decimals',
      'facilitatorSigners'], 'verify input');
    const request = { ...inp };
    delete request.op;
    const got = runOrError(v, () => x.solanaExactVerify(request));
    if (got !== undefined) {
      checkKeys(exp, ['isValid', 'reason', 'payer', 'messageHashBase64'], 'verify expect');
      assert.equal(got.isValid, exp.isValid);
      for (const k of ['reason', 'payer', 'messageHashBase64']) assert.equal(got[k], exp[k], k);
    }
  } else {
    throw new Error(`unknown solana_exact op ${inp.op}`);
  }
}

/** area -> runner. Add one per vector file as its functions reach the binding. */
const RUNNERS = {
  sha256: runSha256,
  keccak256: runKeccak256,
  encodings: runEncodings,
  secp256k1: runSecp256k1,
  ed25519: runEd25519,
  eip712: runEip712,
  x402_networks: runX402Networks,
  x402_price: runX402Price,
  x402_seller: runX402Seller,
  x402_select: runX402Select,
  x402_header: runX402Header,
  x402_create: runX402Create,
  x402_verify: runX402Verify,
  solana_pda: runSolanaPda,
  solana_message: runSolanaMessage,
  solana_exact: runSolanaExact,
  ...require('./helpers/risk_runners'),
  ...require('./helpers/settle_runner'),
  ...require('./helpers/route_runners'),
  ...require('./helpers/evidence_runner'),
};

/**
 * THE list of vector files not wired in Node yet: area -> [binding names that would serve
 * it, reason]. When one of those names appears in the module, the meta-test fails until
 * the entry is replaced by a runner.
 */
const EXPECTED_MISSING = {
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
  // Dispute evidence is signed and exported by the risk proxy (Python, x402secure.evidence);
  // Node has the verifying side.
  x402s_evidence_public_key: 'receipt keys live in the proxy (Python ReceiptKey)',
  x402s_evidence_receipt_sign: 'receipts are signed by the proxy (Python ReceiptKey.sign_receipt)',
  x402s_evidence_bundle_build: 'bundles are exported by the proxy (Python build_bundle)',
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
      await t.test(`${area}:${i}:${v.name}`, (st) => RUNNERS[area](v, st));
    }
  });
}
