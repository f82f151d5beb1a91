#!/usr/bin/env python3
"""Generate test-vectors/json.json (run with /tmp/probe-venv/bin/python).

Expected serializations come from the reference implementations, never by hand:
  compact      = pydantic_core: pydantic.TypeAdapter(Any).dump_json(value)
  pythonSpaced = json.dumps(value)
  canonical    = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
For the "number text" vectors (exponents etc.) Python would re-format floats, so the expected
output is the input text with insignificant whitespace removed (numbers are kept verbatim).
Error cases name the status the core must return.
"""
import json, pathlib, sys
from typing import Any
import pydantic, pydantic_core

TA = pydantic.TypeAdapter(Any)
OUT = pathlib.Path(__file__).resolve().parents[1] / "test-vectors" / "json.json"
vectors = []


def ref_outputs(text):
    v = json.loads(text)
    compact = TA.dump_json(v).decode("utf-8")
    # sanity: pydantic and json.dumps(ensure_ascii=False, compact) must agree for our value set
    alt = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
    assert compact == alt, (text, compact, alt)
    return {
        "compact": compact,
        "pythonSpaced": json.dumps(v),
        "canonical": json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
    }


def ok(name, text):
    vectors.append({"name": name, "input": {"json": text}, "expect": ref_outputs(text)})


def ok_numbers(name, text):
    # structure only (no strings): expected = text without whitespace
    compact = "".join(text.split())
    json.loads(text)  # must be valid JSON
    vectors.append({"name": name, "input": {"json": text},
                    "expect": {"compact": compact, "canonical": compact}})


def err(name, text=None, hexbytes=None, error="X402S_ERR_INVALID_JSON", **limits):
    inp = {"json": text} if text is not None else {"hex": "0x" + hexbytes.hex()}
    inp.update(limits)
    vectors.append({"name": name, "input": inp, "expect": {"error": error}})


ctrl = "".join(chr(i) for i in range(0x20))
s_all = ctrl + " \"\\/\x7f\u0080\u00e9\u2028\u2029\ufeff\uffff\U0001F600\U0010FFFF"
ok("escapes_all_control_and_specials", json.dumps({"s": s_all}))
ok("escaped_input_forms", r'{"a":"\u00e9\/\u0041\ud83d\ude00\b\f\n\r\t\"\\","\u00e9":"\u2028"}')
ok("raw_utf8_input", '{"name":"USD₮0 Ünïcödé 😀","k":"\u007f"}')
ok("nested_mixed", ' { "z" : [ 1 , -2 , 0 , true , false , null , { } , [ ] ] , "a" : { "y" : "1" , "b" : [ { "d" : 1 , "c" : 2 } ] } } ')
ok("key_order_code_points", json.dumps({"b": 1, "a": 2, "é": 3, "Z": 4, "aa": 5, "": 6, "\uff61": 7, "😀": 8, "A": 9, "a\u0000": 10}, ensure_ascii=False))
ok("canonical_equivalent_keys_are_distinct", '{"\\u00e9":1,"e\\u0301":2}')
ok("big_integers", '{"max":115792089237316195423570985008687907853269984665640564039457584007913129639935,"neg":-57896044618658097711785492504343953926634992332820282019728792003956564819968,"zero":0}')
ok("simple_decimals", '[0.5,-1.5,123.25,0.001]')
ok("top_level_integer", ' 42 ')
ok("top_level_string", '"x"')
ok("top_level_true", 'true')
ok("top_level_false", "\t\r\nfalse\n")
ok("top_level_null", 'null')
ok("empty_object", '{}')
ok("empty_array", '[ ]')
ok("empty_string_key_and_value", '{"":""}')
ok("eip3009_typed_data", json.dumps({
    "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                               {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
              "TransferWithAuthorization": [{"name": "from", "type": "address"}, {"name": "to", "type": "address"},
                                            {"name": "value", "type": "uint256"}, {"name": "validAfter", "type": "uint256"},
                                            {"name": "validBefore", "type": "uint256"}, {"name": "nonce", "type": "bytes32"}]},
    "primaryType": "TransferWithAuthorization",
    "domain": {"name": "USD Coin", "version": "2", "chainId": 8453, "verifyingContract": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"},
    "message": {"from": "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", "to": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
                "value": "10000", "validAfter": "0", "validBefore": "1740672060",
                "nonce": "0x0000000000000000000000000000000000000000000000000000000000000001"}}))
ok("depth_64_ok", "[" * 64 + "]" * 64)
ok_numbers("number_text_kept_verbatim", '[1E+2, 1e-7, -0, -0.0, 2.50, 1.0, 0e0, 12345678901234567890123.5e-10]')

