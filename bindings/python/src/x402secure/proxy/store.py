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
        seq BIGINT PRIMARY KEY, decision_id TEXT NOT NULL, kind TEXT NOT NULL,
        record TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prev_hash TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX evidence_decision ON evidence (decision_id)",
    """CREATE TABLE payment_decisions (
        payment_key TEXT PRIMARY KEY, decision_id TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE evidence_attachments (
        digest TEXT PRIMARY KEY, text TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)""",
    "CREATE TABLE evidence_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
]

#: The chain's first record (seq 0) carries this "previous hash" (docs/EVIDENCE.md's genesis).
GENESIS = "sha256:" + "0" * 64

MIGRATIONS: Dict[str, List[Tuple[int, List[str]]]] = {
    "sqlite": [(1, _COMMON + [
        f"INSERT INTO evidence_head (id, seq, hash) VALUES (1, -1, '{GENESIS}')",
        """CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
           BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END""",
        """CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
           BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END""",
    ])],
    "postgres": [(1, _COMMON + [
        f"INSERT INTO evidence_head (id, seq, hash) VALUES (1, -1, '{GENESIS}')",
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


_PAYMENT_SELECT = "SELECT " + ", ".join(_PAYMENT_COLS) + " FROM payments WHERE payment_key = ?"


class Store:
    """The interface (every method is a coroutine; failures raise :class:`StoreUnavailable`).

    Each operation is written once, as a generator of SQL steps (:class:`_Steps`): it yields
    ``(kind, sql, args)`` with ``kind`` one of ``"exec"`` (returns the row count),
    ``"one"`` (the first row or None) and ``"all"`` (every row), and returns the result. The
    backends only drive those steps: SQLite synchronously (reads on the event loop, writes in
    the writer thread's group-committed transactions), PostgreSQL asynchronously (one pooled
    connection and transaction per operation). SQL uses ``?`` placeholders (``%s`` on
    PostgreSQL)."""

    dialect = ""

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def ping(self) -> None: ...

    async def _read(self, steps: Any) -> Any: ...
    async def _write(self, steps: Any) -> Any: ...

    # sessions and traces
    async def put_session(self, sid: str, wallet: str, doc: Dict[str, Any], now: float, expires: float) -> None:
        await self._write(_one_exec("INSERT INTO sessions (sid, wallet, doc, created, expires) VALUES (?, ?, ?, ?, ?)",
                                    (sid, wallet, _text(doc), now, expires)))

    async def get_session(self, sid: str, now: float) -> Optional[Dict[str, Any]]:
        row = await self._read(_one_row("SELECT doc FROM sessions WHERE sid = ? AND expires > ?", (sid, now)))
        return json.loads(row[0]) if row else None

    async def put_trace(self, tid: str, sid: str, doc: Dict[str, Any], digest: Optional[str], now: float,
                        expires: float) -> None:
        await self._write(_one_exec("INSERT INTO traces (tid, sid, doc, digest, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
                                    (tid, sid, _text(doc), digest, now, expires)))

    async def get_trace(self, tid: str, now: float) -> Optional[Dict[str, Any]]:
        row = await self._read(_one_row("SELECT doc, digest, sid FROM traces WHERE tid = ? AND expires > ?", (tid, now)))
        if not row:
            return None
        doc = json.loads(row[0])
        doc["digest"], doc["sid"] = row[1], row[2]
        return doc

    # payments
    async def claim_payment(self, key: str, identity: Dict[str, Any], owner: str, now: float,
                            network: str, payer: str) -> Tuple[bool, Optional[Dict[str, Any]]]:
        """Atomically claim the payment: ``(True, None)``, or ``(False, its row)``."""
        ident = json.dumps(identity, separators=(",", ":"), sort_keys=True)

        def steps():
            n = yield ("exec", "INSERT INTO payments (payment_key, identity, state, owner, network, payer, claimed_at, "
                               "updated_at) VALUES (?, ?, 'in_flight', ?, ?, ?, ?, ?) ON CONFLICT (payment_key) DO NOTHING",
                       (key, ident, owner, network, payer, now, now))
            if n == 1:
                return True, None
            n = yield ("exec", "UPDATE payments SET state = 'in_flight', owner = ?, attempts = attempts + 1, "
                               "claimed_at = ?, updated_at = ?, answer = NULL, note = '' "
                               "WHERE payment_key = ? AND state = 'failed'", (owner, now, now, key))
            if n == 1:
                return True, None
            return False, _payment_row((yield ("one", _PAYMENT_SELECT, (key,))))

        return await self._write(steps())

    async def finish_payment(self, key: str, owner: str, state: str, transaction: str, answer: Dict[str, Any],
                             note: str, now: float, payer: str = "") -> bool:
        """Record the upstream's outcome, if ``owner`` still holds the claim."""
        n = await self._write(_one_exec(
            "UPDATE payments SET state = ?, transaction_id = ?, answer = ?, note = ?, updated_at = ?, "
            "payer = CASE WHEN payer = '' THEN ? ELSE payer END "
            "WHERE payment_key = ? AND owner = ? AND state = 'in_flight'",
            (state, transaction, _text(answer), note, now, payer, key, owner)))
        return n == 1

    async def get_payment(self, key: str) -> Optional[Dict[str, Any]]:
        return _payment_row(await self._read(_one_row(_PAYMENT_SELECT, (key,))))

    async def expire_claim(self, key: str, now: float, lease: float) -> Optional[Dict[str, Any]]:
        """An in-flight claim older than ``lease`` becomes pending; returns the row."""
        def steps():
            yield ("exec", "UPDATE payments SET state = 'pending', note = 'interrupted: the settling process stopped "
                           "before the upstream answer was recorded', updated_at = ? WHERE payment_key = ? AND "
                           "state = 'in_flight' AND claimed_at < ?", (now, key, now - lease))
            return _payment_row((yield ("one", _PAYMENT_SELECT, (key,))))

        return await self._write(steps())

    async def resolve_payment(self, key: str, state: str, transaction: str, answer: Dict[str, Any], note: str,
                              now: float, from_states: Sequence[str] = ("pending",)) -> bool:
        marks = ", ".join("?" * len(from_states))
        n = await self._write(_one_exec(
            f"UPDATE payments SET state = ?, transaction_id = ?, answer = ?, note = ?, updated_at = ? "
            f"WHERE payment_key = ? AND state IN ({marks})",
            (state, transaction, _text(answer), note, now, key, *from_states)))
        return n == 1

    async def list_payments(self, state: Optional[str], limit: int) -> List[Dict[str, Any]]:
        sql = "SELECT " + ", ".join(_PAYMENT_COLS) + " FROM payments"
        args: List[Any] = []
        if state:
            sql += " WHERE state = ?"
            args.append(state)
        sql += " ORDER BY updated_at DESC LIMIT ?"
        args.append(limit)
        return [_payment_row(r) for r in await self._read(_all_rows(sql, args))]

    # payment identifiers
    async def idem_get(self, pid: str, now: float) -> Optional[Dict[str, Any]]:
        return _idem_row(await self._read(_one_row(
            "SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = ? AND expires > ?", (pid, now))))

    async def idem_put(self, pid: str, fingerprint: str, payment_key: str, now: float, expires: float) -> Dict[str, Any]:
        """Bind ``pid`` to ``fingerprint`` unless already bound; returns the binding."""
        def steps():
            yield ("exec", "DELETE FROM idempotency WHERE pid = ? AND expires <= ?", (pid, now))
            yield ("exec", "INSERT INTO idempotency (pid, fingerprint, payment_key, created, expires) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (pid) DO NOTHING",
                   (pid, fingerprint, payment_key, now, expires))
            return _idem_row((yield ("one", "SELECT fingerprint, payment_key, answer FROM idempotency WHERE pid = ?",
                                     (pid,))))

        return await self._write(steps())

    async def idem_answer(self, pid: str, answer: Dict[str, Any]) -> None:
        await self._write(_one_exec("UPDATE idempotency SET answer = ? WHERE pid = ?", (_text(answer), pid)))

    # api keys
    async def add_key(self, key_id: str, name: str, role: str, secret_hash: str, now: float) -> None:
        await self._write(_one_exec("INSERT INTO api_keys (key_id, name, role, secret_hash, created) "
                                    "VALUES (?, ?, ?, ?, ?)", (key_id, name, role, secret_hash, now)))

    async def get_key(self, key_id: str) -> Optional[Dict[str, Any]]:
        row = await self._read(_one_row("SELECT key_id, name, role, secret_hash, created, revoked FROM api_keys "
                                        "WHERE key_id = ?", (key_id,)))
        return dict(zip(("key_id", "name", "role", "secret_hash", "created", "revoked"), row)) if row else None

    async def list_keys(self) -> List[Dict[str, Any]]:
        rows = await self._read(_all_rows("SELECT key_id, name, role, created, revoked FROM api_keys ORDER BY created", ()))
        return [dict(zip(("key_id", "name", "role", "created", "revoked"), r)) for r in rows]

    async def revoke_key(self, key_id: str, now: float) -> bool:
        return await self._write(_one_exec("UPDATE api_keys SET revoked = ? WHERE key_id = ? AND revoked IS NULL",
                                           (now, key_id))) == 1

    async def count_keys(self) -> Dict[str, int]:
        rows = await self._read(_all_rows("SELECT role, COUNT(*) FROM api_keys WHERE revoked IS NULL GROUP BY role", ()))
        return {r[0]: r[1] for r in rows}

    # evidence
    async def append_evidence(self, items: List[Tuple[str, str, Dict[str, Any]]], now: float,
                              make: Callable[[Dict[str, Any], int, str], Tuple[str, str]],
                              attachments: Sequence[Tuple[str, str]] = (),
                              links: Sequence[Tuple[str, str]] = ()) -> List[Tuple[int, str]]:
        """Append records after the chain's head (locked for the transaction); ``make(fields,
        seq, prev_hash)`` gives each record's text and hash. ``attachments`` are ``(digest,
        text)`` pairs the records name (kept once); ``links`` ``(payment key, decision id)``
        pairs name the decision a payment's later records join (first one wins). Returns
        ``[(seq, hash)]``."""
        def steps():
            for key, decision_id in links:
                yield ("exec", "INSERT INTO payment_decisions (payment_key, decision_id, created) VALUES (?, ?, ?) "
                               "ON CONFLICT (payment_key) DO NOTHING", (key, decision_id, now))
            for digest, text in attachments:
                yield ("exec", "INSERT INTO evidence_attachments (digest, text, created) VALUES (?, ?, ?) "
                               "ON CONFLICT (digest) DO NOTHING", (digest, text, now))
            seq, prev = yield ("one", "SELECT seq, hash FROM evidence_head WHERE id = 1" + self._for_update, ())
            out = []
            for decision_id, kind, fields in items:
                seq += 1
                record, digest = make(fields, seq, prev)
                yield ("exec", "INSERT INTO evidence (seq, decision_id, kind, record, hash, prev_hash, created) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", (seq, decision_id, kind, record, digest, prev, now))
                out.append((seq, digest))
                prev = digest
            yield ("exec", "UPDATE evidence_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
            return out

        return await self._write(steps())

    _for_update = ""
    _EV = ("seq", "decision_id", "kind", "record", "hash", "prev_hash", "created")

    async def decision_seqs(self, decision_id: str) -> List[int]:
        rows = await self._read(_all_rows("SELECT seq FROM evidence WHERE decision_id = ? ORDER BY seq", (decision_id,)))
        return [r[0] for r in rows]

    async def decision_for_payment(self, key: str) -> Optional[str]:
        row = await self._read(_one_row("SELECT decision_id FROM payment_decisions WHERE payment_key = ?", (key,)))
        return row[0] if row else None

    async def get_attachment(self, digest: str) -> Optional[str]:
        row = await self._read(_one_row("SELECT text FROM evidence_attachments WHERE digest = ?", (digest,)))
        return row[0] if row else None

    async def evidence_range(self, start: int, end: int) -> List[Dict[str, Any]]:
        rows = await self._read(_all_rows("SELECT " + ", ".join(self._EV) + " FROM evidence WHERE seq >= ? AND "
                                          "seq <= ? ORDER BY seq", (start, end)))
        return [dict(zip(self._EV, r)) for r in rows]

    async def recent_evidence(self, limit: int) -> List[Dict[str, Any]]:
        rows = await self._read(_all_rows("SELECT " + ", ".join(self._EV) + " FROM evidence ORDER BY seq DESC LIMIT ?",
                                          (limit,)))
        return [dict(zip(self._EV, r)) for r in reversed(rows)]

    async def purge(self, now: float) -> int:
        """Delete expired sessions, traces and payment identifiers; returns how many."""
        def steps():
            n = 0
            for table in ("sessions", "traces", "idempotency"):
                n += yield ("exec", f"DELETE FROM {table} WHERE expires <= ?", (now,))
            return n

        return await self._write(steps())


def _text(doc: Any) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _one_exec(sql: str, args: Sequence[Any]):
    return (yield ("exec", sql, args))


def _one_row(sql: str, args: Sequence[Any]):
    return (yield ("one", sql, args))


def _all_rows(sql: str, args: Sequence[Any]):
    return (yield ("all", sql, args))


def _idem_row(row: Optional[Sequence[Any]]) -> Optional[Dict[str, Any]]:
    if row is None:
        return None
    return {"fingerprint": row[0], "payment_key": row[1], "answer": json.loads(row[2]) if row[2] else None}


def _drive_sync(conn: sqlite3.Connection, steps: Any) -> Any:
    """Run a steps generator on a sqlite3 connection."""
    value: Any = None
    try:
        while True:
            kind, sql, args = steps.send(value)
            cur = conn.execute(sql, args)
            value = cur.rowcount if kind == "exec" else cur.fetchone() if kind == "one" else cur.fetchall()
    except StopIteration as stop:
        return stop.value


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
        self._read_conn: Optional[sqlite3.Connection] = None
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
        self._read_conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, uri=self.uri,
                                     timeout=self.timeout)
        self._read_conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
        if self.uri:
            self._read_conn.execute("PRAGMA read_uncommitted=0")

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.q.put(None)
            await asyncio.get_running_loop().run_in_executor(None, self._writer.join, 30)
            self._writer = None
        for c in (self._read_conn, self._keeper):
            if c is not None:
                c.close()
        self._read_conn = self._keeper = None

    async def _write(self, steps: Any) -> Any:
        w = self._writer
        if w is None:
            raise StoreUnavailable("store closed")
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        w.q.put((lambda c: _drive_sync(c, steps), fut, loop))
        try:
            return await asyncio.wait_for(fut, self.timeout)
        except asyncio.TimeoutError:
            raise StoreUnavailable(f"sqlite write took longer than {self.timeout:g} s") from None

    async def _read(self, steps: Any) -> Any:
        if self._read_conn is None:
            raise StoreUnavailable("store closed")
        try:
            return _drive_sync(self._read_conn, steps)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite: {exc}") from None

    async def ping(self) -> None:
        await self._read(_one_row("SELECT 1", ()))
        await self._write(_one_row("SELECT 1", ()))


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

    _for_update = " FOR UPDATE"

    async def _steps(self, steps: Any, transaction: bool) -> Any:
        if self._pool is None:
            raise StoreUnavailable("store closed")
        psycopg = self._psycopg
        from psycopg_pool import PoolTimeout

        async def drive(conn: Any) -> Any:
            value: Any = None
            try:
                while True:
                    kind, sql, args = steps.send(value)
                    cur = await conn.execute(sql.replace("?", "%s"), args)
                    value = cur.rowcount if kind == "exec" else await cur.fetchone() if kind == "one" \
                        else await cur.fetchall()
            except StopIteration as stop:
                return stop.value

        async def body() -> Any:
            async with self._pool.connection() as conn:
                if transaction:
                    async with conn.transaction():
                        return await drive(conn)
                return await drive(conn)

        try:
            return await asyncio.wait_for(body(), self.timeout)
        except (asyncio.TimeoutError, PoolTimeout):
            raise StoreUnavailable(f"postgres did not answer within {self.timeout:g} s") from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"postgres: {type(exc).__name__}") from None

    async def _read(self, steps: Any) -> Any:
        return await self._steps(steps, transaction=False)

    async def _write(self, steps: Any) -> Any:
        return await self._steps(steps, transaction=True)

    async def ping(self) -> None:
        await self._read(_one_row("SELECT 1", ()))


def make_store(cfg: Any) -> Store:
    v = cfg.values
    if v["store"] == "postgres":
        return PostgresStore(v["postgres_dsn"], v["postgres_pool_size"], v["store_timeout"])
    if v["store"] == "memory":
        return SQLiteStore(":memory:", "OFF", v["store_timeout"])
    return SQLiteStore(v["sqlite_path"], v["sqlite_synchronous"], v["store_timeout"])
