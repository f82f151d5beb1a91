'use strict';
/**
 * Settlement helpers of the core (include/x402_secure.h, section "Settlement"): RLP, EIP-1559
 * transactions signed with an account's prepared signer, ABI calls, results and revert
 * reasons, the call that settles an x402 EVM payment, and the Solana submission (co-sign,
 * checks, wire form, transaction id). The Node twin of x402secure.evm /
 * x402secure.solana.submission in Python; every rule lives in the core.
 *
 * Values: bytes are Buffers (Uint8Array accepted), integers in JSON views are decimal strings,
 * inputs accept numbers, bigints, decimal or "0x" strings.
 */

const internal = require('./internal');

if (internal.native === undefined) require('..');
const { native, EvmAccount, SolanaKeypair, signerOf } = internal;
const { libError, typeError, stringify } = internal;

function toJsonValue(v, op, depth = 0) {
  if (depth > 64) throw libError('X402S_ERR_JSON_TOO_DEEP', op, 'values nest too deeply');
  if (v instanceof Uint8Array) return '0x' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map((i) => toJsonValue(i, op, depth + 1));
  return v;
}

function rlpJson(item, op, depth = 0) {
  if (depth > 64) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'RLP items nest too deeply');
  if (item instanceof Uint8Array || typeof item === 'string') return toJsonValue(item, op);
  if (typeof item === 'bigint' || (typeof item === 'number' && Number.isSafeInteger(item))) {
    const n = BigInt(item);
    if (n < 0n) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'RLP integers are non-negative');
    if (n === 0n) return '0x';
    const h = n.toString(16);
    return '0x' + (h.length % 2 ? '0' + h : h);
  }
  if (Array.isArray(item)) return item.map((i) => rlpJson(i, op, depth + 1));
  throw typeError(op, 'item', item);
}

function fromRlpJson(v) {
  return typeof v === 'string' ? Buffer.from(v.slice(2), 'hex') : v.map(fromRlpJson);
}

function bytesArg(v, op, what) {
  if (v instanceof Uint8Array) return v;
  throw typeError(op, what, v);
}

/** RLP encoding: Uint8Array / "0x" string = bytes, non-negative integer = its minimal bytes, array = list. */
function rlpEncode(item) {
  const op = 'x402s_rlp_encode';
  return native.settleRlpEncode(stringify(rlpJson(item, op), op, 'item'));
}

/** Decode exactly one canonical RLP item: Buffers and nested arrays of them. */
function rlpDecode(data) {
  return fromRlpJson(JSON.parse(native.settleRlpDecode(bytesArg(data, 'x402s_rlp_decode', 'data'))));
}

function signed(doc) {
  return { raw: Buffer.from(doc.raw.slice(2), 'hex'), hash: doc.hash, from: doc.from, fields: doc };
}

/** Sign an EIP-1559 transaction ({chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, accessList}). */
function signTransaction(tx, account) {
  const op = 'x402s_evm_tx_sign';
  if (!(account instanceof EvmAccount)) throw typeError(op, 'account', account);
  if (tx === null || typeof tx !== 'object' || Array.isArray(tx)) throw typeError(op, 'tx', tx);
  const doc = {};
  for (const [k, v] of Object.entries(tx)) doc[k] = toJsonValue(v, op);
  return signed(JSON.parse(native.settleTxSign(stringify(doc, op, 'tx'), signerOf(account, op))));
}

/** Decode a signed EIP-1559 transaction (canonical form only) and recover its sender. */
function decodeTransaction(raw) {
  return signed(JSON.parse(native.settleTxDecode(bytesArg(raw, 'x402s_evm_tx_decode', 'raw'))));
}

/** Calldata of signature ("name(type,...)") with args. */
function abiEncodeCall(signature, args) {
  const op = 'x402s_evm_abi_encode_call';
  if (typeof signature !== 'string') throw typeError(op, 'signature', signature);
  if (!Array.isArray(args)) throw typeError(op, 'args', args);
  return native.settleAbiEncodeCall(signature, stringify(toJsonValue(args, op), op, 'args'));
}

/** Decode ABI data as the tuple types ("(uint256)"): the JSON view (integers as decimal strings, bytes as "0x" hex). */
function abiDecode(types, data) {
  const op = 'x402s_evm_abi_decode';
  if (typeof types !== 'string') throw typeError(op, 'types', types);
  return JSON.parse(native.settleAbiDecode(types, bytesArg(data, op, 'data')));
}

/** Classify revert data: {kind: empty | error | panic | custom, ...}. */
function decodeRevert(data) {
  return JSON.parse(native.settleAbiDecodeRevert(bytesArg(data, 'x402s_evm_abi_decode_revert', 'data')));
}

/** The call that settles a verified EVM x402 payment (see the header). */
function settleCall(payment, requirements) {
  const op = 'x402s_x402_evm_settle_call';
  return JSON.parse(native.settleEvmCall(stringify(payment, op, 'payment'), stringify(requirements, op, 'requirements')));
}

/** Prepare a Solana transaction for sendTransaction: co-sign slot 0 with feePayer (optional), check the verified message hash (optional), require every signature. */
function solanaSubmission(tx, feePayer, messageHash) {
  const op = 'x402s_solana_submission';
  let signer = null;
  if (feePayer !== null && feePayer !== undefined) {
    if (!(feePayer instanceof SolanaKeypair)) throw typeError(op, 'feePayer', feePayer);
    signer = signerOf(feePayer, op);
  }
  const hash = messageHash === null || messageHash === undefined ? null : bytesArg(messageHash, op, 'messageHash');
  return JSON.parse(native.settleSolanaSubmission(bytesArg(tx, op, 'tx'), signer, hash));
}

const TRANSFER_WITH_AUTHORIZATION_VRS =
  'transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)';
const TRANSFER_WITH_AUTHORIZATION_BYTES = 'transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)';

module.exports = {
  rlpEncode, rlpDecode, signTransaction, decodeTransaction, abiEncodeCall, abiDecode, decodeRevert, settleCall,
  solanaSubmission, TRANSFER_WITH_AUTHORIZATION_VRS, TRANSFER_WITH_AUTHORIZATION_BYTES,
};
