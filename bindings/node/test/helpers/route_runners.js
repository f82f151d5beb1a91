'use strict';
// Runner for test-vectors/http_route.json (canonical routes, route keys, route-table
// matching) through the public API of lib/http.js. Used by vectors.test.js.

const assert = require('node:assert/strict');

const x = require('../..');

function expand(value) {
  if (value !== null && typeof value === 'object') return value.pattern.repeat(value.repeat);
  assert.equal(typeof value, 'string');
  return value;
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
  assert.ok(thrown instanceof x.X402SError);
}

function checkKeys(obj, allowed, what) {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  assert.deepEqual(unknown, [], `${what}: this runner does not know the keys ${unknown}; extend it`);
}

function runHttpRoute(v) {
  const inp = v.input;
  const exp = v.expect;
  const opts = { caseSensitive: (inp.flags & 1) !== 0, strict: (inp.flags & 2) !== 0 };
  let call;
  if (inp.kind === 'canonical') {
    checkKeys(inp, ['kind', 'method', 'target', 'flags'], 'canonical input');
    call = () => x.canonicalRoute(expand(inp.method), expand(inp.target), opts);
  } else if (inp.kind === 'key') {
    checkKeys(inp, ['kind', 'key', 'flags'], 'key input');
    call = () => x.routeKey(expand(inp.key), opts);
  } else if (inp.kind === 'match') {
    checkKeys(inp, ['kind', 'routes', 'method', 'target', 'flags'], 'match input');
    call = () => new x.RouteTable(inp.routes, opts).match(inp.method, inp.target);
  } else {
    throw new Error(`unknown kind ${inp.kind}`);
  }
  if (inp.flags & ~3) {
    // unknown bits cannot be expressed through the options object: the addon directly
    assert.deepEqual(exp, { error: 'X402S_ERR_INVALID_ARGUMENT' });
    const { native } = require('../../lib/internal');
    const [status] = inp.kind === 'canonical' ? native.httpRouteCanonical('GET', '/', inp.flags) : native.httpRouteKey('/a', inp.flags);
    assert.equal(x.statusName(status), exp.error);
    return;
  }
  if ('error' in exp) {
    expectError(exp.error, call);
    return;
  }
  const got = call();
  if (inp.kind === 'canonical') {
    assert.deepEqual(got, { method: exp.method, path: expand(exp.path) });
  } else if (inp.kind === 'key') {
    assert.deepEqual(got, { method: exp.method, path: exp.path, prefix: exp.prefix, key: exp.key });
  } else {
    assert.equal(got.key, exp.key);
    assert.deepEqual(got.allow, exp.allow);
  }
}

module.exports = { http_route: runHttpRoute };
