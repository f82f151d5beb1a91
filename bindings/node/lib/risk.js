'use strict';
/**
 * The x402-secure risk layer for Node: risk headers, agent traces, payment evidence and
 * the pre-payment mandate gate (docs/RISK.md), computed by the Swift core behind the
 * x402s_risk_* functions of the C ABI (src/x402s_node_risk.c). Same API as the Python
 * module x402secure.risk, in camelCase, plus helpers for sellers (readRiskHeaders,
 * verifyRequestEvidence).
 *
 * JSON documents (mandates, requirements, agent traces) are objects (JSON.stringify'd)
 * or JSON text (string or Uint8Array, passed through unchanged so key order and number
 * text survive). Results that the core returns as JSON text keep that text where it
 * matters for digests (AgentTrace.toJson(), PaymentEvidence.messageJson). Errors throw
 * X402SError with the library's status code; the mandate gate and evidence verification
 * return their verdicts instead of throwing for step_up/deny/mismatch.
 *
 * Loaded by index.js, whose exports it extends (require('x402secure') has every function
 * below); require('x402secure/lib/risk') gives the same functions alone.
 */

const x = require('..');

const { native, libError, typeError, text, optText, stringify } = require('./internal');
const { X402SError, EvmAccount, SolanaKeypair } = x;

const PAYMENT_SECURE_HEADER = 'X-PAYMENT-SECURE';
const RISK_SESSION_HEADER = 'X-RISK-SESSION';
const RISK_TRACE_HEADER = 'X-RISK-TRACE';
const AP2_EVIDENCE_HEADER = 'X-AP2-EVIDENCE';
const VERIFIABLE_INTENT_HEADER = 'X-VERIFIABLE-INTENT';
const PAYMENT_EVIDENCE_HEADER = 'X-PAYMENT-EVIDENCE';

const KEY_SECP256K1 = 1;
const KEY_ED25519_SEED = 2;
const EVIDENCE_RAW = 0;
const EVIDENCE_JSON = 1;
const ANSWER_SESSION = 1;
const ANSWER_TRACE = 2;
const ANSWER_ERROR = 3;

const STATUS = Object.create(null);
const STATUS_NAME = Object.create(null);
for (let s = 0; s < 256; s++) {
  const n = native.statusName(s);
  if (n !== null) {
    STATUS[n] = s;
    STATUS_NAME[s] = n;
  }
}
const S_OK = STATUS.X402S_OK;
const S_MISMATCH = STATUS.X402S_ERR_RISK_EVIDENCE_MISMATCH;
const S_STEP_UP = STATUS.X402S_ERR_RISK_STEP_UP;
const S_DENIED = STATUS.X402S_ERR_RISK_DENIED;

// ---------------------------------------------------------------- call glue

/** Run a native risk function; returns its output text (or the verdict JSON). */
function call(fnName, operation, args, verdicts = []) {
  const [status, out, message] = native[fnName](...args);
  if (status === S_OK || verdicts.includes(status)) return { status, out: out === null ? '' : out };
  throw statusError(status, operation, message);
}

function check(fnName, operation, args, falseStatus) {
  const [status, , message] = native[fnName](...args);
  if (status === S_OK) return true;
  if (status === falseStatus) return false;
  throw statusError(status, operation, message);
}

/** The X402SError of a failed native risk call. */
function statusError(status, operation, message) {
  return new X402SError(message || 'the call failed', STATUS_NAME[status] || `X402S_STATUS_${status}`, status, operation);
}

function bytes(value, operation, what) {
  if (value instanceof Uint8Array) return value;
  throw typeError(operation, what, value);
}

/** A JSON document: string/Uint8Array = JSON text; other values are stringified. */
function jsonText(value, operation, what) {
  if (typeof value === 'string' || value instanceof Uint8Array) return text(value, operation, what);
  if (value === undefined) throw typeError(operation, what, value);
  return stringify(value, operation, what);
}

/** JSON text as a string (Uint8Array decoded as UTF-8, for splicing into a request). */
function jsonString(value, operation, what) {
  const t = jsonText(value, operation, what);
  if (typeof t === 'string') return t;
  const s = Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('utf8');
  if (!Buffer.from(s, 'utf8').equals(Buffer.from(t.buffer, t.byteOffset, t.byteLength))) {
    throw libError('X402S_ERR_INVALID_UTF8', operation, `${what} is not valid UTF-8`);
  }
  return s;
}

