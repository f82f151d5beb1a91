#!/usr/bin/env python3
"""Generate test-vectors/solana_pda.json, solana_message.json and solana_exact.json.

Every expected value comes from an independent implementation: solders 0.27.1 (Rust
solana-sdk / curve25519-dalek bindings) and the official x402 2.25.0 Python package, run
offline (mint metadata and RPC stubbed, randomness patched). Run with the probe venv:

    /tmp/probe-venv/bin/python scripts/gen_solana_vectors.py [--check]

--check regenerates in memory and fails if the committed files differ.
"""

import base64
import hashlib
import json
import os
import random
import sys
from pathlib import Path

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0, to_bytes_versioned
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

import x402
import x402.mechanisms.svm.exact.client as svm_client
from x402.mechanisms.svm.exact.client import ExactSvmScheme as SvmClient
from x402.mechanisms.svm.exact.facilitator import ExactSvmScheme as SvmFacilitator
from x402.mechanisms.svm.mint_cache import MintMetadata
from x402.mechanisms.svm.signers import KeypairSigner
from x402.schemas import PaymentPayload, PaymentRequirements

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-vectors"

TOKEN = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN22 = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
COMPUTE_BUDGET = Pubkey.from_string("ComputeBudget111111111111111111111111111111")
MEMO = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
LIGHTHOUSE = Pubkey.from_string("L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95")
ATA_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
SYSTEM = Pubkey.from_string("11111111111111111111111111111111")

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
MAINNET = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"
USDC_DEVNET = Pubkey.from_string("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
USDC_MAINNET = Pubkey.from_string("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
PYUSD_DEVNET = Pubkey.from_string("CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM")

CLIENT = Keypair.from_seed(bytes([1] * 32))
FEE_PAYER = Keypair.from_seed(bytes([2] * 32))
PAY_TO = Keypair.from_seed(bytes([3] * 32)).pubkey()
OTHER_SIGNER = Keypair.from_seed(bytes([4] * 32))
STRANGER = Keypair.from_seed(bytes([5] * 32))
BLOCKHASH = Hash(bytes([7] * 32))

P = 2**255 - 19


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(b: bytes) -> str:
    """Plain base58 (for byte strings that are not 32 bytes long)."""
    n = int.from_bytes(b, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + out


def hx(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def b64(b: bytes) -> str:
    return base64.b64encode(bytes(b)).decode()


def ata(owner: Pubkey, mint: Pubkey, program: Pubkey = TOKEN) -> Pubkey:
    return Pubkey.find_program_address([bytes(owner), bytes(program), bytes(mint)], ATA_PROGRAM)[0]


def message_hash_b64(tx: VersionedTransaction) -> str:
    """x402 2.25.0 utils.transaction_message_hash."""
    return b64(hashlib.sha256(bytes(tx.message)).digest())


# ---------------------------------------------------------------------------------------------
# solana_pda.json
# ---------------------------------------------------------------------------------------------

def le32(n: int) -> bytes:
    return n.to_bytes(32, "little")


def bulk_input(i: int) -> bytes:
    """The i-th input of the bulk curve test (documented in the file's source text)."""
    base = bytearray(hashlib.sha256(b"x402s-oncurve-" + str(i).encode()).digest())
    kind = i % 4
    if kind == 1:
        base[31] ^= 0x80
    elif kind == 2:
        for k in range(1, 31):
            base[k] = 0xFF
        base[31] = 0x7F | (base[31] & 0x80)
    elif kind == 3:
        for k in range(2, 32):
            base[k] = 0
    return bytes(base)


def on_curve(b: bytes) -> bool:
    return Pubkey(b).is_on_curve()


def gen_pda():
    vectors = []
    edges = {
        "y_zero": le32(0),
        "y_one": le32(1),
        "y_two": le32(2),
        "y_p_minus_1": le32(P - 1),
        "y_p_minus_2": le32(P - 2),
        "y_p_noncanonical_zero": le32(P),
        "y_p_plus_1_noncanonical_one": le32(P + 1),
        "y_p_plus_2": le32(P + 2),
        "y_2_255_minus_1_all_ones": le32(2**255 - 1),
        "all_ff_sign_bit_set": b"\xff" * 32,
        "y_zero_sign_bit_set": le32(0)[:31] + b"\x80",
        "y_one_sign_bit_set": le32(1)[:31] + b"\x80",
        "order8_point_a": bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        "order8_point_b": bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        "order8_point_a_sign": bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
        "order8_point_b_sign": bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
        "basepoint": bytes.fromhex("5866666666666666666666666666666666666666666666666666666666666666"),
        "client_pubkey": bytes(CLIENT.pubkey()),
        "token_program": bytes(TOKEN),
        "token2022_program": bytes(TOKEN22),
        "compute_budget_program": bytes(COMPUTE_BUDGET),
        "memo_program": bytes(MEMO),
        "lighthouse_program": bytes(LIGHTHOUSE),
        "ata_program": bytes(ATA_PROGRAM),
        "system_program": bytes(SYSTEM),
        "source_ata_devnet_usdc": bytes(ata(CLIENT.pubkey(), USDC_DEVNET)),
    }
    for small in range(3, 40):
        edges[f"y_small_{small}"] = le32(small)
    for k in range(1, 20):
        edges[f"y_p_minus_{k + 2}"] = le32(P - 2 - k)
        edges[f"y_p_plus_{k + 2}"] = le32(P + 2 + k) if P + 2 + k < 2**255 else le32(P)
    rng = random.Random(402)
    for k in range(40):
        edges[f"random_{k}"] = bytes(rng.getrandbits(8) for _ in range(32))
    for name, b in edges.items():
        vectors.append({
            "name": f"is_on_curve/{name}",
            "input": {"op": "isOnCurve", "bytes": hx(b)},
            "expect": {"onCurve": on_curve(b)},
        })
    for name, b in [("31_bytes", b"\x01" * 31), ("33_bytes", b"\x01" * 33), ("empty", b"")]:
        vectors.append({
            "name": f"is_on_curve/wrong_length_{name}",
            "input": {"op": "isOnCurve", "bytes": hx(b)},
            "expect": {"onCurve": False},
        })

    count = 4096
    bits = bytearray((count + 7) // 8)
    n_on = 0
    for i in range(count):
        if on_curve(bulk_input(i)):
            bits[i // 8] |= 1 << (i % 8)
            n_on += 1
    vectors.append({
        "name": f"is_on_curve/bulk_{count}",
        "input": {"op": "isOnCurveBulk", "count": count},
        "expect": {"onCurveCount": n_on, "bitmapSha256": hx(hashlib.sha256(bits).digest())},
    })

    rng = random.Random(4020)
    programs = [ATA_PROGRAM, TOKEN, SYSTEM, Pubkey(bytes(rng.getrandbits(8) for _ in range(32)))]
    for k in range(30):
        nseeds = rng.randint(0, 15) if k % 3 else rng.randint(0, 3)
        seeds = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 32))) for _ in range(nseeds)]
        program = programs[k % len(programs)]
        addr, bump = Pubkey.find_program_address(seeds, program)
        vectors.append({
            "name": f"find_program_address/random_{k}",
            "input": {"op": "findProgramAddress", "seeds": [hx(s) for s in seeds], "programId": str(program)},
            "expect": {"address": str(addr), "bump": bump},
        })
    # A low bump: search seeds until the canonical bump is <= 250 (several on-curve candidates).
    found = 0
    i = 0
    while found < 3:
        seeds = [b"x402s-low-bump", str(i).encode()]
        addr, bump = Pubkey.find_program_address(seeds, ATA_PROGRAM)
        if bump <= 251:
            vectors.append({
                "name": f"find_program_address/low_bump_{bump}",
                "input": {"op": "findProgramAddress", "seeds": [hx(s) for s in seeds], "programId": str(ATA_PROGRAM)},
                "expect": {"address": str(addr), "bump": bump},
            })
            found += 1
        i += 1
    vectors.append({
        "name": "find_program_address/error_16_seeds",
        "input": {"op": "findProgramAddress", "seeds": [hx(b"a")] * 16, "programId": str(SYSTEM)},
        "expect": {"error": "X402S_ERR_INVALID_ARGUMENT"},
    })
    vectors.append({
        "name": "find_program_address/error_seed_33_bytes",
        "input": {"op": "findProgramAddress", "seeds": [hx(b"a" * 33)], "programId": str(SYSTEM)},
        "expect": {"error": "X402S_ERR_INVALID_ARGUMENT"},
    })
    vectors.append({
        "name": "find_program_address/15_seeds_of_32_bytes",
        "input": {"op": "findProgramAddress", "seeds": [hx(b"\xab" * 32)] * 15, "programId": str(SYSTEM)},
        "expect": dict(zip(("address", "bump"), (lambda r: (str(r[0]), r[1]))(
            Pubkey.find_program_address([b"\xab" * 32] * 15, SYSTEM)))),
    })

    # createProgramAddress: with an explicit bump seed; on-curve results are errors.
    rng = random.Random(4021)
    made_ok = made_err = 0
    j = 0
    while made_ok < 4 or made_err < 4:
        seeds = [b"x402s-create", bytes([j & 0xFF]), bytes([rng.getrandbits(8)])]
        try:
            addr = Pubkey.create_program_address(seeds, ATA_PROGRAM)
            if made_ok < 4:
                vectors.append({
                    "name": f"create_program_address/ok_{made_ok}",
                    "input": {"op": "createProgramAddress", "seeds": [hx(s) for s in seeds], "programId": str(ATA_PROGRAM)},
                    "expect": {"address": str(addr)},
                })
                made_ok += 1
        except Exception:
            if made_err < 4:
                vectors.append({
                    "name": f"create_program_address/on_curve_{made_err}",
                    "input": {"op": "createProgramAddress", "seeds": [hx(s) for s in seeds], "programId": str(ATA_PROGRAM)},
                    "expect": {"error": "X402S_ERR_SOLANA_NO_PROGRAM_ADDRESS"},
                })
                made_err += 1
        j += 1

    # Associated token accounts.
    rng = random.Random(4022)
    cases = [
        ("client_devnet_usdc", CLIENT.pubkey(), USDC_DEVNET, TOKEN),
        ("payto_devnet_usdc", PAY_TO, USDC_DEVNET, TOKEN),
        ("client_mainnet_usdc", CLIENT.pubkey(), USDC_MAINNET, TOKEN),
        ("client_devnet_pyusd_token2022", CLIENT.pubkey(), PYUSD_DEVNET, TOKEN22),
        ("payto_devnet_pyusd_token2022", PAY_TO, PYUSD_DEVNET, TOKEN22),
    ]
    for k in range(25):
        owner = Pubkey(bytes(rng.getrandbits(8) for _ in range(32)))
        mint = Pubkey(bytes(rng.getrandbits(8) for _ in range(32)))
        cases.append((f"random_{k}", owner, mint, TOKEN22 if k % 2 else TOKEN))
    for name, owner, mint, program in cases:
        vectors.append({
            "name": f"associated_token_address/{name}",
            "input": {"op": "associatedTokenAddress", "owner": str(owner), "mint": str(mint), "tokenProgram": str(program)},
            "expect": {"address": str(ata(owner, mint, program))},
        })

    # Public key parsing.
    for name, text in [
        ("ok_client", str(CLIENT.pubkey())),
        ("ok_system_program", "11111111111111111111111111111111"),
        ("ok_44_chars", str(Pubkey(b"\xff" * 32))),
    ]:
        vectors.append({
            "name": f"public_key/{name}",
            "input": {"op": "publicKeyFromBase58", "base58": text},
            "expect": {"bytes": hx(bytes(Pubkey.from_string(text)))},
        })
    for name, text in [
        ("err_31_bytes", "1" * 31),
        ("err_33_bytes_leading_ones", "1" * 33),
        ("err_invalid_char_0", "0" * 32),
        ("err_invalid_char_l", "l" + str(CLIENT.pubkey())[1:]),
        ("err_empty", ""),
        ("err_too_long", str(CLIENT.pubkey()) + "1111"),
    ]:
        try:
            Pubkey.from_string(text)
            raise SystemExit(f"solders accepted {name}")
        except ValueError:
            pass
        vectors.append({
            "name": f"public_key/{name}",
            "input": {"op": "publicKeyFromBase58", "base58": text},
            "expect": {"error": "X402S_ERR_SOLANA_INVALID_PUBLIC_KEY"},
        })

    return {
        "schema": "x402s.vectors.solana_pda@1",
        "source": (
            "Generated by scripts/gen_solana_vectors.py with solders 0.27.1 (Rust curve25519-dalek / "
            "solana-address): isOnCurve = Pubkey(bytes).is_on_curve() (CompressedEdwardsY::decompress()."
            "is_some()); findProgramAddress = Pubkey.find_program_address (bumps 255 down to 1); "
            "createProgramAddress = Pubkey.create_program_address; ATA = find_program_address([owner, "
            "tokenProgram, mint], ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL). isOnCurveBulk: input i "
            "(0 <= i < count) is b = sha256(\"x402s-oncurve-\" + decimal(i)), then by i mod 4: 0 unchanged; "
            "1 b[31] ^= 0x80; 2 b[1..30] = 0xff and b[31] = 0x7f | (b[31] & 0x80) (y near or above p); "
            "3 b[2..31] = 0 (small y). Result bit i goes to byte i/8, bit i%8 (LSB first) of a bitmap; "
            "expect gives its SHA-256 and the number of on-curve inputs."
        ),
        "vectors": vectors,
    }


# ---------------------------------------------------------------------------------------------
# solana_message.json
# ---------------------------------------------------------------------------------------------

def ix_json(ix: Instruction) -> dict:
    return {
        "programId": str(ix.program_id),
        "accounts": [
            {"publicKey": str(a.pubkey), "isSigner": a.is_signer, "isWritable": a.is_writable}
            for a in ix.accounts
        ],
        "data": hx(bytes(ix.data)),
    }


def summary(tx: VersionedTransaction) -> dict:
    msg = tx.message
    legacy = isinstance(msg, Message)
    out = {
        "version": "legacy" if legacy else "v0",
        "numSignatures": len(tx.signatures),
        "header": [msg.header.num_required_signatures, msg.header.num_readonly_signed_accounts,
                   msg.header.num_readonly_unsigned_accounts],
        "accountKeys": [str(k) for k in msg.account_keys],
        "recentBlockhash": str(msg.recent_blockhash),
        "instructions": [
            {"programIdIndex": ci.program_id_index, "accounts": list(bytes(ci.accounts)), "data": hx(bytes(ci.data))}
            for ci in msg.instructions
        ],
        "addressTableLookups": 0 if legacy else len(msg.address_table_lookups),
        "messageHex": hx(bytes(msg) if legacy else to_bytes_versioned(msg)),
        "messageHashBase64": message_hash_b64(tx),
    }
    try:
        tx.sanitize()
        out["sanitizeOk"] = True
    except Exception:
        out["sanitizeOk"] = False
    return out


def x402_tx(amount=1000, memo=b"pi_3abc123def456", mint=USDC_DEVNET, program=TOKEN, decimals=6):
    ixs = standard_ixs(amount=amount, memo=memo, mint=mint, program=program, decimals=decimals)
    return sign_v0(ixs)


def sign_v0(ixs, payer=None, signers=(CLIENT,), blockhash=BLOCKHASH, alts=(), fee_payer_sig=None):
    payer = payer or FEE_PAYER.pubkey()
    msg = MessageV0.try_compile(payer, ixs, list(alts), blockhash)
    return populate(msg, payer, signers, to_bytes_versioned(msg), fee_payer_sig)


def sign_legacy(ixs, payer=None, signers=(CLIENT,), blockhash=BLOCKHASH):
    payer = payer or FEE_PAYER.pubkey()
    msg = Message.new_with_blockhash(ixs, payer, blockhash)
    return populate(msg, payer, signers, bytes(msg), None)


def populate(msg, payer, signers, signed_bytes, fee_payer_sig):
    sigs = []
    by_key = {k.pubkey(): k for k in signers}
    for key in msg.account_keys[: msg.header.num_required_signatures]:
        if key == payer:
            sigs.append(fee_payer_sig or Signature.default())
        elif key in by_key:
            sigs.append(by_key[key].sign_message(signed_bytes))
        else:
            sigs.append(Signature.default())
    return VersionedTransaction.populate(msg, sigs)


def cu_limit(units=20000, data=None):
    return Instruction(COMPUTE_BUDGET, data if data is not None else bytes([2]) + units.to_bytes(4, "little"), [])


def cu_price(price=1, data=None):
    return Instruction(COMPUTE_BUDGET, data if data is not None else bytes([3]) + price.to_bytes(8, "little"), [])


def transfer(amount=1000, mint=USDC_DEVNET, program=TOKEN, decimals=6, owner=None, dest_owner=PAY_TO,
             data=None, extra_accounts=(), dest=None, authority_signs=True):
    owner = owner or CLIENT.pubkey()
    src = ata(owner, mint, program)
    dst = dest or ata(dest_owner, mint, program)
    accounts = [
        AccountMeta(src, is_signer=False, is_writable=True),
        AccountMeta(mint, is_signer=False, is_writable=False),
        AccountMeta(dst, is_signer=False, is_writable=True),
        AccountMeta(owner, is_signer=authority_signs, is_writable=False),
    ] + list(extra_accounts)
    if data is None:
        data = bytes([12]) + amount.to_bytes(8, "little") + bytes([decimals])
    return Instruction(program, data, accounts)


def memo_ix(data=b"pi_3abc123def456", accounts=()):
    return Instruction(MEMO, data, list(accounts))


def standard_ixs(amount=1000, memo=b"pi_3abc123def456", mint=USDC_DEVNET, program=TOKEN, decimals=6):
    return [cu_limit(), cu_price(), transfer(amount, mint, program, decimals), memo_ix(memo)]


def gen_message():
    vectors = []
    rng = random.Random(40203)
    pool = [Keypair.from_seed(bytes([0x40 + i] * 32)).pubkey() for i in range(10)]
    programs = [TOKEN, MEMO, COMPUTE_BUDGET, SYSTEM, Pubkey(bytes([0x90] * 32))]
    for k in range(30):
        payer = pool[rng.randrange(len(pool))] if k % 5 else FEE_PAYER.pubkey()
        ixs = []
        for _ in range(rng.randint(1, 5)):
            accounts = []
            for _ in range(rng.randint(0, 5)):
                key = rng.choice(pool + programs[:2]) if rng.random() < 0.9 else payer
                accounts.append(AccountMeta(key, is_signer=rng.random() < 0.3, is_writable=rng.random() < 0.5))
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 12)))
            ixs.append(Instruction(rng.choice(programs), data, accounts))
        bh = Hash(bytes(rng.getrandbits(8) for _ in range(32)))
        msg = MessageV0.try_compile(payer, ixs, [], bh)
        vectors.append({
            "name": f"compile_v0/random_{k}",
            "input": {"op": "compileV0", "payer": str(payer), "instructions": [ix_json(i) for i in ixs],
                      "recentBlockhash": str(bh)},
            "expect": {"messageHex": hx(to_bytes_versioned(msg)),
                       "header": [msg.header.num_required_signatures, msg.header.num_readonly_signed_accounts,
                                  msg.header.num_readonly_unsigned_accounts],
                       "accountKeys": [str(a) for a in msg.account_keys]},
        })
    ixs = standard_ixs()
    msg = MessageV0.try_compile(FEE_PAYER.pubkey(), ixs, [], BLOCKHASH)
    vectors.append({
        "name": "compile_v0/x402_payment_devnet_usdc",
        "input": {"op": "compileV0", "payer": str(FEE_PAYER.pubkey()), "instructions": [ix_json(i) for i in ixs],
                  "recentBlockhash": str(BLOCKHASH)},
        "expect": {"messageHex": hx(to_bytes_versioned(msg)),
                   "header": [2, 1, 4], "accountKeys": [str(a) for a in msg.account_keys]},
    })
    vectors.append({
        "name": "compile_v0/error_blockhash_31_bytes",
        "input": {"op": "compileV0", "payer": str(FEE_PAYER.pubkey()), "instructions": [],
                  "recentBlockhash": b58encode(b"\x07" * 31)},
        "expect": {"error": "X402S_ERR_INVALID_LENGTH"},
    })

    # Parsing: valid transactions and their decoded form.
    good = x402_tx()
    raw = bytes(good)
    legacy = sign_legacy(standard_ixs())
    alt_key = Pubkey(bytes([0x77] * 32))
    alt = AddressLookupTableAccount(alt_key, [ata(PAY_TO, USDC_DEVNET), Pubkey(bytes([0x78] * 32))])
    with_alt = sign_v0(standard_ixs(), alts=[alt])
    for name, tx in [("v0_x402_payment", good), ("legacy_x402_payment", legacy), ("v0_with_lookup_table", with_alt)]:
        vectors.append({
            "name": f"parse/{name}",
            "input": {"op": "parseTransaction", "bytes": hx(bytes(tx))},
            "expect": summary(tx),
        })

    def parse_case(name, data, note):
        try:
            t = VersionedTransaction.from_bytes(data)
            solders_view = "accepted (sanitize ok)" if _sanitizes(t) else "accepted (sanitize fails)"
            if len(bytes(t)) != len(data):
                solders_view = "accepted, ignoring trailing bytes"
        except Exception:
            solders_view = "rejected"
        vectors.append({
            "name": f"parse/{name}",
            "input": {"op": "parseTransaction", "bytes": hx(data)},
            "intermediate": {"solders_from_bytes": solders_view, "note": note},
            "expect": {"error": "X402S_ERR_SOLANA_INVALID_TRANSACTION"},
        })

    parse_case("empty", b"", "no signature count")
    for cut in [1, 64, 65, 129, 130, 133, 134, 200, len(raw) - 33, len(raw) - 1]:
        parse_case(f"truncated_to_{cut}", raw[:cut], "every length is checked")
    parse_case("trailing_byte", raw + b"\x00", "trailing bytes rejected (solders/bincode accept them)")
    parse_case("signature_count_noncanonical_0x82_0x00", b"\x82\x00" + raw[1:], "compact-u16 alias")
    parse_case("signature_count_3_bytes_overflow", b"\xff\xff\x04" + raw[1:], "compact-u16 above 65535")
    parse_case("signature_count_third_byte_continues", b"\xff\xff\x83\x00" + raw[1:], "compact-u16 too long")
    parse_case("signature_count_huge", b"\xff\xff\x03" + raw[1:], "65535 signatures declared")
    msg_start = 1 + 64 * 2
    parse_case("message_version_1", raw[:msg_start] + b"\x81" + raw[msg_start + 1:], "only v0 is defined")
    parse_case("message_version_127", raw[:msg_start] + b"\xff" + raw[msg_start + 1:], "only v0 is defined")
    keys_at = msg_start + 4
    parse_case("account_key_count_huge", raw[:keys_at] + b"\xff\x7f" + raw[keys_at + 1:], "more keys than bytes")
    parse_case("lookup_count_1_without_body", raw[:-1] + b"\x01", "lookup declared, no bytes")
    parse_case("garbage_short", bytes.fromhex("deadbeef"), "")
    rnd = random.Random(40204)
    parse_case("garbage_random_300", bytes(rnd.getrandbits(8) for _ in range(300)), "")

    # Sanitize (Solana's rules), oracle: solders VersionedTransaction.sanitize().
    def sanitize_case(name, tx_bytes, note):
        t = VersionedTransaction.from_bytes(tx_bytes)
        assert len(bytes(t)) == len(tx_bytes)
        ok = _sanitizes(t)
        vectors.append({
            "name": f"sanitize/{name}",
            "input": {"op": "sanitizeTransaction", "bytes": hx(tx_bytes)},
            "intermediate": {"note": note},
            "expect": {"sanitizeOk": True} if ok else {"error": "X402S_ERR_SOLANA_INVALID_TRANSACTION"},
        })

    sanitize_case("x402_payment", raw, "")
    sanitize_case("legacy_payment", bytes(legacy), "")
    sanitize_case("with_lookup_table", bytes(with_alt), "")
    # One signature only (message requires 2).
    one_sig = b"\x01" + raw[1 + 64:]
    sanitize_case("signature_count_below_required", one_sig, "")
    three = b"\x03" + raw[1:msg_start] + bytes(64) + raw[msg_start:]
    sanitize_case("signature_count_above_required", three, "")
    m = bytearray(raw)
    m[msg_start + 2] = 2  # readonly signed = required
    sanitize_case("no_writable_signer", bytes(m), "")
    m = bytearray(raw)
    m[msg_start + 3] = 7  # readonly unsigned too large
    sanitize_case("header_counts_exceed_keys", bytes(m), "")
    # Instruction 0's program index: byte after the instruction count.
    ix_at = msg_start + 1 + 3 + 1 + 32 * 8 + 32 + 1
    assert raw[ix_at] == 4, raw[ix_at]
    m = bytearray(raw)
    m[ix_at] = 0
    sanitize_case("program_index_is_fee_payer", bytes(m), "")
    m = bytearray(raw)
    m[ix_at] = 8
    sanitize_case("program_index_out_of_range", bytes(m), "")
    # Transfer accounts (instruction 2): [03 07 02 01] -> make one 8.
    t_at = raw.index(bytes([6, 4, 3, 7, 2, 1]), ix_at)
    m = bytearray(raw)
    m[t_at + 2] = 8
    sanitize_case("account_index_out_of_range", bytes(m), "")
    from solders.message import MessageAddressTableLookup
    gm = good.message
    empty_lookup = MessageV0(gm.header, list(gm.account_keys), gm.recent_blockhash, list(gm.instructions),
                             [MessageAddressTableLookup(alt_key, bytes(), bytes())])
    sanitize_case("lookup_loads_nothing", bytes(VersionedTransaction.populate(empty_lookup, list(good.signatures))),
                  "a lookup that loads no account")
    return {
        "schema": "x402s.vectors.solana_message@1",
        "source": (
            "Generated by scripts/gen_solana_vectors.py. compileV0: solders 0.27.1 MessageV0.try_compile(payer, "
            "instructions, [], blockhash), serialized with to_bytes_versioned (0x80 prefix). parseTransaction: "
            "the decoded view of solders VersionedTransaction.from_bytes; messageHashBase64 = base64(sha256("
            "bytes(tx.message))) as x402 2.25.0 (v0 without the 0x80 prefix). Negative parse cases are our own "
            "(x402-secure parsing is stricter than solders: trailing bytes are rejected); intermediate records "
            "what solders does. sanitizeTransaction: oracle solders VersionedTransaction.sanitize()."
        ),
        "vectors": vectors,
    }


