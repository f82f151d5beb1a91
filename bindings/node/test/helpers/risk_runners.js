'use strict';
// Runners for test-vectors/risk_*.json and the canonical form of test-vectors/json.json,
// through the public risk API (lib/risk.js). Used by vectors.test.js.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const x = require('../..');

function hx(value) {
  assert.equal(typeof value, 'string');
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

function runOrError(v, fn) {
  if ('error' in v.expect) {
    expectError(v.expect.error, fn);
    return undefined;
  }
  return fn();
}

const opt = (v) => (v === undefined ? null : v);

// ----------------------------------------------------------------------------- risk_headers

function runRiskHeaders(v) {
  const i = v.input;
  const exp = v.expect;
  switch (i.op) {
    case 'secure_build': {
      // context_json as bytes: JSON text sent in its own key order
      const ctx = i.context_json === undefined ? null : Buffer.from(i.context_json, 'utf8');
      const got = runOrError(v, () => x.buildPaymentSecureHeader(ctx, { traceparent: i.traceparent, tracestate: opt(i.tracestate) }));
      if (got !== undefined) {
        assert.equal(got, exp.value);
        assert.equal(Buffer.byteLength(got), exp.length);
        assert.equal(x.parsePaymentSecureHeader(got).tp, i.traceparent);
      }
      break;
    }
    case 'traceparent_generate':
    case 'traceparent_child': {
      const got = runOrError(v, () => x.newTraceparent(opt(i.parent), opt(i.flags), { random: hx(i.random) }));
      if (got !== undefined) assert.equal(got, exp.traceparent);
      break;
    }
    case 'secure_parse': {
      const got = runOrError(v, () => x.parsePaymentSecureHeader(i.value));
      if (got !== undefined) assert.deepEqual(got, exp);
      break;
    }
    case 'secure_context': {
      const got = runOrError(v, () => x.paymentSecureContext(i.value));
      if (!('error' in exp)) assert.deepEqual(got, exp.context_json === null ? null : JSON.parse(exp.context_json));
      break;
    }
    case 'uuid': {
      const got = runOrError(v, () => x.normalizeRiskId(i.value));
      if (got !== undefined) {
        assert.equal(got, exp.normalized);
        assert.equal(parseInt(got[14], 16), exp.version);
      }
      break;
    }
    case 'risk_ids': {
      const got = runOrError(v, () => x.parseRiskIds(opt(i.session), opt(i.trace)));
      if (got !== undefined) assert.deepEqual(got, { sid: exp.sid, tid: exp.tid });
      break;
    }
    case 'ap2_build': {
      const got = runOrError(v, () => x.buildAp2EvidenceHeader(i.mr, 'mandate' in i ? hx(i.mandate) : { mandateSha256: i.ms, size: i.sz }));
      if (got !== undefined) {
        assert.equal(got, exp.value);
        if ('mandate' in i) {
          assert.equal(x.ap2EvidenceMatches(got, hx(i.mandate)), true);
          assert.equal(x.ap2EvidenceMatches(got, Buffer.concat([hx(i.mandate), Buffer.from(' ')])), false);
        }
      }
      break;
    }
    case 'ap2_parse': {
      const got = runOrError(v, () => x.parseAp2EvidenceHeader(i.value));
      if (got !== undefined) assert.deepEqual(got, exp);
      break;
    }
    case 'vi_build': {
      const evidence = 'evidence_json' in i ? JSON.parse(i.evidence_json) : hx(i.evidence);
      const got = runOrError(v, () => x.buildVerifiableIntentHeader(i.ref, evidence, { mediaType: opt(i.mt) }));
      if (got !== undefined) {
        assert.equal(got, exp.value);
        assert.equal(x.verifiableIntentMatches(got, evidence), true);
      }
      break;
    }
    case 'vi_parse': {
      const got = runOrError(v, () => x.parseVerifiableIntentHeader(i.value));
      if (got !== undefined) assert.deepEqual(got, exp);
      break;
    }
    case 'canonical': {
      const got = x.canonicalJson(i.json);
      assert.equal(got.toString('utf8'), exp.canonical);
      assert.equal(crypto.createHash('sha256').update(got).digest('hex'), exp.sha256);
      assert.equal(x.canonicalSha256(i.json).toString('hex'), exp.sha256);
      break;
    }
    default:
      assert.fail(`unknown op ${i.op}`);
  }
}

// ----------------------------------------------------------------------------- risk_trace

// Exact micros of the isoformat vectors (JSON.parse rounds integers above 2^53).
const EXACT_MICROS = (() => {
  const raw = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', '..', '..',
    'test-vectors', 'risk_trace.json'), 'utf8');
  const m = new Map();
  for (const [, name, digits] of raw.matchAll(/"name":\s*"([^"]+)",\s*"input":\s*\{\s*"op":\s*"isoformat",\s*"micros":\s*(-?\d+)/g)) {
    m.set(name, BigInt(digits));
  }
  return m;
})();