function options(obj) {
  const present = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) present[k] = v;
  // BigInt times travel as "__big:<digits>" and become JSON numbers here.
  return Object.keys(present).length ? JSON.stringify(present).replace(/"__big:(-?\d+)"/g, '$1') : null;
}

/** A Unix time (number or BigInt) as JSON number text inside an options object. */
function timeOption(now, operation) {
  if (now === undefined || now === null) return undefined;
  if (typeof now === 'bigint') return `__big:${now}`;
  if (typeof now === 'number' && Number.isSafeInteger(now)) return now;
  throw typeError(operation, 'now', now);
}

function hexOf(buf) {
  return '0x' + Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('hex');
}

function fromHex(s) {
  return Buffer.from(s.slice(2), 'hex');
}

// ---------------------------------------------------------------- X-PAYMENT-SECURE and ids

/**
 * A W3C traceparent: a new trace, or a child span of `parent`.
 * @param {string|null} [parent]
 * @param {number|string|null} [flags] 0-255 or two lowercase hex digits
 * @param {{random?: Uint8Array}} [opts] bytes used instead of the CSPRNG (tests)
 * @returns {string}
 */
function newTraceparent(parent = null, flags = null, opts = {}) {
  const op = 'x402s_risk_traceparent';
  if (flags !== null && flags !== undefined && typeof flags !== 'number' && typeof flags !== 'string') {
    throw typeError(op, 'flags', flags);
  }
  const random = opts && opts.random !== undefined ? hexOf(bytes(opts.random, op, 'random')) : undefined;
  const o = options({ flags, random });
  return JSON.parse(call('riskTraceparent', op, [optText(parent, op, 'parent'), o]).out).traceparent;
}

/**
 * X-PAYMENT-SECURE, byte-identical to x402-secure 0.1.4 for string/integer contexts.
 * @param {*} [agentTraceContext] any JSON value (JSON.stringify'd) or a Uint8Array of JSON text
 * @param {{traceparent?: string, tid?: string, tracestate?: string}} [opts]
 * @returns {string}
 */
function buildPaymentSecureHeader(agentTraceContext = null, opts = {}) {
  const op = 'x402s_risk_build_secure_header';
  let ctx = agentTraceContext;
  if (opts.tid !== undefined && opts.tid !== null) {
    if (ctx !== null && ctx !== undefined) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'give either tid or agentTraceContext');
    ctx = { tid: opts.tid };
  }
  let ctxText = null;
  if (ctx instanceof Uint8Array) ctxText = ctx;
  else if (ctx !== null && ctx !== undefined) ctxText = stringify(ctx, op, 'agentTraceContext');
  const tp = opts.traceparent === undefined || opts.traceparent === null ? newTraceparent() : opts.traceparent;
  return call('riskBuildSecureHeader', op, [text(tp, op, 'traceparent'), ctxText, optText(opts.tracestate, op, 'tracestate')]).out;
}

/** Parse X-PAYMENT-SECURE: {tp, traceId, spanId, flags, ts?, tid?}. */
function parsePaymentSecureHeader(value) {
  const op = 'x402s_risk_parse_secure_header';
  return JSON.parse(call('riskParseSecureHeader', op, [text(value, op, 'value')]).out);
}

/** The agent trace context of X-PAYMENT-SECURE's ts, decoded strictly (null without ts). */
function paymentSecureContext(value) {
  const op = 'x402s_risk_secure_header_context';
  return JSON.parse(call('riskSecureHeaderContext', op, [text(value, op, 'value')]).out);
}

/** Validate an X-RISK-SESSION / X-RISK-TRACE id; returns its lowercase form. */
function normalizeRiskId(value) {
  const op = 'x402s_risk_normalize_uuid';
  return call('riskNormalizeUuid', op, [text(value, op, 'value')]).out;
}

/** Validate the risk ids of a request: {sid, tid} (session required). */
function parseRiskIds(session, trace = null) {
  const op = 'x402s_risk_ids';
  return JSON.parse(call('riskIds', op, [session === null || session === undefined ? '' : text(session, op, 'session'),
    trace === null || trace === undefined ? '' : text(trace, op, 'trace')]).out);
}

// ---------------------------------------------------------------- AP2 / VI

/**
 * X-AP2-EVIDENCE from the mandate's exact bytes, or from {mandateSha256, size}.
 * @param {string} mandateRef
 * @param {Uint8Array|{mandateSha256: string, size: number|bigint}} mandate
 */
