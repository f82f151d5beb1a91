"""Shared pieces of the proxy's tests: processes on loopback (the proxy, a counting
facilitator, an official x402 seller), a PostgreSQL cluster made with Debian's initdb and
pg_ctl in a temporary directory, payments made with the core."""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

REPO = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
FAKE_FACILITATOR = HERE / "proxy" / "fake_facilitator.py"
OFFICIAL_SELLER = HERE / "proxy" / "official_seller.py"
PROXY_EXE = str(Path(sys.executable).parent / "x402secure-proxy")

_spec = importlib.util.spec_from_file_location("demo_e2e", REPO / "scripts" / "demo_e2e.py")
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)  # type: ignore[union-attr]

KEY = demo.BUYER_EVM_KEY
PAY_TO = demo.SELLER_EVM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> Optional[str]:
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return cands[0] if cands else None


class Postgres:
    """A throwaway PostgreSQL cluster on a free loopback port (stopped by :meth:`destroy`)."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise RuntimeError("PostgreSQL's initdb/pg_ctl not found (apt-get install postgresql)")
        self.dir = tempfile.mkdtemp(prefix="x402s-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.user = "x402s"
        run_as: List[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as 'nobody'
            shutil.chown(self.dir, "nobody")
            os.chmod(self.dir, 0o700)
            run_as = ["runuser", "-u", "nobody", "--"]
        self.run_as = run_as
        subprocess.run(run_as + [self.initdb, "-D", self.data, "-U", self.user, "-A", "trust", "--no-sync",
                                 "-E", "UTF8", "--locale=C"], check=True, capture_output=True, timeout=120)
        self.start()

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres connect_timeout=3"

    def start(self) -> None:
        subprocess.run(self.run_as + [self.pg_ctl, "-D", self.data, "-w", "-t", "60", "-l",
                                      os.path.join(self.dir, "log"), "-o",
                                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                                      f"-c max_connections=200", "start"],
                       check=True, capture_output=True, timeout=90)

    def stop(self) -> None:
        subprocess.run(self.run_as + [self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=90)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Cluster(demo.Services):
    """Processes of one test module (stopped, newest first, at the end)."""

    def _env(self, args, env: Optional[Dict[str, str]]) -> Dict[str, str]:
        full = dict(self.env)
        if "postgres" in args:  # every instance on one database signs receipts with one key
            key = os.path.join(self.tmp, "receipt-key")
            if not os.path.exists(key):
                with open(key, "w") as f:
                    f.write("0x" + "42" * 32 + "\n")
                os.chmod(key, 0o600)
            full["X402S_PROXY_EVIDENCE_KEY_FILE"] = key
        full.update(env or {})
        return full

    def proxy(self, *args: str, name: str = "proxy", env: Optional[Dict[str, str]] = None) -> Any:
        return self._start(name, [PROXY_EXE, "--port", "0", "--log-level", "warning", *args], self._env(args, env))

    def proxy_cmd(self, *args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
        return subprocess.run([PROXY_EXE, *args], env=self._env(args, env), capture_output=True, text=True,
                              timeout=60)

    def admin_key(self, *store_args: str) -> str:
        out = self.proxy_cmd(*store_args, "keys", "add", "--role", "admin", "--name", "test")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)["key"]

    def seller_key(self, *store_args: str) -> str:
        out = self.proxy_cmd(*store_args, "keys", "add", "--role", "seller", "--name", "seller")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)["key"]

    def facilitator(self, *args: str, name: str = "facilitator") -> Any:
        env = dict(self.env, X402S_TEST_FEE_SEED=demo.FEE_PAYER_SEED.hex())
        return self._start(name, [sys.executable, str(FAKE_FACILITATOR), "--fee-payer-seed-env", "X402S_TEST_FEE_SEED",
                                  *args], env)

    def official_seller(self, facilitator_url: str, api_key: Optional[str] = None) -> Any:
        seller_sol, _, _ = demo.demo_identities()
        env = dict(self.env, FACILITATOR_URL=facilitator_url, PAY_TO_EVM=PAY_TO, PAY_TO_SOLANA=seller_sol)
        if api_key:
            env["API_KEY"] = api_key
        return self._start("official-seller", [sys.executable, str(OFFICIAL_SELLER)], env)

    def kill9(self, proc: Any) -> None:
        os.killpg(proc.popen.pid, signal.SIGKILL)
        proc.popen.wait(timeout=10)
        if proc in self.procs:
            self.procs.remove(proc)


def evm_payment(version: int = 2, now: Optional[int] = None, pay_to: str = PAY_TO, extensions: Any = None):
    """``(requirement, header name, header value, facilitator body)`` of a fresh EVM payment."""
    from x402secure import EvmAccount, x402

    pr = x402.payment_required_response([{"network": "eip155:84532", "payTo": pay_to, "price": "$0.01"}],
                                        resource="http://127.0.0.1:9/api/market-data", version=version).payment_required
    with EvmAccount.from_key(KEY) as acct:
        name, value = x402.create_payment_header(pr, acct, {"networks": ["eip155:*"]},
                                                 now=int(time.time()) if now is None else now)
    payment = x402.decode_payment_header(value)
    if extensions is not None:
        payment["extensions"] = extensions
    body = {"x402Version": version, "paymentPayload": payment, "paymentRequirements": pr["accepts"][0]}
    return pr, name, value, body


def stats(fac: Any) -> Dict[str, Any]:
    import httpx

    return httpx.get(fac.url + "/stats", timeout=5).json()


def session_trace_settle(url: str, wallet: str):
    """Open a risk session and a trace on the proxy at ``url`` and settle a fresh payment through
    /x402/settle: ``(sid, tid, body, headers, settle answer)``."""
    import httpx

    from x402secure import risk

    sid = httpx.post(url + "/risk/session", json={"agent_did": "a", "wallet_address": wallet}, timeout=5).json()["sid"]
    t = risk.AgentTrace("buy", {"symbol": "BTC/USD"})
    tid = httpx.post(url + "/risk/trace", content=risk.risk_trace_request(sid, t),
                     headers={"Content-Type": "application/json"}, timeout=5).json()["tid"]
    _, name, value, body = evm_payment()
    hdrs = {name: value, "X-RISK-SESSION": sid, "X-PAYMENT-SECURE": risk.build_payment_secure_header(tid=tid)}
    answer = httpx.post(url + "/x402/settle", json=body, headers=hdrs, timeout=10).json()
    return sid, tid, body, hdrs, answer
