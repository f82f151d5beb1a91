'use strict';
// require('x402secure') from a project that installed the npm tarball (npm_package.sh).
const path = require('path');
const x = require('x402secure');
const assert = require('assert');
assert.ok(!process.env.X402SECURE_LIB && !process.env.X402SECURE_NODE_ADDON);
assert.ok(require.resolve('x402secure').includes(path.join('node_modules', 'x402secure')));
const out = require('./smoke_body.cjs')(x, process.argv[2]);
console.log(JSON.stringify(out));
