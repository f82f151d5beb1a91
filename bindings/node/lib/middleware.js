'use strict';
/**
 * x402 seller middleware for node:http that also fits Express/Connect
 * (`(req, res, next)`), on the x402-secure core.
 *
 *   const { x402Middleware } = require('x402secure');
 *   const pay = x402Middleware({
 *     routes: { 'GET /api/market-data': { network: 'eip155:84532', payTo: '0x…', price: '$0.01' } },
 *     mode: 'proxy', gatewayUrl: 'http://127.0.0.1:8000',
 *   });
 *   http.createServer((req, res) => pay(req, res, () => handler(req, res)));   // node:http
 *   app.use(pay);                                                               // Express/Connect
 *
 * Routes are matched on the canonical route of the core (docs/ROUTES.md: decoding, dot
 * segments, absolute-form targets, duplicate slashes, `caseSensitive` / `strict` as the
 * framework's router, HEAD priced as GET; keys "GET /path", "/path", "GET /prefix/*"). A
 * request whose target cannot be canonicalised gets 400; a priced path asked with another
 * method gets 405 with Allow; neither reaches next(). Every request handed to next() carries
 * `req.x402Route = {key, method, path}` (key: the matched route key as configured, or null
 * for a free route) so the application routes on the same reading of the URL.
 *
 * For a priced route the middleware:
 *  1. answers 402 when there is no payment header: a v1 JSON body
 *     {x402Version: 1, error, accepts} AND a v2 `PAYMENT-REQUIRED` header, both made by
 *     the core from the route's offers;
 *  2. answers 400 with a reason for a malformed payment header (`X-PAYMENT` v1 or
 *     `PAYMENT-SIGNATURE` v2) or malformed risk headers (`X-PAYMENT-SECURE`,
 *     `X-RISK-SESSION`, `X-PAYMENT-EVIDENCE`), never a silent 402;
 *  3. matches the payment to one of the route's requirements (v1: scheme + network;
 *     v2: `accepted` equal to an offered requirement), else 402;
 *  4. verifies it offline with the core, recording it in a replay guard (a replayed
 *     header gets 402 `duplicate_payment`); decoding, evidence checks and verification
 *     run on the libuv thread pool (the *Async core calls), never on the event loop;
 *  5. settles: `mode: 'facilitator'` POSTs `{facilitatorUrl}/verify` and `/settle`;
 *     `mode: 'proxy'` POSTs x402-secure's `{gatewayUrl}/x402/verify` and `/x402/settle`
 *     with the risk headers forwarded; `mode: 'local'` (tests) accepts the local
 *     verification. Refusals (a JSON refusal: an x402-secure error envelope, or
 *     isValid false / errorReason) map to 402 with the x402 reason; an unreachable or
 *     slow upstream (no complete answer within timeoutMs: connect, headers and body), an
 *     answer over 1 MiB (read as a stream, aborted at the cap), a redirect (never
 *     followed), a 5xx, a non-JSON answer or an error page map to 502;
 *  6. on success sets `X-PAYMENT-RESPONSE` (v1) or `PAYMENT-RESPONSE` (v2), puts
 *     `{payment, requirement, settlement, payer, risk, route}` on `req.x402` and calls `next()`.
 * A payment header is single-use: it is recorded at step 4, so a failed settlement
 * needs a new payment (nothing is settled twice).
 */

const http = require('http');
const https = require('https');

/** The package's core API (index.js), required on first use: index.js loads this file lazily. */
let core = null;
function x() {
  if (core === null) core = require('..');
  return core;
}

// ---- the few core calls the middleware makes (x402 and risk front doors of index.js) ----

/** The 402 document and (v2) PAYMENT-REQUIRED header value for offers, made by the core. */
function paymentRequired402(offers, resource, version, error) {
  const request = { x402Version: version, offers, resource };
  if (error !== undefined) request.error = error;
  const a = x().paymentRequiredResponse(request);
  return { document: a.paymentRequired, header: a.header === undefined ? null : a.header };
}

/** The v1 402 body: the offers protocol v1 can express (a network without a v1 name, such as
 *  any eip155:<id> outside the table, is offered in v2 only). */
