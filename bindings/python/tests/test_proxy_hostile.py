"""Hostile clients against the risk proxy as a real process (each case was found against
the old development gateway): idle and slow connections, short bodies, simultaneous
connections, keep-alive latency, memory caps on telemetry/device, HTTP smuggling, deep
JSON, wrong content types, oversized headers, rate limits, odd route spellings. Every bad
input gets a specific 4xx, never a 500, and the server keeps answering."""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import statistics
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("x402secure.x402")

from proxy_harness import Cluster, evm_payment  # noqa: E402

from x402secure import risk  # noqa: E402

ENV = {"X402S_PROXY_REQUEST_TIMEOUT": "1", "X402S_PROXY_AGENT_RATE_PER_IP": "1000",
       "X402S_PROXY_AGENT_BURST_PER_IP": "1000", "X402S_PROXY_AGENT_RATE_PER_WALLET": "1000",
       "X402S_PROXY_AGENT_BURST_PER_WALLET": "1000", "X402S_PROXY_MAX_HEADER_BYTES": "8192"}


@pytest.fixture(scope="module")
def cluster():
    with Cluster() as c:
        yield c


@pytest.fixture(scope="module")
def px(cluster, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "p.db"
    return cluster.proxy("--sqlite-path", str(db), name="proxy-hostile", env=ENV)


def addr(px):
    return ("127.0.0.1", px.port)


def raw(px, data: bytes, wait: float = 3.0) -> bytes:
    """Send ``data`` on a fresh connection and read until the server closes or ``wait`` passes."""
    with socket.create_connection(addr(px), timeout=wait) as s:
        s.sendall(data)
        out = b""
        end = time.monotonic() + wait
        while time.monotonic() < end:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out


def healthy(px) -> bool:
    return httpx.get(px.url + "/health", timeout=3).status_code == 200


def session_body(wallet="0x" + "11" * 20, **extra) -> bytes:
    return json.dumps({"agent_did": "a", "wallet_address": wallet, **extra}).encode()


def post(path: str, body: bytes, headers: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def test_idle_and_slow_connections_are_closed_and_do_not_block(px):
    idle = [socket.create_connection(addr(px)) for _ in range(200)]
    slow = socket.create_connection(addr(px))
    slow.sendall(b"POST /risk/session HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    try:
        t = time.monotonic()
        assert healthy(px) and time.monotonic() - t < 1.0
        time.sleep(1.6)  # request_timeout = 1 s
        slow.settimeout(2)
        assert slow.recv(4096).startswith(b"HTTP/1.1 408")
        closed = 0
        for s in idle:
            s.settimeout(2)
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            closed += data == b"" or data.startswith(b"HTTP/1.1 408")
        assert closed == 200
        assert healthy(px)
    finally:
        for s in idle + [slow]:
            s.close()


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_connection_limit_answers_503_and_recovers_without_spinning(cluster, tmp_path):
    px = cluster.proxy("--sqlite-path", str(tmp_path / "lim.db"), name="proxy-limit",
                       env={**ENV, "X402S_PROXY_LIMIT_CONCURRENCY": "50"})
    idle = [socket.create_connection(addr(px)) for _ in range(120)]
    try:
        cpu = _cpu_seconds(px.popen.pid)
        r = httpx.get(px.url + "/health", timeout=3)
        assert r.status_code in (200, 503)  # over the limit: 503 at once, never a hang
        time.sleep(1.6)  # request_timeout = 1 s closes the idle ones
        assert httpx.get(px.url + "/health", timeout=3).status_code == 200
        assert _cpu_seconds(px.popen.pid) - cpu < 0.8  # no busy loop while connections pile up
    finally:
        for s in idle:
            s.close()
    cluster.stop(px)


def test_short_body_gets_408_not_silence(px):
    data = b"POST /risk/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":"
    t = time.monotonic()
    out = raw(px, data, wait=4)
    assert out.startswith(b"HTTP/1.1 408") and time.monotonic() - t < 3
    assert healthy(px)


def test_fifty_simultaneous_connections_are_all_served(px):
    bodies = [evm_payment()[3] for _ in range(50)]

    def settle(body):
        with httpx.Client(timeout=30) as c:  # a new connection each
            return c.post(px.url + "/settle", json=body).status_code

    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        codes = list(ex.map(settle, bodies))
    assert codes == [200] * 50


def test_keep_alive_requests_are_fast(px):
    times = []
    with httpx.Client(timeout=5) as c:
        c.get(px.url + "/health")
        for _ in range(50):
            t = time.perf_counter()
            r = c.post(px.url + "/risk/session", content=session_body(), headers={"Content-Type": "application/json"})
            times.append(time.perf_counter() - t)
            assert r.status_code == 200
    # delayed ACKs (headers and body in separate writes without TCP_NODELAY) would cost >= 40 ms
    assert statistics.median(times) < 0.015, statistics.median(times)


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_memory_caps_on_telemetry_device_and_events(px):
    big = {"x": "a" * 20000}
    r = httpx.post(px.url + "/risk/session", content=session_body(device=big),
                   headers={"Content-Type": "application/json"}, timeout=5)
    assert r.status_code == 413 and r.json()["detail"][0]["loc"] == ["body", "device"]
    sid = httpx.post(px.url + "/risk/session", content=session_body(), headers={"Content-Type": "application/json"},
                     timeout=5).json()["sid"]
    r = httpx.post(px.url + "/risk/trace", json={"sid": sid, "telemetry": big, "agent_trace": None}, timeout=5)
    assert r.status_code == 413 and r.json()["detail"][0]["loc"] == ["body", "telemetry"]
    events = [{"ts": 1.0, "type": "user_input", "role": "user", "content": "x"}] * 1001
    r = httpx.post(px.url + "/risk/trace", json={"sid": sid, "agent_trace": {"task": "t", "parameters": {},
                                                                              "events": events}}, timeout=5)
    assert r.status_code == 413
    # 150 traces at the caps: the process does not keep them in memory
    pid = px.popen.pid
    before = _rss_kb(pid)
    near = {"x": "a" * 15000}
    with httpx.Client(timeout=10) as c:
        for _ in range(150):
            t = risk.AgentTrace("buy", {"k": "v"})
            doc = json.loads(risk.risk_trace_request(sid, t))
            doc["telemetry"] = near
            doc["fingerprint"] = near
            assert c.post(px.url + "/risk/trace", json=doc).status_code == 200
    assert _rss_kb(pid) - before < 30_000  # kB; the old gateway grew by 134 MB


def test_http_smuggling_is_refused(px):
    smuggled = b"GET /admin/payments HTTP/1.1\r\nHost: x\r\n\r\n"
    body = session_body()
    # Content-Length and Transfer-Encoding together
    out = raw(px, b"POST /risk/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled)
    assert out.startswith(b"HTTP/1.1 400") and out.count(b"HTTP/1.1") == 1
    # two different Content-Lengths
    out = raw(px, b"POST /risk/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\nContent-Length: 3\r\n\r\n" % len(body) + body + smuggled)
    assert out.startswith(b"HTTP/1.1 400") and out.count(b"HTTP/1.1") == 1
    # Content-Length: 1_0
    out = raw(px, b"POST /risk/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1_0\r\n\r\n0123456789")
    assert out.startswith(b"HTTP/1.1 400")
    # a chunked body is read as the body, not as the next request
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    out = raw(px, b"POST /risk/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
    assert out.startswith(b"HTTP/1.1 200") and b'"sid"' in out and out.count(b"HTTP/1.1") == 1
    assert healthy(px)


def test_deep_json_and_content_types(px):
    deep = b"[" * 200_000 + b"]" * 200_000
    for path, expect in (("/risk/session", 422), ("/verify", 400), ("/x402/verify", 422), ("/risk/trace", 422)):
        r = httpx.post(px.url + path, content=deep, headers={"Content-Type": "application/json"}, timeout=10)
        assert r.status_code in (expect, 413), (path, r.status_code, r.text[:200])
    nested = json.dumps({"sid": "x", "agent_trace": json.loads("[" * 100 + "]" * 100)}).encode()
    r = httpx.post(px.url + "/risk/trace", content=nested, headers={"Content-Type": "application/json"}, timeout=10)
    assert r.status_code == 422 and "nested deeper" in r.text
    for ctype in ("text/plain", "application/x-www-form-urlencoded", ""):
        r = httpx.post(px.url + "/risk/session", content=session_body(), headers={"Content-Type": ctype}, timeout=5)
        assert r.status_code == 415 and r.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert healthy(px)


def test_oversized_headers_and_bodies(px):
    r = httpx.get(px.url + "/health", headers={"X-Big": "a" * 20000}, timeout=5)
    assert r.status_code == 431
    r = httpx.post(px.url + "/verify", content=b"{" + b" " * 300_000 + b"}", headers={"Content-Type": "application/json"},
                   timeout=5)
    assert r.status_code == 413
    out = raw(px, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 414")


def test_odd_route_spellings_are_404(px):
    _, _, _, body = evm_payment()
    for path in ("/verify/", "/VERIFY", "/Verify", "//verify", "/verify;x", "/facilitator//verify", "/x402/verify/"):
        r = httpx.post(px.url + path, json=body, timeout=5, follow_redirects=False)
        assert r.status_code == 404, path
    assert httpx.get(px.url + "/verify", timeout=5).status_code == 405
    assert httpx.get(px.url + "/x402/debug", timeout=5).status_code == 404


def test_bad_inputs_never_500(px):
    _, name, value, good = evm_payment()
    cases = [
        ("/verify", b"null"), ("/verify", b"[]"), ("/verify", b"{\"paymentPayload\": 1}"),
        ("/verify", json.dumps({**good, "x402Version": True}).encode()),
        ("/verify", json.dumps({**good, "paymentPayload": {"x402Version": 2, "payload": "x"}}).encode()),
        ("/settle", json.dumps({**good, "paymentPayload": {}, "paymentRequirements": {}}).encode()),
        ("/settle", json.dumps({**good, "paymentRequirements": {"network": 5}}).encode()),
        ("/settle", json.dumps({**good, "paymentHeader": "not*base64"}).encode()),
        ("/x402/settle", json.dumps({**good, "paymentPayload": {"payload": {"authorization": {"nonce": 7}}}}).encode()),
        ("/risk/session", b"{\"agent_did\": 5}"), ("/risk/session", b"\xff\xfe"),
        ("/risk/trace", b"{\"sid\": \"" + b"9" * 5000 + b"\"}"),
        ("/risk/evaluate", b"{\"sid\": \"not-a-uuid\", \"tid\": []}"),
        ("/admin/payments/x/resolve", b"{}"),
    ]
    for path, body in cases:
        r = httpx.post(px.url + path, content=body, headers={"Content-Type": "application/json"}, timeout=10)
        # a specific 4xx, or the facilitator's own "not valid" answer
        refused = r.status_code == 200 and (r.json().get("isValid") is False or r.json().get("success") is False)
        assert 400 <= r.status_code < 500 or refused, (path, body[:80], r.status_code, r.text[:300])
        assert r.headers["content-type"] == "application/json"
    for path in ("/risk/trace/%00", "/risk/trace/" + "a" * 5000, "/evidence/" + "x" * 100, "/evidence/unknown"):
        r = httpx.get(px.url + path, timeout=5)
        assert 400 <= r.status_code < 500, (path, r.status_code)
    assert healthy(px)


def test_rate_limits(cluster, tmp_path):
    px = cluster.proxy("--sqlite-path", str(tmp_path / "rl.db"), name="proxy-rate",
                       env={"X402S_PROXY_AGENT_RATE_PER_IP": "1", "X402S_PROXY_AGENT_BURST_PER_IP": "5",
                            "X402S_PROXY_AGENT_RATE_PER_WALLET": "1", "X402S_PROXY_AGENT_BURST_PER_WALLET": "3"})
    with httpx.Client(timeout=5) as c:
        codes = [c.post(px.url + "/risk/session", content=session_body(), headers={"Content-Type": "application/json"})
                 for _ in range(5)]
    assert [r.status_code for r in codes] == [200, 200, 200, 429, 429]  # the wallet's burst is 3
    assert codes[3].json()["error"]["code"] == "RATE_LIMITED" and int(codes[3].headers["retry-after"]) >= 1
    r = httpx.post(px.url + "/risk/session", content=session_body("0x" + "22" * 20),
                   headers={"Content-Type": "application/json"}, timeout=5)
    assert r.status_code == 429  # the address's burst (5) is spent too
    # seller endpoints are not agent-limited
    _, _, _, body = evm_payment()
    assert httpx.post(px.url + "/verify", json=body, timeout=5).status_code == 200
    cluster.stop(px)