function buildAp2EvidenceHeader(mandateRef, mandate) {
  if (mandate instanceof Uint8Array) {
    const op = 'x402s_risk_build_ap2_evidence';
    return call('riskBuildAp2Evidence', op, [text(mandateRef, op, 'mandateRef'), mandate]).out;
  }
  const op = 'x402s_risk_build_ap2_evidence_digest';
  if (mandate === null || typeof mandate !== 'object') throw typeError(op, 'mandate', mandate);
  return call('riskBuildAp2EvidenceDigest', op, [text(mandateRef, op, 'mandateRef'),
    text(mandate.mandateSha256, op, 'mandateSha256'), mandate.size]).out;
}

/** Parse X-AP2-EVIDENCE: {mr, ms, mt, sz}. */
function parseAp2EvidenceHeader(value) {
  const op = 'x402s_risk_parse_ap2_evidence';
  return JSON.parse(call('riskParseAp2Evidence', op, [text(value, op, 'value')]).out);
}

/** Sellers: true when the mandate bytes are the ones X-AP2-EVIDENCE announces. */
function ap2EvidenceMatches(value, mandateBytes) {
  const op = 'x402s_risk_ap2_evidence_matches';
  return check('riskAp2EvidenceMatches', op, [text(value, op, 'value'), bytes(mandateBytes, op, 'mandateBytes')], S_MISMATCH);
}

function viEvidence(evidence, op) {
  if (evidence instanceof Uint8Array || typeof evidence === 'string') return [text(evidence, op, 'evidence'), EVIDENCE_RAW];
  return [stringify(evidence, op, 'evidence'), EVIDENCE_JSON];
}

/**
 * X-VERIFIABLE-INTENT: bytes/strings hashed as given, other values as canonical JSON.
 * @param {string} reference
 * @param {*} evidence
 * @param {{mediaType?: string}} [opts]
 */
function buildVerifiableIntentHeader(reference, evidence, opts = {}) {
  const op = 'x402s_risk_build_verifiable_intent';
  const [data, flags] = viEvidence(evidence, op);
  return call('riskBuildVerifiableIntent', op, [text(reference, op, 'reference'), data,
    optText(opts.mediaType, op, 'mediaType'), flags]).out;
}

/** Parse X-VERIFIABLE-INTENT: {ref, sha256, mt, sz}. */
function parseVerifiableIntentHeader(value) {
  const op = 'x402s_risk_parse_verifiable_intent';
  return JSON.parse(call('riskParseVerifiableIntent', op, [text(value, op, 'value')]).out);
}

/** Sellers: true when evidence (bytes/string as is, other values canonical) matches. */
function verifiableIntentMatches(value, evidence) {
  const op = 'x402s_risk_verifiable_intent_matches';
  let [data, flags] = viEvidence(evidence, op);
  if (flags === EVIDENCE_JSON) data = canonicalJson(evidence);
  return check('riskVerifiableIntentMatches', op, [text(value, op, 'value'), data], S_MISMATCH);
}

/**
 * Canonical JSON (sorted keys, no whitespace, raw UTF-8, numbers as written).
 * @param {*} value an object, or JSON text (string or Uint8Array)
 * @returns {Buffer}
 */
function canonicalJson(value) {
  const op = 'x402s_risk_canonical_json';
  return Buffer.from(call('riskCanonicalJson', op, [jsonText(value, op, 'value')]).out, 'utf8');
}

/** SHA-256 of canonicalJson(value) (32 bytes). */
function canonicalSha256(value) {
  return native.sha256(canonicalJson(value));
}

// ---------------------------------------------------------------- agent traces

function traceEvent(spec) {
  const op = 'x402s_risk_trace_event';
  return call('riskTraceEvent', op, [stringify(spec, op, 'event')]).out;
}

/**
 * Builder of the x402-secure agent trace (agent_trace of POST /risk/trace). Events are
 * built by the core as 0.1.4's OpenAITraceCollector writes them; with eventOrder
 * "collector" (default) user inputs and system prompts go to the front as that
 * collector inserts them. Event JSON is kept as the core wrote it (float ts text).
 */
