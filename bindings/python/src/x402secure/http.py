"""Canonical HTTP routes for sellers: the (method, path) a price is looked up with.

Every seller front door prices requests on the canonical form computed by the core
(``x402s_http_route_canonical``), so any spelling of a URL that a router could send to a
priced handler is priced, and a request that cannot be read one way only is refused
(answer 400). The rules are in ``docs/ROUTES.md``; in short: origin-form or absolute-form
targets, query and fragment dropped, percent-decoding (encoded ``/``, ``\\``, ``?``,
``#``, control characters, double encoding and invalid UTF-8 refused), dot segments
resolved (refused above the root), duplicate slashes merged, ``HEAD`` priced as ``GET``;
by default (as Express) case-insensitive and without a significant trailing slash.

::

    from x402secure.http import RouteTable
    table = RouteTable(["GET /api/market-data", "/files/*"])
    m = table.match(request.method, raw_target)        # X402SError (HTTPRequestError): answer 400
    if m.key is not None: ...                          # priced: m.key, m.route.path
    elif m.allow: ...                                  # priced for other methods only: 405 + Allow
    else: ...                                          # not priced

Errors: :class:`~x402secure.errors.HTTPRequestError` (``X402S_ERR_HTTP_*``) for a refused
request or route key, :class:`~x402secure.errors.InvalidArgumentError` for oversize or
non-UTF-8 input.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, List, NamedTuple, Optional, Tuple

from . import _native as N
from ._native import lib
from ._native_x402 import call_out

__all__ = ["Route", "RouteKey", "RouteMatch", "RouteTable", "canonical_route", "route_key", "MAX_TARGET_BYTES"]

#: The longest request-target (and route key) accepted, in bytes (X402S_HTTP_MAX_TARGET_BYTES).
MAX_TARGET_BYTES = 16384
#: X402S_HTTP_ROUTE_CASE_SENSITIVE, X402S_HTTP_ROUTE_STRICT_SLASH
ROUTE_CASE_SENSITIVE = 1
ROUTE_STRICT_SLASH = 2


class Route(NamedTuple):
    """A canonical route: ``method`` upper-case (``HEAD`` as ``GET``), ``path`` decoded."""

    method: str
    path: str


class RouteKey(NamedTuple):
    """A canonical route key: ``method`` (None: every method), ``path``, ``prefix`` (the key
    covers the subtree under ``path``) and ``key``, the canonical key text."""

    method: Optional[str]
    path: str
    prefix: bool
    key: str

    def covers(self, path: str) -> bool:
        """Whether this key's path covers a canonical path (method not considered)."""
        if path == self.path:
            return True
        if not self.prefix:
            return False
        return self.path == "/" or path.startswith(self.path + "/")


class RouteMatch(NamedTuple):
    """The outcome of :meth:`RouteTable.match`: the request's canonical ``route``; the
    matching key's canonical text and position (``key``, ``index``; None when nothing
    matched); ``allow``: when nothing matched but keys of other methods cover the path,
    the methods to list in ``Allow`` with a 405 (sorted, ``HEAD`` with ``GET``)."""

    route: Route
    key: Optional[str]
    index: Optional[int]
    allow: Tuple[str, ...]


def _flags(case_sensitive: bool, strict: bool) -> int:
    return (ROUTE_CASE_SENSITIVE if case_sensitive else 0) | (ROUTE_STRICT_SLASH if strict else 0)


def canonical_route(method: Any, target: Any, *, case_sensitive: bool = False, strict: bool = False) -> Route:
    """The canonical route of a request: its method and raw request-target (as received,
    e.g. ASGI ``raw_path`` plus ``?`` and ``query_string``, or WSGI ``REQUEST_URI``).

    ``case_sensitive`` / ``strict`` mirror the framework's router options (default: as
    Express, case-insensitive and a trailing slash not significant).
    """
    op = "x402s_http_route_canonical"
    m = N.as_text(method, op, "method")
    t = N.as_text(target, op, "target")
    _, out = call_out(lib.x402s_http_route_canonical, 256 + 2 * len(t), m, len(m), t, len(t),
                      _flags(case_sensitive, strict))
    doc = json.loads(out)
    return Route(doc["method"], doc["path"])


def route_key(key: Any, *, case_sensitive: bool = False, strict: bool = False) -> RouteKey:
    """A seller's route key (``"GET /path"``, ``"/path"``, a final ``/*`` for a subtree),
    canonicalised with the options of the requests it will be matched against."""
    op = "x402s_http_route_key"
    k = N.as_text(key, op, "key")
    _, out = call_out(lib.x402s_http_route_key, 256 + 2 * len(k), k, len(k), _flags(case_sensitive, strict))
    doc = json.loads(out)
    return RouteKey(doc["method"], doc["path"], doc["prefix"], doc["key"])


class RouteTable:
    """A seller's priced route keys, matched on canonical routes (docs/ROUTES.md):

    1. keys covering the request's path with its method or no method are candidates: an
       exact key before any prefix, a longer prefix before a shorter, and at the same path
       a key naming the method before a method-less one;
    2. no candidate but keys of other methods cover the path: ``allow`` lists them (answer
       405; a handler that ignores the method must never serve a priced path free);
    3. otherwise the request is not priced.

    Keys are checked at creation: a malformed key, or two keys that are the same route once
    canonical, raise :class:`~x402secure.errors.HTTPRequestError`.
    """

    def __init__(self, keys: Iterable[Any], *, case_sensitive: bool = False, strict: bool = False) -> None:
        self.case_sensitive = bool(case_sensitive)
        self.strict = bool(strict)
        parsed: List[RouteKey] = []
        seen = set()
        for k in keys:
            rk = route_key(k, case_sensitive=self.case_sensitive, strict=self.strict)
            if rk.key in seen:
                raise N.arg_error(N.STATUS["X402S_ERR_HTTP_INVALID_ROUTE_KEY"], "x402s_http_route_key",
                                  "two route keys are the same route once canonical")
            seen.add(rk.key)
            parsed.append(rk)
        self.keys: Tuple[RouteKey, ...] = tuple(parsed)

    def match(self, method: Any, target: Any) -> RouteMatch:
        """Canonicalise a request and look it up (refusals raise ``HTTPRequestError``)."""
        return self.match_route(canonical_route(method, target, case_sensitive=self.case_sensitive,
                                                strict=self.strict))

    def match_route(self, route: Route) -> RouteMatch:
        """Look a canonical route up."""
        best: Optional[int] = None
        others = set()
        for i, k in enumerate(self.keys):
            if not k.covers(route.path):
                continue
            if k.method is not None and k.method != route.method:
                others.add(k.method)
                continue
            if best is None or _precedes(k, self.keys[best]):
                best = i
        if best is not None:
            return RouteMatch(route, self.keys[best].key, best, ())
        if "GET" in others:
            others.add("HEAD")
        return RouteMatch(route, None, None, tuple(sorted(others)))


def _precedes(a: RouteKey, b: RouteKey) -> bool:
    if a.prefix != b.prefix:
        return not a.prefix
    la, lb = len(a.path.encode("utf-8")), len(b.path.encode("utf-8"))
    if la != lb:
        return la > lb
    return a.method is not None and b.method is None