function v1Document(offers, resource) {
  try {
    return paymentRequired402(offers, resource, 1).document;
  } catch (e) {
    if (e.code !== 'X402S_ERR_X402_UNKNOWN_NETWORK') throw e;
  }
  const expressible = offers.filter((o) => {
    try {
      paymentRequired402([o], resource, 1);
      return true;
    } catch (e) {
      return false;
    }
  });
  if (expressible.length) return paymentRequired402(expressible, resource, 1).document;
  return { x402Version: 1, error: 'X-PAYMENT header is required', accepts: [] };
}

const MODES = new Set(['facilitator', 'proxy', 'local']);
const DEFAULT_TIMEOUT_MS = 10000;
const MAX_UPSTREAM_BYTES = 1 << 20;

/** Error for a bad middleware configuration (thrown at construction). */
class X402MiddlewareConfigError extends TypeError {
  constructor(message) {
    super(message);
    this.name = 'X402MiddlewareConfigError';
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const OFFER_KEYS = ['scheme', 'network', 'payTo', 'price', 'amount', 'asset', 'maxTimeoutSeconds', 'extra'];

function compileRoute(key, value) {
  let offers;
  let meta = {};
  if (Array.isArray(value)) offers = value;
  else if (isObject(value) && Array.isArray(value.accepts)) {
    offers = value.accepts;
    meta = value;
  } else if (isObject(value)) {
    offers = [value];
    meta = value;
  } else {
    throw new X402MiddlewareConfigError(`route ${key}: expected an offer, an array of offers or {accepts: [...]}`);
  }
  if (offers.length === 0) throw new X402MiddlewareConfigError(`route ${key}: no offers`);
  const clean = offers.map((o, i) => {
    if (!isObject(o)) throw new X402MiddlewareConfigError(`route ${key}: offer ${i} is not an object`);
    if (typeof o.network !== 'string' || typeof o.payTo !== 'string') {
      throw new X402MiddlewareConfigError(`route ${key}: offer ${i} needs network and payTo`);
    }
    if ((o.price === undefined) === (o.amount === undefined)) {
      throw new X402MiddlewareConfigError(`route ${key}: offer ${i} needs exactly one of price and amount`);
    }
    const out = {};
    for (const k of OFFER_KEYS) if (o[k] !== undefined) out[k] = o[k];
    return out;
  });
  return {
    key,
    offers: clean,
    description: typeof meta.description === 'string' ? meta.description : '',
    mimeType: typeof meta.mimeType === 'string' ? meta.mimeType : 'application/json',
    cache: new Map(),
  };
}

/**
 * The routes of the options: a RouteTable of the keys, canonicalised by the core with the
 * router options (caseSensitive, strict: as the application's router), and the compiled
 * routes in the table's order. Bad keys, and two keys that are one route, throw here.
 */
function compileRoutes(options) {
  for (const name of ['caseSensitive', 'strict']) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      throw new X402MiddlewareConfigError(`${name} must be a boolean (as the application's router)`);
    }
  }
  const routerOptions = { caseSensitive: options.caseSensitive === true, strict: options.strict === true };
  const entries = Object.entries(options.routes);
  const byCanonical = new Map();
  for (const [key] of entries) {
    let canonical;
    try {
      canonical = x().routeKey(key, routerOptions).key;
    } catch (e) {
      throw new X402MiddlewareConfigError(`route ${JSON.stringify(key)}: ${e.message}`);
    }
    if (byCanonical.has(canonical)) {
      throw new X402MiddlewareConfigError(`routes ${JSON.stringify(byCanonical.get(canonical))} and ${JSON.stringify(key)} are the same route (${canonical})`);
    }
    byCanonical.set(canonical, key);
  }
  const table = new (x().RouteTable)(entries.map(([k]) => k), routerOptions);
  return { table, routes: entries.map(([k, v]) => compileRoute(k, v)) };
}

function headerValue(req, name) {
  const v = req.headers[name];
  if (Array.isArray(v)) return v.length === 1 ? v[0] : null; // repeated header: ambiguous
  return typeof v === 'string' ? v : undefined;
}

function sendJson(res, status, doc, headers) {
  const body = Buffer.from(JSON.stringify(doc), 'utf8');
  res.statusCode = status;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}

