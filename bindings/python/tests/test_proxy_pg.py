"""The risk proxy on PostgreSQL (Debian's postgresql, a throwaway cluster started here):
two proxy processes on one database settle one payment exactly once under 50 concurrent
requests; a proxy killed with SIGKILL mid-settle leaves the payment pending, never settled
twice, and an operator resolves it; PostgreSQL stopped -> 503 and nothing forwarded; an
upstream that hangs or trickles -> an answer within the configured time; a restart keeps
state."""

from __future__ import annotations

import concurrent.futures
import time
import uuid

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("psycopg")
pytest.importorskip("x402secure.x402")

from proxy_harness import Cluster, Postgres, evm_payment, pg_bin, session_trace_settle, stats  # noqa: E402


if not (pg_bin("initdb") and pg_bin("pg_ctl")):
    pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed; make installs it", allow_module_level=True)


@pytest.fixture(scope="module")
def pg():
    p = Postgres()
    yield p
    p.destroy()


@pytest.fixture(scope="module")
def cluster():
    with Cluster() as c:
        yield c


def store_args(pg):
    return ("--store", "postgres", "--postgres-dsn", pg.dsn)


@pytest.fixture(scope="module")
def admin(cluster, pg):
    return cluster.admin_key(*store_args(pg))


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_fifty_concurrent_settles_across_two_processes_settle_once(cluster, pg, admin):
    fac = cluster.facilitator("--settle-delay", "0.5", name="facilitator-50")
    a = cluster.proxy(*store_args(pg), "--upstream", fac.url, name="proxy-a")
    b = cluster.proxy(*store_args(pg), "--upstream", fac.url, name="proxy-b")
    _, _, _, body = evm_payment()
    urls = [a.url, b.url] * 25

    def settle(url):
        with httpx.Client(timeout=30) as c:
            r = c.post(url + "/settle", json=body)
            return r.status_code, r.json(), r.headers.get("x-settlement-state")

    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        results = list(ex.map(settle, urls))
    s = stats(fac)
    assert s["settle"] == 1 and len(s["settled"]) == 1, s
    tx = s["settled"][0]
    assert all(status == 200 for status, _, _ in results)
    winners = [d for _, d, _ in results if d.get("success") is True]
    others = [d for _, d, _ in results if d.get("success") is not True]
    assert winners and all(d["transaction"] == tx for d in winners)
    assert all(d["errorReason"] == "settlement_in_progress" for d in others)
    # afterwards both processes replay the one settlement
    for url in (a.url, b.url):
        r = httpx.post(url + "/settle", json=body, timeout=10)
        assert r.json()["transaction"] == tx and r.headers["x-settlement-replay"] == "true"
        v = httpx.post(url + "/verify", json=body, timeout=10).json()
        assert v["isValid"] is False and v["invalidReason"] == "invalid_exact_evm_nonce_already_used"
    assert stats(fac)["settle"] == 1
    rows = httpx.get(a.url + "/admin/payments?state=settled", headers=auth(admin), timeout=5).json()["payments"]
    assert [r["transaction_id"] for r in rows].count(tx) == 1
    for p in (a, b, fac):
        cluster.stop(p)


def test_sigkill_mid_settle_then_restart_is_pending_never_twice(cluster, pg, admin):
    fac = cluster.facilitator("--settle-delay", "3", name="facilitator-kill")
    args = (*store_args(pg), "--upstream", fac.url)
    env = {"X402S_PROXY_UPSTREAM_SETTLE_DEADLINE": "1.5", "X402S_PROXY_SETTLE_LEASE": "2"}
    a = cluster.proxy(*args, name="proxy-kill", env=env)
    _, _, _, body = evm_payment()
    ex = concurrent.futures.ThreadPoolExecutor(1)
    fut = ex.submit(lambda: httpx.post(a.url + "/settle", json=body, timeout=30))
    deadline = time.time() + 10
    while stats(fac)["settle"] == 0 and time.time() < deadline:
        time.sleep(0.05)
    assert stats(fac)["settle"] == 1
    cluster.kill9(a)
    with pytest.raises(httpx.HTTPError):
        fut.result(timeout=10)
    ex.shutdown()
    a2 = cluster.proxy(*args, name="proxy-kill-2", env=env)
    # while the lease runs the payment is in flight; after it, pending. Never sent again.
    r = httpx.post(a2.url + "/settle", json=body, timeout=10).json()
    assert r["success"] is False and r["errorReason"] in ("settlement_in_progress", "settlement_pending")
    time.sleep(2.2)
    r = httpx.post(a2.url + "/settle", json=body, timeout=10)
    assert r.json()["errorReason"] == "settlement_pending" and r.headers["x-settlement-state"] == "pending"
    v = httpx.post(a2.url + "/verify", json=body, timeout=10).json()
    assert v["isValid"] is False and v["invalidReason"] == "settlement_pending"
    time.sleep(1.5)  # the facilitator finished the first settle meanwhile
    assert stats(fac)["settle"] == 1 and len(stats(fac)["settled"]) == 1
    tx = stats(fac)["settled"][0]
    pending = httpx.get(a2.url + "/admin/payments?state=pending", headers=auth(admin), timeout=5).json()["payments"]
    assert len(pending) == 1 and "interrupted" in pending[0]["note"]
    key = pending[0]["payment_key"]
    # the HTTP API cannot say; an operator records what the chain shows (CLI, then endpoint)
    out = cluster.proxy_cmd(*store_args(pg), "payments", "resolve", key, "--query")
    assert out.returncode == 3
    r = httpx.post(a2.url + f"/admin/payments/{key}/resolve", json={"state": "settled"}, headers=auth(admin), timeout=5)
    assert r.status_code == 400
    out = cluster.proxy_cmd(*store_args(pg), "payments", "resolve", key, "--settled", tx, "--note", "explorer")
    assert out.returncode == 0, out.stderr
    r = httpx.post(a2.url + "/settle", json=body, timeout=10).json()
    assert r["success"] is True and r["transaction"] == tx
    r = httpx.post(a2.url + f"/admin/payments/{key}/resolve", json={"state": "failed"}, headers=auth(admin), timeout=5)
    assert r.status_code == 409
    assert stats(fac)["settle"] == 1
    cluster.stop(a2)
    cluster.stop(fac)


