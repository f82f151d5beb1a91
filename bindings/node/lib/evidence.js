'use strict';
/**
 * Dispute evidence for Node (docs/EVIDENCE.md): check the risk proxy's evidence records,
 * decision receipts (X-Risk-Receipt) and bundles offline, computed by the Swift core behind
 * the x402s_evidence_* functions of the C ABI (src/x402s_node_risk.c). Same API as the
 * verifying side of the Python module x402secure.evidence, in camelCase. Signing receipts and
 * building bundles is the proxy's (Python, x402secure.evidence).
 *
 * require('x402secure').evidence, or require('x402secure/lib/evidence').
 */

const x = require('..');

const { X402SError } = x;
const { native, typeError, text, stringify } = require('./internal');

const GENESIS_HASH = 'sha256:' + '0'.repeat(64);
const RECEIPT_HEADER = 'X-Risk-Receipt';
const RECEIPT_KEY_PATH = '/.well-known/x402-secure/receipt-key';
const EVIDENCE_PATH = '/evidence/{decision_id}';
const DEFAULT_CHAIN = 'main';

const S_OK = 0;
const S_VERIFY_FAILED = (() => {
  for (let s = 0; s < 256; s++) if (native.statusName(s) === 'X402S_ERR_EVIDENCE_VERIFY_FAILED') return s;
  throw new Error('x402secure: the addon does not know X402S_ERR_EVIDENCE_VERIFY_FAILED');
})();

function call(fnName, operation, args, verdict = false) {
  const [status, out, message] = native[fnName](...args);
  if (status === S_OK || (verdict && status === S_VERIFY_FAILED)) return out === null ? '' : out;
  const name = native.statusName(status);
  throw new X402SError(message || 'the call failed', name || `X402S_STATUS_${status}`, status, operation);
}

/** JSON text (string / Uint8Array, passed unchanged) or a value to JSON.stringify. */
function jsonArg(value, operation, what) {
  if (typeof value === 'string' || value instanceof Uint8Array) return text(value, operation, what);
  if (value === null || value === undefined) throw typeError(operation, what, value);
  return stringify(value, operation, what);
}

/**
 * Trusted keys: a JWK, a JWK Set {keys: [...]}, an array of JWKs (objects or JSON text), or a
 * raw key: a 32-byte Uint8Array, or a string "0x" + 64 hex / 43 characters of base64url.
 */
function keysArg(keys, operation) {
  if (keys instanceof Uint8Array && keys.length === 32) return JSON.stringify('0x' + Buffer.from(keys).toString('hex'));
  if (typeof keys === 'string' && !/^\s*[[{"]/.test(keys)) return JSON.stringify(keys);
  return jsonArg(keys, operation, 'publicKeys');
}

function recordArg(record, operation) {
  if (record !== null && typeof record === 'object' && !(record instanceof Uint8Array) && typeof record.text === 'string') {
    return record.text;
  }
  return text(record, operation, 'record');
}

function toRecord(d, textValue) {
  return {
    text: textValue, hash: d.hash, prev: d.prev, seq: d.seq, chain: d.chain,
    decisionId: d.decisionId, bodyDigest: d.bodyDigest, isLink: d.decisionId === null,
  };
}

/**
 * Make the record of one decision (schema in docs/EVIDENCE.md).
 * @param {object|string} decision {decisionId, kind, decidedAt (Unix ms), verdict, ...} or its JSON
 * @param {{seq: number, prev?: string|null, chain?: string}} opts
 * @returns {{text, hash, prev, seq, chain, decisionId, bodyDigest, isLink}}
 */
function makeRecord(decision, opts) {
  const op = 'x402s_evidence_record_make';
  if (opts === null || typeof opts !== 'object') throw typeError(op, 'opts', opts);
  if (!Number.isSafeInteger(opts.seq) || opts.seq < 0) throw typeError(op, 'seq', opts.seq === undefined ? null : opts.seq);
  const head = { seq: opts.seq, chain: opts.chain === undefined ? DEFAULT_CHAIN : opts.chain };
  if (opts.prev !== undefined && opts.prev !== null) head.prev = opts.prev;
  let d = jsonArg(decision, op, 'decision');
  if (d instanceof Uint8Array) d = Buffer.from(d).toString('utf8');
  const request = JSON.stringify(head).slice(0, -1) + ',"decision":' + d + '}';
  const out = JSON.parse(call('evidenceRecordMake', op, [request]));
  return toRecord(out, out.text);
}

/** Check a stored record text (it must be exactly its canonical form); recomputes the hash. */
function parseRecord(recordText) {
  const op = 'x402s_evidence_record_parse';
  const t = text(recordText, op, 'text');
  const out = JSON.parse(call('evidenceRecordParse', op, [t]));
  return toRecord(out, typeof t === 'string' ? t : Buffer.from(t).toString('utf8'));
}

/**
 * Sellers: verify an X-Risk-Receipt value against the proxy's keys (and a stored record).
 * @returns {{isValid: boolean, reasons: string[], keyId: string, receipt: object}}
 */
function verifyReceipt(header, publicKeys, opts = {}) {
  const op = 'x402s_evidence_receipt_verify';
  const record = opts && opts.record !== undefined && opts.record !== null ? recordArg(opts.record, op) : null;
  const out = JSON.parse(call('evidenceReceiptVerify', op, [text(header, op, 'header'), keysArg(publicKeys, op), record], true));
  return { isValid: out.isValid, reasons: out.reasons, keyId: out.keyId, receipt: out.receipt };
}

/**
 * Verify a bundle offline (docs/EVIDENCE.md: chain, digests, receipts, manifest, payer's
 * signature at the decision time).
 * @param {object|string|Uint8Array} bundle
 * @param {{publicKeys?: any}} [opts] pin the proxy keys; without them the bundle's own keys are used
 * @returns {{isValid, decisionId, keyPinned, keyIds, records, reasons: {code, at, detail}[], codes: string[]}}
 */
function verifyBundle(bundle, opts = {}) {
  const op = 'x402s_evidence_bundle_verify';
  const keys = opts && opts.publicKeys !== undefined && opts.publicKeys !== null ? keysArg(opts.publicKeys, op) : null;
  const out = JSON.parse(call('evidenceBundleVerify', op, [jsonArg(bundle, op, 'bundle'), keys], true));
  out.codes = out.reasons.map((r) => r.code);
  return out;
}

module.exports = {
  GENESIS_HASH, RECEIPT_HEADER, RECEIPT_KEY_PATH, EVIDENCE_PATH, DEFAULT_CHAIN,
  makeRecord, parseRecord, verifyReceipt, verifyBundle,
};
x.evidence = module.exports;
