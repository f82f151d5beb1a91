'use strict';
// Close and garbage collection racing calls in flight, in the main thread and in worker threads:
// a child program (run by test/lifetimes.test.js in a child process, so a crash fails the test
// instead of killing the runner; `make soak-lifetimes` runs it longer).
//
// Each round, in every thread:
//  - a ReplayGuard gets a batch of verifyPaymentAsync calls (on the libuv pool) and synchronous
//    verifyPayment calls, and is closed at a random point of the batch, or dropped without
//    close() and garbage-collected (global.gc) while its verifications are pending;
//    every call made before the close completes normally (each payment accepted at most once,
//    then duplicate_payment), every call after it fails with X402S_ERR_HANDLE_CLOSED;
//  - an EvmAccount / SolanaKeypair signs and pays between close() at a random point (later calls:
//    X402S_ERR_INVALID_KEY), or is dropped and collected;
// and worker threads are terminated while their async verifications are still on the pool.
//
// Usage: node --expose-gc bindings/node/stress/lifetimes.js [--seconds S] [--workers W]
// Prints one JSON line of counts; exit status 0 when every check held.

const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');

const x = require(path.join(__dirname, '..'));

const NOW = 1740672000;
const REQ = {
  scheme: 'exact', network: 'eip155:84532', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', amount: '10000',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', maxTimeoutSeconds: 60, extra: { name: 'USDC', version: '2' },
};
const TYPED = {
  types: { EIP712Domain: [{ name: 'name', type: 'string' }], M: [{ name: 'a', type: 'uint256' }] },
  primaryType: 'M', domain: { name: 'x' }, message: { a: '1' },
};
const gc = typeof global.gc === 'function' ? global.gc : () => {};

function fail(message) {
  throw new Error(`check failed: ${message}`);
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

async function guardRound(headers, random, counts) {
  let guard = new x.ReplayGuard(64);
  const batch = 24;
  const closeAt = Math.floor(random() * (batch + 1));
  const drop = random() < 0.3; // drop instead of close: the GC finalizer runs with work pending
  const before = [];
  const after = [];
  for (let i = 0; i < batch; i++) {
    if (i === closeAt) {
      if (drop) {
        guard = null;
        gc();
      } else {
        guard.close();
      }
    }
    const h = headers[Math.floor(random() * headers.length)];
    if (guard === null) break;
    // outcomes, so that no rejection is ever unhandled while we wait
    const p = x.verifyPaymentAsync(h, REQ, NOW, null, guard).then((r) => ({ h, r }), (e) => ({ h, e }));
    (guard.closed ? after : before).push(p);
    if (i % 5 === 0 && !guard.closed) {
      const r = x.verifyPayment(h, REQ, NOW, null, guard); // synchronous calls mixed in
      before.push(Promise.resolve({ h, r }));
    }
  }
  if (guard !== null && !guard.closed) {
    if (drop) guard = null;
    else guard.close();
  }
  gc();
  await new Promise(setImmediate); // let finalizers run while work is pending
  const accepted = new Map();
  for (const { h, r, e } of await Promise.all(before)) {
    if (e) throw e;
    if (r.isValid) accepted.set(h, (accepted.get(h) || 0) + 1);
    else if (r.invalidReason !== 'duplicate_payment') fail(`unexpected verdict ${r.invalidReason}`);
    counts.completed++;
  }
  for (const [h, n] of accepted) if (n > 1) fail(`${h.slice(0, 16)} accepted ${n} times`);
  for (const { e } of await Promise.all(after)) {
    if (!e) fail('a verification after close() succeeded');
    if (e.code !== 'X402S_ERR_HANDLE_CLOSED') throw e;
    counts.closedRejections++;
  }
  if (guard !== null) {
    try {
      x.verifyPayment(headers[0], REQ, NOW, null, guard);
      fail('a synchronous verification after close() succeeded');
    } catch (e) {
      if (e.code !== 'X402S_ERR_HANDLE_CLOSED') throw e;
    }
  }
}

function accountRound(random, counts) {
  const evm = random() < 0.5;
  let acct = evm ? x.EvmAccount.fromKey('0x' + '07'.repeat(32)) : x.SolanaKeypair.fromSeed(Buffer.alloc(32, 7));
  const calls = 12;
  const closeAt = Math.floor(random() * (calls + 1));
  for (let i = 0; i < calls; i++) {
    if (i === closeAt) {
      if (random() < 0.3) {
        acct = null;
        gc();
        return;
      }
      acct.close();
    }
    try {
      if (evm) {
        if (i % 2) {
          const sig = acct.signTypedData(TYPED);
          if (x.recoverAddress(x.eip712Hash(TYPED), sig) !== acct.address) fail('signature from another key');
        } else {
          const [, v] = x.createPaymentHeader(REQ, acct, null, { now: NOW });
          if (x.verifyPayment(v, REQ, NOW).payer !== acct.address) fail('payment from another key');
        }
      } else {
        const sig = acct.sign(Buffer.from('m'));
        if (!x.ed25519Verify(sig, Buffer.from('m'), acct.publicKey)) fail('ed25519 signature does not verify');
      }
      if (acct.closed) fail('a call after close() succeeded');
      counts.signatures++;
    } catch (e) {
      if (!acct.closed || e.code !== 'X402S_ERR_INVALID_KEY') throw e;
      counts.closedKeyErrors++;
    }
  }
}

/** A worker that queues async verifications and is terminated while they are on the pool. */
async function terminatedWorker(counts) {
  const w = new Worker(__filename, { workerData: { mode: 'flood' } });
  await new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  counts.terminatedWorkers++;
}

async function run(seconds, seed, withWorkersTerminated) {
  const random = rng(seed);
  const payer = x.EvmAccount.fromKey('0x' + '03'.repeat(32));
  const headers = Array.from({ length: 16 }, (_, i) =>
    x.createPaymentHeader(REQ, payer, null, { now: NOW, nonce: '0x' + (seed * 100 + i).toString(16).padStart(64, '0') })[1]);
  payer.close();
  const counts = { rounds: 0, completed: 0, closedRejections: 0, signatures: 0, closedKeyErrors: 0, terminatedWorkers: 0 };
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await guardRound(headers, random, counts);
    accountRound(random, counts);
    if (withWorkersTerminated && counts.rounds % 25 === 0) await terminatedWorker(counts);
    counts.rounds++;
  }
  return counts;
}