function isoformat(micros) {
  // completed_at through the core's clock injection (nowMicros)
  const m = Number.isSafeInteger(micros) ? micros : BigInt(micros);
  return new x.AgentTrace('t', {}, { nowMicros: m }).toDict().completed_at;
}

function record(trace, spec) {
  const ts = { ts: spec.ts };
  switch (spec.record) {
    case 'user_input': trace.userInput(spec.content, spec.role || 'user', ts); break;
    case 'system_prompt': trace.systemPrompt(spec.content, spec.version || 'v1.0', ts); break;
    case 'agent_output': trace.agentOutput(spec.content, spec.role || 'assistant', ts); break;
    case 'tool':
      trace.toolCall(spec.name, JSON.parse(spec.args_json), JSON.parse(spec.kwargs_json), ts);
      trace.toolResult(spec.name, JSON.parse(spec.result_json), { ts: spec.result_ts });
      break;
    case 'function_call': trace.functionCall(spec.name, spec.arguments, spec.call_id, ts); break;
    case 'reasoning_summary': trace.reasoningSummary(spec.text, ts); break;
    case 'marker': trace.custom(spec.type, {}, ts); break;
    default: assert.fail(`unknown event record ${spec.record}`);
  }
}

const parseOpt = (s) => (s === undefined ? null : JSON.parse(s));

function runRiskTrace(v) {
  const i = v.input;
  const exp = v.expect;
  switch (i.op) {
    case 'session_request': {
      const got = runOrError(v, () => x.riskSessionRequest(i.wallet, {
        agentDid: i.agent_did, agentEndpoint: i.agent_endpoint, appId: i.app_id, device: parseOpt(i.device_json),
      }));
      if (got !== undefined) assert.equal(got, exp.body);
      break;
    }
    case 'trace_request': {
      const trace = new x.AgentTrace(i.task, Buffer.from(i.params_json), {
        environment: i.environment_json === undefined ? null : Buffer.from(i.environment_json),
        modelConfig: i.model_config_json === undefined ? null : Buffer.from(i.model_config_json),
        sessionContext: i.session_context_json === undefined ? null : Buffer.from(i.session_context_json),
        completedAt: isoformat(i.completed_at_micros),
      });
      if ('events' in i) {
        trace.eventsJson = [];
        for (const spec of i.events) record(trace, spec);
      }
      const body = x.riskTraceRequest(i.sid, trace);
      assert.equal(body, exp.body);
      assert.equal(trace.digest().toString('hex'), exp.agent_trace_sha256);
      assert.equal(x.canonicalJson(trace.toJson()).toString('utf8'), v.intermediate.agent_trace_canonical);
      const sent = body.slice(body.indexOf('"agent_trace":') + '"agent_trace":'.length, -1);
      assert.equal(x.parseAgentTrace(sent).digest.toString('hex'), exp.agent_trace_sha256);
      break;
    }
    case 'isoformat': {
      const exact = EXACT_MICROS.get(v.name);
      assert.ok(exact !== undefined && Number(exact) === i.micros, v.name);
      const got = runOrError(v, () => isoformat(Number.isSafeInteger(i.micros) ? i.micros : exact));
      if (got !== undefined) assert.equal(got, exp.text);
      break;
    }
    case 'event_ts': {
      const t = new x.AgentTrace('t', {});
      t.custom('m', {}, { ts: i.ts });
      assert.ok(t.eventsJson[0].startsWith(`{"ts":${exp.text},"type":"m"}`), t.eventsJson[0]);
      break;
    }
    case 'session_answer': {
      const got = runOrError(v, () => x.parseRiskSessionAnswer(i.body));
      if (got !== undefined) assert.deepEqual(got, { sid: exp.sid, expires_at: exp.expires_at });
      break;
    }
    case 'trace_answer': {
      const got = runOrError(v, () => x.parseRiskTraceAnswer(i.body));
      if (got !== undefined) assert.equal(got, exp.tid);
      break;
    }
    case 'error_answer': {
      const got = x.parseRiskErrorAnswer(i.body);
      if (exp.none) assert.equal(got, null);
      else assert.deepEqual(got, { code: exp.code, message: exp.message, request_id: exp.request_id });
      break;
    }
    case 'content_type':
      assert.equal(x.isJsonContentType(i.value), exp.json);
      break;
    case 'trace_parse': {
      const got = runOrError(v, () => x.parseAgentTrace(i.json));
      if (got !== undefined) {
        assert.equal(x.canonicalJson(i.json).toString('utf8'), exp.canonical);
        assert.equal(got.digest.toString('hex'), exp.sha256);
      }
      break;
    }
    default:
      assert.fail(`unknown op ${i.op}`);
  }
}

// ----------------------------------------------------------------------------- risk_evidence

function account(alg, key) {
  return alg === 'ed25519' ? x.SolanaKeypair.fromSeed(key) : x.EvmAccount.fromKey(key);
}

