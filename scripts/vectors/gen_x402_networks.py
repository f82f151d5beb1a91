#!/usr/bin/env python3
"""Generate test-vectors/x402_networks.json and x402_price.json from the official x402 2.25.0.

Run with the probe venv: /tmp/probe-venv/bin/python scripts/vectors/gen_x402_networks.py
Expected values come from x402 2.25.0 (Python) except for the three v1 chain-id conflicts, where
the TypeScript/Go values of ../shared/specs/x402-protocol.md section 2.1 are used.
"""
import json, pathlib
from x402.mechanisms.evm.default_assets import DEFAULT_ASSETS as EVM, get_default_asset as evm_default
from x402.mechanisms.evm.v1.constants import V1_NETWORK_CHAIN_IDS
from x402.mechanisms.evm.utils import get_evm_chain_id
from x402.mechanisms.svm.default_assets import DEFAULT_ASSETS as SVM
from x402.mechanisms.svm.constants import V1_TO_V2_NETWORK_MAP, TOKEN_PROGRAM_ADDRESS
from x402.schemas.helpers import convert_to_token_amount, parse_money_string

root = pathlib.Path(__file__).resolve().parents[2] / "test-vectors"
TS_GO = {"story": 1514, "educhain": 41923, "skale-base-sepolia": 324705682, "sepolia": 11155111}

vectors = []
for name, cid in sorted(V1_NETWORK_CHAIN_IDS.items()):
    cid = TS_GO.get(name, cid)
    vectors.append({"name": f"v1_evm_{name}", "input": {"network": name},
                    "expect": {"caip2": f"eip155:{cid}", "family": "eip155", "chainId": cid}})
for name in ("sepolia",):
    vectors.append({"name": f"v1_evm_{name}_typescript_only", "input": {"network": name},
                    "expect": {"caip2": f"eip155:{TS_GO[name]}", "family": "eip155", "chainId": TS_GO[name]}})
for v1, caip in sorted(V1_TO_V2_NETWORK_MAP.items()):
    vectors.append({"name": f"v1_svm_{v1}", "input": {"network": v1},
                    "expect": {"caip2": caip, "family": "solana"}})
for caip in EVM:
    a = evm_default(caip)
    exp = {"caip2": caip, "family": "eip155", "chainId": get_evm_chain_id(caip),
           "defaultAsset": {"address": a["asset"], "symbol": a["symbol"], "decimals": a["decimals"],
                            "eip712Name": a["name"], "eip712Version": a["version"],
                            "transferMethod": a.get("asset_transfer_method", "eip3009"),
                            "supportsEip2612": bool(a.get("supports_eip2612", False))},
           "assetCount": len(EVM[caip])}
    vectors.append({"name": f"caip2_{caip}", "input": {"network": caip}, "expect": exp})
for caip, lst in SVM.items():
    a = lst[0]
    vectors.append({"name": f"caip2_{caip}", "input": {"network": caip},
                    "expect": {"caip2": caip, "family": "solana",
                               "defaultAsset": {"address": a["asset"], "symbol": a["symbol"], "decimals": a["decimals"],
                                                "transferMethod": "splTransferChecked",
                                                "tokenProgram": "token" if a["token_program"] == TOKEN_PROGRAM_ADDRESS else "token2022"},
                               "assetCount": len(lst)}})
# any eip155:<n> resolves to a chain id even when not in the table (Python get_evm_chain_id)
for caip in ("eip155:999999", "eip155:7"):
    vectors.append({"name": f"unlisted_{caip}", "input": {"network": caip},
                    "expect": {"chainId": get_evm_chain_id(caip), "inTable": False}})
for bad in ("eip155:", "eip155:abc", "eip155:-1", "eip155:0", "eip155:08453", "Base", "solana:mainnet", "", "eip155:99999999999999999999999"):
    vectors.append({"name": f"unknown_{bad or 'empty'}", "input": {"network": bad},
                    "expect": {"error": "X402S_ERR_X402_UNKNOWN_NETWORK"}})

doc = {"schema": "x402s.vectors.x402_networks@1",
       "source": "x402==2.25.0 (Python) default_assets.py / V1_NETWORK_CHAIN_IDS / V1_TO_V2_NETWORK_MAP via scripts/vectors/gen_x402_networks.py; "
                 "v1 chain ids story/educhain/skale-base-sepolia/sepolia from the TypeScript/Go SDKs (x402-protocol.md 2.1). "
                 "Stricter than Python: eip155:0, leading zeros and ids above 2^64-1 are rejected.",
       "vectors": vectors}
(root / "x402_networks.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

# Prices: valid ones computed by the official helpers; stricter cases are our own.
pv = []
for price, dec in [("$0.01", 6), ("0.01", 6), ("$1", 6), ("1.5", 6), ("$0.000001", 6), ("$0", 6), ("0.10", 6),
                   ("$1234567.891", 6), ("1", 18), ("$0.001", 18), ("0.123456", 6), ("1.500000000", 6),
                   ("007.5", 6), ("5", 0), ("$10.00", 2)]:
    amt = convert_to_token_amount(parse_money_string(price), dec)
    pv.append({"name": f"price_{price}_{dec}", "input": {"price": price, "decimals": dec}, "expect": {"amount": amt}})
for price, dec in [("0.0000001", 6), ("-1", 6), ("$-0.01", 6), ("abc", 6), ("", 6), ("1e3", 6), (" 1", 6), ("1 ", 6),
                   ("1.", 6), (".5", 6), ("$", 6), ("1,000", 6), ("1.2.3", 6), ("$$1", 6), ("+1", 6), ("1.5", 0),
                   ("1" * 78, 0), ("0.01 USDC", 6)]:
    pv.append({"name": f"bad_price_{price!r}_{dec}", "input": {"price": price, "decimals": dec},
               "expect": {"error": "X402S_ERR_X402_INVALID_AMOUNT"}})
pv.append({"name": "bad_decimals", "input": {"price": "1", "decimals": 78}, "expect": {"error": "X402S_ERR_INVALID_ARGUMENT"}})
doc = {"schema": "x402s.vectors.x402_price@1",
       "source": "valid cases: x402==2.25.0 convert_to_token_amount(parse_money_string(price), decimals) via scripts/vectors/gen_x402_networks.py; "
                 "error cases are x402-secure's stricter rules (no truncation of extra decimals, no sign, no spaces, no exponent, no ticker).",
       "vectors": pv}
(root / "x402_price.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
print("ok", len(vectors), len(pv))
