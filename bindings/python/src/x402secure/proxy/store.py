"""Durable state of the risk proxy: one interface, two backends.

- :class:`SQLiteStore`: one file in WAL mode (the embedded default). Reads run on the
  event loop (WAL readers never wait for the writer); every write goes through one
  writer thread that group-commits whatever is queued in a single transaction (one
  fsync per batch with ``synchronous = FULL``), each operation in its own savepoint.
  Several processes may share the file (``--workers N``): SQLite's file lock
  serialises their write transactions.
- :class:`PostgresStore`: psycopg 3 with a connection pool, for several proxy processes
  or machines.

Both apply the versioned schema (:data:`MIGRATIONS`) at start-up, under a lock, so
processes starting together do not race. Tables: sessions, traces (canonical JSON and
digest), payments (the settlement state machine, keyed by the payment's identity),
idempotency (payment identifiers), api_keys (hashed), evidence (append-only,
hash-chained; triggers refuse UPDATE and DELETE). TTLs: ``expires`` columns, checked on
read and purged by :meth:`purge`.

Settlement state machine (``payments.state``)::

    (none) --claim--> in_flight --upstream answered--> settled | failed | pending
    failed --claim--> in_flight          (the upstream said it did not settle: may retry)
    in_flight (owner gone past the lease) --> pending
    pending --settlement_status / operator--> settled | failed

A claim is one atomic statement (INSERT .. ON CONFLICT DO NOTHING, or an UPDATE guarded
by ``state = 'failed'``); finishing is guarded by the claim's owner token, so a late
writer cannot overwrite a newer claim.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import sqlite3
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

__all__ = ["Store", "StoreUnavailable", "SQLiteStore", "PostgresStore", "make_store", "MIGRATIONS", "SCHEMA_VERSION"]


class StoreUnavailable(Exception):
    """The database cannot be reached or did not answer in time (the proxy answers 503)."""


_COMMON = [
    """CREATE TABLE sessions (
        sid TEXT PRIMARY KEY, wallet TEXT NOT NULL, doc TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL, expires DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX sessions_expires ON sessions (expires)",
    """CREATE TABLE traces (
        tid TEXT PRIMARY KEY, sid TEXT NOT NULL, doc TEXT NOT NULL, digest TEXT,
        created DOUBLE PRECISION NOT NULL, expires DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX traces_expires ON traces (expires)",
    """CREATE TABLE payments (
        payment_key TEXT PRIMARY KEY, identity TEXT NOT NULL, state TEXT NOT NULL,
        owner TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
        network TEXT NOT NULL DEFAULT '', payer TEXT NOT NULL DEFAULT '',
        transaction_id TEXT NOT NULL DEFAULT '', answer TEXT, note TEXT NOT NULL DEFAULT '',
        claimed_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL,
        CHECK (state IN ('in_flight', 'settled', 'failed', 'pending')))""",
    "CREATE INDEX payments_state ON payments (state, updated_at)",
    """CREATE TABLE idempotency (
        pid TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, payment_key TEXT NOT NULL, answer TEXT,
        created DOUBLE PRECISION NOT NULL, expires DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX idempotency_expires ON idempotency (expires)",
    """CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL, revoked DOUBLE PRECISION,
        CHECK (role IN ('seller', 'admin')))""",
    """CREATE TABLE evidence (
        seq BIGINT PRIMARY KEY, decision_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        record TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prev_hash TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL)""",
    "CREATE TABLE evidence_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
]

#: The chain starts from this "previous hash".
GENESIS = "0" * 64

MIGRATIONS: Dict[str, List[Tuple[int, List[str]]]] = {
    "sqlite": [(1, _COMMON + [
        f"INSERT INTO evidence_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')",
        """CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
           BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END""",
        """CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
           BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END""",
    ])],
    "postgres": [(1, _COMMON + [
        f"INSERT INTO evidence_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')",
        """CREATE FUNCTION x402s_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN RAISE EXCEPTION 'evidence is append-only'; END $$""",
        """CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON evidence
           FOR EACH ROW EXECUTE FUNCTION x402s_evidence_append_only()""",
    ])],
}
SCHEMA_VERSION = max(v for v, _ in MIGRATIONS["sqlite"])

_PAYMENT_COLS = ("payment_key", "identity", "state", "owner", "attempts", "network", "payer", "transaction_id",
                 "answer", "note", "claimed_at", "updated_at")


def _payment_row(row: Optional[Sequence[Any]]) -> Optional[Dict[str, Any]]:
    if row is None:
        return None
    d = dict(zip(_PAYMENT_COLS, row))
    d["answer"] = json.loads(d["answer"]) if d["answer"] else None
    d["identity"] = json.loads(d["identity"]) if d["identity"] else None
    return d


_PAYMENT_SELECT = "SELECT " + ", ".join(_PAYMENT_COLS) + " FROM payments WHERE payment_key = {p}"


class Store:
    """The interface (every method is a coroutine; failures raise :class:`StoreUnavailable`)."""

    dialect = ""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> None: ...

    # sessions and traces
    async def put_session(self, sid: str, wallet: str, doc: Dict[str, Any], now: float, expires: float) -> None: ...
    async def get_session(self, sid: str, now: float) -> Optional[Dict[str, Any]]: ...
    async def put_trace(self, tid: str, sid: str, doc: Dict[str, Any], digest: Optional[str], now: float,
                        expires: float) -> None: ...
    async def get_trace(self, tid: str, now: float) -> Optional[Dict[str, Any]]: ...

    # payments
    async def claim_payment(self, key: str, identity: Dict[str, Any], owner: str, now: float,
                            network: str, payer: str) -> Tuple[bool, Optional[Dict[str, Any]]]: ...
    async def finish_payment(self, key: str, owner: str, state: str, transaction: str, answer: Dict[str, Any],
                             note: str, now: float, payer: str = "") -> bool: ...
    async def get_payment(self, key: str) -> Optional[Dict[str, Any]]: ...
    async def expire_claim(self, key: str, now: float, lease: float) -> Optional[Dict[str, Any]]: ...
    async def resolve_payment(self, key: str, state: str, transaction: str, answer: Dict[str, Any], note: str,
                              now: float, from_states: Sequence[str] = ("pending",)) -> bool: ...
    async def list_payments(self, state: Optional[str], limit: int) -> List[Dict[str, Any]]: ...

    # payment identifiers
    async def idem_get(self, pid: str, now: float) -> Optional[Dict[str, Any]]: ...
    async def idem_put(self, pid: str, fingerprint: str, payment_key: str, now: float, expires: float) -> Dict[str, Any]: ...
    async def idem_answer(self, pid: str, answer: Dict[str, Any]) -> None: ...

    # api keys
    async def add_key(self, key_id: str, name: str, role: str, secret_hash: str, now: float) -> None: ...
    async def get_key(self, key_id: str) -> Optional[Dict[str, Any]]: ...
    async def list_keys(self) -> List[Dict[str, Any]]: ...
    async def revoke_key(self, key_id: str, now: float) -> bool: ...
    async def count_keys(self) -> Dict[str, int]: ...

    # evidence
    async def append_evidence(self, items: List[Tuple[str, str, Dict[str, Any]]], now: float,
                              make: Callable[[Dict[str, Any], int, str], Tuple[str, str]]) -> List[Tuple[int, str]]: ...
    async def get_evidence(self, decision_id: str) -> Optional[Dict[str, Any]]: ...
    async def evidence_range(self, start: int, end: int) -> List[Dict[str, Any]]: ...
    async def recent_evidence(self, limit: int) -> List[Dict[str, Any]]: ...

    async def purge(self, now: float) -> int: ...


# ------------------------------------------------------------------------------------------
# SQLite
# ------------------------------------------------------------------------------------------

class _WriterThread(threading.Thread):
    """One SQLite connection; runs queued operations in group-committed transactions."""

    def __init__(self, path: str, synchronous: str, uri: bool) -> None:
        super().__init__(name="x402s-sqlite-writer", daemon=True)
        self.q: "queue.Queue[Any]" = queue.Queue()
        self.path, self.synchronous, self.uri = path, synchronous, uri
        self.ready = threading.Event()
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, uri=self.uri,
                                   timeout=30.0)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            conn.execute("PRAGMA busy_timeout=30000")
        except BaseException as exc:  # noqa: BLE001
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        while True:
            first = self.q.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < 512:
                try:
                    item = self.q.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.q.put(None)
                    break
                batch.append(item)
            results: List[Tuple[Any, Any, bool]] = []
            try:
                conn.execute("BEGIN IMMEDIATE")
                for fn, fut, loop in batch:
                    conn.execute("SAVEPOINT op")
                    try:
                        results.append((fut, fn(conn), True))
                        conn.execute("RELEASE op")
                    except sqlite3.OperationalError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - the op's own failure
                        conn.execute("ROLLBACK TO op")
                        conn.execute("RELEASE op")
                        results.append((fut, exc, False))
                conn.execute("COMMIT")
            except BaseException as exc:  # noqa: BLE001 - the whole batch failed
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                err = StoreUnavailable(f"sqlite: {exc}")
                for fn, fut, loop in batch:
                    loop.call_soon_threadsafe(_set_exc, fut, err)
                continue
            for (fn, fut, loop), (_, value, ok) in zip(batch, results):
                if ok:
                    loop.call_soon_threadsafe(_set_result, fut, value)
                else:
                    loop.call_soon_threadsafe(_set_exc, fut, value)
        conn.close()