def _sanitizes(t):
    try:
        t.sanitize()
        return True
    except Exception:
        return False


# ---------------------------------------------------------------------------------------------
# solana_exact.json
# ---------------------------------------------------------------------------------------------

class StubFacilitatorSigner:
    def __init__(self, addresses):
        self.addresses = addresses

    def get_addresses(self):
        return list(self.addresses)

    def sign_transaction(self, tx_base64, fee_payer, network):
        return tx_base64

    def simulate_transaction(self, tx_base64, network):
        return None


def official_verify(tx_b64, network, asset, pay_to, amount, fee_payer, memo=None, signers=None):
    extra = {}
    if fee_payer is not None:
        extra["feePayer"] = fee_payer
    if memo is not None:
        extra["memo"] = memo
    req = PaymentRequirements(scheme="exact", network=network, asset=asset, amount=amount, pay_to=pay_to,
                              max_timeout_seconds=60, extra=extra)
    payload = PaymentPayload(x402_version=2, payload={"transaction": tx_b64}, accepted=req)
    fac = SvmFacilitator(StubFacilitatorSigner(signers if signers is not None else [str(FEE_PAYER.pubkey())]))
    try:
        r = fac.verify(payload, req)
    except Exception as e:  # the official code raises on some malformed input
        return {"exception": type(e).__name__}
    out = {"isValid": r.is_valid}
    if r.invalid_reason:
        out["invalidReason"] = r.invalid_reason
    if r.payer:
        out["payer"] = r.payer
    return out