class AgentTrace {
  /**
   * @param {string} task
   * @param {object} [parameters]
   * @param {{environment?: object, modelConfig?: object, sessionContext?: object,
   *          completedAt?: string, nowMicros?: number, eventOrder?: 'collector'|'recorded'}} [opts]
   *   completedAt defaults to the time of the first serialisation (the clock, or nowMicros).
   */
  constructor(task, parameters = {}, opts = {}) {
    const order = opts.eventOrder === undefined ? 'collector' : opts.eventOrder;
    if (order !== 'collector' && order !== 'recorded') {
      throw libError('X402S_ERR_INVALID_ARGUMENT', 'x402s_risk_agent_trace_build', 'eventOrder must be "collector" or "recorded"');
    }
    this.task = task;
    this.parameters = parameters;
    this.environment = opts.environment === undefined ? null : opts.environment;
    this.modelConfig = opts.modelConfig === undefined ? null : opts.modelConfig;
    this.sessionContext = opts.sessionContext === undefined ? null : opts.sessionContext;
    this.completedAt = opts.completedAt === undefined ? null : opts.completedAt;
    this.eventOrder = order;
    this.nowMicros = opts.nowMicros === undefined ? null : opts.nowMicros;
    /** Recorded events as the core's JSON text, in recording order (null: no events key). */
    this.eventsJson = null;
  }

  _add(spec, ts) {
    if (ts !== undefined && ts !== null) spec.ts = ts;
    const ev = traceEvent(spec);
    if (this.eventsJson === null) this.eventsJson = [];
    this.eventsJson.push(ev);
    return JSON.parse(ev);
  }

  /** The recorded events (parsed). */
  get events() {
    return this.eventsJson === null ? null : this.eventsJson.map((e) => JSON.parse(e));
  }

  userInput(content, role = 'user', { ts } = {}) { return this._add({ type: 'user_input', content, role }, ts); }
  systemPrompt(content, version = 'v1.0', { ts } = {}) { return this._add({ type: 'system_prompt', content, version }, ts); }
  agentOutput(content, role = 'assistant', { ts } = {}) { return this._add({ type: 'agent_output', content, role }, ts); }
  toolCall(name, args = [], kwargs = {}, { ts } = {}) { return this._add({ type: 'tool_call', name, args, kwargs }, ts); }
  toolResult(name, result, { ts } = {}) { return this._add({ type: 'tool_result', name, result: result === undefined ? null : result }, ts); }
  functionCall(name, args = '', callId = null, { ts } = {}) {
    return this._add({ type: 'function_call', name, call_id: callId, arguments: args }, ts);
  }
  reasoningSummary(textValue, { ts } = {}) { return this._add({ type: 'reasoning_summary', text: textValue }, ts); }
  /** Any other event type with its fields (navigation {url}, selection {sources}, ...). */
  custom(type, fields = {}, { ts } = {}) {
    if ('type' in fields || 'ts' in fields) {
      throw libError('X402S_ERR_INVALID_ARGUMENT', 'x402s_risk_trace_event', 'fields may not be named type or ts');
    }
    return this._add({ type, ...fields }, ts);
  }

  _build() {
    const op = 'x402s_risk_agent_trace_build';
    const parts = [`"task":${stringify(this.task, op, 'task')}`, `"parameters":${jsonString(this.parameters, op, 'parameters')}`];
    if (this.environment !== null) parts.push(`"environment":${jsonString(this.environment, op, 'environment')}`);
    if (this.eventsJson !== null) parts.push(`"events":[${this.eventsJson.join(',')}]`);
    if (this.modelConfig !== null) parts.push(`"model_config":${jsonString(this.modelConfig, op, 'modelConfig')}`);
    if (this.sessionContext !== null) parts.push(`"session_context":${jsonString(this.sessionContext, op, 'sessionContext')}`);
    if (this.completedAt !== null) parts.push(`"completed_at":${stringify(this.completedAt, op, 'completedAt')}`);
    const out = call('riskAgentTraceBuild', op, [`{${parts.join(',')}}`,
      options({ eventOrder: this.eventOrder, nowMicros: timeOption(this.nowMicros, op) })]).out;
    // {"trace":<trace>,"digest":"0x.."}: the digest is the last member (fixed layout).
    const at = out.lastIndexOf(',"digest":"');
    const traceJson = out.slice('{"trace":'.length, at);
    const digest = out.slice(at + ',"digest":"'.length, -2);
    if (this.completedAt === null) this.completedAt = JSON.parse(traceJson).completed_at;
    return { traceJson, digest };
  }

  /** The trace as sent (compact JSON text, 0.1.4 key order). completedAt is fixed on first use. */
  toJson() { return this._build().traceJson; }
  /** The trace as an object. */
  toDict() { return JSON.parse(this.toJson()); }
  /** SHA-256 of its canonical JSON (what payment evidence binds). */
  digest() { return fromHex(this._build().digest); }
}

