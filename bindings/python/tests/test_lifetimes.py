"""Handles closed while calls use them (include/x402_secure.h, HANDLES; _accounts.py and
x402.ReplayGuard): close() racing 16 threads, in a subprocess (lifetimes_stress.py) so that a
crash fails the test instead of killing pytest; the documented errors after close; the core's
handle table refusing freed, foreign and garbage handles through ctypes."""

from __future__ import annotations

import ctypes
import gc
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import x402secure as x
from x402secure import _native

HERE = Path(__file__).resolve().parent
NOW = 1_740_672_000
REQ = {"scheme": "exact", "network": "eip155:84532", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
       "amount": "10000", "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "maxTimeoutSeconds": 60,
       "extra": {"name": "USDC", "version": "2"}}
REQ_BYTES = json.dumps(REQ).encode()


@pytest.fixture(scope="module")
def payer():
    with x.EvmAccount.from_key(bytes([3]) * 32) as a:
        yield a


def _header(payer, i: int) -> str:
    return x.create_payment_header(REQ, payer, now=NOW, nonce=i.to_bytes(32, "big"))[1]


def test_close_racing_16_threads_in_a_subprocess():
    """Before the handle table this crashed within seconds (segfaults, heap corruption, a
    payment accepted twice, signatures made with a wiped key): see lifetimes_stress.py."""
    seconds = os.environ.get("X402S_STRESS_SECONDS", "5")
    r = subprocess.run([sys.executable, str(HERE / "lifetimes_stress.py"), "--seconds", seconds, "--threads", "16"],
                       capture_output=True, text=True, timeout=180, env=dict(os.environ))
    assert r.returncode == 0, f"exit {r.returncode} (negative: killed by a signal)\n{r.stderr[-2000:]}"
    counts = json.loads(r.stdout.strip().splitlines()[-1])
    # both sides of the race were reached, for every kind of handle
    assert counts["rounds"] >= 3 and counts["calls"] > 0 and counts["closed_errors"] > 0, counts


def test_guard_closed_by_another_thread_mid_verify(payer):
    """Verifications in flight when another thread closes the guard complete with real
    verdicts; later ones raise X402S_ERR_HANDLE_CLOSED."""
    headers = [_header(payer, i) for i in range(1, 9)]
    for _ in range(10):
        g = x.ReplayGuard()
        started = threading.Barrier(5)
        out = []
        lock = threading.Lock()

        def run(i):
            started.wait()
            for n in range(20):
                try:
                    r = x.verify_payment(headers[(i + n) % 8], REQ_BYTES, NOW, replay_guard=g)
                    with lock:
                        out.append(("ok", headers[(i + n) % 8], r.is_valid, r.invalid_reason))
                except x.InvalidArgumentError as e:
                    with lock:
                        out.append(("closed", e.code, None, None))

        ts = [threading.Thread(target=run, args=(i,)) for i in range(4)]
        for t in ts:
            t.start()
        started.wait()
        g.close()
        for t in ts:
            t.join()
        valid = [h for kind, h, ok, _ in out if kind == "ok" and ok]
        assert len(valid) == len(set(valid))  # never accepted twice
        assert all(reason == "duplicate_payment" for kind, _, ok, reason in out if kind == "ok" and not ok)
        assert all(code == "X402S_ERR_HANDLE_CLOSED" for kind, code, _, _ in out if kind == "closed")


def test_closed_guard_errors_and_idempotence(payer):
    g = x.ReplayGuard(8)
    h = _header(payer, 42)
    assert x.verify_payment(h, REQ, NOW, replay_guard=g).is_valid
    handle = g._handle
    g.close()
    g.close()
    assert g.closed and repr(g) == "<ReplayGuard (closed)>"
    with pytest.raises(x.InvalidArgumentError) as info:
        x.verify_payment(h, REQ, NOW, replay_guard=g)
    assert info.value.code == "X402S_ERR_HANDLE_CLOSED" and info.value.status == 6
    assert info.value.operation == "x402s_x402_verify"
    # the core refuses the freed value itself (a binding that kept it could not crash)
    out = ctypes.create_string_buffer(4096)
    n = ctypes.c_size_t(0)
    err = _native.Error()
    st = _native.lib.x402s_x402_verify(out, 4096, ctypes.byref(n), h.encode(), len(h), REQ_BYTES, len(REQ_BYTES), NOW,
                                       None, 0, handle, ctypes.byref(err))
    assert st == _native.S_HANDLE_CLOSED == _native.STATUS["X402S_ERR_HANDLE_CLOSED"]
    assert b"freed" in err.message
    _native.lib.x402s_replay_guard_free(handle)  # a second free: no-op