/** An upstream base URL (facilitatorUrl / gatewayUrl), checked at creation. */
function upstreamBase(value, name) {
  let u;
  try {
    u = new URL(value);
  } catch (_) {
    throw new X402MiddlewareConfigError(`${name} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new X402MiddlewareConfigError(`${name} must be http: or https:`);
  if (u.username || u.password) throw new X402MiddlewareConfigError(`${name} must not carry credentials`);
  if (u.search || u.hash) throw new X402MiddlewareConfigError(`${name} must not have a query or fragment`);
  return u.href.replace(/\/+$/, '');
}

const JSON_DECODER = new TextDecoder('utf-8', { fatal: true });

/**
 * POST a JSON body to an upstream and read its answer as a stream: at most
 * MAX_UPSTREAM_BYTES (the request is destroyed as soon as the cap is passed, or at once when
 * Content-Length announces more), all of it (connect, headers, body) within timeoutMs (a
 * trickling upstream cannot extend it), redirects never followed (a 3xx is an answer like
 * any other). Resolves {ok: true, status, doc, headers} (doc: the JSON object of an
 * application/json answer, else null) or {ok: false, status?, message}.
 */
function postJson(url, body, headers, timeoutMs) {
  return new Promise((resolve) => {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    let done = false;
    let req = null;
    let status;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!result.ok && req !== null) req.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, status, message: `no complete answer within ${timeoutMs} ms` }), timeoutMs);
    try {
      req = mod.request(u, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers, 'Content-Length': String(payload.length) },
      });
    } catch (e) {
      finish({ ok: false, message: `request failed: ${(e && e.code) || 'error'}` });
      return;
    }
    req.on('error', (e) => finish({ ok: false, status, message: `unreachable: ${(e && e.code) || (e && e.message) || 'error'}` }));
    req.on('response', (res) => {
      status = res.statusCode;
      const announced = Number(res.headers['content-length']);
      if (Number.isFinite(announced) && announced > MAX_UPSTREAM_BYTES) {
        finish({ ok: false, status, message: `answered ${status} with ${announced} bytes (limit ${MAX_UPSTREAM_BYTES})` });
        return;
      }
      const chunks = [];
      let size = 0;
      res.on('data', (c) => {
        size += c.length;
        if (size > MAX_UPSTREAM_BYTES) {
          finish({ ok: false, status, message: `answered ${status} with more than ${MAX_UPSTREAM_BYTES} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('aborted', () => finish({ ok: false, status, message: `answered ${status} and closed mid-body` }));
      res.on('error', () => finish({ ok: false, status, message: `answered ${status} and closed mid-body` }));
      res.on('end', () => {
        const ctype = String(res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
        let doc = null;
        if (ctype === 'application/json') {
          try {
            const parsed = JSON.parse(JSON_DECODER.decode(Buffer.concat(chunks, size)));
            if (isObject(parsed)) doc = parsed;
          } catch (_) {
            doc = null;
          }
        }
        finish({ ok: true, status, doc, headers: res.headers });
      });
    });
    req.end(payload);
  });
}

/** The x402 refusal carried by a non-200 JSON answer (the x402-secure gateway's envelope
 * {"error": {code, message}}, or a VerifyResponse / SettleResponse with its reason), or null. */
function refusalOf(doc) {
  if (!doc) return null;
  if (isObject(doc.error) && typeof doc.error.code === 'string' && doc.error.code) {
    return { reason: doc.error.code.toLowerCase(), message: typeof doc.error.message === 'string' ? doc.error.message : '' };
  }
  if (doc.isValid === false && typeof doc.invalidReason === 'string' && doc.invalidReason) return { reason: doc.invalidReason, message: '' };
  if (doc.success === false && typeof doc.errorReason === 'string' && doc.errorReason) return { reason: doc.errorReason, message: '' };
  return null;
}