function traceText(value, op) {
  if (value instanceof AgentTrace) return value.toJson();
  return jsonString(value, op, 'agentTrace');
}

/** Sellers: check a received agent trace (kept as sent) and digest it: {trace, digest}. */
function parseAgentTrace(value) {
  const op = 'x402s_risk_agent_trace_parse';
  const d = JSON.parse(call('riskAgentTraceParse', op, [jsonText(value instanceof AgentTrace ? value.toJson() : value, op, 'agentTrace')]).out);
  return { trace: d.trace, digest: fromHex(d.digest) };
}

// ---------------------------------------------------------------- gateway bodies and answers

/** The exact body of POST {gateway}/risk/session (string). */
function riskSessionRequest(walletAddress, opts = {}) {
  const op = 'x402s_risk_session_request';
  if (typeof walletAddress !== 'string') throw typeError(op, 'walletAddress', walletAddress);
  const req = { wallet_address: walletAddress };
  if (opts.agentDid !== undefined && opts.agentDid !== null) req.agent_did = opts.agentDid;
  if (opts.agentEndpoint !== undefined && opts.agentEndpoint !== null) req.agent_endpoint = opts.agentEndpoint;
  if (opts.appId !== undefined && opts.appId !== null) req.app_id = opts.appId;
  if (opts.device !== undefined && opts.device !== null) req.device = opts.device;
  return call('riskSessionRequest', op, [stringify(req, op, 'request')]).out;
}

/** The exact body of POST {gateway}/risk/trace (string); agentTrace: AgentTrace, object or JSON text. */
function riskTraceRequest(sid, agentTrace = null, opts = {}) {
  const op = 'x402s_risk_trace_request';
  if (typeof sid !== 'string') throw typeError(op, 'sid', sid);
  const parts = [`"sid":${stringify(sid, op, 'sid')}`];
  if (opts.fingerprint !== undefined && opts.fingerprint !== null) parts.push(`"fingerprint":${stringify(opts.fingerprint, op, 'fingerprint')}`);
  if (opts.telemetry !== undefined && opts.telemetry !== null) parts.push(`"telemetry":${stringify(opts.telemetry, op, 'telemetry')}`);
  if (agentTrace !== null && agentTrace !== undefined) parts.push(`"agent_trace":${traceText(agentTrace, op)}`);
  return call('riskTraceRequest', op, [`{${parts.join(',')}}`]).out;
}

/** The 0.1.4 client check of a gateway answer's Content-Type. */
function isJsonContentType(value) {
  if (value === null || value === undefined) return false;
  const op = 'x402s_risk_check_content_type';
  return check('riskCheckContentType', op, [text(value, op, 'value')], STATUS.X402S_ERR_INVALID_JSON);
}

function answer(kind, body, contentType) {
  const op = 'x402s_risk_parse_gateway_answer';
  if (contentType !== undefined && contentType !== null) {
    call('riskCheckContentType', 'x402s_risk_check_content_type', [text(contentType, op, 'contentType')]);
  }
  return JSON.parse(call('riskParseGatewayAnswer', op, [kind, text(body, op, 'body')]).out);
}

/** Parse the answer of POST /risk/session: {sid, expires_at}. */
function parseRiskSessionAnswer(body, opts = {}) { return answer(ANSWER_SESSION, body, opts.contentType); }
/** Parse the answer of POST /risk/trace: the normalised tid. */
function parseRiskTraceAnswer(body, opts = {}) { return answer(ANSWER_TRACE, body, opts.contentType).tid; }
/** A gateway error body as {code, message, request_id}, or null. */
function parseRiskErrorAnswer(body) { return answer(ANSWER_ERROR, body); }

// ---------------------------------------------------------------- payment evidence

/**
 * Payment evidence: the EIP-712 PaymentEvidence message binding the payment to the
 * seller, the risk session and trace and the agent-trace digest (docs/RISK.md).
 */
class PaymentEvidence {
  constructor(messageJson, digest, typedData) {
    /** The message exactly as the core wrote it (used for signing). */
    this.messageJson = messageJson;
    /** The message (parsed; integers above 2^53 lose precision here, not in messageJson). */
    this.message = JSON.parse(messageJson);
    /** The 32-byte digest the payer signs. @type {Buffer} */
    this.digest = digest;
    /** The eth_signTypedData_v4 document, for wallets. */
    this.typedData = typedData;
    Object.freeze(this);
  }

