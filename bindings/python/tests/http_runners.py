"""Runner for test-vectors/http_route.json (canonical routes, route keys and route-table
matching) through x402secure.http, hence through the C ABI; registered into
test_vectors.RUNNERS."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest

import x402secure as x
from x402secure import _native
from x402secure.http import RouteTable, canonical_route, route_key

from conftest import expand_text


def _check_keys(d: Dict[str, Any], allowed: set, what: str) -> None:
    unknown = set(d) - allowed
    assert not unknown, f"{what}: this runner does not know the keys {sorted(unknown)}; extend it"


def _expect_error(code: str, fn: Callable[[], Any]) -> None:
    with pytest.raises(x.X402SError) as info:
        fn()
    assert info.value.code == code, f"got {info.value.code} ({info.value.message}), expected {code}"
    assert info.value.status == _native.STATUS[code]
    if code.startswith("X402S_ERR_HTTP_"):
        assert isinstance(info.value, x.HTTPRequestError)


def run_http_route(v: Dict[str, Any]) -> None:
    inp, exp = v["input"], v["expect"]
    kind = inp["kind"]
    flags = inp["flags"]
    opts = {"case_sensitive": bool(flags & 1), "strict": bool(flags & 2)}
    if kind == "canonical":
        _check_keys(inp, {"kind", "method", "target", "flags"}, "canonical input")
        call = lambda: canonical_route(expand_text(inp["method"]), expand_text(inp["target"]), **opts)  # noqa: E731
    elif kind == "key":
        _check_keys(inp, {"kind", "key", "flags"}, "key input")
        call = lambda: route_key(expand_text(inp["key"]), **opts)  # noqa: E731
    elif kind == "match":
        _check_keys(inp, {"kind", "routes", "method", "target", "flags"}, "match input")
        call = lambda: RouteTable(inp["routes"], **opts).match(inp["method"], inp["target"])  # noqa: E731
    else:
        raise AssertionError(f"unknown kind {kind}")
    if flags & ~3:
        # unknown bits cannot be expressed through the keyword options: the raw call
        assert exp == {"error": "X402S_ERR_INVALID_ARGUMENT"}
        from x402secure._native_x402 import call_out
        lib = _native.lib
        if kind == "canonical":
            _expect_error(exp["error"], lambda: call_out(lib.x402s_http_route_canonical, 256, b"GET", 3, b"/", 1, flags))
        else:
            _expect_error(exp["error"], lambda: call_out(lib.x402s_http_route_key, 256, b"/a", 2, flags))
        return
    if "error" in exp:
        _expect_error(exp["error"], call)
        return
    got = call()
    if kind == "canonical":
        assert got.method == exp["method"]
        assert got.path == expand_text(exp["path"])
    elif kind == "key":
        assert (got.method, got.path, got.prefix, got.key) == (exp["method"], exp["path"], exp["prefix"], exp["key"])
    else:
        assert got.key == exp["key"]
        assert list(got.allow) == exp["allow"]
        if got.index is not None:
            assert RouteTable(inp["routes"], **opts).keys[got.index].key == got.key


HTTP_RUNNERS: Dict[str, Callable[[Dict[str, Any]], None]] = {"http_route": run_http_route}
