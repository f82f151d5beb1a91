'use strict';
// Shared references index.js hands to the modules of lib/ (the addon, the error class, the
// status table, the key classes and the secret accessor), so they need not be exported
// publicly, and the argument helpers index.js, lib/x402.js and lib/risk.js share. The helpers
// read the references when they run (index.js fills them in before any call).

const internal = module.exports;

/** X402SError for a status name, e.g. libError('X402S_ERR_INVALID_UTF8', op, 'text is ...'). */
function libError(name, operation, message) {
  return new internal.X402SError(message, name, internal.STATUS[name], operation);
}

/** X402SError for a status number and the library's message (as the addon throws it). */
function statusError(status, operation, message) {
  const name = internal.native.statusName(status);
  return new internal.X402SError(message || 'the call failed', name === null ? `X402S_STATUS_${status}` : name, status, operation);
}

/** TypeError with .code/.status/.operation for a JavaScript value of the wrong type. */
function typeError(operation, what, value) {
  const code = value === null || value === undefined ? 'X402S_ERR_NULL_ARGUMENT' : 'X402S_ERR_INVALID_ARGUMENT';
  const e = new TypeError(`${what} has the wrong type`);
  e.code = code;
  e.status = internal.STATUS[code];
  e.operation = operation;
  return e;
}

/** A string that must be well-formed UTF-16 (no lone surrogates), returned unchanged. */
function wellFormed(s, operation, what) {
  if (!s.isWellFormed()) throw libError('X402S_ERR_INVALID_UTF8', operation, `${what} is not encodable as UTF-8`);
  return s;
}

/** Text argument: a well-formed string or a Uint8Array. */
function text(value, operation, what) {
  if (typeof value === 'string') return wellFormed(value, operation, what);
  if (value instanceof Uint8Array) return value;
  throw typeError(operation, what, value);
}

/** An optional text argument: null/undefined -> null. */
function optText(value, operation, what) {
  return value === null || value === undefined ? null : text(value, operation, what);
}

/** JSON.stringify with the library's status codes for values that are not JSON. */
function stringify(value, operation, what) {
  let json;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    if (e instanceof RangeError) throw libError('X402S_ERR_JSON_TOO_DEEP', operation, `${what} nests too deeply`);
    throw libError('X402S_ERR_INVALID_JSON', operation, `${what} is not JSON-serialisable`);
  }
  if (typeof json !== 'string') throw libError('X402S_ERR_INVALID_JSON', operation, `${what} is not JSON-serialisable`);
  return json;
}

Object.assign(internal, { libError, statusError, typeError, wellFormed, text, optText, stringify });
