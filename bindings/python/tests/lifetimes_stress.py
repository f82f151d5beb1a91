"""Close racing calls in flight: a child program (run by test_lifetimes.py in a subprocess, so a
crash fails the test instead of killing pytest; ``make soak-lifetimes`` runs it longer).

Each round makes one native handle (a ReplayGuard, an EvmAccount or a SolanaKeypair), starts
THREADS threads that call through it in a loop (ctypes releases the GIL, so the calls run in
the core at the same time), closes it from the main thread while they run, and checks what
every call returned:

- before the close takes effect: the right answer (a payment accepted at most once by the
  guard, then ``duplicate_payment``; signatures that verify under the account's address);
- after it: the documented error (``X402S_ERR_HANDLE_CLOSED`` for the guard,
  ``X402S_ERR_INVALID_KEY`` "closed" for accounts), and nothing else;
- never a crash, an abort or another exception.

Usage: python lifetimes_stress.py [--seconds S] [--rounds N] [--threads T] [--kinds guard,evm,solana]
Prints one JSON line of counts; exit status 0 when every check held.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time

import x402secure as x

NOW = 1_740_672_000
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
       "amount": "10000", "payTo": PAY_TO, "maxTimeoutSeconds": 60, "extra": {"name": "USDC", "version": "2"}}
SOL_REQ = {"scheme": "exact", "network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
           "asset": "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "amount": "1000",
           "payTo": "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse", "maxTimeoutSeconds": 60,
           "extra": {"feePayer": "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"}}
TYPED = {
    "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
              "Mail": [{"name": "contents", "type": "string"}]},
    "primaryType": "Mail", "domain": {"name": "x", "chainId": 1}, "message": {"contents": "hello"},
}


class Failure(Exception):
    pass


#: codes a call on a closed guard may give ("--legacy" adds the one of the bindings before
#: X402S_ERR_HANDLE_CLOSED existed, to run this program against an old build)
GUARD_CLOSED_CODES = {"X402S_ERR_HANDLE_CLOSED"}


def closed_guard_error(e: BaseException) -> bool:
    return isinstance(e, x.InvalidArgumentError) and e.code in GUARD_CLOSED_CODES


def closed_key_error(e: BaseException) -> bool:
    return isinstance(e, x.InvalidKeyError) and e.code == "X402S_ERR_INVALID_KEY" and "closed" in e.message


def run_round(kind: str, threads: int, payer: x.EvmAccount, headers, counts, rng: random.Random) -> None:
    start = threading.Barrier(threads + 1)
    errors = []
    lock = threading.Lock()
    accepted = {}

    if kind == "guard":
        handle = x.ReplayGuard(capacity=64)
    elif kind == "evm":
        handle = x.EvmAccount.from_key(bytes([7]) * 32)
    else:
        handle = x.SolanaKeypair.from_seed(bytes([7]) * 32)
    address = handle.address if kind != "guard" else None
    digest = x.keccak256(b"lifetimes")

    def worker(i: int) -> None:
        ok = closed = 0
        try:
            start.wait()
            for n in range(10_000):
                try:
                    if kind == "guard":
                        h = headers[(i + n) % len(headers)]
                        r = x.verify_payment(h, REQ, NOW, replay_guard=handle)
                        if r.is_valid:
                            with lock:
                                accepted[h] = accepted.get(h, 0) + 1
                        elif r.invalid_reason != "duplicate_payment":
                            raise Failure(f"unexpected verdict {r.invalid_reason}")
                    elif kind == "evm":
                        op = n % 3
                        if op == 0:
                            sig = handle.sign_typed_data(TYPED)
                            if x.recover_address(x.eip712_hash(TYPED), sig) != address:
                                raise Failure("typed-data signature from another key")
                        elif op == 1:
                            sig = handle.sign_digest(digest)
                            if x.recover_address(digest, sig) != address:
                                raise Failure("digest signature from another key")
                        else:
                            _, value = x.create_payment_header(REQ, handle, now=NOW)
                            if x.verify_payment(value, REQ, NOW).payer != address:
                                raise Failure("payment signed by another key")
                    else:
                        if n % 2:
                            sig = handle.sign(b"lifetimes")
                            if not x.ed25519_verify(sig, b"lifetimes", handle.public_key):
                                raise Failure("ed25519 signature does not verify")
                        else:
                            x.create_payment_header(SOL_REQ, handle, now=NOW, recent_blockhash=b"\x05" * 32,
                                                    mint_decimals=6, token_program="token")
                    ok += 1
                except x.X402SError as e:
                    if (kind == "guard" and closed_guard_error(e)) or (kind != "guard" and closed_key_error(e)):
                        closed += 1
                        break  # closed: every later call gives the same error (checked below)
                    raise
            if kind == "guard":
                try:
                    x.verify_payment(headers[0], REQ, NOW, replay_guard=handle)
                    raise Failure("a call after close succeeded")
                except x.X402SError as e:
                    if not closed_guard_error(e):
                        raise
        except BaseException as e:  # noqa: BLE001 - every failure is reported by the parent
            with lock:
                errors.append(f"{type(e).__name__}: {e}")
        with lock:
            counts["calls"] += ok
            counts["closed_errors"] += closed

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    start.wait()
    # let the calls get going, then close from here while they run
    time.sleep(rng.uniform(0, 0.004))
    handle.close()
    if not handle.closed:
        errors.append("closed is False after close()")
    if rng.random() < 0.5:
        handle.close()  # idempotent, even while calls finish
    for t in ts:
        t.join()
    if kind == "guard":
        twice = [h for h, c in accepted.items() if c > 1]
        if twice:
            errors.append(f"{len(twice)} payments accepted twice")
        counts["accepted"] += len(accepted)
    counts["rounds"] += 1
    if errors:
        raise Failure(f"{kind}: " + "; ".join(sorted(set(errors))[:5]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0, help="stop starting rounds after this long")
    ap.add_argument("--rounds", type=int, default=0, help="at most this many rounds (0: no limit)")
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--kinds", default="guard,evm,solana")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--legacy", action="store_true", help="also accept the closed-guard error of old builds")
    args = ap.parse_args()
    if args.legacy:
        GUARD_CLOSED_CODES.add("X402S_ERR_INVALID_ARGUMENT")
    kinds = args.kinds.split(",")
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    with x.EvmAccount.from_key(bytes([3]) * 32) as payer:
        headers = [x.create_payment_header(REQ, payer, now=NOW, nonce=bytes([i]) * 32)[1] for i in range(32)]
        counts = {"rounds": 0, "calls": 0, "closed_errors": 0, "accepted": 0}
        deadline = time.monotonic() + args.seconds
        i = 0
        while time.monotonic() < deadline and (args.rounds == 0 or i < args.rounds):
            run_round(kinds[i % len(kinds)], args.threads, payer, headers, counts, rng)
            i += 1
    counts["seed"] = seed
    print(json.dumps(counts), flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
