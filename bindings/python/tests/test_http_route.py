"""x402secure.http: bad input through the binding (None, wrong types, invalid UTF-8,
oversize input, bad keys), each with a specific exception class and code; a seller's
route table refuses bad keys at creation."""

from __future__ import annotations

import pytest

import x402secure as x
from x402secure.http import MAX_TARGET_BYTES, Route, RouteTable, canonical_route, route_key


def code(info) -> str:
    return info.value.code


@pytest.mark.parametrize("fn", [
    lambda v: canonical_route(v, "/a"),
    lambda v: canonical_route("GET", v),
    lambda v: route_key(v),
])
def test_wrong_types(fn):
    with pytest.raises(x.ArgumentTypeError) as info:
        fn(None)
    assert code(info) == "X402S_ERR_NULL_ARGUMENT"
    for bad in (1, 1.5, ["/a"], {"a": 1}, object()):
        with pytest.raises(x.ArgumentTypeError) as info:
            fn(bad)
        assert code(info) == "X402S_ERR_INVALID_ARGUMENT"


def test_invalid_utf8():
    for call in (lambda v: canonical_route("GET", v), lambda v: canonical_route(v, "/"), lambda v: route_key(v)):
        with pytest.raises(x.InvalidArgumentError) as info:
            call(b"/\xc3\x28")
        assert code(info) == "X402S_ERR_INVALID_UTF8"
        with pytest.raises(x.InvalidArgumentError) as info:
            call("/\ud800")  # a lone surrogate cannot be encoded
        assert code(info) == "X402S_ERR_INVALID_UTF8"


def test_bytes_and_str_agree():
    assert canonical_route(b"GET", b"/A/./b/") == canonical_route("GET", "/A/./b/") == Route("GET", "/a/b")
    assert canonical_route(bytearray(b"head"), memoryview(b"http://h/x")) == Route("GET", "/x")


def test_oversize_and_limits():
    at_limit = "/" + "a" * (MAX_TARGET_BYTES - 1)
    assert canonical_route("GET", at_limit).path == at_limit
    with pytest.raises(x.InvalidArgumentError) as info:
        canonical_route("GET", at_limit + "a")
    assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"
    with pytest.raises(x.InvalidArgumentError) as info:
        canonical_route("GET", "/" * (10 << 20))
    assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"
    with pytest.raises(x.HTTPRequestError) as info:
        canonical_route("A" * (1 << 20), "/")
    assert code(info) == "X402S_ERR_HTTP_INVALID_METHOD"
    with pytest.raises(x.InvalidArgumentError) as info:
        route_key("/" * (MAX_TARGET_BYTES + 1))
    assert code(info) == "X402S_ERR_INPUT_TOO_LARGE"


def test_output_larger_than_input_is_sized():
    # quotes double in the JSON output and a capital dotted I grows when lower-cased
    target = "/" + "%22" * 1500 + "%C4%B0" * 1500
    r = canonical_route("GET", target)
    assert r.path == "/" + '"' * 1500 + "i\u0307" * 1500


def test_refusals_are_http_request_errors_with_specific_codes():
    cases = {
        "/api\\market-data": "X402S_ERR_HTTP_INVALID_TARGET",
        "*": "X402S_ERR_HTTP_INVALID_TARGET",
        "/a%2Fb": "X402S_ERR_HTTP_INVALID_ENCODING",
        "/a/%2e%2e/..": "X402S_ERR_HTTP_PATH_TRAVERSAL",
    }
    for target, want in cases.items():
        with pytest.raises(x.HTTPRequestError) as info:
            canonical_route("GET", target)
        assert code(info) == want
        assert isinstance(info.value, ValueError)
        assert info.value.operation == "x402s_http_route_canonical"
        assert "market-data" not in info.value.message  # the input is never echoed


def test_table_checks_keys_at_creation():
    for keys in (["GET /users/:id"], ["HEAD /a"], ["/a", "/A/"], ["GET /a?x"], [None]):
        with pytest.raises((x.HTTPRequestError, x.ArgumentTypeError)):
            RouteTable(keys)
    t = RouteTable(["GET /api/market-data", "/files/*"], case_sensitive=True, strict=True)
    assert t.match("GET", "/API/market-data").key is None
    assert t.match("GET", "/api/market-data/").key is None
    assert t.match("HEAD", "/api/market-data").key == "GET /api/market-data"
    assert t.match("PUT", "/files/").key == "/files/*"