# errors
for name, t in [
    ("trailing_comma_array", "[1,]"), ("trailing_comma_object", '{"a":1,}'), ("leading_comma", "[,1]"),
    ("comment_block", "[1/* c */]"), ("comment_line", "[1]//c"), ("nan", "[NaN]"), ("infinity", "[Infinity]"),
    ("minus_infinity", "[-Infinity]"), ("leading_zero", "[01]"), ("negative_leading_zero", "[-01]"),
    ("double_zero", "00"), ("dot_no_digits", "[1.]"), ("dot_first", "[.5]"), ("plus_sign", "[+1]"),
    ("exponent_no_digits", "[1e]"), ("exponent_sign_no_digits", "[1e+]"), ("minus_alone", "-"),
    ("hex_number", "0x10"), ("single_quotes", "['a']"), ("unquoted_key", "{a:1}"),
    ("lone_high_surrogate", r'["\ud800"]'), ("lone_low_surrogate", r'["\udc00"]'),
    ("high_surrogate_then_bmp", r'["\ud800\u0041"]'), ("high_surrogate_then_text", r'["\ud800x"]'),
    ("two_high_surrogates", r'["\ud800\ud800"]'), ("invalid_escape_x", r'["\x41"]'), ("invalid_escape_U", r'["\U0041"]'),
    ("short_u_escape", r'["\u12"]'), ("bad_hex_u_escape", r'["\u12g4"]'), ("raw_tab_in_string", '["a\tb"]'),
    ("raw_newline_in_string", '["a\nb"]'), ("raw_nul_in_string", '["a\u0000b"]'),
    ("duplicate_key", '{"a":1,"a":2}'), ("duplicate_key_via_escape", '{"a":1,"\\u0061":2}'),
    ("duplicate_key_nested", '{"x":{"b":1,"c":2,"b":3}}'),
    ("duplicate_key_large_object", "{" + ",".join(f'"k{i}":{i}' for i in range(40)) + ',"k7":0}'),
    ("bom_prefix", "\ufeff{}"), ("empty_input", ""), ("whitespace_only", " \n\t "), ("two_values", "1 2"),
    ("garbage_after_object", "{}x"), ("unterminated_array", "[1,2"), ("unterminated_string", '"abc'),
    ("unterminated_object", '{"a"'), ("missing_colon", '{"a" 1}'), ("missing_value", '{"a":}'),
    ("bad_literal_tru", "tru"), ("bad_literal_True", "True"), ("nul_byte_outside", "[1]\u0000"),
    ("vertical_tab_whitespace", "\u000b[]"), ("nbsp_whitespace", "\u00a0[]"),
]:
    err(name, t)
err("invalid_utf8_ff", hexbytes=b'["\xff"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_overlong", hexbytes=b'["\xc0\x80"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_surrogate", hexbytes=b'["\xed\xa0\x80"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_truncated", hexbytes=b'["\xe2\x82"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_above_10ffff", hexbytes=b'["\xf4\x90\x80\x80"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_lone_continuation", hexbytes=b'["\x80"]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_outside_string", hexbytes=b'[1,\xff]', error="X402S_ERR_INVALID_UTF8")
err("invalid_utf8_at_end", hexbytes=b'{"a":1}\xc3', error="X402S_ERR_INVALID_UTF8")
err("depth_65_array", "[" * 65 + "]" * 65, error="X402S_ERR_JSON_TOO_DEEP")
err("deep_10000_array", "[" * 10000, error="X402S_ERR_JSON_TOO_DEEP")
err("deep_10000_object", '{"a":' * 10000, error="X402S_ERR_JSON_TOO_DEEP")
err("limit_max_depth_2", "[[[1]]]", error="X402S_ERR_JSON_TOO_DEEP", maxDepth=2)
err("limit_max_bytes_8", '{"a":"bcd"}', error="X402S_ERR_INPUT_TOO_LARGE", maxBytes=8)
vectors.append({"name": "limit_max_bytes_exact_ok", "input": {"json": '{"a":"bc"}', "maxBytes": 10},
                "expect": ref_outputs('{"a":"bc"}')})
vectors.append({"name": "limit_max_depth_3_ok", "input": {"json": "[[[1]]]", "maxDepth": 3},
                "expect": ref_outputs("[[[1]]]")})

doc = {
    "schema": "x402s.vectors.json@1",
    "source": ("Generated by scripts/gen_json_vectors.py with pydantic %s / pydantic-core %s and CPython %s json. "
               "compact = pydantic TypeAdapter(Any).dump_json; pythonSpaced = json.dumps(v); canonical = "
               "json.dumps(v, sort_keys=True, separators=(',',':'), ensure_ascii=False). Input is 'json' (text) or "
               "'hex' (raw bytes); optional 'maxBytes'/'maxDepth' override the limits (defaults 1 MiB, depth 64). "
               "Errors are the core's strict RFC 8259 rules (duplicate keys and lone surrogates are rejected, "
               "unlike Python's json)." % (pydantic.__version__, pydantic_core.__version__, sys.version.split()[0])),
    "vectors": vectors,
}
OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
print(f"wrote {len(vectors)} vectors to {OUT}")
