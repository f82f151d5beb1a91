'use strict';
/**
 * Canonical HTTP routes for sellers (docs/ROUTES.md): the (method, path) a price is looked
 * up with, computed by the core (x402s_http_route_canonical / x402s_http_route_key, src/
 * x402s_node_http.c), and the route-table matching rule every front door applies (the same
 * rule as Swift's HTTPRouteTable and Python's x402secure.http.RouteTable; pinned by
 * test-vectors/http_route.json).
 *
 *   const { RouteTable } = require('x402secure');
 *   const table = new RouteTable(['GET /api/market-data', '/files/*']);   // bad keys throw here
 *   const m = table.match(req.method, req.url);   // X402SError X402S_ERR_HTTP_*: answer 400
 *   m.key      // the matched canonical key ("GET /api/market-data"), or null
 *   m.allow    // [] or, when only other methods are priced on this path, the Allow list (405)
 *
 * Options (as Express's router): caseSensitive (default false: paths are lower-cased) and
 * strict (default false: one trailing slash is not significant).
 *
 * Loaded by index.js, whose exports it extends.
 */

const x = require('..');

const internal = require('./internal');
const { typeError, text, libError } = internal;

const ROUTE_CASE_SENSITIVE = 1;
const ROUTE_STRICT_SLASH = 2;
const MAX_TARGET_BYTES = 16384;

/** The flags word of {caseSensitive, strict} (booleans; absent: false). */
function routeFlags(options, operation) {
  if (options === undefined || options === null) return 0;
  if (typeof options !== 'object') throw typeError(operation, 'options', options);
  let flags = 0;
  for (const [name, bit] of [['caseSensitive', ROUTE_CASE_SENSITIVE], ['strict', ROUTE_STRICT_SLASH]]) {
    const v = options[name];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw typeError(operation, `options.${name}`, v);
    if (v) flags |= bit;
  }
  return flags;
}

function call(fn, operation, args) {
  const [status, out, message] = internal.native[fn](...args);
  if (status !== 0) {
    throw new x.X402SError(message || 'the call failed', x.statusName(status) || `X402S_STATUS_${status}`, status, operation);
  }
  return JSON.parse(out);
}

/**
 * The canonical route of a request: {method, path}, method upper-case (HEAD as GET), path
 * decoded with dot segments resolved, duplicate slashes merged and the options applied.
 * @param {string|Uint8Array} method
 * @param {string|Uint8Array} target the raw request-target (req.url, req.originalUrl)
 * @param {{caseSensitive?: boolean, strict?: boolean}} [options]
 * @throws {X402SError} X402S_ERR_HTTP_* (refuse the request with 400), X402S_ERR_INPUT_TOO_LARGE, ...
 */
function canonicalRoute(method, target, options) {
  const op = 'x402s_http_route_canonical';
  const flags = routeFlags(options, op);
  return call('httpRouteCanonical', op, [text(method, op, 'method'), text(target, op, 'target'), flags]);
}

/**
 * A seller's route key canonicalised: {method (null: every method), path, prefix, key}.
 * "GET /path", "/path", a final "/*" for a whole subtree.
 * @throws {X402SError} X402S_ERR_HTTP_INVALID_ROUTE_KEY with the reason.
 */
function routeKey(key, options) {
  const op = 'x402s_http_route_key';
  const flags = routeFlags(options, op);
  return call('httpRouteKey', op, [text(key, op, 'key'), flags]);
}

/** Whether a canonical key covers a canonical path (method not considered). */
function covers(k, p) {
  if (p === k.path) return true;
  if (!k.prefix) return false;
  return k.path === '/' || p.startsWith(k.path + '/');
}

/** Whether candidate a wins over candidate b (both cover the request's path). */
function precedes(a, b) {
  if (a.prefix !== b.prefix) return !a.prefix;
  const la = Buffer.byteLength(a.path);
  const lb = Buffer.byteLength(b.path);
  if (la !== lb) return la > lb;
  return a.method !== null && b.method === null;
}

/**
 * A seller's priced route keys, matched on canonical routes:
 *  1. keys covering the request's path with its method or no method are candidates: an exact
 *     key before any prefix, a longer prefix before a shorter, and at the same path a key
 *     naming the method before a method-less one;
 *  2. no candidate but keys of other methods cover the path: `allow` lists them (answer 405:
 *     a handler that ignores the method must never serve a priced path free);
 *  3. otherwise the request is not priced.
 */
class RouteTable {
  /**
   * @param {Iterable<string>} keys route keys (checked now: a bad key or two keys that are the
   *   same route once canonical throw X402SError X402S_ERR_HTTP_INVALID_ROUTE_KEY)
   * @param {{caseSensitive?: boolean, strict?: boolean}} [options]
   */
  constructor(keys, options) {
    this.flags = routeFlags(options, 'x402s_http_route_key');
    /** The options applied to keys and requests alike. */
    this.options = Object.freeze({ caseSensitive: (this.flags & ROUTE_CASE_SENSITIVE) !== 0, strict: (this.flags & ROUTE_STRICT_SLASH) !== 0 });
    const parsed = [];
    const seen = new Set();
    for (const k of keys) {
      const rk = routeKey(k, options);
      if (seen.has(rk.key)) {
        throw libError('X402S_ERR_HTTP_INVALID_ROUTE_KEY', 'x402s_http_route_key', 'two route keys are the same route once canonical');
      }
      seen.add(rk.key);
      parsed.push(Object.freeze(rk));
    }
    /** The canonical keys, in the order given. */
    this.keys = Object.freeze(parsed);
    Object.freeze(this);
  }

  /**
   * Canonicalise a request and look it up: {route: {method, path}, key, index, allow}.
   * @throws {X402SError} the refusals of canonicalRoute (answer 400).
   */
  match(method, target) {
    const op = 'x402s_http_route_canonical';
    const route = call('httpRouteCanonical', op, [text(method, op, 'method'), text(target, op, 'target'), this.flags]);
    return this.matchRoute(route);
  }

  /** Look a canonical route up. */
  matchRoute(route) {
    let best = -1;
    const others = new Set();
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i];
      if (!covers(k, route.path)) continue;
      if (k.method !== null && k.method !== route.method) {
        others.add(k.method);
        continue;
      }
      if (best < 0 || precedes(k, this.keys[best])) best = i;
    }
    if (best >= 0) return { route, key: this.keys[best].key, index: best, allow: [] };
    if (others.has('GET')) others.add('HEAD');
    return { route, key: null, index: null, allow: [...others].sort() };
  }
}

const api = { ROUTE_CASE_SENSITIVE, ROUTE_STRICT_SLASH, MAX_TARGET_BYTES, canonicalRoute, routeKey, RouteTable };
module.exports = api;
// Extend the package exports (index.js requires this file after lib/risk.js).
Object.assign(x, api);
