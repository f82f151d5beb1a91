#!/usr/bin/env python3
"""Generate test-vectors/{encodings,sha256}.json (and, with later stages, the other
crypto vector files) from independent implementations.

Run with the probe venv:  /tmp/probe-venv/bin/python scripts/gen_crypto_vectors.py [area ...]
Expected values come from Python's base64/binascii, Bitcoin Core's base58 test set,
solders (Solana pubkeys), pycryptodome and hashlib; nothing is hand-typed except inputs
and the published NIST/RFC values, which are asserted against the computation.
"""
import base64
import binascii
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-vectors"


def hx(b: bytes) -> str:
    return "0x" + b.hex()


def write(area: str, source: str, vectors: list) -> None:
    doc = {"schema": f"x402s.vectors.{area}@1", "source": source, "vectors": vectors}
    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names)), f"duplicate names in {area}"
    (OUT / f"{area}.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {area}.json: {len(vectors)} vectors")


def message_bytes(m) -> bytes:
    if isinstance(m, str):
        assert m.startswith("0x")
        return bytes.fromhex(m[2:])
    return bytes.fromhex(m["pattern"][2:]) * m["repeat"]


# --------------------------------------------------------------------------- encodings
BITCOIN_BASE58 = [  # bitcoin/bitcoin src/test/data/base58_encode_decode.json
    ["", ""],
    ["61", "2g"],
    ["626262", "a3gV"],
    ["636363", "aPEr"],
    ["73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"],
    ["00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"],
    ["516b6fcd0f", "ABnLTmg"],
    ["bf4f89001e670274dd", "3SEo3LWLoPntC"],
    ["572e4794", "3EFU7m"],
    ["ecac89cad93923c02321", "EJDM8drfXA6uyA"],
    ["10c8511e", "Rt5zm"],
    ["00000000000000000000", "1111111111"],
    ["00000000000000000000000000000000000000000000000000000000000000000000000000000000", "1111111111111111111111111111111111111111"],
    ["00000000000000000000000000000000000000000000000000000000000000000000000000000001", "1111111111111111111111111111111111111112"],
    ["0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ec39d04c37e71e5d591881f6", "111111111111111111111111111111111111111111111111111111111111111111111111111111111111115TYzLYH1udmLdzCLM"],
    ["000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"],
    ["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY"],
    ["271F359E", "zzzzy"],
    ["271F359F", "zzzzz"],
    ["271F35A0", "211111"],
    ["271F35A1", "211112"],
]

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode_ref(b: bytes) -> str:
    """Independent textbook base58 (big-integer) used to cross-check the Bitcoin set."""
    n = int.from_bytes(b, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58_ALPHABET[r] + s
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + s


def gen_encodings():
    from solders.pubkey import Pubkey

    v = []
    E = lambda code: {"error": code}

    # ---- hex
    for name, data in [("empty", b""), ("one byte", b"\x00"), ("ff00", b"\xff\x00"),
                       ("all byte values", bytes(range(256)))]:
        v.append({"name": f"hex roundtrip {name}", "input": {"codec": "hex", "op": "roundtrip", "bytes": hx(data)},
                  "expect": {"text": "0x" + binascii.hexlify(data).decode()}})
    v.append({"name": "hex encode without prefix", "input": {"codec": "hex", "op": "encode", "bytes": "0xdeadbeef", "prefix": False},
              "expect": {"text": binascii.hexlify(b"\xde\xad\xbe\xef").decode()}})
    for name, text in [("uppercase digits", "0xDEADBEEF"), ("mixed case", "0xDeAdBeEf"), ("uppercase 0X prefix", "0XdeadBEEF"),
                       ("no prefix", "deadbeef"), ("bare prefix", "0x"), ("empty string", "")]:
        digits = text[2:] if text[:2] in ("0x", "0X") else text
        v.append({"name": f"hex decode {name}", "input": {"codec": "hex", "op": "decode", "text": text},
                  "expect": {"bytes": hx(bytes.fromhex(digits))}})
    v.append({"name": "hex decode with required prefix", "input": {"codec": "hex", "op": "decode", "text": "0x00ff", "requirePrefix": True},
              "expect": {"bytes": "0x00ff"}})
    for name, text, req in [("odd length", "0xabc", False), ("odd length no prefix", "1", False),
                            ("non-hex letter", "0xzz", False), ("g after digits", "0x0g", False),
                            ("leading space", " 0x00", False), ("trailing newline", "0x00\n", False),
                            ("inner space", "0x00 11", False), ("double prefix", "0x0x00", False),
                            ("prefix only x", "x00", False), ("non-ascii", "0x0é", False),
                            ("missing required prefix", "00ff", True), ("plus sign", "+0x00", False)]:
        inp = {"codec": "hex", "op": "decode", "text": text}
        if req:
            inp["requirePrefix"] = True
        # Cross-check: Python's fromhex rejects these too (it would accept whitespace, so check strictly).
        digits = text[2:] if text[:2] in ("0x", "0X") else text
        ok_py = (not req or text[:2] in ("0x", "0X")) and all(c in "0123456789abcdefABCDEF" for c in digits) and len(digits) % 2 == 0
        assert not ok_py, text
        v.append({"name": f"hex invalid {name}", "input": inp, "expect": E("X402S_ERR_INVALID_HEX")})

    # ---- base64 (standard, padded, strict)
    for data in [b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", bytes([0xfb, 0xff, 0xbf]), bytes(range(256))]:
        label = data.decode() if data.isascii() and data.isalnum() else hx(data)[:18]
        v.append({"name": f"base64 roundtrip {label or 'empty'}", "input": {"codec": "base64", "op": "roundtrip", "bytes": hx(data)},
                  "expect": {"text": base64.b64encode(data).decode()}})
    bad64 = [("missing padding", "Zg"), ("missing one pad", "Zm8"), ("too much padding", "Zg==="),
             ("three pads", "Z==="), ("only padding", "===="), ("pad in middle", "Zg==Zg=="), ("pad then data", "Zm=v"),
             ("non-canonical bits 1 pad", "Zm9="), ("non-canonical bits 2 pads", "Zh=="), ("url alphabet minus", "-_8="),
             ("url alphabet underscore", "__8A"), ("leading space", " Zm9v"), ("trailing newline", "Zm9v\n"),
             ("inner newline", "Zm9v\nYmFy"), ("length 5", "Zm9vY"), ("length 1", "Z"), ("non-ascii", "Zm9é"),
             ("star", "Zm9*")]
    for name, text in bad64:
        try:
            dec = base64.b64decode(text, validate=True)
            assert base64.b64encode(dec).decode() != text, text  # accepted by Python only if non-canonical
        except (binascii.Error, ValueError):
            pass
        v.append({"name": f"base64 invalid {name}", "input": {"codec": "base64", "op": "decode", "text": text},
                  "expect": E("X402S_ERR_INVALID_BASE64")})

    # ---- base64url (padding optional)
    for data in [b"", b"f", b"fo", b"foo", b"foob", bytes([0xfb, 0xff, 0xbf]), bytes([0xff, 0xfe]), bytes(range(64))]:
        label = data.decode() if data.isascii() and data.isalnum() else hx(data)[:18]
        v.append({"name": f"base64url roundtrip {label or 'empty'}", "input": {"codec": "base64url", "op": "roundtrip", "bytes": hx(data)},
                  "expect": {"text": base64.urlsafe_b64encode(data).decode().rstrip("=")}})
        if len(data) % 3:
            v.append({"name": f"base64url padded encode {label}", "input": {"codec": "base64url", "op": "encode", "bytes": hx(data), "padding": True},
                      "expect": {"text": base64.urlsafe_b64encode(data).decode()}})
            v.append({"name": f"base64url padded decode {label}", "input": {"codec": "base64url", "op": "decode", "text": base64.urlsafe_b64encode(data).decode()},
                      "expect": {"bytes": hx(data)}})
    # mandate hash example from specs/x402-secure.md section 2.6
    mandate = b'{"type":"PaymentMandate"}'
    ms = base64.urlsafe_b64encode(hashlib.sha256(mandate).digest()).decode().rstrip("=")
    assert ms == "M3UbiUEkgkLQR6YWruLssdceUcHGup_nl8Vp6u1AvAc"
    v.append({"name": "base64url roundtrip x402-secure mandate sha256", "input": {"codec": "base64url", "op": "roundtrip", "bytes": hx(hashlib.sha256(mandate).digest())},
              "expect": {"text": ms}})
    badurl = [("standard plus", "+w"), ("standard slash", "/w"), ("wrong padding count", "Zg="), ("three pads", "Z==="),
              ("length 1", "Z"), ("length 5", "Zm9vY"), ("non-canonical bits", "Zh"), ("non-canonical bits 3", "Zm9"),
              ("pad in middle", "Zg==Zg"), ("space", "Zm 9v"), ("trailing newline", "Zm9v\n")]
    for name, text in badurl:
        v.append({"name": f"base64url invalid {name}", "input": {"codec": "base64url", "op": "decode", "text": text},
                  "expect": E("X402S_ERR_INVALID_BASE64")})

    # ---- base58
    for i, (h, text) in enumerate(BITCOIN_BASE58):
        data = bytes.fromhex(h)
        assert b58encode_ref(data) == text
        v.append({"name": f"base58 bitcoin set {i:02d}", "input": {"codec": "base58", "op": "roundtrip", "bytes": hx(data)},
                  "expect": {"text": text}})
    for name, text in [("zero digit", "0"), ("capital O", "1O1"), ("capital I", "I"), ("lowercase l", "l1"),
                       ("leading space", " 2g"), ("trailing space", "2g "), ("trailing newline", "2g\n"),
                       ("plus", "2g+"), ("non-ascii", "2gé")]:
        v.append({"name": f"base58 invalid {name}", "input": {"codec": "base58", "op": "decode", "text": text},
                  "expect": E("X402S_ERR_INVALID_BASE58")})
    v.append({"name": "base58 decode too long", "input": {"codec": "base58", "op": "decode", "text": {"pattern": "z", "repeat": 4097}},
              "expect": E("X402S_ERR_INPUT_TOO_LARGE")})
    # ---- base58, exactly 32 bytes (Solana public keys); cross-checked with solders
    for name, text in [("system program", "11111111111111111111111111111111"),
                       ("USDC mainnet mint", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"),
                       ("token program", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
                       ("all ff", b58encode_ref(b"\xff" * 32))]:
        pk = bytes(Pubkey.from_string(text))
        assert b58encode_ref(pk) == text
        v.append({"name": f"base58 decode32 {name}", "input": {"codec": "base58_32", "op": "decode", "text": text},
                  "expect": {"bytes": hx(pk)}})
    for name, data in [("31 bytes", b"\x07" * 31), ("33 bytes", b"\x07" * 33), ("31 bytes leading zero", b"\x00" + b"\x07" * 30),
                       ("empty", b"")]:
        v.append({"name": f"base58 decode32 wrong size {name}", "input": {"codec": "base58_32", "op": "decode", "text": b58encode_ref(data)},
                  "expect": E("X402S_ERR_INVALID_BASE58")})
    v.append({"name": "base58 decode32 bad character", "input": {"codec": "base58_32", "op": "decode", "text": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt10"},
              "expect": E("X402S_ERR_INVALID_BASE58")})

    write("encodings",
          "Hex, base64 (RFC 4648 standard, strict), base64url and base58 (Bitcoin alphabet). "
          "input.codec: hex | base64 | base64url | base58 | base58_32 (decode to exactly 32 bytes). "
          "input.op: roundtrip (encode input.bytes -> expect.text AND decode expect.text -> input.bytes), "
          "encode (input.bytes -> expect.text; options hex 'prefix' (default true), base64url 'padding' (default false)), "
          "decode (input.text -> expect.bytes or expect.error; option hex 'requirePrefix'). "
          "Bytes are '0x' hex. A text given as {\"pattern\": s, \"repeat\": n} means s repeated n times. "
          "Expected values: Python base64/binascii; base58 from bitcoin/bitcoin src/test/data/base58_encode_decode.json "
          "cross-checked with a big-integer base58, Solana keys cross-checked with solders 0.27.1. "
          "Generated by scripts/gen_crypto_vectors.py.",
          v)


# --------------------------------------------------------------------------- sha256
def gen_sha256():
    from Crypto.Hash import SHA256 as PcdSHA256

    def sha(b):
        a = PcdSHA256.new(b).hexdigest()
        assert a == hashlib.sha256(b).hexdigest()
        return "0x" + a

    nist = {  # FIPS 180-2 appendix B / NIST CSRC examples
        "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq": "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        "": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }
    v = []
    for name, m in [("NIST abc", "abc"), ("empty", ""), ("NIST 448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")]:
        d = sha(m.encode())
        assert d[2:] == nist[m]
        v.append({"name": name, "input": {"message": hx(m.encode())}, "expect": {"digest": d}})
    for n in [1, 55, 56, 63, 64, 65, 119, 128]:
        data = bytes((i * 7 + 3) & 0xff for i in range(n))
        v.append({"name": f"{n} bytes", "input": {"message": hx(data)}, "expect": {"digest": sha(data)}})
    kib = bytes(i & 0xff for i in range(1024))
    v.append({"name": "1 KiB counter pattern", "input": {"message": {"pattern": hx(bytes(range(256))), "repeat": 4}}, "expect": {"digest": sha(kib)}})
    million_a = {"pattern": "0x61", "repeat": 1000000}
    d = sha(message_bytes(million_a))
    assert d[2:] == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"  # FIPS 180-2 B.3
    v.append({"name": "NIST one million a", "input": {"message": million_a}, "expect": {"digest": d}})
    v.append({"name": "x402-secure mandate", "input": {"message": hx(b'{"type":"PaymentMandate"}')}, "expect": {"digest": sha(b'{"type":"PaymentMandate"}')}})
    parts = [b"ab", b"", b"c"]
    v.append({"name": "parts abc", "input": {"parts": [hx(p) for p in parts]}, "expect": {"digest": sha(b"".join(parts))}})
    parts = [bytes(range(100)), bytes(range(100, 200)), b"ProgramDerivedAddress"]
    v.append({"name": "parts across block boundary", "input": {"parts": [hx(p) for p in parts]}, "expect": {"digest": sha(b"".join(parts))}})
    v.append({"name": "parts empty list", "input": {"parts": []}, "expect": {"digest": sha(b"")}})
    write("sha256",
          "SHA-256 (FIPS 180-4). input.message is '0x' hex, or {\"pattern\": \"0x..\", \"repeat\": n} meaning the pattern "
          "bytes repeated n times; input.parts is a list of '0x' hex pieces hashed as their concatenation (streaming). "
          "Expected values from pycryptodome Crypto.Hash.SHA256, cross-checked with hashlib and the FIPS 180-2 "
          "appendix B examples (abc, 448-bit, one million 'a'). Generated by scripts/gen_crypto_vectors.py.",
          v)


AREAS = {"encodings": gen_encodings, "sha256": gen_sha256}

if __name__ == "__main__":
    for a in sys.argv[1:] or list(AREAS):
        AREAS[a]()