def official_build(network, mint, amount, extra, decimals, program, memo_nonce):
    """Runs the official client with mint metadata stubbed and os.urandom patched."""
    svm_client.get_cached_mint_metadata = lambda client, net, m, cache: MintMetadata(decimals=decimals,
                                                                                     token_program=program)
    real = os.urandom
    os.urandom = lambda n: memo_nonce if memo_nonce is not None else real(n)
    try:
        req = PaymentRequirements(scheme="exact", network=network, asset=str(mint), amount=amount,
                                  pay_to=str(PAY_TO), max_timeout_seconds=60, extra=extra)
        scheme = SvmClient(KeypairSigner(CLIENT))
        return scheme.create_payment_payload(req)["transaction"]
    finally:
        os.urandom = real


def gen_exact():
    ref_path = ROOT.parent / "shared" / "vectors" / "x402-reference-vectors.json"
    if not ref_path.exists():
        ref_path = Path("/work/shared/vectors/x402-reference-vectors.json")
    ref = json.load(open(ref_path))["svm_exact"]
    vectors = []
    fee = str(FEE_PAYER.pubkey())

    # Build: reference vectors (x402 2.25.0 outputs), then more cases produced by the official client.
    patched = ref["memoRandomBytes_patched"]
    builds = []
    for case in ref["cases"]:
        memo = case["extra"].get("memo")
        builds.append(dict(name=f"reference_{case['name']}", network=case["network"], mint=case["mint"],
                           program=case["tokenProgram"], amount=case["amount"], decimals=6, memo=memo,
                           nonce=None if memo else patched, tx=case["transactionBase64"],
                           hash=case["decoded"]["messageHashKey_sha256_b64"]))
    v1 = ref["v1_devnet"]
    builds.append(dict(name="reference_v1_devnet", network="solana-devnet", mint=str(USDC_DEVNET), program=str(TOKEN),
                       amount="1000", decimals=6, memo=None, nonce=patched,
                       tx=json.loads(v1["paymentPayloadJson"])["payload"]["transaction"],
                       hash=v1["decoded"]["messageHashKey_sha256_b64"]))
    extra_builds = [
        ("official_amount_zero", DEVNET, USDC_DEVNET, TOKEN, "0", 6, "zero", None),
        ("official_amount_u64_max", DEVNET, USDC_DEVNET, TOKEN, str(2**64 - 1), 6, "max", None),
        ("official_decimals_9_token2022", MAINNET, PYUSD_DEVNET, TOKEN22, "987654321", 9, None, bytes(range(16, 32))),
        ("official_memo_unicode", DEVNET, USDC_DEVNET, TOKEN, "5", 6, "caf\u00e9 \u2603 \U0001F600", None),
        ("official_memo_256_bytes", DEVNET, USDC_DEVNET, TOKEN, "42", 6, "m" * 256, None),
        ("official_random_memo_ff", MAINNET, USDC_MAINNET, TOKEN, "10000", 6, None, b"\xff" * 16),
    ]
    for name, net, mint, prog, amount, dec, memo, nonce in extra_builds:
        extra = {"feePayer": fee, "recentBlockhash": str(BLOCKHASH)}
        if memo is not None:
            extra["memo"] = memo
        txb64 = official_build(net, mint, amount, extra, dec, prog, nonce)
        t = VersionedTransaction.from_bytes(base64.b64decode(txb64))
        builds.append(dict(name=name, network=net, mint=str(mint), program=str(prog), amount=amount, decimals=dec,
                           memo=memo, nonce=nonce.hex() if nonce else None, tx=txb64, hash=message_hash_b64(t)))
    # Cross-check: the stubbed official client reproduces the reference transactions.
    for b in builds[:3]:
        extra = {"feePayer": fee, "recentBlockhash": str(BLOCKHASH)}
        if b["memo"]:
            extra["memo"] = b["memo"]
        again = official_build(b["network"], Pubkey.from_string(b["mint"]), b["amount"], extra, 6,
                               Pubkey.from_string(b["program"]), bytes.fromhex(b["nonce"]) if b["nonce"] else None)
        assert again == b["tx"], b["name"]
    for b in builds:
        inp = {"op": "build", "signerSeed": hx(bytes([1] * 32)), "feePayer": fee, "payTo": str(PAY_TO),
               "mint": b["mint"], "decimals": b["decimals"], "tokenProgram": b["program"], "amount": b["amount"],
               "recentBlockhash": str(BLOCKHASH)}
        if b["memo"] is not None:
            inp["memo"] = b["memo"]
        if b["nonce"] is not None:
            inp["memoNonce"] = "0x" + b["nonce"]
        vectors.append({"name": f"build/{b['name']}", "input": inp, "intermediate": {"network": b["network"]},
                        "expect": {"transactionBase64": b["tx"], "messageHashBase64": b["hash"]}})
    # The facilitator's co-signature: the fee payer signs slot 0 (reference vectors, x402 2.25.0).
    for case in ref["cases"]:
        full = case["fullySignedByFeePayerBase64"]
        t = VersionedTransaction.from_bytes(base64.b64decode(case["transactionBase64"]))
        msg = t.message
        again = VersionedTransaction.populate(msg, [FEE_PAYER.sign_message(to_bytes_versioned(msg))] + list(t.signatures[1:]))
        assert b64(bytes(again)) == full, case["name"]
        vectors.append({"name": f"fee_payer_sign/reference_{case['name']}",
                        "input": {"op": "feePayerSign", "transactionBase64": case["transactionBase64"],
                                  "feePayerSeed": hx(bytes([2] * 32))},
                        "expect": {"transactionBase64": full,
                                   "signatures": case["fullySignedSignatures"]}})
    vectors.append({"name": "fee_payer_sign/error_not_a_signer",
                    "input": {"op": "feePayerSign", "transactionBase64": ref["cases"][0]["transactionBase64"],
                              "feePayerSeed": hx(bytes([5] * 32))},
                    "expect": {"error": "X402S_ERR_INVALID_ARGUMENT"}})
    base_build = {"op": "build", "signerSeed": hx(bytes([1] * 32)), "feePayer": fee, "payTo": str(PAY_TO),
                  "mint": str(USDC_DEVNET), "decimals": 6, "tokenProgram": str(TOKEN), "amount": "1000",
                  "recentBlockhash": str(BLOCKHASH), "memoNonce": "0x" + patched}
    for name, change, err in [
        ("memo_257_bytes", {"memo": "m" * 257}, "X402S_ERR_INVALID_ARGUMENT"),
        ("fee_payer_is_signer", {"feePayer": str(CLIENT.pubkey())}, "X402S_ERR_INVALID_ARGUMENT"),
        ("token_program_unknown", {"tokenProgram": str(SYSTEM)}, "X402S_ERR_INVALID_ARGUMENT"),
        ("memo_nonce_15_bytes", {"memoNonce": "0x" + "00" * 15}, "X402S_ERR_INVALID_LENGTH"),
        ("blockhash_31_bytes", {"recentBlockhash": b58encode(bytes([7] * 31))}, "X402S_ERR_INVALID_LENGTH"),
    ]:
        vectors.append({"name": f"build/error_{name}", "input": dict(base_build, **change), "expect": {"error": err}})

    # Verify.
    good = ref["cases"][0]
    gtx = good["transactionBase64"]

    def verify_case(name, tx, expect, network=DEVNET, asset=USDC_DEVNET, pay_to=PAY_TO, amount="1000",
                    fee_payer=fee, memo=None, decimals=None, signers=None, note=None):
        tx_b64 = tx if isinstance(tx, str) else b64(bytes(tx))
        inp = {"op": "verify", "transactionBase64": tx_b64, "network": network, "asset": str(asset),
               "payTo": str(pay_to), "amount": amount}
        if fee_payer is not None:
            inp["feePayer"] = fee_payer
        if memo is not None:
            inp["memo"] = memo
        if decimals is not None:
            inp["decimals"] = decimals
        if signers is not None:
            inp["facilitatorSigners"] = signers
        official = official_verify(tx_b64, network, str(asset), str(pay_to), amount, fee_payer, memo, signers)
        inter = {"official_x402_2_25_0": official}
        if note:
            inter["note"] = note
        if expect.get("isValid") is not None or "reason" in expect:
            try:
                t = VersionedTransaction.from_bytes(base64.b64decode(tx_b64, validate=True))
                if len(bytes(t)) == len(base64.b64decode(tx_b64)) and "noHash" not in expect:
                    expect = dict(expect, messageHashBase64=message_hash_b64(t))
            except Exception:
                pass
        expect = {k: v for k, v in expect.items() if k != "noHash"}
        vectors.append({"name": f"verify/{name}", "input": inp, "intermediate": inter, "expect": expect})

    client = str(CLIENT.pubkey())
    ok = {"isValid": True, "payer": client}

    def bad(reason, payer=True, **kw):
        e = {"isValid": False, "reason": reason}
        if payer:
            e["payer"] = client
        e.update(kw)
        return e

    for case in ref["cases"]:
        verify_case(f"reference_{case['name']}", case["transactionBase64"], ok, network=case["network"],
                    asset=case["mint"], amount=case["amount"], memo=case["extra"].get("memo"))
    verify_case("reference_v1_devnet", json.loads(v1["paymentPayloadJson"])["payload"]["transaction"], ok,
                network="solana-devnet")
    verify_case("reference_fully_signed_by_fee_payer", good["fullySignedByFeePayerBase64"], ok, memo="pi_3abc123def456")
    verify_case("with_decimals_known", gtx, ok, decimals=6)
    verify_case("with_facilitator_signers", gtx, ok, signers=[fee, str(OTHER_SIGNER.pubkey())])
    # Fee payer slot with garbage is ignored (the facilitator overwrites it).
    t = sign_v0(standard_ixs(), fee_payer_sig=Signature(bytes([0x5a] * 64)))
    verify_case("fee_payer_slot_garbage_ignored", t, ok)
    verify_case("legacy_message", sign_legacy(standard_ixs()), ok)
    verify_case("lighthouse_instruction_allowed", sign_v0(standard_ixs() + [Instruction(LIGHTHOUSE, b"\x01\x02", [])]), ok)
    verify_case("three_instructions_no_memo", sign_v0(standard_ixs()[:3]), ok)
    verify_case("compute_price_at_limit", sign_v0([cu_limit(), cu_price(5_000_000)] + standard_ixs()[2:]), ok)

    # Requirements side.
    verify_case("unsupported_network", gtx, bad("unsupported_network", payer=False, noHash=True), network="eip155:8453")
    verify_case("missing_fee_payer", gtx, bad("invalid_exact_svm_payload_missing_fee_payer", payer=False, noHash=True),
                fee_payer=None)
    verify_case("empty_fee_payer", gtx, bad("invalid_exact_svm_payload_missing_fee_payer", payer=False, noHash=True),
                fee_payer="")
    verify_case("fee_payer_not_base58", gtx, bad("fee_payer_not_managed_by_facilitator", payer=False, noHash=True),
                fee_payer="not-a-key")
    verify_case("fee_payer_not_managed", gtx, bad("fee_payer_not_managed_by_facilitator", payer=False, noHash=True),
                signers=[str(OTHER_SIGNER.pubkey())])
    verify_case("transaction_fee_payer_differs", sign_v0(standard_ixs(), payer=OTHER_SIGNER.pubkey()),
                bad("fee_payer_not_managed_by_facilitator", payer=False),
                note="x402-secure: account 0 must be extra.feePayer (2.25.0 only fails when co-signing)")
    # Decoding.
    raw = base64.b64decode(gtx)
    verify_case("garbage_base64", "!!!!", bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True))
    verify_case("empty_transaction", "", bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True))
    padded = ref["cases"][1]["transactionBase64"]
    assert padded.endswith("==")
    verify_case("unpadded_base64", padded.rstrip("="), bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True),
                network=MAINNET, asset=USDC_MAINNET, amount="10000")
    assert "/" in gtx or "+" in gtx
    verify_case("url_safe_base64", gtx.replace("+", "-").replace("/", "_"),
                bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True))
    verify_case("truncated", b64(raw[:-1]), bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True))
    verify_case("trailing_byte", b64(raw + b"\x00"), bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True),
                note="x402-secure rejects trailing bytes; solders ignores them")
    verify_case("random_garbage_bytes", b64(bytes(random.Random(9).getrandbits(8) for _ in range(480))),
                bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True))
    verify_case("over_1232_bytes", sign_v0(standard_ixs(memo=b"z" * 800)),
                bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True),
                note="x402-secure: Solana's packet limit is 1232 bytes")
    alt = AddressLookupTableAccount(Pubkey(bytes([0x77] * 32)), [ata(PAY_TO, USDC_DEVNET)])
    verify_case("address_lookup_table", sign_v0(standard_ixs(), alts=[alt]),
                bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False),
                note="x402-secure: lookup tables cannot be resolved offline")
    one_sig = b"\x01" + raw[1 + 64:]
    verify_case("signature_count_below_required", b64(one_sig),
                bad("invalid_exact_svm_payload_transaction_could_not_be_decoded", payer=False, noHash=True),
                note="fails Solana's sanitize rules")
    # Layout.
    ixs = standard_ixs()
    verify_case("two_instructions", sign_v0(ixs[1:3]), bad("invalid_exact_svm_payload_transaction_instructions_length", payer=False))
    seven = ixs + [memo_ix(b"a"), memo_ix(b"b"), memo_ix(b"c")]
    verify_case("seven_instructions", sign_v0(seven), bad("invalid_exact_svm_payload_transaction_instructions_length", payer=False))
    verify_case("compute_limit_wrong_discriminator", sign_v0([cu_limit(data=b"\x03\x20\x4e\x00\x00")] + ixs[1:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction", payer=False))
    verify_case("compute_limit_data_4_bytes", sign_v0([cu_limit(data=b"\x02\x20\x4e\x00")] + ixs[1:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction", payer=False),
                note="x402-secure: exact length (2.25.0 checks only the first byte)")
    verify_case("compute_limit_not_compute_budget", sign_v0([memo_ix(b"\x02\x20\x4e\x00\x00")] + ixs[1:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction", payer=False))
    verify_case("compute_price_wrong_discriminator", sign_v0([ixs[0], cu_price(data=b"\x02" + bytes(8))] + ixs[2:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction", payer=False))
    verify_case("compute_price_data_10_bytes", sign_v0([ixs[0], cu_price(data=b"\x03" + bytes(9))] + ixs[2:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction", payer=False),
                note="x402-secure: exact length")
    verify_case("compute_price_too_high", sign_v0([ixs[0], cu_price(5_000_001)] + ixs[2:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high", payer=False))
    verify_case("compute_price_u64_max", sign_v0([ixs[0], cu_price(2**64 - 1)] + ixs[2:]),
                bad("invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high", payer=False))
    verify_case("no_token_instruction", sign_v0(ixs[:2] + [memo_ix(b"x"), memo_ix(b"y")]),
                bad("invalid_exact_svm_payload_no_transfer_instruction", payer=False))
    verify_case("transfer_not_third", sign_v0(ixs[:2] + [ixs[3], ixs[2]]),
                bad("invalid_exact_svm_payload_no_transfer_instruction"))
    sys_ix = Instruction(SYSTEM, bytes([2, 0, 0, 0]) + (5).to_bytes(8, "little"), [
        AccountMeta(CLIENT.pubkey(), True, True), AccountMeta(STRANGER.pubkey(), False, True)])
    verify_case("unknown_fourth_instruction", sign_v0(ixs[:3] + [sys_ix]), bad("invalid_exact_svm_payload_unknown_fourth_instruction"))
    verify_case("unknown_fifth_instruction", sign_v0(ixs + [sys_ix]), bad("invalid_exact_svm_payload_unknown_fifth_instruction"))
    verify_case("unknown_sixth_instruction", sign_v0(ixs + [memo_ix(b"q"), sys_ix]), bad("invalid_exact_svm_payload_unknown_sixth_instruction"))
    # Memo.
    verify_case("memo_mismatch", gtx, bad("invalid_exact_svm_payload_memo_mismatch"), memo="pi_other")
    verify_case("memo_required_but_absent", sign_v0(ixs[:3]), bad("invalid_exact_svm_payload_memo_count"), memo="pi_3abc123def456")
    verify_case("memo_twice", sign_v0(ixs + [memo_ix()]), bad("invalid_exact_svm_payload_memo_count"), memo="pi_3abc123def456")
    verify_case("memo_matches", gtx, ok, memo="pi_3abc123def456")
    # Transfer instruction.
    verify_case("transfer_not_transfer_checked", sign_v0(ixs[:2] + [transfer(data=b"\x03" + (1000).to_bytes(8, "little") + b"\x06")] + ixs[3:]),
                bad("invalid_exact_svm_payload_no_transfer_instruction"))
    verify_case("transfer_data_11_bytes", sign_v0(ixs[:2] + [transfer(data=b"\x0c" + (1000).to_bytes(8, "little") + b"\x06\x00")] + ixs[3:]),
                bad("invalid_exact_svm_payload_no_transfer_instruction"), note="x402-secure: exact length")
    verify_case("transfer_data_9_bytes", sign_v0(ixs[:2] + [transfer(data=b"\x0c" + (1000).to_bytes(8, "little"))] + ixs[3:]),
                bad("invalid_exact_svm_payload_no_transfer_instruction"))
    # Fee payer.
    fp = FEE_PAYER.pubkey()
    verify_case("fee_payer_is_authority", sign_v0(ixs[:2] + [transfer(owner=fp)] + ixs[3:], signers=()),
                bad("invalid_exact_svm_payload_transaction_fee_payer_transferring_funds", payer=False, payer_is=str(fp)))
    verify_case("fee_payer_in_memo_accounts", sign_v0(ixs[:3] + [memo_ix(accounts=[AccountMeta(fp, True, True)])]),
                bad("invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"),
                note="x402-secure: the fee payer may appear in no instruction (2.25.0 checks only the authority)")
    verify_case("fee_payer_in_transfer_extra_accounts",
                sign_v0(ixs[:2] + [transfer(extra_accounts=[AccountMeta(fp, True, False)])] + ixs[3:]),
                bad("invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"))
    verify_case("authority_is_a_facilitator_signer", gtx,
                bad("invalid_exact_svm_payload_transaction_fee_payer_transferring_funds"),
                signers=[fee, client])
    # Mint, recipient, amount.
    verify_case("wrong_mint", gtx, bad("invalid_exact_svm_payload_mint_mismatch"), asset=USDC_MAINNET)
    verify_case("wrong_pay_to", gtx, bad("invalid_exact_svm_payload_recipient_mismatch"), pay_to=STRANGER.pubkey())
    verify_case("destination_ata_of_other_program",
                sign_v0(ixs[:2] + [transfer(mint=PYUSD_DEVNET, program=TOKEN22, dest=ata(PAY_TO, PYUSD_DEVNET, TOKEN))] + ixs[3:]),
                bad("invalid_exact_svm_payload_recipient_mismatch"), asset=PYUSD_DEVNET)
    verify_case("amount_less", gtx, bad("invalid_exact_svm_payload_amount_mismatch"), amount="1001")
    verify_case("amount_more", gtx, bad("invalid_exact_svm_payload_amount_mismatch"), amount="999",
                note="x402-secure: strict equality (2.25.0 accepts overpayment)")
    verify_case("amount_zero_required", gtx, bad("invalid_exact_svm_payload_amount_mismatch"), amount="0")
    verify_case("decimals_mismatch", gtx, bad("invalid_exact_svm_payload_amount_mismatch"), decimals=9)
    # Signatures.
    m = bytearray(raw)
    m[-2] ^= 0x01  # last memo byte: structure intact, client signature broken
    verify_case("tampered_memo_byte", b64(bytes(m)), bad("invalid_exact_svm_payload_signature"),
                note="x402-secure checks the client signature (2.25.0 leaves it to simulation)")
    m = bytearray(raw)
    bh_at = bytes(m).index(bytes([7] * 32))
    m[bh_at] ^= 0x01
    verify_case("tampered_blockhash_byte", b64(bytes(m)), bad("invalid_exact_svm_payload_signature"))
    m = bytearray(raw)
    m[1 + 64 + 10] ^= 0x01
    verify_case("tampered_client_signature", b64(bytes(m)), bad("invalid_exact_svm_payload_signature"))
    verify_case("client_signature_missing", sign_v0(ixs, signers=()), bad("invalid_exact_svm_payload_signature"))
    gmsg = MessageV0.try_compile(fp, ixs, [], BLOCKHASH)
    wrong = VersionedTransaction.populate(gmsg, [Signature.default(), STRANGER.sign_message(to_bytes_versioned(gmsg))])
    verify_case("signed_by_wrong_key", wrong, bad("invalid_exact_svm_payload_signature"))
    verify_case("authority_not_a_signer", sign_v0(ixs[:2] + [transfer(authority_signs=False)] + ixs[3:]),
                bad("invalid_exact_svm_payload_signature"))
    # Requirements errors (thrown, not reasons).
    verify_case("error_amount_not_decimal", gtx, {"error": "X402S_ERR_X402_INVALID_AMOUNT"}, amount="1e3")
    verify_case("error_amount_negative", gtx, {"error": "X402S_ERR_X402_INVALID_AMOUNT"}, amount="-1000")
    verify_case("error_amount_above_u64", gtx, {"error": "X402S_ERR_X402_INVALID_AMOUNT"}, amount=str(2**64))
    verify_case("error_asset_not_base58", gtx, {"error": "X402S_ERR_X402_INVALID_REQUIREMENTS"}, asset="0xdeadbeef")
    verify_case("error_pay_to_not_base58", gtx, {"error": "X402S_ERR_X402_INVALID_REQUIREMENTS"}, pay_to="O0O0")

    for v in vectors:
        e = v["expect"]
        if "payer_is" in e:
            e["payer"] = e.pop("payer_is")
    return {
        "schema": "x402s.vectors.solana_exact@1",
        "source": (
            "Generated by scripts/gen_solana_vectors.py. build: the svm_exact vectors of x402-reference-vectors."
            "json (x402 2.25.0) and more outputs of the official x402 2.25.0 client (ExactSvmScheme."
            "create_payment_payload with mint metadata stubbed and os.urandom patched to memoNonce); inputs are "
            "the signer's Ed25519 seed, base58 keys, decimal amount, optional memo (extra.memo) and memoNonce "
            "(16 bytes behind the default hex memo). feePayerSign: the facilitator's Ed25519 signature over the message "
            "put in the fee payer's slot (reference fullySignedByFeePayerBase64). verify: transactions from the reference vectors or built and "
            "signed with solders 0.27.1; expect is x402-secure's verdict (reason names from Reasons.swift, payer = "
            "transfer authority, messageHashBase64 = base64(sha256(bytes(tx.message)))), intermediate records the "
            "official x402 2.25.0 facilitator verify (simulation stubbed) for comparison; differences are noted."
        ),
        "vectors": vectors,
    }


def main():
    files = {
        "solana_pda.json": gen_pda(),
        "solana_message.json": gen_message(),
        "solana_exact.json": gen_exact(),
    }
    check = "--check" in sys.argv
    status = 0
    for name, doc in files.items():
        text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
        path = OUT / name
        if check:
            if not path.exists() or path.read_text() != text:
                print(f"{name}: differs from the generator output")
                status = 1
        else:
            OUT.mkdir(exist_ok=True)
            path.write_text(text)
            print(f"wrote {path} ({len(doc['vectors'])} vectors)")
    sys.exit(status)


if __name__ == "__main__":
    main()
