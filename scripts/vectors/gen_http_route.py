#!/usr/bin/env python3
"""Writes test-vectors/http_route.json: the canonical HTTP route rules (docs/ROUTES.md).

Every expectation below is written by hand from the rules, not computed by the core (a
vector computed by the code it tests proves nothing). Three kinds of vector:

- canonical: x402s_http_route_canonical(method, target, flags) -> {method, path} or an error;
- key:       x402s_http_route_key(key, flags) -> {method, path, prefix, key} or an error;
- match:     a route table of keys (the matching rule of docs/ROUTES.md, implemented by each
             binding and by HTTPRouteTable in Swift) -> the matched canonical key, or none,
             or the Allow list of a 405.

Usage: python3 scripts/vectors/gen_http_route.py  (rewrites the file; commit the result)
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-vectors" / "http_route.json"

CASE, STRICT = 1, 2
TARGET = "X402S_ERR_HTTP_INVALID_TARGET"
ENCODING = "X402S_ERR_HTTP_INVALID_ENCODING"
TRAVERSAL = "X402S_ERR_HTTP_PATH_TRAVERSAL"
METHOD = "X402S_ERR_HTTP_INVALID_METHOD"
KEY = "X402S_ERR_HTTP_INVALID_ROUTE_KEY"
ARG = "X402S_ERR_INVALID_ARGUMENT"
LARGE = "X402S_ERR_INPUT_TOO_LARGE"
MD = "/api/market-data"

# (name, method, target, flags, expected path | (error,) , expected method or None for the same)
CANONICAL = [
    # the bypasses of issue 14
    ("plain", "GET", MD, 0, MD, None),
    ("issue14_dot_segment", "GET", "/api/./market-data", 0, MD, None),
    ("issue14_absolute_form", "GET", "http://h/api/market-data", 0, MD, None),
    ("issue14_dot_dot", "GET", "/x/../api/market-data", 0, MD, None),
    ("issue14_backslash", "GET", "/api\\market-data", 0, (TARGET,), None),
    ("issue14_fragment", "GET", "/api/market-data#x", 0, MD, None),
    ("issue14_post", "POST", MD, 0, MD, "POST"),
    ("issue14_head_is_get", "HEAD", MD, 0, MD, "GET"),
    # percent-decoding
    ("pct_unreserved_upper_hex", "GET", "/api/%6Darket-data", 0, MD, None),
    ("pct_unreserved_lower_hex", "GET", "/api/%6darket-data", 0, MD, None),
    ("pct_whole_segment", "GET", "/%61%70%69/market-data", 0, MD, None),
    ("pct_dot_dot_lower", "GET", "/x/%2e%2e/api/market-data", 0, MD, None),
    ("pct_dot_dot_upper", "GET", "/x/%2E%2E/api/market-data", 0, MD, None),
    ("pct_dot_dot_mixed", "GET", "/x/.%2e/api/market-data", 0, MD, None),
    ("pct_single_dot", "GET", "/api/%2e/market-data", 0, MD, None),
    ("pct_slash_upper", "GET", "/api%2Fmarket-data", 0, (ENCODING,), None),
    ("pct_slash_lower", "GET", "/api%2fmarket-data", 0, (ENCODING,), None),
    ("pct_dot_dot_slash", "GET", "/x/%2e%2e%2fapi/market-data", 0, (ENCODING,), None),
    ("pct_backslash", "GET", "/api%5Cmarket-data", 0, (ENCODING,), None),
    ("pct_nul", "GET", "/api/market-data%00", 0, (ENCODING,), None),
    ("pct_newline", "GET", "/api/market-data%0A", 0, (ENCODING,), None),
    ("pct_del", "GET", "/api/market-data%7F", 0, (ENCODING,), None),
    ("pct_question_mark", "GET", "/api/market-data%3Fx", 0, (ENCODING,), None),
    ("pct_hash", "GET", "/api/market-data%23x", 0, (ENCODING,), None),
    ("pct_double_encoded_dots", "GET", "/x/%252e%252e/api/market-data", 0, (ENCODING,), None),
    ("pct_double_encoded_m", "GET", "/api/%256Darket-data", 0, (ENCODING,), None),
    ("pct_percent_alone", "GET", "/api/%25", 0, "/api/%", None),
    ("pct_percent_not_escape", "GET", "/discount/50%25off", 0, "/discount/50%off", None),
    ("pct_short_escape", "GET", "/a%2", 0, (ENCODING,), None),
    ("pct_bad_hex", "GET", "/a%zz", 0, (ENCODING,), None),
    ("pct_trailing_percent", "GET", "/a%", 0, (ENCODING,), None),
    ("pct_overlong_dots", "GET", "/x/%C0%AE%C0%AE/api/market-data", 0, (ENCODING,), None),
    ("pct_invalid_utf8_byte", "GET", "/%FF", 0, (ENCODING,), None),
    ("pct_truncated_utf8", "GET", "/caf%C3", 0, (ENCODING,), None),
    ("pct_utf8", "GET", "/caf%C3%A9", 0, "/caf\u00e9", None),
    ("pct_utf8_upper_folded", "GET", "/CAF%C3%89", 0, "/caf\u00e9", None),
    ("pct_utf8_upper_case_sensitive", "GET", "/CAF%C3%89", CASE, "/CAF\u00c9", None),
    ("pct_utf8_euro", "GET", "/%E2%82%AC", 0, "/\u20ac", None),
    ("pct_space", "GET", "/a%20b", 0, "/a b", None),
    ("pct_space_segment_end", "GET", "/a%20/b", 0, "/a /b", None),
    ("pct_space_at_end", "GET", "/api/market-data%20", 0, (ENCODING,), None),
    ("pct_nbsp_at_end", "GET", "/api/market-data%C2%A0", 0, (ENCODING,), None),
    ("pct_ideographic_space_at_end", "GET", "/a%E3%80%80?q", 0, (ENCODING,), None),
    ("pct_space_at_end_after_dots", "GET", "/api/market-data%20/x/..", 0, (ENCODING,), None),
    ("pct_space_at_end_strict", "GET", "/a%20/", STRICT, "/a /", None),
    # dot segments
    ("dots_root_parent", "GET", "/..", 0, (TRAVERSAL,), None),
    ("dots_above_root", "GET", "/../api/market-data", 0, (TRAVERSAL,), None),
    ("dots_above_root_later", "GET", "/api/../../x", 0, (TRAVERSAL,), None),
    ("dots_after_empty_segment", "GET", "/a//../b", 0, (TRAVERSAL,), None),
    ("dots_after_dot_and_empty", "GET", "/a/.//../b", 0, (TRAVERSAL,), None),
    ("dots_parent_last", "GET", "/a/b/..", 0, "/a", None),
    ("dots_parent_last_strict", "GET", "/a/b/..", STRICT, "/a/", None),
    ("dots_self_last", "GET", "/a/.", 0, "/a", None),
    ("dots_self_last_strict", "GET", "/a/.", STRICT, "/a/", None),
    ("dots_root_self", "GET", "/.", 0, "/", None),
    ("dots_root_self_slash", "GET", "/./", 0, "/", None),
    ("dots_three", "GET", "/...", 0, "/...", None),
    ("dots_prefix_name", "GET", "/a/..b", 0, "/a/..b", None),
    ("dots_hidden_name", "GET", "/a/.b", 0, "/a/.b", None),
    ("dots_climb_and_return", "GET", "/api/x/y/../../market-data", 0, MD, None),
    # slashes
    ("slash_double_inside", "GET", "/api//market-data", 0, MD, None),
    ("slash_many_inside", "GET", "/a///b", 0, "/a/b", None),
    ("slash_trailing", "GET", "/api/market-data/", 0, MD, None),
    ("slash_trailing_strict", "GET", "/api/market-data/", STRICT, "/api/market-data/", None),
    ("slash_trailing_double", "GET", "/api/market-data//", 0, MD, None),
    ("slash_trailing_double_strict", "GET", "/api/market-data//", STRICT, "/api/market-data/", None),
    ("slash_leading_double", "GET", "//api/market-data", 0, (TARGET,), None),
    ("slash_leading_double_authority", "GET", "//evil.example/api/market-data", 0, (TARGET,), None),
    ("slash_root", "GET", "/", 0, "/", None),
    ("slash_root_strict", "GET", "/", STRICT, "/", None),
    # case
    ("case_folded", "GET", "/API/Market-Data", 0, MD, None),
    ("case_sensitive", "GET", "/API/Market-Data", CASE, "/API/Market-Data", None),
    ("case_and_slash_options", "GET", "/API/Market-Data/", CASE | STRICT, "/API/Market-Data/", None),
    # query and fragment
    ("query_dropped", "GET", "/api/market-data?symbol=BTC/USD", 0, MD, None),
    ("query_and_fragment", "GET", "/api/market-data?a#b", 0, MD, None),
    ("query_holds_dots", "GET", "/api/market-data?/../../x", 0, MD, None),
    ("fragment_holds_path", "GET", "/x#/../api/market-data", 0, "/x", None),
    ("query_only_root", "GET", "/?", 0, "/", None),
    # request-target forms
    ("empty_target", "GET", "", 0, (TARGET,), None),
    ("asterisk_form", "OPTIONS", "*", 0, (TARGET,), None),
    ("asterisk_form_get", "GET", "*", 0, (TARGET,), None),
    ("authority_form", "CONNECT", "h:443", 0, (TARGET,), None),
    ("relative_path", "GET", "api/market-data", 0, (TARGET,), None),
    ("scheme_without_slashes", "GET", "foo:/api/market-data", 0, (TARGET,), None),
    ("scheme_one_slash", "GET", "http:/api/market-data", 0, (TARGET,), None),
    ("absolute_empty_authority", "GET", "http:///api/market-data", 0, (TARGET,), None),
    ("absolute_upper_scheme", "GET", "HTTP://H/API", 0, "/api", None),
    ("absolute_other_scheme", "GET", "ftp://h/api/market-data", 0, MD, None),
    ("absolute_userinfo_port", "GET", "http://u@h:8080/api/market-data", 0, MD, None),
    ("absolute_ipv6", "GET", "http://[::1]:80/api/market-data", 0, MD, None),
    ("absolute_no_path", "GET", "http://h", 0, "/", None),
    ("absolute_query_no_path", "GET", "http://h?x", 0, "/", None),
    ("absolute_fragment_no_path", "GET", "http://h#/api/market-data", 0, "/", None),
    ("absolute_dots", "GET", "http://h/x/../api/./market-data", 0, MD, None),
    ("absolute_double_slash_path", "GET", "http://h//api/market-data", 0, (TARGET,), None),
    ("absolute_bad_authority", "GET", "http://h{x}/api/market-data", 0, (TARGET,), None),
    ("absolute_backslash_authority", "GET", "http://h\\api/market-data", 0, (TARGET,), None),
    ("absolute_percent_authority", "GET", "http://h%2F%61pi/market-data", 0, (TARGET,), None),
    ("absolute_semicolon_authority", "GET", "http://h;/api/market-data", 0, (TARGET,), None),
    ("absolute_quote_authority", "GET", "http://h'/api/market-data", 0, (TARGET,), None),
    ("absolute_sub_delims_authority", "GET", "http://a!$&()*+,=b:1/api/market-data", 0, MD, None),
    # raw characters
    ("raw_space", "GET", "/a b", 0, (TARGET,), None),
    ("raw_tab", "GET", "/a\tb", 0, (TARGET,), None),
    ("raw_nul", "GET", "/a\u0000b", 0, (TARGET,), None),
    ("raw_del", "GET", "/a\u007fb", 0, (TARGET,), None),
    ("raw_non_ascii", "GET", "/caf\u00e9", 0, (TARGET,), None),
    ("raw_backslash_in_query", "GET", "/a?b\\c", 0, (TARGET,), None),
    ("raw_quote_and_braces", "GET", "/a\"b{c}", 0, "/a\"b{c}", None),
    ("raw_sub_delims", "GET", "/a;b=c,d!e$f&g'h(i)j*k+l", 0, "/a;b=c,d!e$f&g'h(i)j*k+l", None),
    # methods
    ("method_lower", "get", MD, 0, MD, "GET"),
    ("method_head_lower", "head", MD, 0, MD, "GET"),
    ("method_options", "OPTIONS", MD, 0, MD, "OPTIONS"),
    ("method_extension", "M-SEARCH", "/", 0, "/", "M-SEARCH"),
    ("method_empty", "", MD, 0, (METHOD,), None),
    ("method_space", "G T", MD, 0, (METHOD,), None),
    ("method_crlf", "GET\r\n", MD, 0, (METHOD,), None),
    ("method_separator", "GET/1", MD, 0, (METHOD,), None),
    ("method_non_ascii", "G\u00c9T", MD, 0, (METHOD,), None),
    ("method_64_bytes", "A" * 64, "/", 0, "/", "A" * 64),
    ("method_65_bytes", "A" * 65, "/", 0, (METHOD,), None),
    # flags
    ("flags_unknown_bit", "GET", MD, 4, (ARG,), None),
]

# (name, key, flags, expected (method, path, prefix, key) | (error,))
KEYS = [
    ("exact", "GET /api/market-data", 0, ("GET", MD, False, "GET /api/market-data")),
    ("any_method", "/api/market-data", 0, (None, MD, False, MD)),
    ("prefix", "GET /api/*", 0, ("GET", "/api", True, "GET /api/*")),
    ("prefix_any_method", "/api/*", 0, (None, "/api", True, "/api/*")),
    ("prefix_root", "/*", 0, (None, "/", True, "/*")),
    ("prefix_root_get", "GET /*", 0, ("GET", "/", True, "GET /*")),
    ("prefix_strict", "/api/*", STRICT, (None, "/api", True, "/api/*")),
    ("root", "GET /", 0, ("GET", "/", False, "GET /")),
    ("canonical_case_slash", "POST /API/Data/", 0, ("POST", "/api/data", False, "POST /api/data")),
    ("canonical_case_slash_kept", "POST /API/Data/", CASE | STRICT, ("POST", "/API/Data/", False, "POST /API/Data/")),
    ("method_lower", "get /a", 0, ("GET", "/a", False, "GET /a")),
    ("dots_resolved", "GET /a/../b", 0, ("GET", "/b", False, "GET /b")),
    ("pct_decoded", "GET /caf%C3%A9", 0, ("GET", "/caf\u00e9", False, "GET /caf\u00e9")),
    ("colon_inside_segment", "GET /v1/items:batchGet", 0, ("GET", "/v1/items:batchget", False, "GET /v1/items:batchget")),
    ("head_refused", "HEAD /a", 0, (KEY,)),
    ("param_refused", "GET /users/:id", 0, (KEY,)),
    ("param_refused_any_method", "/:tenant/data", 0, (KEY,)),
    ("star_inside", "/a/*/b", 0, (KEY,)),
    ("star_in_name", "/a*", 0, (KEY,)),
    ("star_suffix_no_slash", "/api*", 0, (KEY,)),
    ("parentheses", "/(a)", 0, (KEY,)),
    ("plus", "/a+", 0, (KEY,)),
    ("query", "GET /a?x", 0, (KEY,)),
    ("fragment", "GET /a#x", 0, (KEY,)),
    ("two_spaces", "GET  /a", 0, (KEY,)),
    ("leading_space", " /a", 0, (KEY,)),
    ("method_only", "GET", 0, (KEY,)),
    ("empty", "", 0, (KEY,)),
    ("no_slash", "api", 0, (KEY,)),
    ("absolute_url", "GET http://h/a", 0, (KEY,)),
    ("bad_method", "G@T /a", 0, (KEY,)),
    ("traversal", "GET /../a", 0, (KEY,)),
    ("encoded_slash", "GET /a%2Fb", 0, (KEY,)),
    ("backslash", "GET /a\\b", 0, (KEY,)),
    ("double_slash_start", "GET //a", 0, (KEY,)),
    ("flags_unknown_bit", "GET /a", 8, (ARG,)),
]

ROUTES = ["GET /api/market-data", "POST /api/orders", "/files/*", "GET /files/special", "GET /v1/*", "GET /v1/x/*",
          "/any"]

# (name, routes, method, target, flags, expected key | None | ("405", [allow]) | (error,))
MATCHES = [
    ("exact", ROUTES, "GET", MD, 0, "GET /api/market-data"),
    ("exact_via_dots", ROUTES, "GET", "/x/../API/./Market-Data/", 0, "GET /api/market-data"),
    ("head_as_get", ROUTES, "HEAD", MD, 0, "GET /api/market-data"),
    ("other_method_405", ROUTES, "POST", MD, 0, ("405", ["GET", "HEAD"])),
    ("options_405", ROUTES, "OPTIONS", "/api/market-data?x", 0, ("405", ["GET", "HEAD"])),
    ("post_only_405_for_get", ROUTES, "GET", "/api/orders", 0, ("405", ["POST"])),
    ("post_only", ROUTES, "POST", "/api/orders/", 0, "POST /api/orders"),
    ("not_priced", ROUTES, "GET", "/api/other", 0, None),
    ("not_priced_parent", ROUTES, "GET", "/api", 0, None),
    ("not_priced_root", ROUTES, "GET", "/", 0, None),
    ("prefix_root_of_subtree", ROUTES, "GET", "/files", 0, "/files/*"),
    ("prefix_under", ROUTES, "DELETE", "/files/a/b.txt", 0, "/files/*"),
    ("prefix_not_sibling", ROUTES, "GET", "/filesystem", 0, None),
    ("exact_before_prefix", ROUTES, "GET", "/files/special", 0, "GET /files/special"),
    ("prefix_when_exact_is_other_method", ROUTES, "PUT", "/files/special", 0, "/files/*"),
    ("longer_prefix_first", ROUTES, "GET", "/v1/x/y", 0, "GET /v1/x/*"),
    ("shorter_prefix", ROUTES, "GET", "/v1/y", 0, "GET /v1/*"),
    ("prefix_other_method_405", ROUTES, "POST", "/v1/x/y", 0, ("405", ["GET", "HEAD"])),
    ("any_method_exact", ROUTES, "PATCH", "/ANY", 0, "/any"),
    ("case_sensitive_miss", ROUTES, "GET", "/API/market-data", CASE, None),
    ("strict_slash_miss", ROUTES, "GET", "/api/market-data/", STRICT, None),
    ("method_specific_before_any", ["/a", "GET /a"], "GET", "/a", 0, "GET /a"),
    ("method_specific_before_any_prefix", ["/a/*", "GET /a/*"], "GET", "/a/b", 0, "GET /a/*"),
    ("any_method_when_specific_differs", ["/a", "POST /a"], "GET", "/a", 0, "/a"),
    ("root_prefix_everything", ["/*"], "GET", "/anything/at/all", 0, "/*"),
    ("refused_target", ROUTES, "GET", "/api%2Fmarket-data", 0, (ENCODING,)),
    ("refused_traversal", ROUTES, "GET", "/../api/market-data", 0, (TRAVERSAL,)),
    ("duplicate_keys", ["GET /a", "GET /A/"], "GET", "/a", 0, (KEY,)),
    ("duplicate_prefix_keys", ["/a/*", "/a/./*"], "GET", "/a", 0, (KEY,)),
    ("same_path_exact_and_prefix", ["GET /a", "GET /a/*"], "GET", "/a", 0, "GET /a"),
    ("bad_key", ["GET /users/:id"], "GET", "/users/1", 0, (KEY,)),
]


def canonical_vectors():
    out = []
    for name, method, target, flags, want, want_method in CANONICAL:
        inp = {"method": method, "target": target, "flags": flags}
        exp = {"error": want[0]} if isinstance(want, tuple) else {"method": want_method or method, "path": want}
        out.append({"name": f"canonical_{name}", "input": {"kind": "canonical", **inp}, "expect": exp})
    big = {"pattern": "/a", "repeat": 8192}  # 16384 bytes: the limit
    out.append({"name": "canonical_target_at_limit", "input": {"kind": "canonical", "method": "GET", "target": big, "flags": 0},
                "expect": {"method": "GET", "path": big}})
    out.append({"name": "canonical_target_over_limit", "input": {"kind": "canonical", "method": "GET",
                "target": {"pattern": "/a", "repeat": 8193}, "flags": 0}, "expect": {"error": LARGE}})
    return out


def key_vectors():
    out = []
    for name, key, flags, want in KEYS:
        if len(want) == 1:
            exp = {"error": want[0]}
        else:
            exp = {"method": want[0], "path": want[1], "prefix": want[2], "key": want[3]}
        out.append({"name": f"key_{name}", "input": {"kind": "key", "key": key, "flags": flags}, "expect": exp})
    return out


def match_vectors():
    out = []
    for name, routes, method, target, flags, want in MATCHES:
        inp = {"kind": "match", "routes": routes, "method": method, "target": target, "flags": flags}
        if isinstance(want, tuple) and want[0] == "405":
            exp = {"key": None, "allow": want[1]}
        elif isinstance(want, tuple):
            exp = {"error": want[0]}
        else:
            exp = {"key": want, "allow": []}
        out.append({"name": f"match_{name}", "input": inp, "expect": exp})
    return out


def main():
    doc = {
        "schema": "x402s.vectors.http_route@1",
        "source": "hand-written from the canonical route rules of docs/ROUTES.md and include/x402_secure.h "
                  "(section HTTP routes) by scripts/vectors/gen_http_route.py; kind canonical -> "
                  "x402s_http_route_canonical, key -> x402s_http_route_key, match -> the route-table rule "
                  "(Swift HTTPRouteTable, Python x402secure.http.RouteTable, Node RouteTable). flags: 1 case "
                  "sensitive, 2 strict trailing slash. Text given as {pattern, repeat} is the pattern repeated.",
        "vectors": canonical_vectors() + key_vectors() + match_vectors(),
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(doc['vectors'])} vectors)")


if __name__ == "__main__":
    main()