def _set_result(fut: "asyncio.Future[Any]", value: Any) -> None:
    if not fut.done():
        fut.set_result(value)


def _set_exc(fut: "asyncio.Future[Any]", exc: BaseException) -> None:
    if not fut.done():
        fut.set_exception(exc)


def _migrate_sqlite(conn: sqlite3.Connection) -> int:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at DOUBLE PRECISION NOT NULL)")
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        current = row[0] or 0
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(f"the database has schema version {current}, newer than this proxy's {SCHEMA_VERSION}")
        for version, statements in MIGRATIONS["sqlite"]:
            if version <= current:
                continue
            for st in statements:
                conn.execute(st)
            conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, time.time()))
            current = version
        conn.execute("COMMIT")
        return current
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class SQLiteStore(Store):
    """SQLite in WAL mode. ``path = ":memory:"`` gives a private in-memory database (one process)."""

    dialect = "sqlite"

    def __init__(self, path: str, synchronous: str = "FULL", timeout: float = 5.0) -> None:
        self.timeout = timeout
        if path == ":memory:":
            self.path, self.uri = f"file:x402s-{uuid.uuid4().hex}?mode=memory&cache=shared", True
        else:
            self.path, self.uri = os.path.abspath(path), False
        self.synchronous = synchronous
        self._writer: Optional[_WriterThread] = None
        self._read: Optional[sqlite3.Connection] = None
        self._keeper: Optional[sqlite3.Connection] = None

    async def open(self) -> None:
        if self.uri:  # keeps the shared in-memory database alive
            self._keeper = sqlite3.connect(self.path, uri=True, check_same_thread=False)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, uri=self.uri, timeout=30.0)
            if not self.uri:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            _migrate_sqlite(conn)
            conn.close()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite {self.path}: {exc}") from None
        self._writer = _WriterThread(self.path, self.synchronous, self.uri)
        self._writer.start()
        self._writer.ready.wait()
        if self._writer.error is not None:
            raise StoreUnavailable(f"sqlite {self.path}: {self._writer.error}")
        self._read = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, uri=self.uri,
                                     timeout=self.timeout)
        self._read.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
        if self.uri:
            self._read.execute("PRAGMA read_uncommitted=0")

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.q.put(None)
            await asyncio.get_running_loop().run_in_executor(None, self._writer.join, 30)
            self._writer = None
        for c in (self._read, self._keeper):
            if c is not None:
                c.close()
        self._read = self._keeper = None

    async def _write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        w = self._writer
        if w is None:
            raise StoreUnavailable("store closed")
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        w.q.put((fn, fut, loop))
        try:
            return await asyncio.wait_for(fut, self.timeout)
        except asyncio.TimeoutError:
            raise StoreUnavailable(f"sqlite write took longer than {self.timeout:g} s") from None

    def _q(self, sql: str, args: Sequence[Any] = ()) -> List[Tuple[Any, ...]]:
        if self._read is None:
            raise StoreUnavailable("store closed")
        try:
            return self._read.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from None

    async def ping(self) -> None:
        self._q("SELECT 1")
        await self._write(lambda c: c.execute("SELECT 1").fetchone())

    async def put_session(self, sid, wallet, doc, now, expires):
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        await self._write(lambda c: c.execute(
            "INSERT INTO sessions (sid, wallet, doc, created, expires) VALUES (?, ?, ?, ?, ?)",
            (sid, wallet, text, now, expires)))

    async def get_session(self, sid, now):
        rows = self._q("SELECT doc FROM sessions WHERE sid = ? AND expires > ?", (sid, now))
        return json.loads(rows[0][0]) if rows else None

    async def put_trace(self, tid, sid, doc, digest, now, expires):
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
        await self._write(lambda c: c.execute(
            "INSERT INTO traces (tid, sid, doc, digest, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
            (tid, sid, text, digest, now, expires)))

    async def get_trace(self, tid, now):
        rows = self._q("SELECT doc, digest, sid FROM traces WHERE tid = ? AND expires > ?", (tid, now))
        if not rows:
            return None
        doc = json.loads(rows[0][0])
        doc["digest"], doc["sid"] = rows[0][1], rows[0][2]
        return doc

    async def claim_payment(self, key, identity, owner, now, network, payer):
        ident = json.dumps(identity, separators=(",", ":"), sort_keys=True)

        def op(c: sqlite3.Connection):
            cur = c.execute(
                "INSERT INTO payments (payment_key, identity, state, owner, network, payer, claimed_at, updated_at) "
                "VALUES (?, ?, 'in_flight', ?, ?, ?, ?, ?) ON CONFLICT (payment_key) DO NOTHING",
                (key, ident, owner, network, payer, now, now))
            if cur.rowcount == 1:
                return True, None
            cur = c.execute(
                "UPDATE payments SET state = 'in_flight', owner = ?, attempts = attempts + 1, claimed_at = ?, "
                "updated_at = ?, answer = NULL, note = '' WHERE payment_key = ? AND state = 'failed'",
                (owner, now, now, key))
            if cur.rowcount == 1:
                return True, None
            return False, _payment_row(c.execute(_PAYMENT_SELECT.format(p="?"), (key,)).fetchone())

        return await self._write(op)

    async def finish_payment(self, key, owner, state, transaction, answer, note, now, payer=""):
        text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
        return await self._write(lambda c: c.execute(
            "UPDATE payments SET state = ?, transaction_id = ?, answer = ?, note = ?, updated_at = ?, "
            "payer = CASE WHEN payer = '' THEN ? ELSE payer END "
            "WHERE payment_key = ? AND owner = ? AND state = 'in_flight'",
            (state, transaction, text, note, now, payer, key, owner)).rowcount == 1)

    async def get_payment(self, key):
        rows = self._q(_PAYMENT_SELECT.format(p="?"), (key,))
        return _payment_row(rows[0]) if rows else None

    async def expire_claim(self, key, now, lease):
        def op(c):
            c.execute("UPDATE payments SET state = 'pending', note = 'interrupted: the settling process stopped "
                      "before the upstream answer was recorded', updated_at = ? WHERE payment_key = ? AND "
                      "state = 'in_flight' AND claimed_at < ?", (now, key, now - lease))
            return _payment_row(c.execute(_PAYMENT_SELECT.format(p="?"), (key,)).fetchone())

        return await self._write(op)

    async def resolve_payment(self, key, state, transaction, answer, note, now, from_states=("pending",)):
        text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
        marks = ",".join("?" * len(from_states))
        return await self._write(lambda c: c.execute(
            f"UPDATE payments SET state = ?, transaction_id = ?, answer = ?, note = ?, updated_at = ? "
            f"WHERE payment_key = ? AND state IN ({marks})",
            (state, transaction, text, note, now, key, *from_states)).rowcount == 1)

    async def list_payments(self, state, limit):
        sql = "SELECT " + ", ".join(_PAYMENT_COLS) + " FROM payments"
        args: List[Any] = []
        if state:
            sql += " WHERE state = ?"
            args.append(state)
        sql += " ORDER BY updated_at DESC LIMIT ?"
        args.append(limit)
        return [_payment_row(r) for r in self._q(sql, args)]

    async def idem_get(self, pid, now):
        rows = self._q("SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = ? AND expires > ?",
                       (pid, now))
        if not rows:
            return None
        return {"fingerprint": rows[0][0], "payment_key": rows[0][1],
                "answer": json.loads(rows[0][2]) if rows[0][2] else None}

    async def idem_put(self, pid, fingerprint, payment_key, now, expires):
        def op(c):
            c.execute("DELETE FROM idempotency WHERE pid = ? AND expires <= ?", (pid, now))
            c.execute("INSERT INTO idempotency (pid, fingerprint, payment_key, created, expires) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT (pid) DO NOTHING", (pid, fingerprint, payment_key, now, expires))
            r = c.execute("SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = ?", (pid,)).fetchone()
            return {"fingerprint": r[0], "payment_key": r[1], "answer": json.loads(r[2]) if r[2] else None}

        return await self._write(op)

    async def idem_answer(self, pid, answer):
        text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
        await self._write(lambda c: c.execute("UPDATE idempotency SET answer = ? WHERE pid = ?", (text, pid)))

    async def add_key(self, key_id, name, role, secret_hash, now):
        await self._write(lambda c: c.execute(
            "INSERT INTO api_keys (key_id, name, role, secret_hash, created) VALUES (?, ?, ?, ?, ?)",
            (key_id, name, role, secret_hash, now)))

    async def get_key(self, key_id):
        rows = self._q("SELECT key_id, name, role, secret_hash, created, revoked FROM api_keys WHERE key_id = ?",
                       (key_id,))
        return dict(zip(("key_id", "name", "role", "secret_hash", "created", "revoked"), rows[0])) if rows else None

    async def list_keys(self):
        rows = self._q("SELECT key_id, name, role, created, revoked FROM api_keys ORDER BY created")
        return [dict(zip(("key_id", "name", "role", "created", "revoked"), r)) for r in rows]

    async def revoke_key(self, key_id, now):
        return await self._write(lambda c: c.execute(
            "UPDATE api_keys SET revoked = ? WHERE key_id = ? AND revoked IS NULL", (now, key_id)).rowcount == 1)

    async def count_keys(self):
        rows = self._q("SELECT role, COUNT(*) FROM api_keys WHERE revoked IS NULL GROUP BY role")
        return {r[0]: r[1] for r in rows}

    async def append_evidence(self, items, now, make):
        def op(c):
            seq, prev = c.execute("SELECT seq, hash FROM evidence_head WHERE id = 1").fetchone()
            out = []
            for decision_id, kind, fields in items:
                seq += 1
                record, digest = make(fields, seq, prev)
                c.execute("INSERT INTO evidence (seq, decision_id, kind, record, hash, prev_hash, created) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)", (seq, decision_id, kind, record, digest, prev, now))
                out.append((seq, digest))
                prev = digest
            c.execute("UPDATE evidence_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
            return out

        return await self._write(op)

    _EV = ("seq", "decision_id", "kind", "record", "hash", "prev_hash", "created")

    async def get_evidence(self, decision_id):
        rows = self._q("SELECT " + ", ".join(self._EV) + " FROM evidence WHERE decision_id = ?", (decision_id,))
        return dict(zip(self._EV, rows[0])) if rows else None

    async def evidence_range(self, start, end):
        rows = self._q("SELECT " + ", ".join(self._EV) + " FROM evidence WHERE seq >= ? AND seq <= ? ORDER BY seq",
                       (start, end))
        return [dict(zip(self._EV, r)) for r in rows]

    async def recent_evidence(self, limit):
        rows = self._q("SELECT " + ", ".join(self._EV) + " FROM evidence ORDER BY seq DESC LIMIT ?", (limit,))
        return [dict(zip(self._EV, r)) for r in reversed(rows)]

    async def purge(self, now):
        def op(c):
            n = 0
            for table in ("sessions", "traces", "idempotency"):
                n += c.execute(f"DELETE FROM {table} WHERE expires <= ?", (now,)).rowcount
            return n

        return await self._write(op)


# ------------------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------------------

class PostgresStore(Store):
    """PostgreSQL through psycopg 3 (async) and psycopg_pool."""

    dialect = "postgres"

    def __init__(self, dsn: str, pool_size: int = 8, timeout: float = 5.0) -> None:
        self.dsn, self.pool_size, self.timeout = dsn, pool_size, timeout
        self._pool: Any = None

    async def open(self) -> None:
        import psycopg
        from psycopg_pool import AsyncConnectionPool

        self._psycopg = psycopg
        try:
            async with await psycopg.AsyncConnection.connect(self.dsn, connect_timeout=max(1, int(self.timeout)),
                                                             autocommit=False) as conn:
                await self._migrate(conn)
        except psycopg.Error as exc:
            raise StoreUnavailable(f"postgres: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        self._pool = AsyncConnectionPool(self.dsn, min_size=1, max_size=self.pool_size, open=False,
                                         timeout=self.timeout, kwargs={"autocommit": True,
                                                                       "connect_timeout": max(1, int(self.timeout))},
                                         reconnect_timeout=0)
        await self._pool.open(wait=False)

    async def _migrate(self, conn: Any) -> int:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(402402402)")
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                               "applied_at DOUBLE PRECISION NOT NULL)")
            cur = await conn.execute("SELECT MAX(version) FROM schema_version")
            current = (await cur.fetchone())[0] or 0
            if current > SCHEMA_VERSION:
                raise StoreUnavailable(f"the database has schema version {current}, newer than this proxy's {SCHEMA_VERSION}")
            for version, statements in MIGRATIONS["postgres"]:
                if version <= current:
                    continue
                for st in statements:
                    await conn.execute(st)
                await conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)", (version, time.time()))
                current = version
        return current

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def _run(self, fn: Callable[[Any], Any], transaction: bool = False) -> Any:
        if self._pool is None:
            raise StoreUnavailable("store closed")
        psycopg = self._psycopg
        from psycopg_pool import PoolTimeout

        async def body():
            async with self._pool.connection() as conn:
                if transaction:
                    async with conn.transaction():
                        return await fn(conn)
                return await fn(conn)

        try:
            return await asyncio.wait_for(body(), self.timeout)
        except (asyncio.TimeoutError, PoolTimeout):
            raise StoreUnavailable(f"postgres did not answer within {self.timeout:g} s") from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"postgres: {type(exc).__name__}") from None

    async def _fetch(self, sql: str, args: Sequence[Any] = ()) -> List[Tuple[Any, ...]]:
        async def fn(conn):
            cur = await conn.execute(sql, args)
            return await cur.fetchall()

        return await self._run(fn)

    async def _exec(self, sql: str, args: Sequence[Any] = ()) -> int:
        async def fn(conn):
            cur = await conn.execute(sql, args)
            return cur.rowcount

        return await self._run(fn)

    async def ping(self) -> None:
        await self._fetch("SELECT 1")

    async def put_session(self, sid, wallet, doc, now, expires):
        await self._exec("INSERT INTO sessions (sid, wallet, doc, created, expires) VALUES (%s, %s, %s, %s, %s)",
                         (sid, wallet, json.dumps(doc, separators=(",", ":"), ensure_ascii=False), now, expires))

    async def get_session(self, sid, now):
        rows = await self._fetch("SELECT doc FROM sessions WHERE sid = %s AND expires > %s", (sid, now))
        return json.loads(rows[0][0]) if rows else None

    async def put_trace(self, tid, sid, doc, digest, now, expires):
        await self._exec("INSERT INTO traces (tid, sid, doc, digest, created, expires) VALUES (%s, %s, %s, %s, %s, %s)",
                         (tid, sid, json.dumps(doc, separators=(",", ":"), ensure_ascii=False), digest, now, expires))

    async def get_trace(self, tid, now):
        rows = await self._fetch("SELECT doc, digest, sid FROM traces WHERE tid = %s AND expires > %s", (tid, now))
        if not rows:
            return None
        doc = json.loads(rows[0][0])
        doc["digest"], doc["sid"] = rows[0][1], rows[0][2]
        return doc

    async def claim_payment(self, key, identity, owner, now, network, payer):
        ident = json.dumps(identity, separators=(",", ":"), sort_keys=True)

        async def fn(conn):
            cur = await conn.execute(
                "INSERT INTO payments (payment_key, identity, state, owner, network, payer, claimed_at, updated_at) "
                "VALUES (%s, %s, 'in_flight', %s, %s, %s, %s, %s) ON CONFLICT (payment_key) DO NOTHING",
                (key, ident, owner, network, payer, now, now))
            if cur.rowcount == 1:
                return True, None
            cur = await conn.execute(
                "UPDATE payments SET state = 'in_flight', owner = %s, attempts = attempts + 1, claimed_at = %s, "
                "updated_at = %s, answer = NULL, note = '' WHERE payment_key = %s AND state = 'failed'",
                (owner, now, now, key))
            if cur.rowcount == 1:
                return True, None
            cur = await conn.execute(_PAYMENT_SELECT.format(p="%s"), (key,))
            return False, _payment_row(await cur.fetchone())

        return await self._run(fn, transaction=True)

    async def finish_payment(self, key, owner, state, transaction, answer, note, now, payer=""):
        return await self._exec(
            "UPDATE payments SET state = %s, transaction_id = %s, answer = %s, note = %s, updated_at = %s, "
            "payer = CASE WHEN payer = '' THEN %s ELSE payer END "
            "WHERE payment_key = %s AND owner = %s AND state = 'in_flight'",
            (state, transaction, json.dumps(answer, separators=(",", ":"), ensure_ascii=False), note, now, payer,
             key, owner)) == 1

    async def get_payment(self, key):
        rows = await self._fetch(_PAYMENT_SELECT.format(p="%s"), (key,))
        return _payment_row(rows[0]) if rows else None

    async def expire_claim(self, key, now, lease):
        async def fn(conn):
            await conn.execute(
                "UPDATE payments SET state = 'pending', note = 'interrupted: the settling process stopped before the "
                "upstream answer was recorded', updated_at = %s WHERE payment_key = %s AND state = 'in_flight' AND "
                "claimed_at < %s", (now, key, now - lease))
            cur = await conn.execute(_PAYMENT_SELECT.format(p="%s"), (key,))
            return _payment_row(await cur.fetchone())

        return await self._run(fn, transaction=True)

    async def resolve_payment(self, key, state, transaction, answer, note, now, from_states=("pending",)):
        return await self._exec(
            "UPDATE payments SET state = %s, transaction_id = %s, answer = %s, note = %s, updated_at = %s "
            "WHERE payment_key = %s AND state = ANY(%s)",
            (state, transaction, json.dumps(answer, separators=(",", ":"), ensure_ascii=False), note, now, key,
             list(from_states))) == 1

    async def list_payments(self, state, limit):
        sql = "SELECT " + ", ".join(_PAYMENT_COLS) + " FROM payments"
        args: List[Any] = []
        if state:
            sql += " WHERE state = %s"
            args.append(state)
        sql += " ORDER BY updated_at DESC LIMIT %s"
        args.append(limit)
        return [_payment_row(r) for r in await self._fetch(sql, args)]

    async def idem_get(self, pid, now):
        rows = await self._fetch("SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = %s AND expires > %s",
                                 (pid, now))
        if not rows:
            return None
        return {"fingerprint": rows[0][0], "payment_key": rows[0][1],
                "answer": json.loads(rows[0][2]) if rows[0][2] else None}

    async def idem_put(self, pid, fingerprint, payment_key, now, expires):
        async def fn(conn):
            await conn.execute("DELETE FROM idempotency WHERE pid = %s AND expires <= %s", (pid, now))
            await conn.execute("INSERT INTO idempotency (pid, fingerprint, payment_key, created, expires) "
                               "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (pid) DO NOTHING",
                               (pid, fingerprint, payment_key, now, expires))
            cur = await conn.execute("SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = %s", (pid,))
            r = await cur.fetchone()
            return {"fingerprint": r[0], "payment_key": r[1], "answer": json.loads(r[2]) if r[2] else None}

        return await self._run(fn, transaction=True)

    async def idem_answer(self, pid, answer):
        await self._exec("UPDATE idempotency SET answer = %s WHERE pid = %s",
                         (json.dumps(answer, separators=(",", ":"), ensure_ascii=False), pid))

    async def add_key(self, key_id, name, role, secret_hash, now):
        await self._exec("INSERT INTO api_keys (key_id, name, role, secret_hash, created) VALUES (%s, %s, %s, %s, %s)",
                         (key_id, name, role, secret_hash, now))

    async def get_key(self, key_id):
        rows = await self._fetch("SELECT key_id, name, role, secret_hash, created, revoked FROM api_keys WHERE key_id = %s",
                                 (key_id,))
        return dict(zip(("key_id", "name", "role", "secret_hash", "created", "revoked"), rows[0])) if rows else None

    async def list_keys(self):
        rows = await self._fetch("SELECT key_id, name, role, created, revoked FROM api_keys ORDER BY created")
        return [dict(zip(("key_id", "name", "role", "created", "revoked"), r)) for r in rows]

    async def revoke_key(self, key_id, now):
        return await self._exec("UPDATE api_keys SET revoked = %s WHERE key_id = %s AND revoked IS NULL",
                                (now, key_id)) == 1

    async def count_keys(self):
        rows = await self._fetch("SELECT role, COUNT(*) FROM api_keys WHERE revoked IS NULL GROUP BY role")
        return {r[0]: r[1] for r in rows}

    async def append_evidence(self, items, now, make):
        async def fn(conn):
            cur = await conn.execute("SELECT seq, hash FROM evidence_head WHERE id = 1 FOR UPDATE")
            seq, prev = await cur.fetchone()
            out = []
            rows = []
            for decision_id, kind, fields in items:
                seq += 1
                record, digest = make(fields, seq, prev)
                rows.append((seq, decision_id, kind, record, digest, prev, now))
                out.append((seq, digest))
                prev = digest
            async with conn.cursor() as c:
                await c.executemany("INSERT INTO evidence (seq, decision_id, kind, record, hash, prev_hash, created) "
                                    "VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
            await conn.execute("UPDATE evidence_head SET seq = %s, hash = %s WHERE id = 1", (seq, prev))
            return out

        return await self._run(fn, transaction=True)

    _EV = SQLiteStore._EV

    async def get_evidence(self, decision_id):
        rows = await self._fetch("SELECT " + ", ".join(self._EV) + " FROM evidence WHERE decision_id = %s", (decision_id,))
        return dict(zip(self._EV, rows[0])) if rows else None

    async def evidence_range(self, start, end):
        rows = await self._fetch("SELECT " + ", ".join(self._EV) + " FROM evidence WHERE seq >= %s AND seq <= %s "
                                 "ORDER BY seq", (start, end))
        return [dict(zip(self._EV, r)) for r in rows]

    async def recent_evidence(self, limit):
        rows = await self._fetch("SELECT " + ", ".join(self._EV) + " FROM evidence ORDER BY seq DESC LIMIT %s", (limit,))
        return [dict(zip(self._EV, r)) for r in reversed(rows)]

    async def purge(self, now):
        async def fn(conn):
            n = 0
            for table in ("sessions", "traces", "idempotency"):
                cur = await conn.execute(f"DELETE FROM {table} WHERE expires <= %s", (now,))
                n += cur.rowcount
            return n

        return await self._run(fn)


def make_store(cfg: Any) -> Store:
    v = cfg.values
    if v["store"] == "postgres":
        return PostgresStore(v["postgres_dsn"], v["postgres_pool_size"], v["store_timeout"])
    if v["store"] == "memory":
        return SQLiteStore(":memory:", "OFF", v["store_timeout"])
    return SQLiteStore(v["sqlite_path"], v["sqlite_synchronous"], v["store_timeout"])
