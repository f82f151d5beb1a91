'use strict';
// Canonical HTTP routes (lib/http.js over x402s_http_route_*): bad input through the binding,
// and a differential property against the URL readings applications route on: whenever
// WHATWG URL, the legacy url.parse (Express's parseurl), their percent-decoded forms or a
// path.normalize of them read a random target as the priced route, the core must either
// refuse the target or canonicalise it to that route (fail closed: never a free spelling).

const test = require('node:test');
const assert = require('node:assert/strict');
const nodePath = require('node:path');
const legacyUrl = require('node:url');

const x = require('..');

function code(fn) {
  try {
    fn();
  } catch (e) {
    return e.code;
  }
  return 'no error';
}

test('null, undefined and wrong types', () => {
  for (const bad of [null, undefined]) {
    assert.equal(code(() => x.canonicalRoute(bad, '/a')), 'X402S_ERR_NULL_ARGUMENT');
    assert.equal(code(() => x.canonicalRoute('GET', bad)), 'X402S_ERR_NULL_ARGUMENT');
    assert.equal(code(() => x.routeKey(bad)), 'X402S_ERR_NULL_ARGUMENT');
  }
  for (const bad of [1, {}, [], true, 1n, () => 0]) {
    assert.equal(code(() => x.canonicalRoute(bad, '/a')), 'X402S_ERR_INVALID_ARGUMENT');
    assert.equal(code(() => x.canonicalRoute('GET', bad)), 'X402S_ERR_INVALID_ARGUMENT');
    assert.equal(code(() => x.routeKey(bad)), 'X402S_ERR_INVALID_ARGUMENT');
  }
  assert.equal(code(() => x.canonicalRoute('GET', '/a', 'strict')), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(code(() => x.canonicalRoute('GET', '/a', { strict: 1 })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(code(() => new x.RouteTable(['/a'], { caseSensitive: 'yes' })), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(code(() => new x.RouteTable([7])), 'X402S_ERR_INVALID_ARGUMENT');
  // the addon directly: missing arguments and a non-number flags word
  const { native } = require('../lib/internal');
  assert.equal(x.statusName(native.httpRouteCanonical()[0]), 'X402S_ERR_NULL_ARGUMENT');
  assert.equal(x.statusName(native.httpRouteCanonical('GET', '/')[0]), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(x.statusName(native.httpRouteKey('/a', '0')[0]), 'X402S_ERR_INVALID_ARGUMENT');
  assert.equal(x.statusName(native.httpRouteKey('/a', 16)[0]), 'X402S_ERR_INVALID_ARGUMENT');
  assert.deepEqual(native.httpRouteKey('/a', 0), [0, '{"method":null,"path":"/a","prefix":false,"key":"/a"}', null]);
});

test('invalid UTF-8: lone surrogates and bad bytes', () => {
  assert.equal(code(() => x.canonicalRoute('GET', '/\ud800')), 'X402S_ERR_INVALID_UTF8');
  assert.equal(code(() => x.canonicalRoute('G\udc00', '/')), 'X402S_ERR_INVALID_UTF8');
  assert.equal(code(() => x.routeKey('/\ud800')), 'X402S_ERR_INVALID_UTF8');
  assert.equal(code(() => x.canonicalRoute('GET', Buffer.from([0x2f, 0xc3, 0x28]))), 'X402S_ERR_INVALID_UTF8');
  assert.equal(code(() => x.routeKey(Buffer.from([0x2f, 0xff]))), 'X402S_ERR_INVALID_UTF8');
  // a latin-1 character from req.url (Node decodes the request line as latin-1) is non-ASCII
  assert.equal(code(() => x.canonicalRoute('GET', '/caf\u00e9')), 'X402S_ERR_HTTP_INVALID_TARGET');
});

test('oversize input and the output buffer retry', () => {
  const atLimit = '/' + 'a'.repeat(x.MAX_TARGET_BYTES - 1);
  assert.equal(x.canonicalRoute('GET', atLimit).path, atLimit); // larger than the addon's stack buffer
  assert.equal(code(() => x.canonicalRoute('GET', atLimit + 'a')), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(code(() => x.canonicalRoute('GET', '/'.repeat(10 << 20))), 'X402S_ERR_INPUT_TOO_LARGE');
  assert.equal(code(() => x.canonicalRoute('A'.repeat(1 << 20), '/')), 'X402S_ERR_HTTP_INVALID_METHOD');
  assert.equal(code(() => x.routeKey('/' + 'a'.repeat(x.MAX_TARGET_BYTES))), 'X402S_ERR_INPUT_TOO_LARGE');
  const quotes = x.canonicalRoute('GET', '/' + '%22'.repeat(5000));
  assert.equal(quotes.path, '/' + '"'.repeat(5000));
  const e = (() => { try { x.canonicalRoute('GET', '/private-name/%2F'); } catch (err) { return err; } return null; })();
  assert.ok(e instanceof x.X402SError);
  assert.equal(e.operation, 'x402s_http_route_canonical');
  assert.ok(!e.message.includes('private-name')); // never echoes the input
});

test('RouteTable: keys checked at creation, frozen, and matched on the canonical form', () => {
  for (const keys of [['GET /users/:id'], ['HEAD /a'], ['/a', '/A/'], ['GET /a?x'], ['GET  /a'], ['/a/*/b']]) {
    assert.equal(code(() => new x.RouteTable(keys)), 'X402S_ERR_HTTP_INVALID_ROUTE_KEY', JSON.stringify(keys));
  }
  const t = new x.RouteTable(['GET /api/market-data', 'POST /api/*']);
  assert.ok(Object.isFrozen(t) && Object.isFrozen(t.keys) && Object.isFrozen(t.keys[0]));
  assert.deepEqual(t.options, { caseSensitive: false, strict: false });
  assert.equal(t.match('HEAD', 'http://h/API//market-data/?x#y').key, 'GET /api/market-data');
  assert.deepEqual(t.match('PUT', '/api/market-data').allow, ['GET', 'HEAD', 'POST']);
  assert.equal(code(() => t.match('GET', '/api/%2e%2e/%2e%2e/x')), 'X402S_ERR_HTTP_PATH_TRAVERSAL');
});

// ------------------------------------------------------------------ differential property

const PRICED = /^\/api\/market-data\/?$/i; // Express's reading of 'GET /api/market-data' (defaults)

const PIECES = ['/', '//', '.', '..', '%2e', '%2E', '%2e%2e', 'api', 'API', 'market-data', 'Market-Data', '%6D', '%6d',
  'arket-data', '%61pi', 'x', '?', '#', '%2F', '%2f', '%5C', '\\', '%25', '%252e', '%3F', '%23', 'http://h', 'HTTP://h',
  'http:', 'h', ';', '%00', '%09', '\t', '%20', ' ', '%C0%AE', '%', '*', '~', '/./', '/../', '@', ':'];

function readings(target) {
  const out = [];
  const tryPush = (what, fn) => {
    try {
      const p = fn();
      if (typeof p === 'string') out.push([what, p]);
    } catch (_) {
      /* this reader refuses the target */
    }
  };
  const whatwg = () => new URL(target, 'http://base.invalid').pathname;
  const legacy = () => legacyUrl.parse(target).pathname; // Express 4's parseurl falls back to this
  tryPush('whatwg', whatwg);
  tryPush('whatwg-decoded', () => decodeURIComponent(whatwg()));
  tryPush('legacy', legacy);
  tryPush('legacy-decoded', () => decodeURIComponent(legacy()));
  tryPush('legacy-normalized', () => nodePath.posix.normalize(decodeURIComponent(legacy())));
  tryPush('decoded-then-whatwg', () => new URL(decodeURIComponent(target), 'http://base.invalid').pathname);
  return out;
}

/** Spellings built around the priced route, then randomly disturbed. */
const PREFIXES = ['', '', 'http://h', 'HTTP://h', 'x-y.z://u@h:1', '/x/..', '/.', '//x', '/%2e%2e', '/x/%2e%2e', '/x/.%2E'];
const SEPARATORS = ['/', '/', '//', '/./', '\\', '%2F', '/x/../', '/%2e/', '/x/%2e%2e/', '/.%2e/', '/%2E%2E/', '/x//../', ';/', '/%2e%2e%2f'];
const API = ['api', 'api', 'API', '%61pi', '%61%70%69', 'Api', '%2561pi', 'ap%69'];
const MARKET = ['market-data', 'market-data', '%6Darket-data', 'MARKET-DATA', 'market%2Ddata', 'market-dat%61', 'market-data%2e'];
const SUFFIXES = ['', '', '/', '?q', '#f', '%3F', '%23', '/.', '/..', '%00', '%09', ';x', '/x/..', '//', '?/../', '%20', '.'];

test('differential: every reading that prices a target is priced or refused by the core', () => {
  let seed = 0x402n;
  const next = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(seed >> 33n);
  };
  const pick = (list) => list[next() % list.length];
  const table = new x.RouteTable(['GET /api/market-data']);
  let pricedByAReader = 0;
  let pricedByUs = 0;
  let refused = 0;
  for (let i = 0; i < 20000; i++) {
    let target = pick(PREFIXES) + pick(SEPARATORS) + pick(API) + pick(SEPARATORS) + pick(MARKET) + pick(SUFFIXES);
    if (next() % 4 === 0) {
      const at = next() % (target.length + 1);
      target = target.slice(0, at) + pick(PIECES) + target.slice(at);
    }
    const priced = readings(target).filter(([, p]) => PRICED.test(p));
    let m = null;
    try {
      m = table.match('GET', target);
    } catch (e) {
      assert.match(e.code, /^X402S_ERR_(HTTP_|INPUT_TOO_LARGE)/, `${JSON.stringify(target)}: ${e.code}`);
      refused += 1;
    }
    if (m !== null && m.key !== null) pricedByUs += 1;
    if (priced.length === 0) continue;
    pricedByAReader += 1;
    if (m !== null) {
      assert.equal(m.key, 'GET /api/market-data',
        `${JSON.stringify(target)} is read as the priced route by ${priced.map(([w]) => w)} but canonicalises to ${m.route.path}`);
    }
  }
  assert.ok(pricedByAReader > 2000, `only ${pricedByAReader} targets reached the priced route`);
  assert.ok(pricedByUs > 1000 && refused > 1000, `${pricedByUs} priced, ${refused} refused`);
});