/** v2 server matching (x402 2.25.0): scheme, network, amount, asset, payTo, maxTimeoutSeconds equal; extra a subset. */
function acceptedMatches(offered, accepted) {
  if (!isObject(accepted)) return false;
  for (const k of ['scheme', 'network', 'amount', 'asset', 'payTo', 'maxTimeoutSeconds']) {
    if (offered[k] !== accepted[k]) return false;
  }
  const extra = isObject(offered.extra) ? offered.extra : {};
  const acc = isObject(accepted.extra) ? accepted.extra : {};
  for (const [k, v] of Object.entries(extra)) {
    if (JSON.stringify(acc[k]) !== JSON.stringify(v)) return false;
  }
  return true;
}

/**
 * Create the middleware.
 * @param {object} options see index.d.ts (X402MiddlewareOptions).
 * @returns {(req, res, next?) => Promise<void>}
 */
function x402Middleware(options) {
  if (!isObject(options)) throw new X402MiddlewareConfigError('x402Middleware(options): options must be an object');
  const mode = options.mode || (options.gatewayUrl ? 'proxy' : options.facilitatorUrl ? 'facilitator' : undefined);
  if (!MODES.has(mode)) throw new X402MiddlewareConfigError('mode must be "facilitator", "proxy" or "local"');
  if (mode === 'facilitator' && typeof options.facilitatorUrl !== 'string') {
    throw new X402MiddlewareConfigError('mode "facilitator" needs facilitatorUrl');
  }
  if (mode === 'proxy' && typeof options.gatewayUrl !== 'string') {
    throw new X402MiddlewareConfigError('mode "proxy" needs gatewayUrl');
  }
  if (!isObject(options.routes) || Object.keys(options.routes).length === 0) {
    throw new X402MiddlewareConfigError('routes must map "METHOD /path" to offers');
  }
  const { table, routes } = compileRoutes(options);
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : options.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new X402MiddlewareConfigError('timeoutMs must be a positive integer');
  if (options.fetch !== undefined) {
    throw new X402MiddlewareConfigError('the fetch option is gone: upstream answers are read by node:http with a byte cap, a deadline and no redirects');
  }
  const replayGuard = options.replayGuard === undefined ? new (x().ReplayGuard)() : options.replayGuard;
  const requireRiskHeaders = options.requireRiskHeaders === undefined ? mode === 'proxy' : !!options.requireRiskHeaders;
  const requirePaymentEvidence = !!options.requirePaymentEvidence;
  const clock = typeof options.now === 'function' ? options.now : () => Math.floor(Date.now() / 1000);
  const verifyOptions = {};
  if (options.facilitatorAddresses) verifyOptions.facilitatorAddresses = options.facilitatorAddresses;
  if (Array.isArray(options.solanaFeePayers)) verifyOptions.solanaFeePayers = options.solanaFeePayers;
  const base = mode === 'proxy' ? upstreamBase(options.gatewayUrl, 'gatewayUrl') : mode === 'facilitator' ? upstreamBase(options.facilitatorUrl, 'facilitatorUrl') : '';
  const upstreamName = mode === 'proxy' ? 'gateway' : 'facilitator';
  const verifyUrl = mode === 'proxy' ? `${base}/x402/verify` : `${base}/verify`;
  const settleUrl = mode === 'proxy' ? `${base}/x402/settle` : `${base}/settle`;
  const onEvent = typeof options.onEvent === 'function' ? options.onEvent : null;

  function emit(event) {
    if (onEvent) {
      try {
        onEvent(event);
      } catch (_) {
        /* observers never break payments */
      }
    }
  }

  /**
   * The request's route on the canonical form: {refused: X402SError} (answer 400), or
   * {match, route} with route the compiled priced route (null: free or method not allowed).
   */
  function findRoute(req) {
    const target = typeof req.originalUrl === 'string' && req.originalUrl !== '' ? req.originalUrl : req.url;
    let match;
    try {
      match = table.match(typeof req.method === 'string' ? req.method : '', typeof target === 'string' ? target : '');
    } catch (e) {
      return { refused: e };
    }
    return { match, route: match.index === null ? null : routes[match.index] };
  }

  /** The resource URL of a canonical path (percent-encoded again per segment). */
  function resourceUrl(req, path) {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    if (typeof options.publicBaseUrl === 'string') return options.publicBaseUrl.replace(/\/+$/, '') + encoded;
    const host = headerValue(req, 'host') || 'localhost';
    const proto = req.socket && req.socket.encrypted ? 'https' : 'http';
    return `${proto}://${host}${encoded}`;
  }

  /** The v1 and v2 402 documents of a route for a resource URL (cached per route). */
  function answers(route, resource) {
    let a = route.cache.get(resource);
    if (!a) {
      const res = { url: resource, description: route.description, mimeType: route.mimeType };
      a = {
        resource: res,
        offers: route.offers,
        v1: v1Document(route.offers, res),
        v2: paymentRequired402(route.offers, res, 2).document,
        headers: new Map(), // error text -> PAYMENT-REQUIRED value
      };
      if (route.cache.size >= 64) route.cache.clear();
      route.cache.set(resource, a);
    }
    return a;
  }

  /** The v2 PAYMENT-REQUIRED value carrying `error` (made by the core; cached). */
  function v2Header(a, error) {
    let h = a.headers.get(error);
    if (h === undefined) {
      h = paymentRequired402(a.offers, a.resource, 2, error).header;
      if (a.headers.size >= 64) a.headers.clear();
      a.headers.set(error, h);
    }
    return h;
  }

  function paymentRequired(res, a, error, extra, status = 402) {
    sendJson(res, status, { x402Version: 1, error, accepts: a.v1.accepts, ...(extra || {}) }, {
      'PAYMENT-REQUIRED': v2Header(a, error),
      'Cache-Control': 'no-store',
    });
  }

  function badRequest(res, reason, message) {
    sendJson(res, 400, { error: reason, reason, message });
  }

  function upstreamFailure(res, what, r) {
    const message = r.ok
      ? `${upstreamName} ${what} answered ${r.status}${r.status >= 300 && r.status < 400 ? ' (redirects are not followed)' : r.doc ? '' : ' (not JSON)'}`
      : `${upstreamName} ${what}: ${r.message}`;
    sendJson(res, 502, { error: `${upstreamName}_error`, reason: `${upstreamName}_error`, message });
    return message;
  }

  /** Remote verify + settle. Returns {settlement} or null after answering. */
  async function settleRemote(res, a, ctx) {
    const body = { x402Version: ctx.version, paymentPayload: ctx.payment, paymentRequirements: ctx.requirement };
    const headers = {};
    if (mode === 'proxy') {
      headers[ctx.headerName] = ctx.headerValue;
      for (const h of ['origin', 'x-payment-secure', 'x-risk-session', 'x-risk-trace', 'x-ap2-evidence', 'x-payment-evidence']) {
        const v = headerValue(ctx.req, h);
        if (typeof v === 'string') headers[h] = v;
      }
    } else {
      body.paymentHeader = ctx.headerValue;
    }
    for (const [what, url] of [['verify', verifyUrl], ['settle', settleUrl]]) {
      const r = await postJson(url, body, headers, timeoutMs);
      const refusal = r.ok && r.status !== 200 && r.status < 500 && !(r.status >= 300 && r.status < 400) ? refusalOf(r.doc) : null;
      if (!r.ok || (r.status !== 200 && refusal === null) || (r.status === 200 && !r.doc)) {
        const message = upstreamFailure(res, what, r);
        emit({ type: 'upstream_error', step: what, message });
        return null;
      }
      if (refusal !== null) {
        // The gateway's envelope {"error": {code, message}} (codes lower-cased: risk_denied), or a
        // VerifyResponse / SettleResponse carrying its reason with a non-200 status.
        emit({ type: 'refused', step: what, reason: refusal.reason, message: refusal.message, status: r.status });
        paymentRequired(res, a, refusal.reason, { reason: refusal.reason, message: refusal.message, upstreamStatus: r.status });
        return null;
      }
      if (what === 'verify') {
        if (r.doc.isValid !== true) {
          const reason = r.doc.invalidReason || 'invalid_payment';
          emit({ type: 'refused', step: what, reason });
          paymentRequired(res, a, reason, { reason, invalidReason: reason });
          return null;
        }
        const decision = r.headers['x-risk-decision'];
        ctx.riskDecision = typeof decision === 'string' && decision ? decision : undefined;
      } else {
        if (r.doc.success !== true) {
          const reason = r.doc.errorReason || 'settlement_failed';
          emit({ type: 'refused', step: what, reason });
          paymentRequired(res, a, reason, { reason, errorReason: reason });
          return null;
        }
        const s = { success: true, transaction: String(r.doc.transaction || ''), network: String(r.doc.network || ctx.requirement.network) };
        if (r.doc.payer) s.payer = String(r.doc.payer);
        return { settlement: s };
      }
    }
    return null;
  }

  return async function x402(req, res, next) {
    const found = findRoute(req);
    if (found.refused) {
      // Never next(): the application's router might read this target as a priced route.
      const e = found.refused;
      emit({ type: 'bad_request', reason: 'invalid_request_target', code: e.code });
      return badRequest(res, 'invalid_request_target', `the request cannot be routed safely: ${e.code || 'error'}: ${e.message}`);
    }
    const { match, route } = found;
    if (route === null && match.allow.length > 0) {
      // A priced path asked with another method: a handler that ignores the method would serve it free.
      emit({ type: 'method_not_allowed', method: match.route.method, path: match.route.path });
      sendJson(res, 405, { error: 'method_not_allowed', reason: 'method_not_allowed', allow: match.allow }, { Allow: match.allow.join(', ') });
      return undefined;
    }
    req.x402Route = { key: route === null ? null : route.key, method: match.route.method, path: match.route.path };
    if (route === null) {
      if (typeof next === 'function') return next();
      sendJson(res, 404, { error: 'not_found' });
      return undefined;
    }
    const pathname = match.route.path;
    try {
      const a = answers(route, resourceUrl(req, pathname));
      const sig = headerValue(req, 'payment-signature');
      const xp = headerValue(req, 'x-payment');
      if (sig === null || xp === null) return badRequest(res, 'invalid_payment_header', 'the payment header is repeated');
      if (sig === undefined && xp === undefined) {
        emit({ type: 'payment_required', route: route.key });
        return paymentRequired(res, a, 'Payment required');
      }
      const headerName = sig !== undefined ? 'PAYMENT-SIGNATURE' : 'X-PAYMENT';
      const value = sig !== undefined ? sig : xp;

      let payment;
      try {
        payment = await x().decodePaymentHeaderAsync(value);
      } catch (e) {
        emit({ type: 'bad_request', reason: 'invalid_payment_header', code: e.code });
        return badRequest(res, 'invalid_payment_header', `${headerName} does not decode: ${e.code || 'error'}: ${e.message}`);
      }
      const version = payment.x402Version;
      if ((version === 2) !== (headerName === 'PAYMENT-SIGNATURE')) {
        return badRequest(res, 'invalid_payment_header', `${headerName} carries an x402Version ${version} payment`);
      }
      let requirement;
      if (version === 1) requirement = a.v1.accepts.find((r) => r.scheme === payment.scheme && r.network === payment.network);
      else requirement = a.v2.accepts.find((r) => acceptedMatches(r, payment.accepted));
      if (!requirement) {
        emit({ type: 'refused', step: 'match', reason: 'no_matching_requirements' });
        return paymentRequired(res, a, 'No matching payment requirements', { reason: 'no_matching_requirements' });
      }

      // Risk headers: syntax checked by the core (400 when malformed; 402 when required and absent).
      const xps = headerValue(req, 'x-payment-secure');
      const sidText = headerValue(req, 'x-risk-session');
      const pev = headerValue(req, 'x-payment-evidence');
      if (xps === null || sidText === null || pev === null) return badRequest(res, 'invalid_risk_header', 'a risk header is repeated');
      let riskInfo = null;
      if (xps !== undefined || sidText !== undefined) {
        if (xps === undefined || sidText === undefined) {
          return badRequest(res, 'invalid_risk_header', 'X-PAYMENT-SECURE and X-RISK-SESSION go together');
        }
        let secure;
        let sid;
        try {
          secure = x().parsePaymentSecureHeader(xps);
        } catch (e) {
          return badRequest(res, 'invalid_risk_header', `X-PAYMENT-SECURE invalid: ${e.code || 'error'}: ${e.message}`);
        }
        try {
          sid = x().normalizeRiskId(sidText);
        } catch (e) {
          return badRequest(res, 'invalid_risk_header', `X-RISK-SESSION invalid: ${e.code || 'error'}: ${e.message}`);
        }
        let tid = null;
        if (typeof secure.tid === 'string') {
          try {
            tid = x().normalizeRiskId(secure.tid);
          } catch (_) {
            tid = null; // as the gateway: an unusable tid is no tid
          }
        }
        riskInfo = { sid, tid, traceparent: secure.tp };
      } else if (requireRiskHeaders) {
        emit({ type: 'refused', step: 'risk', reason: 'risk_headers_required' });
        return paymentRequired(res, a, 'X-PAYMENT-SECURE and X-RISK-SESSION required', { reason: 'risk_headers_required' });
      }
      if (pev === undefined && requirePaymentEvidence) {
        return paymentRequired(res, a, 'X-PAYMENT-EVIDENCE required', { reason: 'payment_evidence_required' });
      }
      if (pev !== undefined && mode !== 'proxy') {
        // The gateway checks evidence in proxy mode; here the core does.
        if (!riskInfo) return badRequest(res, 'invalid_risk_header', 'X-PAYMENT-EVIDENCE needs X-RISK-SESSION and X-PAYMENT-SECURE');
        let check;
        try {
          check = await x().verifyPaymentEvidenceAsync(pev, value, requirement, {
            origin: headerValue(req, 'origin') || '',
            resource: resourceUrl(req, pathname),
            sessionId: riskInfo.sid,
            traceId: riskInfo.tid,
            now: clock(),
          });
        } catch (e) {
          return badRequest(res, 'invalid_risk_header', `X-PAYMENT-EVIDENCE invalid: ${e.code || 'error'}: ${e.message}`);
        }
        if (!check.isValid) {
          const reason = (check.reasons && check.reasons[0]) || 'payment_evidence_invalid';
          return paymentRequired(res, a, reason, { reason, reasons: check.reasons });
        }
      }

      // Offline verification with the replay guard, on the libuv thread pool (the event loop
      // never waits on a large payment; the guard stays alive until it completes).
      const verdict = await x().verifyPaymentAsync(value, requirement, clock(), verifyOptions, replayGuard);
      if (!verdict.isValid) {
        const reason = verdict.invalidReason || 'invalid_payment';
        emit({ type: 'refused', step: 'local_verify', reason });
        return paymentRequired(res, a, reason, { reason, invalidReason: reason });
      }

      const ctx = { req, version, payment, requirement, headerName, headerValue: value };
      let settlement;
      if (mode === 'local') {
        settlement = { success: true, transaction: '', network: requirement.network };
        if (verdict.payer) settlement.payer = verdict.payer;
      } else {
        const out = await settleRemote(res, a, ctx);
        if (!out) return undefined;
        settlement = out.settlement;
      }
      const receiptName = version === 1 ? 'X-PAYMENT-RESPONSE' : 'PAYMENT-RESPONSE';
      res.setHeader(receiptName, x().encodeSettleResponse(settlement));
      res.setHeader('Access-Control-Expose-Headers', 'PAYMENT-RESPONSE, X-PAYMENT-RESPONSE');
      req.x402 = { version, payment, requirement, settlement, payer: settlement.payer || verdict.payer || null, risk: riskInfo, riskDecision: ctx.riskDecision, route: req.x402Route };
      emit({ type: 'paid', route: route.key, network: requirement.network, payer: req.x402.payer, transaction: settlement.transaction });
      if (typeof next === 'function') return next();
      return undefined;
    } catch (e) {
      // A bug or an unexpected core error: never leave the request hanging, never call the handler.
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: e && e.code ? e.code : 'internal error' });
      emit({ type: 'internal_error', message: String(e && e.message) });
      return undefined;
    }
  };
}

/**
 * Wrap a node:http handler: `http.createServer(withX402(options, handler))`.
 * @param {object} options as x402Middleware
 * @param {(req, res) => void} handler called after a successful payment (and for unpriced routes)
 */
function withX402(options, handler) {
  const mw = x402Middleware(options);
  return (req, res) => mw(req, res, () => handler(req, res));
}

module.exports = { x402Middleware, withX402, X402MiddlewareConfigError };
