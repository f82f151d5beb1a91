'use strict';
// Close and garbage collection racing calls in flight (stress/lifetimes.js), in a child process
// with --expose-gc so that a crash fails this test instead of killing the runner: the main
// thread and 3 worker threads close (or drop and collect) replay guards while async and sync
// verifications use them, close accounts between signatures, and terminate workers whose
// verifications are still on the libuv pool. `make soak-lifetimes` runs it for longer.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('close and GC racing calls in flight: no crash, every call answered as documented', () => {
  const seconds = process.env.X402S_STRESS_SECONDS || '3';
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, '..', 'stress', 'lifetimes.js'),
    '--seconds', seconds, '--workers', '3'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.signal, null, `the child was killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const counts = JSON.parse(r.stdout.trim().split('\n').pop());
  // both sides of every race were reached
  assert.ok(counts.rounds > 0 && counts.completed > 0 && counts.closedRejections > 0, r.stdout);
  assert.ok(counts.signatures > 0 && counts.closedKeyErrors > 0 && counts.terminatedWorkers > 0, r.stdout);
});