def test_core_refuses_foreign_and_garbage_handles():
    lib = _native.lib
    g = ctypes.c_void_p()
    s = ctypes.c_void_p()
    assert lib.x402s_replay_guard_new(ctypes.byref(g), 4, None) == 0
    assert lib.x402s_signer_new(ctypes.byref(s), bytes([1]) * 32, 32, 1, None) == 0
    try:
        out = ctypes.create_string_buffer(64)
        n = ctypes.c_size_t(0)
        # a guard where a signer is expected: INVALID_ARGUMENT, and the wrong free leaves both alive
        assert lib.x402s_signer_address(out, 64, ctypes.byref(n), g, None) == _native.S_INVALID_ARGUMENT
        lib.x402s_signer_free(g)
        lib.x402s_replay_guard_free(s)
        assert lib.x402s_signer_address(out, 64, ctypes.byref(n), s, None) == 0
        junk = ctypes.create_string_buffer(b"\xab" * 64)
        for bogus in (1, 0x12345678, 2**64 - 1, ctypes.addressof(junk)):
            assert lib.x402s_signer_address(out, 64, ctypes.byref(n), bogus, None) == _native.S_HANDLE_CLOSED
            lib.x402s_signer_free(bogus)
            lib.x402s_replay_guard_free(bogus)
        assert junk.raw == b"\xab" * 64 + b"\x00"
    finally:
        lib.x402s_replay_guard_free(g)
        lib.x402s_signer_free(s)
    assert lib.x402s_signer_address(out, 64, ctypes.byref(n), s, None) == _native.S_HANDLE_CLOSED


def test_accounts_closed_by_another_thread_mid_signing():
    """Signatures in flight complete with the right key; later calls raise InvalidKeyError."""
    digest = x.keccak256(b"m")
    for cls, make in ((x.EvmAccount, lambda: x.EvmAccount.from_key(bytes([9]) * 32)),
                      (x.SolanaKeypair, lambda: x.SolanaKeypair.from_seed(bytes([9]) * 32))):
        for _ in range(10):
            a = make()
            bad = []
            started = threading.Barrier(5)

            def run():
                started.wait()
                for _ in range(30):
                    try:
                        if cls is x.EvmAccount:
                            if x.recover_address(digest, a.sign_digest(digest)) != a.address:
                                bad.append("wrong key")
                            x.create_payment_header(REQ, a, now=NOW)
                        else:
                            if not x.ed25519_verify(a.sign(b"m"), b"m", a.public_key):
                                bad.append("wrong key")
                    except x.InvalidKeyError as e:
                        if "closed" not in e.message:
                            bad.append(e.message)

            ts = [threading.Thread(target=run) for _ in range(4)]
            for t in ts:
                t.start()
            started.wait()
            a.close()
            for t in ts:
                t.join()
            assert not bad
            assert a.closed and bytes(a._secret) == bytes(32)  # wiped once the calls returned
            with pytest.raises(x.InvalidKeyError):
                a.sign_digest(digest) if cls is x.EvmAccount else a.sign(b"m")


def test_handle_count_follows_make_and_free(payer):
    count = _native.lib.x402s_handle_count
    base = count()
    g = x.ReplayGuard(4)
    a = x.EvmAccount.from_key(bytes([5]) * 32)
    x.create_payment_header(REQ, a, now=NOW)  # prepares the account's signer handle
    assert count() == base + 2
    g.close()
    a.close()
    assert count() == base


def test_garbage_collected_guards_are_freed():
    gc.collect()
    base = _native.lib.x402s_handle_count()
    handles = []
    for _ in range(50):
        g = x.ReplayGuard(4)
        handles.append(g._handle)
        del g
    gc.collect()
    out = ctypes.create_string_buffer(4096)
    n = ctypes.c_size_t(0)
    for h in handles:
        st = _native.lib.x402s_x402_verify(out, 4096, ctypes.byref(n), b"e30=", 4, REQ_BYTES, len(REQ_BYTES), NOW,
                                           None, 0, h, None)
        assert st == _native.S_HANDLE_CLOSED
    assert _native.lib.x402s_handle_count() == base