function runRiskEvidence(v) {
  const i = v.input;
  const exp = v.expect;
  switch (i.op) {
    case 'evidence_build': {
      const got = runOrError(v, () => {
        const ev = x.PaymentEvidence.build(i.payment_header, i.requirement_json, {
          origin: i.origin, resource: i.resource, sessionId: i.sid, traceId: opt(i.tid),
          agentTrace: opt(i.agent_trace_json), payer: opt(i.payer), validFor: i.valid_for,
          now: Number.isSafeInteger(i.now) ? i.now : BigInt(String(i.now)),
        });
        const signer = account(i.alg, hx(i.key));
        try {
          return [ev, ev.sign(signer)];
        } finally {
          signer.close();
        }
      });
      if (got === undefined) break;
      const [ev, header] = got;
      const inter = v.intermediate;
      assert.equal('0x' + ev.digest.toString('hex'), inter.digest);
      assert.equal(ev.message.paymentHash, inter.paymentHash);
      assert.equal(x.canonicalJson(ev.messageJson).toString('utf8'), exp.message_json);
      assert.equal(header, exp.header);
      const parsed = x.parsePaymentEvidenceHeader(header);
      assert.equal(parsed.signature, exp.signature);
      assert.equal(parsed.alg, i.alg);
      assert.equal(parsed.digest, inter.digest);
      const h = x.eip712Hashes(ev.typedData);
      assert.equal('0x' + h.domainSeparator.toString('hex'), inter.domainSeparator);
      assert.equal('0x' + h.structHash.toString('hex'), inter.structHash);
      assert.equal(ev.assemble(hx(exp.signature), i.alg), header);
      break;
    }
    case 'evidence_verify': {
      const got = x.verifyPaymentEvidence(i.header, i.payment_header, i.requirement_json, {
        origin: i.origin, resource: i.resource, sessionId: i.sid, traceId: opt(i.tid),
        agentTraceDigest: i.agent_trace_digest === undefined ? null : hx(i.agent_trace_digest),
        payer: opt(i.payer), now: i.now,
      });
      assert.deepEqual(got, { isValid: exp.isValid, reasons: exp.reasons, signer: exp.signer });
      break;
    }
    case 'evidence_parse':
      expectError(exp.error, () => x.parsePaymentEvidenceHeader(i.value));
      break;
    default:
      assert.fail(`unknown op ${i.op}`);
  }
}

// ----------------------------------------------------------------------------- risk_mandate

const ISO_REQUIREMENT = {
  scheme: 'exact', network: 'base-sepolia', maxAmountRequired: '1', resource: 'https://seller.example/r',
  description: 'd', mimeType: 'application/json', payTo: '0x0987654321098765432109876543210987654321',
  maxTimeoutSeconds: 30, asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', extra: { name: 'USDC', version: '2' },
};

function runRiskMandate(v) {
  const i = v.input;
  const exp = v.expect;
  switch (i.op) {
    case 'mandate_evaluate': {
      const d = x.evaluateMandate(i.mandate_json, i.requirement_json, opt(i.trace_json), { resource: opt(i.resource), now: i.now });
      assert.equal(d.action, exp.decision);
      assert.deepEqual(d.reasons, exp.reasons);
      assert.equal(d.allowed, exp.decision === 'allow');
      break;
    }
    case 'mandate_parse':
      expectError(exp.error, () => x.evaluateMandate(i.mandate_json, ISO_REQUIREMENT, null, { now: 0 }));
      break;
    case 'iso8601': {
      const mandate = { mandate_version: 1, intent_expiry: i.text, max_amount: '1' };
      if (exp.unix === null) {
        expectError('X402S_ERR_RISK_INVALID_MANDATE', () => x.evaluateMandate(mandate, ISO_REQUIREMENT, null, { now: 0 }));
      } else {
        assert.equal(x.evaluateMandate(mandate, ISO_REQUIREMENT, null, { now: exp.unix - 1 }).action, 'allow');
        const late = x.evaluateMandate(mandate, ISO_REQUIREMENT, null, { now: exp.unix });
        assert.equal(late.action, 'deny');
        assert.deepEqual(late.reasons.map((r) => r.code), ['mandate_expired']);
      }
      break;
    }
    default:
      assert.fail(`unknown op ${i.op}`);
  }
}

// ----------------------------------------------------------------------------- json (canonical form)

/** test-vectors/json.json through canonicalJson: the canonical form and the parse errors
 *  (compact/pythonSpaced have no C function; limit-override vectors are skipped). */
function runJsonCanonical(v) {
  const i = v.input;
  if ('maxBytes' in i || 'maxDepth' in i) return;
  const doc = 'json' in i ? Buffer.from(i.json, 'utf8') : hx(i.hex);
  const got = runOrError(v, () => x.canonicalJson(doc));
  if (got !== undefined) assert.equal(got.toString('utf8'), v.expect.canonical);
}

module.exports = {
  risk_headers: runRiskHeaders,
  risk_trace: runRiskTrace,
  risk_evidence: runRiskEvidence,
  risk_mandate: runRiskMandate,
  json: runJsonCanonical,
};
