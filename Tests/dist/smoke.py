"""Smoke test of an INSTALLED x402secure (wheel in a fresh venv): every area once.

Run from a temp dir outside the repository with no X402SECURE_LIB. Asserts invariants and
published constants, then prints one JSON line of deterministic results (fixed keys, time,
nonces), which Tests/dist/npm_package.sh compares with the Node package's (same core, same
bytes). Usage: python smoke.py EXPECTED_VERSION
"""

import base64
import json
import os
import sys

import x402secure as x
from x402secure import solana

expected_version = sys.argv[1]
assert "X402SECURE_LIB" not in os.environ
here = os.path.dirname(x.__file__)
assert "site-packages" in here, here  # the installed package, not a source tree
assert x.__version__ == expected_version == x.VERSION_STRING, (x.__version__, x.VERSION_STRING)
assert x.ABI_VERSION[0] == 1

NOW = 1_760_000_000
out = {"version": x.VERSION_STRING}

# hashes
assert x.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
out["keccak256"] = x.keccak256(b"hello").hex()
out["sha256"] = x.sha256(b"hello").hex()
assert out["sha256"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

# EIP-712: the specification's Mail example, signed and recovered
MAIL = {
    "types": {
        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                         {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
                 {"name": "contents", "type": "string"}],
    },
    "primaryType": "Mail",
    "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
               "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
    "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                "contents": "Hello, Bob!"},
}
digest = x.eip712_hash(MAIL)
assert digest.hex() == "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
with x.EvmAccount.from_key("0x" + "01" * 32) as acct:
    assert acct.address == "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"
    sig = acct.sign_typed_data(MAIL)
    assert x.recover_address(digest, sig) == acct.address
    out["eip712_signature"] = sig.hex()

# Ed25519 / Solana keys
with x.SolanaKeypair.from_seed(bytes(32)) as kp:
    s = kp.sign(b"hello")
    assert x.ed25519_verify(s, b"hello", kp.public_key) and not x.ed25519_verify(s, b"hellO", kp.public_key)
    out["solana_address"] = kp.address
    out["ed25519_signature"] = s.hex()

# x402: seller 402 -> buyer pays (EVM, Solana) -> seller verifies, replay refused
FEE_PAYER = x.SolanaKeypair.from_seed(bytes([2]) * 32)
answer = x.payment_required_response(
    [{"network": "eip155:84532", "payTo": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", "price": "$0.01"},
     {"network": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "payTo": "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse",
      "price": "$0.01", "extra": {"feePayer": FEE_PAYER.address,
                                 "recentBlockhash": "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"}}],
    resource={"url": "https://api.example.com/data", "description": "data"})
assert answer.status == 402 and "PAYMENT-REQUIRED" in answer.headers
out["payment_required"] = answer.headers["PAYMENT-REQUIRED"]
required = x.parse_payment_required({"payment-required": answer.headers["PAYMENT-REQUIRED"]}, answer.body)
guard = x.ReplayGuard()
with x.EvmAccount.from_key("0x" + "01" * 32) as evm, x.SolanaKeypair.from_seed(bytes([1]) * 32) as sol:
    for signer, net, tag in ((evm, "eip155:84532", "evm"), (sol, "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "svm")):
        policy = {"networks": [net]}
        name, value = x.create_payment_header(required, signer, policy, now=NOW, nonce="0x" + "07" * 32,
                                              memo_nonce="0x" + "05" * 16)
        mine = next(r for r in answer.accepts if r["network"] == net)
        r = x.verify_payment(value, mine, NOW, solana_fee_payers=[FEE_PAYER.address], replay_guard=guard)
        assert r.is_valid and r.payer == signer.address, r.to_json()
        again = x.verify_payment(value, mine, NOW, solana_fee_payers=[FEE_PAYER.address], replay_guard=guard)
        assert not again.is_valid and again.invalid_reason == "duplicate_payment"
        out[f"payment_{tag}"] = value
        if tag == "svm":
            tx = base64.b64decode(x.decode_payment_header(value)["payload"]["transaction"])
            full = solana.sign_transaction(tx, FEE_PAYER)
            assert len(solana.decode_transaction(full)["signatures"]) == 2
guard.close()

# risk headers
tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
h = x.build_payment_secure_header({"tid": "trace-1"}, traceparent=tp)
parsed = x.parse_payment_secure_header(h)
assert parsed["tp"] == tp and parsed["tid"] == "trace-1", parsed
out["payment_secure"] = h

print(json.dumps(out, sort_keys=True))
