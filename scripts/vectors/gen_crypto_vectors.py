#!/usr/bin/env python3
"""Generate test-vectors/{encodings,sha256}.json (and, with later stages, the other
crypto vector files) from independent implementations.

Run with the probe venv:  /tmp/probe-venv/bin/python scripts/vectors/gen_crypto_vectors.py [area ...]
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

ROOT = Path(__file__).resolve().parents[2]
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
          "Generated by scripts/vectors/gen_crypto_vectors.py.",
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
          "appendix B examples (abc, 448-bit, one million 'a'). Generated by scripts/vectors/gen_crypto_vectors.py.",
          v)


# --------------------------------------------------------------------------- secp256k1
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def gen_secp256k1():
    import coincurve
    from eth_account import Account
    from eth_account.messages import encode_defunct, _hash_eip191_message
    from eth_utils import to_checksum_address, keccak, is_checksum_address

    def k32(i: int) -> bytes:
        return i.to_bytes(32, "big")

    shared = next(p for p in [ROOT.parent / "shared", Path("/work/shared")] if p.exists())
    ref = json.loads((shared / "vectors/x402-reference-vectors.json").read_text())
    keys = [("key01", bytes.fromhex(ref["constants"]["keys"]["key01"]["privateKey"][2:])),
            ("key02", bytes.fromhex(ref["constants"]["keys"]["key02"]["privateKey"][2:])),
            ("hardhat0", bytes.fromhex(ref["constants"]["keys"]["hardhat0"]["privateKey"][2:])),
            ("one", k32(1)), ("n minus 1", k32(N - 1)),
            ("sha256 derived", hashlib.sha256(b"x402s secp256k1 test key").digest())]
    digests = [("keccak abc", keccak(b"abc")), ("zero digest", bytes(32)), ("ff digest", b"\xff" * 32),
               ("eip3009 digest", bytes.fromhex(ref["evm_exact_v2_eip3009"][0]["digest"][2:]))]

    def sign(key, digest):
        rs = coincurve.PrivateKey(key).sign_recoverable(digest, hasher=None)
        sig = rs[:64] + bytes([27 + rs[64]])
        ea = Account.unsafe_sign_hash(digest, key).signature
        assert bytes(ea) == sig, "coincurve and eth-account disagree"
        assert int.from_bytes(sig[32:64], "big") <= N // 2
        return sig

    def pub(key, compressed=False):
        return coincurve.PrivateKey(key).public_key.format(compressed=compressed)

    v = []
    E = lambda code: {"error": code}
    signed = []
    for kn, key in keys:
        addr = Account.from_key(key).address
        assert addr == to_checksum_address("0x" + keccak(pub(key)[1:])[12:].hex())
        for dn, d in digests:
            sig = sign(key, d)
            signed.append((kn, key, dn, d, sig))
            v.append({"name": f"sign {kn} {dn}", "input": {"op": "sign", "privateKey": hx(key), "digest": hx(d)},
                      "intermediate": {"publicKey": hx(pub(key)), "address": addr},
                      "expect": {"signature": hx(sig)}})
    # recover, with v = 27/28 and with v = 0/1
    for kn, key, dn, d, sig in signed[::3]:
        addr = Account.from_key(key).address
        assert Account._recover_hash(d, signature=sig) == addr
        v.append({"name": f"recover {kn} {dn}", "input": {"op": "recover", "digest": hx(d), "signature": hx(sig)},
                  "expect": {"address": addr, "publicKey": hx(pub(key))}})
        raw = sig[:64] + bytes([sig[64] - 27])
        assert coincurve.PublicKey.from_signature_and_message(raw, d, hasher=None).format(compressed=False) == pub(key)
        v.append({"name": f"recover {kn} {dn} v 0/1", "input": {"op": "recover", "digest": hx(d), "signature": hx(raw)},
                  "expect": {"address": addr, "publicKey": hx(pub(key))}})
    spec = ref["spec_example_signature_check"]
    dom = spec["results_by_domain"]["USDC/2/84532"]
    assert Account._recover_hash(bytes.fromhex(dom["digest"][2:]), signature=bytes.fromhex(spec["signature"][2:])) == dom["recovered"]
    v.append({"name": "recover x402 spec example signature", "input": {"op": "recover", "digest": dom["digest"], "signature": spec["signature"]},
              "expect": {"address": dom["recovered"]}})
    # verify
    kn, key, dn, d, sig = signed[0]
    other = keys[1][1]

    def cc_verify(sig64, digest, pubkey):
        """coincurve verify of r||s (it takes DER)."""
        ps = coincurve.PublicKey(pubkey)
        # coincurve.verify wants DER; build it from r||s
        r, s_ = int.from_bytes(sig64[:32], "big"), int.from_bytes(sig64[32:], "big")
        def enc(x):
            b = x.to_bytes(33, "big").lstrip(b"\0")
            if b[0] & 0x80:
                b = b"\0" + b
            return b"\x02" + bytes([len(b)]) + b
        body = enc(r) + enc(s_)
        return ps.verify(b"\x30" + bytes([len(body)]) + body, digest, hasher=None)

    for name, sg, dg, pk in [("64-byte sig compressed key", sig[:64], d, pub(key, True)),
                             ("65-byte sig uncompressed key", sig, d, pub(key)),
                             ("65-byte sig compressed key", sig, d, pub(key, True)),
                             ("wrong digest", sig[:64], keccak(b"abd"), pub(key)),
                             ("wrong key", sig, d, pub(other)),
                             ("x402 spec example", bytes.fromhex(spec["signature"][2:]), bytes.fromhex(dom["digest"][2:]),
                              coincurve.PublicKey.from_signature_and_message(bytes.fromhex(spec["signature"][2:])[:64] + bytes([bytes.fromhex(spec["signature"][2:])[64] - 27]), bytes.fromhex(dom["digest"][2:]), hasher=None).format(compressed=True))]:
        v.append({"name": f"verify {name}", "input": {"op": "verify", "signature": hx(sg), "digest": hx(dg), "publicKey": hx(pk)},
                  "expect": {"valid": bool(cc_verify(sg[:64], dg, pk))}})
    # negatives: sign
    for name, key in [("zero key", bytes(32)), ("key equals n", k32(N)), ("key n plus 1", k32(N + 1)), ("key all ff", b"\xff" * 32)]:
        try:
            coincurve.PrivateKey(key)
            raise AssertionError("coincurve accepted " + name)
        except ValueError:
            pass
        v.append({"name": f"sign invalid {name}", "input": {"op": "sign", "privateKey": hx(key), "digest": hx(keccak(b"abc"))},
                  "expect": E("X402S_ERR_INVALID_KEY")})
    for name, key, dg in [("key 31 bytes", b"\x01" * 31, keccak(b"abc")), ("key 33 bytes", b"\x01" * 33, keccak(b"abc")),
                          ("key empty", b"", keccak(b"abc")), ("digest 31 bytes", b"\x01" * 32, b"\x02" * 31),
                          ("digest 33 bytes", b"\x01" * 32, b"\x02" * 33)]:
        v.append({"name": f"sign invalid {name}", "input": {"op": "sign", "privateKey": hx(key), "digest": hx(dg)},
                  "expect": E("X402S_ERR_INVALID_LENGTH")})
    # negatives: recover
    kn, key, dn, d, sig = signed[1]
    r = int.from_bytes(sig[:32], "big")
    s_ = int.from_bytes(sig[32:64], "big")
    high = sig[:32] + k32(N - s_) + bytes([55 - sig[64]])  # same point, s -> n-s flips the parity: v 27<->28
    # the high-s form is mathematically valid (coincurve recovers the same key after normalising) but non-canonical
    assert N - s_ > N // 2
    bad_r = None
    for x in range(1, 100):
        try:
            coincurve.PublicKey.from_signature_and_message(k32(x) + sig[32:64] + b"\0", d, hasher=None)
        except Exception:
            bad_r = x
            break
    assert bad_r is not None
    for name, sg, dg, err in [
        ("high s", high, d, "X402S_ERR_NON_CANONICAL_SIGNATURE"),
        ("v 29", sig[:64] + b"\x1d", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("v 26", sig[:64] + b"\x1a", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("v 2", sig[:64] + b"\x02", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("r zero", bytes(32) + sig[32:], d, "X402S_ERR_INVALID_SIGNATURE"),
        ("s zero", sig[:32] + bytes(32) + sig[64:], d, "X402S_ERR_INVALID_SIGNATURE"),
        ("r equals n", k32(N) + sig[32:], d, "X402S_ERR_INVALID_SIGNATURE"),
        ("s equals n", sig[:32] + k32(N) + sig[64:], d, "X402S_ERR_INVALID_SIGNATURE"),
        ("r not an x coordinate", k32(bad_r) + sig[32:64] + b"\x1b", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("signature 64 bytes", sig[:64], d, "X402S_ERR_INVALID_SIGNATURE"),
        ("signature 66 bytes", sig + b"\0", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("signature empty", b"", d, "X402S_ERR_INVALID_SIGNATURE"),
        ("digest 31 bytes", sig, d[:31], "X402S_ERR_INVALID_LENGTH"),
    ]:
        v.append({"name": f"recover invalid {name}", "input": {"op": "recover", "digest": hx(dg), "signature": hx(sg)},
                  "expect": E(err)})
    # negatives: verify
    pk = pub(key)
    off_curve = pk[:64] + bytes([pk[64] ^ 1])
    try:
        coincurve.PublicKey(off_curve)
        raise AssertionError("off-curve key accepted")
    except ValueError:
        pass
    for name, sg, dg, pkey, err in [
        ("high s", high[:64], d, pk, "X402S_ERR_NON_CANONICAL_SIGNATURE"),
        ("signature 63 bytes", sig[:63], d, pk, "X402S_ERR_INVALID_SIGNATURE"),
        ("65-byte signature v 5", sig[:64] + b"\x05", d, pk, "X402S_ERR_INVALID_SIGNATURE"),
        ("s equals n", sig[:32] + k32(N), d, pk, "X402S_ERR_INVALID_SIGNATURE"),
        ("r zero", bytes(32) + sig[32:64], d, pk, "X402S_ERR_INVALID_SIGNATURE"),
        ("public key 64 bytes", sig[:64], d, pk[1:], "X402S_ERR_INVALID_PUBLIC_KEY"),
        ("public key off curve", sig[:64], d, off_curve, "X402S_ERR_INVALID_PUBLIC_KEY"),
        ("public key bad prefix", sig[:64], d, b"\x05" + pk[1:], "X402S_ERR_INVALID_PUBLIC_KEY"),
        ("digest 33 bytes", sig[:64], d + b"\0", pk, "X402S_ERR_INVALID_LENGTH"),
    ]:
        v.append({"name": f"verify invalid {name}", "input": {"op": "verify", "signature": hx(sg), "digest": hx(dg), "publicKey": hx(pkey)},
                  "expect": E(err)})
    # EIP-191 personal messages
    key = keys[0][1]
    for name, msg in [("hello", b"hello"), ("empty", b""), ("utf8", "héllo wörld ✓".encode()), ("32 bytes binary", bytes(range(32))),
                      ("1000 bytes", bytes(i & 0xff for i in range(1000)))]:
        h = _hash_eip191_message(encode_defunct(primitive=msg))
        assert h == keccak(b"\x19Ethereum Signed Message:\n" + str(len(msg)).encode() + msg)
        sm = Account.sign_message(encode_defunct(primitive=msg), key)
        assert bytes(sm.message_hash) == h
        v.append({"name": f"eip191 {name}", "input": {"op": "eip191", "message": hx(msg), "privateKey": hx(key)},
                  "expect": {"hash": hx(h), "signature": hx(bytes(sm.signature)), "address": Account.from_key(key).address}})
    # EVM addresses (EIP-55)
    eip55 = ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
             "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]
    for a in eip55:
        assert to_checksum_address(a.lower()) == a
        for form, text in [("checksummed", a), ("lowercase", a.lower()), ("uppercase", "0x" + a[2:].upper())]:
            v.append({"name": f"address {form} {a[:10]}", "input": {"op": "address", "text": text},
                      "expect": {"bytes": a.lower(), "checksummed": a, "lowercased": a.lower()}})
    for name, text in [("checksum one letter flipped", eip55[0][:3] + eip55[0][3].swapcase() + eip55[0][4:]),
                       ("no prefix", eip55[0][2:]), ("uppercase 0X prefix", "0X" + eip55[0][2:]),
                       ("39 digits", eip55[0][:-1]), ("41 digits", eip55[0] + "a"), ("non-hex", eip55[0][:-1] + "g"),
                       ("leading space", " " + eip55[0]), ("empty", ""), ("solana key", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")]:
        assert not is_checksum_address(text)  # eth_utils agrees
        v.append({"name": f"address invalid {name}", "input": {"op": "address", "text": text}, "expect": E("X402S_ERR_INVALID_ADDRESS")})
    write("secp256k1",
          "secp256k1 ECDSA as Ethereum uses it. input.op: sign (privateKey, digest -> signature r||s||v, v=27/28, RFC 6979, low-s; "
          "intermediate publicKey 65-byte uncompressed and EIP-55 address), recover (digest, signature with v 27/28 or 0/1 -> "
          "address and uncompressed publicKey), verify (signature 64 or 65 bytes, digest, publicKey 33 or 65 bytes -> valid), "
          "eip191 (message, privateKey -> personal_sign hash, signature, address), address (text -> bytes, EIP-55 checksummed, "
          "lowercased). Policy: high-s is rejected with X402S_ERR_NON_CANONICAL_SIGNATURE by recover and verify. "
          "Expected values from coincurve 21 and eth-account 0.14 (Account.unsafe_sign_hash, _recover_hash, sign_message, "
          "encode_defunct + _hash_eip191_message), eth_utils.to_checksum_address; EIP-55 examples from the EIP; keys and the spec "
          "example signature from shared/vectors/x402-reference-vectors.json. Generated by scripts/vectors/gen_crypto_vectors.py.",
          v)


# --------------------------------------------------------------------------- ed25519
RFC8032_TEST_1024_MESSAGE = (
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51add"
    "d3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb751f"
    "b73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8ca617"
    "83aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4"
    "ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e488acba6b"
    "965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e6aed3fb0f9"
    "cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c22"
    "5bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380db2eaaa707b4c41"
    "85c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0")

# RFC 8032 section 7.1: (name, secret key (seed), public key, message, signature)
RFC8032 = [
    ("TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ("TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", RFC8032_TEST_1024_MESSAGE,
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"),
    ("TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", hashlib.sha512(b"abc").hexdigest(),
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"),
]


def gen_ed25519():
    from Crypto.Signature import eddsa
    import nacl.signing
    from solders.keypair import Keypair

    v = []
    for name, sk, pk, msg, sig in RFC8032:
        seed, m = bytes.fromhex(sk), bytes.fromhex(msg)
        key = eddsa.import_private_key(seed)
        assert key.public_key().export_key(format="raw").hex() == pk
        assert eddsa.new(key, "rfc8032").sign(m).hex() == sig
        assert nacl.signing.SigningKey(seed).sign(m).signature.hex() == sig
        addr = str(Keypair.from_seed(seed).pubkey())
        assert addr == b58encode_ref(bytes.fromhex(pk))
        v.append({"name": f"RFC 8032 {name}", "input": {"op": "sign", "seed": "0x" + sk, "message": "0x" + msg},
                  "intermediate": {"solanaAddress": addr},
                  "expect": {"publicKey": "0x" + pk, "signature": "0x" + sig}})
        v.append({"name": f"RFC 8032 {name} verify", "input": {"op": "verify", "publicKey": "0x" + pk, "message": "0x" + msg, "signature": "0x" + sig},
                  "expect": {"valid": True}})
    name, sk, pk, msg, sig = RFC8032[1]
    pub = bytes.fromhex(pk)
    s = bytes.fromhex(sig)
    m = bytes.fromhex(msg)
    vk = nacl.signing.VerifyKey(pub)

    def nacl_ok(sg, mm, kk=vk):
        try:
            kk.verify(mm, sg)
            return True
        except Exception:
            return False

    L = 2**252 + 27742317777372353535851937790883648493
    s_plus_l = s[:32] + (int.from_bytes(s[32:], "little") + L).to_bytes(32, "little")
    other_pk = bytes.fromhex(RFC8032[0][2])
    for nm, sg, mm, kk in [("tampered signature R", bytes([s[0] ^ 1]) + s[1:], m, pub),
                           ("tampered signature S", s[:40] + bytes([s[40] ^ 0x10]) + s[41:], m, pub),
                           ("tampered message", s, b"\x73", pub),
                           ("empty message", s, b"", pub),
                           ("other public key", s, m, other_pk),
                           ("non-canonical S (S + L)", s_plus_l, m, pub),
                           ("all-zero signature", bytes(64), m, pub)]:
        ok = nacl_ok(sg, mm, nacl.signing.VerifyKey(kk))
        assert not ok
        v.append({"name": f"verify false {nm}", "input": {"op": "verify", "publicKey": hx(kk), "message": hx(mm), "signature": hx(sg)},
                  "expect": {"valid": False}})
    for nm, sg, kk, err in [("signature 63 bytes", s[:63], pub, "X402S_ERR_INVALID_SIGNATURE"),
                            ("signature 65 bytes", s + b"\0", pub, "X402S_ERR_INVALID_SIGNATURE"),
                            ("signature empty", b"", pub, "X402S_ERR_INVALID_SIGNATURE"),
                            ("public key 31 bytes", s, pub[:31], "X402S_ERR_INVALID_LENGTH"),
                            ("public key 33 bytes", s, pub + b"\0", "X402S_ERR_INVALID_LENGTH")]:
        v.append({"name": f"verify invalid {nm}", "input": {"op": "verify", "publicKey": hx(kk), "message": hx(m), "signature": hx(sg)},
                  "expect": {"error": err}})
    for nm, seed in [("seed 31 bytes", b"\x01" * 31), ("seed 33 bytes", b"\x01" * 33), ("seed 64 bytes", b"\x01" * 64), ("seed empty", b"")]:
        v.append({"name": f"keypair invalid {nm}", "input": {"op": "sign", "seed": hx(seed), "message": "0x"},
                  "expect": {"error": "X402S_ERR_INVALID_LENGTH"}})
    write("ed25519",
          "Ed25519 (RFC 8032). input.op: sign (seed 32 bytes, message -> publicKey, signature; intermediate solanaAddress = "
          "base58(publicKey)), verify (publicKey, message, signature -> valid, or an error for wrong lengths: signature not 64 "
          "bytes -> X402S_ERR_INVALID_SIGNATURE, public key not 32 bytes -> X402S_ERR_INVALID_LENGTH). RFC 8032 section 7.1 "
          "TEST 1/2/3/1024/SHA(abc) values, each recomputed with pycryptodome (Crypto.Signature.eddsa) and PyNaCl; Solana "
          "addresses from solders Keypair.from_seed; negative cases checked to fail with PyNaCl. "
          "Generated by scripts/vectors/gen_crypto_vectors.py.",
          v)


# --------------------------------------------------------------------------- keccak256
def gen_keccak256():
    from Crypto.Hash import keccak as pcd_keccak, SHA3_256
    from eth_utils import keccak as eth_keccak

    def k(b):
        d = pcd_keccak.new(digest_bits=256, data=b).digest()
        assert d == eth_keccak(b)
        return hx(d)

    empty = k(b"")
    assert empty == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    sha3_empty = hx(SHA3_256.new(b"").digest())
    assert sha3_empty == "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a" and sha3_empty != empty
    v = [{"name": "empty (not SHA3-256)", "input": {"message": "0x"},
          "expect": {"digest": empty, "notDigest": sha3_empty}}]
    v.append({"name": "abc", "input": {"message": hx(b"abc")}, "expect": {"digest": k(b"abc"), "notDigest": hx(SHA3_256.new(b"abc").digest())}})
    pat = lambda n: bytes((i * 131 + 7) & 0xff for i in range(n))
    for n in [1, 32, 64, 135, 136, 137, 200, 271, 272, 273, 1024]:
        v.append({"name": f"{n} bytes", "input": {"message": hx(pat(n))}, "expect": {"digest": k(pat(n))}})
    v.append({"name": "135 bytes of 0x80 (padding bytes merge)", "input": {"message": {"pattern": "0x80", "repeat": 135}},
              "expect": {"digest": k(b"\x80" * 135)}})
    v.append({"name": "ERC-20 Transfer event signature", "input": {"message": hx(b"Transfer(address,address,uint256)")},
              "expect": {"digest": k(b"Transfer(address,address,uint256)")}})
    big = {"pattern": hx(bytes(range(256))), "repeat": 400}
    v.append({"name": "100 KiB counter pattern", "input": {"message": big}, "expect": {"digest": k(message_bytes(big))}})
    mib = {"pattern": "0x61", "repeat": 1048576}
    v.append({"name": "1 MiB of a", "input": {"message": mib}, "expect": {"digest": k(message_bytes(mib))}})
    write("keccak256",
          "Keccak-256 as Ethereum uses it (original Keccak padding 0x01, NOT SHA3-256's 0x06). input.message is '0x' hex, or "
          "{\"pattern\": \"0x..\", \"repeat\": n} meaning the pattern bytes repeated n times. expect.digest from pycryptodome "
          "Crypto.Hash.keccak (digest_bits=256), cross-checked with eth_utils.keccak; where present, expect.notDigest is the "
          "SHA3-256 (pycryptodome SHA3_256) of the same message, which the digest must differ from. "
          "Generated by scripts/vectors/gen_crypto_vectors.py.",
          v)


AREAS = {"encodings": gen_encodings, "sha256": gen_sha256, "secp256k1": gen_secp256k1, "ed25519": gen_ed25519, "keccak256": gen_keccak256}

if __name__ == "__main__":
    for a in sys.argv[1:] or list(AREAS):
        AREAS[a]()