  /**
   * Evidence for a payment about to be sent.
   * @param {string} paymentHeader the X-PAYMENT / PAYMENT-SIGNATURE value
   * @param {object|string|Uint8Array} requirement
   * @param {{origin: string, resource: string, sessionId: string, traceId?: string,
   *          agentTrace?: AgentTrace|object|string, payer?: string, validFor?: number,
   *          now?: number|bigint}} opts
   */
  static build(paymentHeader, requirement, opts) {
    const op = 'x402s_risk_evidence_build';
    if (opts === null || typeof opts !== 'object') throw typeError(op, 'opts', opts);
    const head = { paymentHeader, origin: opts.origin, resource: opts.resource, riskSessionId: opts.sessionId };
    if (opts.traceId !== undefined && opts.traceId !== null) head.riskTraceId = opts.traceId;
    if (opts.payer !== undefined && opts.payer !== null) head.payer = opts.payer;
    if (opts.validFor !== undefined && opts.validFor !== null) head.validFor = opts.validFor;
    let req = stringify(head, op, 'request').slice(0, -1) + `,"requirement":${jsonString(requirement, op, 'requirement')}`;
    if (opts.agentTrace !== undefined && opts.agentTrace !== null) req += `,"agentTrace":${traceText(opts.agentTrace, op)}`;
    const out = call('riskEvidenceBuild', op, [req + '}', options({ now: timeOption(opts.now, op) })]).out;
    // {"message":<message>,"digest":"0x..","typedData":{...}} (fixed layout)
    const at = out.indexOf(',"digest":"0x');
    const messageJson = out.slice('{"message":'.length, at);
    const digest = out.slice(at + ',"digest":"'.length, at + ',"digest":"'.length + 66);
    const typedData = JSON.parse(out.slice(at + ',"digest":"'.length + 66 + ',"typedData":'.length + 1, -1));
    return new PaymentEvidence(messageJson, fromHex(digest), typedData);
  }

  /**
   * Sign with the payer's account: EvmAccount (secp256k1) or SolanaKeypair (Ed25519 over
   * the same digest). Returns the X-PAYMENT-EVIDENCE value. The key never leaves the
   * account: it signs the digest, and the core checks the signature is the payer's.
   */
  sign(signer) {
    const op = 'x402s_risk_evidence_assemble';
    if (signer instanceof EvmAccount) return this.assemble(signer.signDigest(this.digest), 'secp256k1');
    if (signer instanceof SolanaKeypair) return this.assemble(signer.sign(this.digest), 'ed25519');
    throw typeError(op, 'signer', signer);
  }

  /** The header from a wallet's signature (65 bytes secp256k1 or 64 bytes ed25519). */
  assemble(signature, alg = 'secp256k1') {
    const op = 'x402s_risk_evidence_assemble';
    const kind = alg === 'secp256k1' ? KEY_SECP256K1 : alg === 'ed25519' ? KEY_ED25519_SEED : 0;
    if (!kind) throw libError('X402S_ERR_INVALID_ARGUMENT', op, 'alg must be "secp256k1" or "ed25519"');
    return call('riskEvidenceAssemble', op, [this.messageJson, bytes(signature, op, 'signature'), kind]).out;
  }
}

/** Parse X-PAYMENT-EVIDENCE without checking it: {alg, message, signature, digest}. */
function parsePaymentEvidenceHeader(value) {
  const op = 'x402s_risk_evidence_parse';
  return JSON.parse(call('riskEvidenceParse', op, [text(value, op, 'value')]).out);
}