def test_postgres_down_is_503_and_nothing_forwarded(cluster, pg):
    fac = cluster.facilitator(name="facilitator-pgdown")
    px = cluster.proxy(*store_args(pg), "--upstream", fac.url, name="proxy-pgdown",
                       env={"X402S_PROXY_STORE_TIMEOUT": "2"})
    _, _, _, body = evm_payment()
    assert httpx.post(px.url + "/verify", json=body, timeout=10).json()["isValid"] is True
    before = stats(fac)
    pg.stop()
    try:
        _, _, _, body2 = evm_payment()
        for path in ("/verify", "/settle"):
            t = time.monotonic()
            r = httpx.post(px.url + path, json=body2, timeout=20)
            assert r.status_code == 503 and r.json()["error"]["code"] == "STORE_UNAVAILABLE", r.text
            assert time.monotonic() - t < 10
        r = httpx.post(px.url + "/risk/session", json={"agent_did": "a", "wallet_address": "0x" + "77" * 20},
                       timeout=20)
        assert r.status_code == 503
        assert httpx.get(px.url + "/ready", timeout=20).status_code == 503
        assert httpx.get(px.url + "/health", timeout=5).status_code == 200
        assert stats(fac) == before  # nothing forwarded
    finally:
        pg.start()
    deadline = time.time() + 20
    while time.time() < deadline:
        r = httpx.post(px.url + "/settle", json=body2, timeout=20)
        if r.status_code == 200:
            break
        time.sleep(0.5)
    assert r.status_code == 200 and r.json()["success"] is True
    cluster.stop(px)
    cluster.stop(fac)


@pytest.mark.parametrize("mode", ["hang", "trickle"])
def test_upstream_hanging_or_trickling_answers_in_time(cluster, pg, mode):
    fac = cluster.facilitator("--mode", mode, name=f"facilitator-{mode}")
    px = cluster.proxy(*store_args(pg), "--upstream", fac.url, name=f"proxy-{mode}",
                       env={"X402S_PROXY_UPSTREAM_VERIFY_DEADLINE": "1", "X402S_PROXY_UPSTREAM_SETTLE_DEADLINE": "1.5",
                            "X402S_PROXY_UPSTREAM_READ_TIMEOUT": "1"})
    _, _, _, body = evm_payment()
    t = time.monotonic()
    r = httpx.post(px.url + "/verify", json=body, timeout=20)
    took = time.monotonic() - t
    assert r.status_code == 504 and r.json()["error"]["code"] == "UPSTREAM_TIMEOUT" and took < 2.5, (r.text, took)
    t = time.monotonic()
    r = httpx.post(px.url + "/settle", json=body, timeout=20)
    took = time.monotonic() - t
    assert r.status_code == 200 and took < 3, took
    assert r.json()["errorReason"] == "settlement_pending" and r.headers["x-settlement-state"] == "pending"
    # never sent again
    r = httpx.post(px.url + "/settle", json=body, timeout=20)
    assert r.json()["errorReason"] == "settlement_pending"
    assert stats(fac)["settle"] == 1
    cluster.stop(px)
    cluster.stop(fac)


def test_restart_keeps_state_on_postgres(cluster, pg):
    px = cluster.proxy(*store_args(pg), name="proxy-pg-restart")
    sid, tid, body, hdrs, first = session_trace_settle(px.url, "0x" + "78" * 20)
    cluster.kill9(px)
    px = cluster.proxy(*store_args(pg), name="proxy-pg-restart-2")
    assert httpx.get(px.url + f"/risk/trace/{tid}", timeout=5).json()["agent_trace"]["task"] == "buy"
    v = httpx.post(px.url + "/x402/verify", json=body, headers=hdrs, timeout=10)
    assert v.status_code == 200 and v.json()["isValid"] is False  # the session lives on; the payment is spent
    assert httpx.post(px.url + "/x402/settle", json=body, headers=hdrs, timeout=10).json() == first
    assert httpx.post(px.url + "/risk/evaluate", json={"sid": str(uuid.uuid4())}, timeout=5).status_code == 404
    cluster.stop(px)