async function flood() {
  const payer = x.EvmAccount.fromKey('0x' + '05'.repeat(32));
  const guard = new x.ReplayGuard();
  const pending = [];
  for (let i = 0; i < 200; i++) {
    const [, h] = x.createPaymentHeader(REQ, payer, null, { now: NOW });
    pending.push(x.verifyPaymentAsync(h, REQ, NOW, null, guard));
  }
  guard.close(); // closed, with its verifications still queued
  parentPort.postMessage('queued');
  await Promise.all(pending);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const seconds = opt('--seconds', 3);
  const workers = opt('--workers', 3);
  const seed = opt('--seed', Math.floor(Math.random() * 1e6) + 1);
  const native = require(path.join(__dirname, '..', 'lib', 'internal')).native;
  const handlesAtStart = native.handleCount();
  const jobs = [run(seconds, seed, true)];
  for (let i = 0; i < workers; i++) {
    jobs.push(new Promise((resolve, reject) => {
      const w = new Worker(__filename, { workerData: { mode: 'run', seconds, seed: seed + i + 1 } });
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
    }));
  }
  const all = await Promise.all(jobs);
  const total = { seed };
  for (const c of all) for (const [k, v] of Object.entries(c)) total[k] = (total[k] || 0) + v;
  // every handle made by a thread, worker or terminated worker is freed: by close(), by the
  // finalizer of a dropped object, or when a worker's environment goes away
  for (let i = 0; i < 20 && native.handleCount() !== handlesAtStart; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  total.handlesLeft = native.handleCount() - handlesAtStart;
  if (total.handlesLeft !== 0) fail(`${total.handlesLeft} core handles were never freed`);
  process.stdout.write(JSON.stringify(total) + '\n');
}

if (isMainThread) {
  main().catch((e) => {
    process.stderr.write(`FAILED: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
} else if (workerData.mode === 'flood') {
  flood().catch(() => {});
} else {
  run(workerData.seconds, workerData.seed, false).then((c) => parentPort.postMessage(c), (e) => { throw e; });
}