/** The addon's arguments of riskEvidenceVerify(Async): [header, expectation JSON, options JSON]. */
function evidenceArgs(header, paymentHeader, requirement, opts) {
  const op = 'x402s_risk_evidence_verify';
  if (paymentHeader !== null && typeof paymentHeader === 'object' && !(paymentHeader instanceof Uint8Array) &&
      requirement === undefined && opts === undefined) {
    // Also accepted: verifyPaymentEvidence(header, {paymentHeader, requirement, origin, resource,
    // sessionId | riskSessionId, traceId | riskTraceId, agentTraceDigest?, payer?, now?}).
    const o = paymentHeader;
    return evidenceArgs(header, o.paymentHeader, o.requirement, {
      origin: o.origin, resource: o.resource, sessionId: o.sessionId !== undefined ? o.sessionId : o.riskSessionId,
      traceId: o.traceId !== undefined ? o.traceId : o.riskTraceId, agentTraceDigest: o.agentTraceDigest,
      payer: o.payer, now: o.now,
    });
  }
  if (opts === null || typeof opts !== 'object') throw typeError(op, 'opts', opts);
  const exp = { paymentHeader, origin: opts.origin, resource: opts.resource, riskSessionId: opts.sessionId };
  if (opts.traceId !== undefined && opts.traceId !== null) exp.riskTraceId = opts.traceId;
  if (opts.agentTraceDigest !== undefined && opts.agentTraceDigest !== null) {
    exp.agentTraceDigest = hexOf(bytes(opts.agentTraceDigest, op, 'agentTraceDigest'));
  }
  if (opts.payer !== undefined && opts.payer !== null) exp.payer = opts.payer;
  const req = stringify(exp, op, 'expectation').slice(0, -1) + `,"requirement":${jsonString(requirement, op, 'requirement')}}`;
  return [text(header, op, 'header'), req, options({ now: timeOption(opts.now, op) })];
}

/**
 * Verify an X-PAYMENT-EVIDENCE value against the request received: {isValid, reasons, signer}.
 * verifyPaymentEvidence(header, paymentHeader, requirement, {origin, resource, sessionId, traceId?,
 * agentTraceDigest?, payer?, now?}), or verifyPaymentEvidence(header, {paymentHeader, requirement, ...}).
 */
function verifyPaymentEvidence(header, paymentHeader, requirement, opts) {
  const op = 'x402s_risk_evidence_verify';
  const { out } = call('riskEvidenceVerify', op, evidenceArgs(header, paymentHeader, requirement, opts), [S_MISMATCH]);
  return JSON.parse(out);
}

/**
 * verifyPaymentEvidence on the libuv thread pool: same arguments, same result (or error, as a
 * rejection); the inputs are copied before this returns.
 * @returns {Promise<{isValid: boolean, reasons: string[], signer: string|null}>}
 */
async function verifyPaymentEvidenceAsync(header, paymentHeader, requirement, opts) {
  const op = 'x402s_risk_evidence_verify';
  const [status, out, message] = await native.riskEvidenceVerifyAsync(...evidenceArgs(header, paymentHeader, requirement, opts));
  if (status !== S_OK && status !== S_MISMATCH) throw statusError(status, op, message);
  return JSON.parse(out);
}

// ---------------------------------------------------------------- mandate gate

/**
 * Evaluate an AP2-style mandate against the chosen requirement and the agent trace.
 * @returns {{action: 'allow'|'step_up'|'deny', reasons: {code: string, action: string, detail: string}[], allowed: boolean}}
 */
function evaluateMandate(mandate, requirement, agentTrace = null, opts = {}) {
  const op = 'x402s_risk_mandate_evaluate';
  const t = agentTrace === null || agentTrace === undefined ? null : traceText(agentTrace, op);
  const o = options({ now: timeOption(opts.now, op), resource: opts.resource });
  const { out } = call('riskMandateEvaluate', op, [jsonText(mandate, op, 'mandate'), jsonText(requirement, op, 'requirement'), t, o],
    [S_STEP_UP, S_DENIED]);
  const d = JSON.parse(out);
  return { action: d.decision, reasons: d.reasons, allowed: d.decision === 'allow' };
}

// ---------------------------------------------------------------- seller helpers

function headerValue(headers, name) {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (typeof headers.get === 'function') {
    // Headers (case-insensitive) or a Map keyed by lowercase names
    let v = headers.get(name);
    if (v === undefined || v === null) v = headers.get(name.toLowerCase());
    return v === null ? undefined : v;
  }
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v.join(', ') : v;
  }
  return undefined;
}

/**
 * Sellers: read and validate every x402-secure header of a request (a plain object with
 * any header-name case, a Headers/Map-like object with get(), or Node's req.headers).
 * Absent headers give null; a malformed one throws X402SError with its status.
 * @returns {{sid: string|null, tid: string|null, paymentSecure: object|null,
 *            ap2Evidence: object|null, verifiableIntent: object|null, paymentEvidence: object|null,
 *            paymentHeader: string|null}}
 */
