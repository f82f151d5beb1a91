'use strict';
// Runners for the x402 and Solana vector files (test-vectors/x402_*.json, solana_*.json),
// merged into RUNNERS by vectors.test.js. Every vector goes through the public binding.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const x = require('..');

const { solana } = x;

function hx(value) {
  assert.match(value, /^0[xX]/);
  return Buffer.from(value.slice(2), 'hex');
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
  assert.equal(x.statusName(thrown.status), code);
  return thrown;
}

function checkKeys(obj, allowed, what) {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  assert.deepEqual(unknown, [], `${what}: this runner does not know the keys ${unknown}; extend it`);
}

const b64 = (buf) => Buffer.from(buf).toString('base64');
// JSON.stringify keeps member order, so equal text means equal JSON with equal key order.
const sameJSON = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const TWA_TYPES = {
  EIP712Domain: [
    { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
  ],
  TransferWithAuthorization: [
    { name: 'from', type: 'address' }, { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' }, { name: 'validBefore', type: 'uint256' }, { name: 'nonce', type: 'bytes32' },
  ],
};

function runNetworks(v) {
  checkKeys(v.input, ['network'], 'x402_networks input');
  const id = v.input.network;
  const e = v.expect;
  if ('error' in e) {
    expectError(e.error, () => x.network(id));
    return;
  }
  if (e.inTable === false) {
    expectError('X402S_ERR_X402_UNKNOWN_NETWORK', () => x.network(id));
    const req = {
      scheme: 'exact', network: id, asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: '1',
      payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' },
    };
    const acct = x.EvmAccount.fromKey(Buffer.alloc(32, 1));
    const p = x.createPayment(req, acct, null, { now: 1740672000, nonce: Buffer.alloc(32) });
    acct.close();
    const auth = p.payment.payload.authorization;
    const doc = {
      types: TWA_TYPES, primaryType: 'TransferWithAuthorization',
      domain: { name: 'USDC', version: '2', chainId: e.chainId, verifyingContract: req.asset }, message: auth,
    };
    assert.equal(x.recoverAddress(x.eip712Hash(doc), hx(p.payment.payload.signature)), auth.from);
    return;
  }
  const n = x.network(id);
  assert.equal(n.caip2, e.caip2);
  assert.equal(n.family, e.family);
  if ('chainId' in e) assert.equal(n.chainId, e.chainId);
  if ('assetCount' in e) assert.equal(n.assets.length, e.assetCount);
  if ('defaultAsset' in e) {
    for (const [k, val] of Object.entries(e.defaultAsset)) {
      assert.deepEqual(k in n.assets[0] ? n.assets[0][k] : (k === 'supportsEip2612' ? false : undefined), val, k);
    }
  }
  assert.ok(x.networks().networks.some((m) => sameJSON(m, n)));
}

function runPrice(v) {
  checkKeys(v.input, ['price', 'decimals'], 'x402_price input');
  const { price, decimals } = v.input;
  if ('error' in v.expect) {
    expectError(v.expect.error, () => x.priceToAtomicUnits(price, decimals));
    return;
  }
  assert.equal(x.priceToAtomicUnits(price, decimals), v.expect.amount);
  if (decimals === 6) assert.equal(x.priceToAtomic(price, 'base-sepolia').amount, v.expect.amount);
  if (decimals === 18) assert.equal(x.priceToAtomic(price, 'eip155:4326').amount, v.expect.amount);
}

function runHeader(v) {
  const inp = v.input;
  const e = v.expect;
  checkKeys(inp, ['header', 'headerRepeat'], 'x402_header input');
  const header = inp.headerRepeat ? inp.headerRepeat.text.repeat(inp.headerRepeat.times) : inp.header;
  const decode = {
    payment: (h) => x.decodePaymentHeader(h),
    paymentRequired: (h) => x.parsePaymentRequired({ 'PAYMENT-REQUIRED': h }),
    settleResponse: (h) => x.decodeSettleResponse(h),
  }[e.kind];
  assert.ok(decode, `unknown kind ${e.kind}`);
  if ('error' in e) {
    expectError(e.error, () => decode(header));
    return;
  }
  const got = decode(header);
  assert.ok(sameJSON(got, e.json), JSON.stringify(got));
  if (e.kind === 'payment') {
    // re-encoding: base64 of compact JSON in model order (JSON.stringify keeps the core's order)
    assert.equal(b64(Buffer.from(JSON.stringify(got))), e.reencoded);
    assert.equal(got.x402Version, e.x402Version);
    const [scheme, net, name] = got.x402Version === 1 ? [got.scheme, got.network, 'X-PAYMENT']
      : [got.accepted.scheme, got.accepted.network, 'PAYMENT-SIGNATURE'];
    assert.deepEqual([scheme, net, name], [e.scheme, e.network, e.headerName]);
  } else if (e.kind === 'paymentRequired') {
    assert.equal(b64(Buffer.from(JSON.stringify(got))), e.reencoded);
  } else {
    assert.equal(x.encodeSettleResponse(got, { pythonSpaced: e.style === 'pythonSpaced' }), e.reencoded);
  }
}

function runSeller(v) {
  const inp = v.input;
  const e = v.expect;
  checkKeys(inp, ['offer', 'offers', 'resource', 'v1'], 'x402_seller input');
  if ('offer' in inp) {
    const call = () => x.paymentRequiredResponse([inp.offer], { resource: 'https://example.com/x' });
    if ('error' in e) {
      expectError(e.error, call);
      return;
    }
    assert.ok(sameJSON(call().accepts[0], e.requirement));
    return;
  }
  const version = inp.v1 ? 1 : 2;
  const r = x.paymentRequiredResponse(inp.offers, { resource: inp.resource, version });
  assert.equal(r.status, 402);
  assert.equal(r.headers['Cache-Control'], 'no-store');
  assert.ok(sameJSON(r.paymentRequired, e.paymentRequired));
  if (version === 1) {
    assert.equal(r.body.toString('utf8'), e.body);
    assert.ok(sameJSON(x.parsePaymentRequired(null, r.body), e.paymentRequired));
  } else {
    assert.equal(r.headers['PAYMENT-REQUIRED'], e.header);
    assert.equal(r.body.toString(), '{}');
    assert.ok(sameJSON(x.parsePaymentRequired(new Map([['payment-required', e.header]]), r.body), e.paymentRequired));
  }
}

function runSelect(v) {
  checkKeys(v.input, ['paymentRequired', 'policy'], 'x402_select input');
  const { paymentRequired, policy } = v.input;
  if ('error' in v.expect) {
    expectError(v.expect.error, () => x.selectRequirement(paymentRequired, policy));
    return;
  }
  const i = x.selectRequirementIndex(paymentRequired, policy);
  assert.equal(i, v.expect.selectedIndex);
  assert.equal(x.selectRequirement(paymentRequired, policy).payTo, paymentRequired.accepts[i].payTo);
}

function runCreate(v) {
  const inp = v.input;
  const e = v.expect;
  checkKeys(inp, ['paymentRequired', 'requirement', 'privateKey', 'solanaSeed', 'now', 'nonce', 'memoNonce',
    'recentBlockhash', 'mintDecimals', 'tokenProgram'], 'x402_create input');
  const request = inp.paymentRequired || inp.requirement;
  const options = { now: inp.now };
  if ('nonce' in inp) options.nonce = inp.nonce;
  if ('memoNonce' in inp) options.memoNonce = hx(inp.memoNonce);
  if ('recentBlockhash' in inp) options.recentBlockhash = inp.recentBlockhash;
  if ('mintDecimals' in inp) options.mintDecimals = inp.mintDecimals;
  if ('tokenProgram' in inp) options.tokenProgram = inp.tokenProgram;
  const makeSigner = () => ('solanaSeed' in inp ? x.SolanaKeypair.fromSeed(hx(inp.solanaSeed)) : x.EvmAccount.fromKey(inp.privateKey));
  const make = () => {
    const s = makeSigner();
    try {
      return [x.createPayment(request, s, null, options), s.address];
    } finally {
      s.close();
    }
  };
  if ('error' in e) {
    expectError(e.error, make);
    return;
  }
  const [created, address] = make();
  assert.equal(created.headerName, e.headerName);
  if ('header' in e) {
    assert.equal(created.headerValue, e.header);
    const s = makeSigner();
    assert.deepEqual(x.createPaymentHeader(JSON.stringify(request), s, null, options), [e.headerName, e.header]);
    s.close();
  } else {
    const r = x.verifyPayment(created.headerValue, created.payment.accepted, inp.now);
    assert.ok(r.isValid, JSON.stringify(r));
  }
  assert.ok(sameJSON(x.decodePaymentHeader(created.headerValue), created.payment));
  if ('from' in e) {
    assert.equal(address, e.from);
    const p = created.payment.payload;
    assert.equal((p.authorization || p.permit2Authorization).from, e.from);
  }
}

function runVerify(v) {
  const inp = v.input;
  const e = v.expect;
  checkKeys(inp, ['header', 'requirements', 'now', 'options', 'times'], 'x402_verify input');
  const o = inp.options || {};
  checkKeys(o, ['facilitatorAddresses', 'solanaFeePayers', 'replayGuard'], 'x402_verify options');
  const guard = o.replayGuard ? new x.ReplayGuard() : null;
  let r;
  try {
    for (let i = 0; i < (inp.times || 1); i++) {
      r = x.verifyPayment(inp.header, inp.requirements, inp.now, {
        facilitatorAddresses: o.facilitatorAddresses, solanaFeePayers: o.solanaFeePayers, replayGuard: guard,
      });
    }
  } finally {
    if (guard) guard.close();
  }
  assert.equal(r.isValid, e.isValid, JSON.stringify(r));
  assert.equal(r.invalidReason, e.invalidReason === undefined ? null : e.invalidReason);
  assert.equal(r.payer, e.payer === undefined ? null : e.payer);
  const wire = r.toJSON();
  assert.equal(wire.isValid, e.isValid);
  assert.equal('invalidMessage' in wire, !e.isValid);
}

function runPda(v) {
  const inp = v.input;
  const e = v.expect;
  switch (inp.op) {
    case 'isOnCurve':
      assert.equal(solana.isOnCurve(hx(inp.bytes)), e.onCurve);
      break;
    case 'isOnCurveBulk': {
      const bitmap = Buffer.alloc((inp.count + 7) >> 3);
      let on = 0;
      for (let i = 0; i < inp.count; i++) {
        const b = crypto.createHash('sha256').update(`x402s-oncurve-${i}`).digest();
        if (i % 4 === 1) b[31] ^= 0x80;
        else if (i % 4 === 2) {
          for (let k = 1; k < 31; k++) b[k] = 0xff;
          b[31] = 0x7f | (b[31] & 0x80);
        } else if (i % 4 === 3) b.fill(0, 2);
        if (solana.isOnCurve(b)) {
          bitmap[i >> 3] |= 1 << (i % 8);
          on++;
        }
      }
      assert.equal(on, e.onCurveCount);
      assert.equal('0x' + crypto.createHash('sha256').update(bitmap).digest('hex'), e.bitmapSha256);
      break;
    }
    case 'findProgramAddress': {
      if ('error' in e) {
        expectError(e.error, () => solana.findProgramAddress(inp.seeds, inp.programId));
        break;
      }
      const found = solana.findProgramAddress(inp.seeds.map(hx), inp.programId);
      assert.deepEqual(found, { address: e.address, bump: e.bump });
      assert.equal(solana.isOnCurve(solana.publicKeyBytes(found.address)), false);
      const withBump = [...inp.seeds, '0x' + found.bump.toString(16).padStart(2, '0')];
      assert.equal(solana.createProgramAddress(withBump, inp.programId), found.address);
      break;
    }
    case 'createProgramAddress':
      if ('error' in e) expectError(e.error, () => solana.createProgramAddress(inp.seeds, inp.programId));
      else assert.equal(solana.createProgramAddress(inp.seeds, inp.programId), e.address);
      break;
    case 'associatedTokenAddress':
      assert.equal(solana.associatedTokenAddress(inp.owner, inp.mint, inp.tokenProgram), e.address);
      if (inp.tokenProgram === solana.TOKEN_PROGRAM) assert.equal(solana.associatedTokenAddress(inp.owner, inp.mint), e.address);
      break;
    case 'publicKeyFromBase58':
      if ('error' in e) expectError(e.error, () => solana.publicKeyBytes(inp.base58));
      else assert.deepEqual(solana.publicKeyBytes(inp.base58), hx(e.bytes));
      break;
    default:
      assert.fail(`unknown solana_pda op ${inp.op}`);
  }
}

function runMessage(v) {
  const inp = v.input;
  const e = v.expect;
  switch (inp.op) {
    case 'compileV0': {
      const call = () => solana.compileMessageV0(inp.payer, inp.instructions, inp.recentBlockhash);
      if ('error' in e) {
        expectError(e.error, call);
        break;
      }
      const m = call();
      assert.equal(m.messageHex, e.messageHex);
      assert.deepEqual(m.accountKeys, e.accountKeys);
      assert.deepEqual(m.header, e.header);
      break;
    }
    case 'parseTransaction': {
      const data = hx(inp.bytes);
      if ('error' in e) {
        expectError(e.error, () => solana.decodeTransaction(data));
        break;
      }
      const t = solana.decodeTransaction(data);
      for (const k of ['version', 'numSignatures', 'header', 'accountKeys', 'recentBlockhash', 'messageHex',
        'messageHashBase64', 'sanitizeOk']) assert.deepEqual(t[k], e[k], k);
      assert.equal(t.addressTableLookups.length, e.addressTableLookups);
      assert.equal(t.instructions.length, e.instructions.length);
      t.instructions.forEach((ix, i) => {
        assert.equal(ix.programIdIndex, e.instructions[i].programIdIndex);
        assert.deepEqual(ix.accounts, e.instructions[i].accounts);
        assert.equal(ix.data, e.instructions[i].data);
      });
      break;
    }
    case 'sanitizeTransaction':
      if ('error' in e) expectError(e.error, () => solana.sanitizeTransaction(hx(inp.bytes)));
      else assert.equal(solana.sanitizeTransaction(hx(inp.bytes)), undefined);
      break;
    default:
      assert.fail(`unknown solana_message op ${inp.op}`);
  }
}

function runExact(v) {
  const inp = v.input;
  const e = v.expect;
  switch (inp.op) {
    case 'build': {
      const build = () => {
        const kp = x.SolanaKeypair.fromSeed(hx(inp.signerSeed));
        try {
          return solana.exactBuild(kp, {
            feePayer: inp.feePayer, payTo: inp.payTo, mint: inp.mint, decimals: inp.decimals, amount: inp.amount,
            recentBlockhash: inp.recentBlockhash, tokenProgram: inp.tokenProgram, memo: inp.memo, memoNonce: inp.memoNonce,
          });
        } finally {
          kp.close();
        }
      };
      if ('error' in e) {
        expectError(e.error, build);
        break;
      }
      const tx = build();
      assert.equal(b64(tx), e.transactionBase64);
      assert.equal(solana.decodeTransaction(tx).messageHashBase64, e.messageHashBase64);
      const network = v.intermediate && v.intermediate.network;
      if (network) {
        const extra = { feePayer: inp.feePayer, recentBlockhash: inp.recentBlockhash };
        if (inp.memo !== undefined && inp.memo !== null) extra.memo = inp.memo;
        const req = { scheme: 'exact', network, asset: inp.mint, amount: inp.amount, payTo: inp.payTo, maxTimeoutSeconds: 60, extra };
        const kp = x.SolanaKeypair.fromSeed(hx(inp.signerSeed));
        const p = x.createPayment(req, kp, null, {
          memoNonce: inp.memoNonce, mintDecimals: inp.decimals,
          tokenProgram: inp.tokenProgram === solana.TOKEN_2022_PROGRAM ? 'token2022' : 'token',
        });
        kp.close();
        assert.equal(p.payment.payload.transaction, e.transactionBase64);
      }
      break;
    }
    case 'feePayerSign': {
      const tx = Buffer.from(inp.transactionBase64, 'base64');
      const kp = x.SolanaKeypair.fromSeed(hx(inp.feePayerSeed));
      try {
        if ('error' in e) {
          expectError(e.error, () => solana.signTransaction(tx, kp));
          break;
        }
        const full = solana.signTransaction(tx, kp);
        assert.equal(b64(full), e.transactionBase64);
        const d = solana.decodeTransaction(full);
        assert.deepEqual(d.signatures, e.signatures);
        assert.equal(d.messageHashBase64, solana.decodeTransaction(tx).messageHashBase64);
      } finally {
        kp.close();
      }
      break;
    }
    case 'verify': {
      const p = {
        network: inp.network, asset: inp.asset, payTo: inp.payTo, amount: inp.amount, feePayer: inp.feePayer,
        memo: inp.memo, decimals: inp.decimals, facilitatorSigners: inp.facilitatorSigners,
      };
      if ('error' in e) {
        expectError(e.error, () => solana.exactVerify(inp.transactionBase64, p));
        break;
      }
      const r = solana.exactVerify(inp.transactionBase64, p);
      assert.equal(r.isValid, e.isValid);
      assert.equal(r.reason, e.reason === undefined ? null : e.reason);
      assert.equal(r.payer, e.payer === undefined ? null : e.payer);
      assert.equal(r.messageHashBase64, e.messageHashBase64 === undefined ? null : e.messageHashBase64);
      assert.equal(r.isValid, r.reason === null);
      assert.ok(r.message.length > 0);
      break;
    }
    default:
      assert.fail(`unknown solana_exact op ${inp.op}`);
  }
}

module.exports = {
  x402_networks: runNetworks,
  x402_price: runPrice,
  x402_header: runHeader,
  x402_seller: runSeller,
  x402_select: runSelect,
  x402_create: runCreate,
  x402_verify: runVerify,
  solana_pda: runPda,
  solana_message: runMessage,
  solana_exact: runExact,
};