function readRiskHeaders(headers) {
  const secure = headerValue(headers, PAYMENT_SECURE_HEADER);
  const session = headerValue(headers, RISK_SESSION_HEADER);
  const trace = headerValue(headers, RISK_TRACE_HEADER);
  const ap2 = headerValue(headers, AP2_EVIDENCE_HEADER);
  const vi = headerValue(headers, VERIFIABLE_INTENT_HEADER);
  const pev = headerValue(headers, PAYMENT_EVIDENCE_HEADER);
  const payment = headerValue(headers, 'PAYMENT-SIGNATURE') ?? headerValue(headers, 'X-PAYMENT');
  const paymentSecure = secure === undefined ? null : parsePaymentSecureHeader(secure);
  let ids = { sid: null, tid: null };
  if (session !== undefined) ids = parseRiskIds(session, trace === undefined ? null : trace);
  else if (trace !== undefined) ids.tid = normalizeRiskId(trace);
  let tid = ids.tid;
  if (tid === null && paymentSecure !== null && paymentSecure.tid !== undefined) {
    try { tid = normalizeRiskId(paymentSecure.tid); } catch (e) { tid = null; }
  }
  return {
    sid: ids.sid, tid, paymentSecure,
    ap2Evidence: ap2 === undefined ? null : parseAp2EvidenceHeader(ap2),
    verifiableIntent: vi === undefined ? null : parseVerifiableIntentHeader(vi),
    paymentEvidence: pev === undefined ? null : parsePaymentEvidenceHeader(pev),
    paymentHeader: payment === undefined ? null : payment,
  };
}

/**
 * Sellers: verify the X-PAYMENT-EVIDENCE of a request against its own payment header,
 * X-RISK-SESSION and tid (X-RISK-TRACE, else the tid of X-PAYMENT-SECURE).
 * @param {object} headers request headers
 * @param {{requirement: object|string, origin: string, resource: string,
 *          agentTraceDigest?: Uint8Array, payer?: string, now?: number|bigint}} opts
 * @returns {{isValid: boolean, reasons: string[], signer: string|null}} a request
 *   without the evidence, payment or session header is invalid with reason
 *   "evidence_missing" / "payment_missing" / "session_missing".
 */
function verifyRequestEvidence(headers, opts) {
  return requestEvidence(headers, opts, verifyPaymentEvidence);
}

/** verifyRequestEvidence with the check on the libuv thread pool (verifyPaymentEvidenceAsync). */
async function verifyRequestEvidenceAsync(headers, opts) {
  return requestEvidence(headers, opts, verifyPaymentEvidenceAsync);
}

function requestEvidence(headers, opts, verify) {
  const r = readRiskHeaders(headers);
  const missing = [];
  if (headerValue(headers, PAYMENT_EVIDENCE_HEADER) === undefined) missing.push('evidence_missing');
  if (r.paymentHeader === null) missing.push('payment_missing');
  if (r.sid === null) missing.push('session_missing');
  if (missing.length) return { isValid: false, reasons: missing, signer: null };
  return verify(headerValue(headers, PAYMENT_EVIDENCE_HEADER), r.paymentHeader, opts.requirement, {
    origin: opts.origin, resource: opts.resource, sessionId: r.sid, traceId: r.tid,
    agentTraceDigest: opts.agentTraceDigest, payer: opts.payer, now: opts.now,
  });
}

const api = {
  PAYMENT_SECURE_HEADER, RISK_SESSION_HEADER, RISK_TRACE_HEADER, AP2_EVIDENCE_HEADER,
  VERIFIABLE_INTENT_HEADER, PAYMENT_EVIDENCE_HEADER,
  newTraceparent, buildPaymentSecureHeader, parsePaymentSecureHeader, paymentSecureContext,
  normalizeRiskId, parseRiskIds,
  buildAp2EvidenceHeader, parseAp2EvidenceHeader, ap2EvidenceMatches,
  buildVerifiableIntentHeader, parseVerifiableIntentHeader, verifiableIntentMatches,
  canonicalJson, canonicalSha256,
  AgentTrace, parseAgentTrace,
  riskSessionRequest, riskTraceRequest, parseRiskSessionAnswer, parseRiskTraceAnswer, parseRiskErrorAnswer,
  isJsonContentType,
  PaymentEvidence, parsePaymentEvidenceHeader, verifyPaymentEvidence, verifyPaymentEvidenceAsync,
  evaluateMandate,
  readRiskHeaders, verifyRequestEvidence, verifyRequestEvidenceAsync,
};

module.exports = api;
// Extend the package exports (index.js requires this file last; either load order works).
Object.assign(x, api);
