"""The on-chain stack shared by the end-to-end test and ``make demo ONCHAIN=1``
(scripts/demo_onchain.py): a py-evm chain behind JSON-RPC with the EIP-3009 token, the
x402-secure gateway settling through the on-chain facilitator, and a Node seller."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any, Dict

import x402secure as x
from x402secure import evm

from .evm_node import EvmNode

REPO = Path(__file__).resolve().parents[4]
SELLER_JS = Path(__file__).with_name("onchain_seller.js")
FAC_KEY = "6b" * 32
PAY_TO = "0x0987654321098765432109876543210987654321"

_spec = importlib.util.spec_from_file_location("demo_e2e", REPO / "scripts" / "demo_e2e.py")
demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo)  # type: ignore[union-attr]


class OnchainStack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)

    def __enter__(self) -> "OnchainStack":
        self.node = EvmNode().start()
        self.token = self.node.deploy_token()
        self.network = f"eip155:{self.node.chain_id}"
        self.pay_to = PAY_TO
        with x.EvmAccount.from_key(FAC_KEY) as fac:
            self.facilitator = fac.address
        self.node.fund_eth(self.facilitator, 10**18)
        cfg = {"networks": [{"network": self.network, "rpcUrls": [self.node.url], "signerKeyEnv": "X402S_ONCHAIN_KEY",
                             "receiptTimeout": 20, "pollInterval": 0.05, "rpcTimeout": 5}]}
        self.config_path = self.workdir / "facilitator.json"
        self.config_path.write_text(json.dumps(cfg))
        self.svc = demo.Services().__enter__()
        try:
            self.gateway = self.svc.start_gateway("--upstream", "onchain", "--onchain-config", str(self.config_path),
                                                  name="gateway-onchain", env={"X402S_ONCHAIN_KEY": FAC_KEY})
            env = dict(self.svc.env, GATEWAY_URL=self.gateway.url, NETWORK=self.network, ASSET=self.token,
                       AMOUNT="10000", PAY_TO=self.pay_to, PORT="0")
            self.seller = self.svc._start("seller-onchain", [self.svc.node, str(SELLER_JS)], env)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.svc.__exit__(*exc)
        finally:
            self.node.stop()

    def policy(self) -> Dict[str, Any]:
        return {"networks": [self.network], "allowUnknownAssets": True, "maxAmount": "10000", "maxPrice": None}

    def mint(self, who: str, amount: int) -> None:
        self.node.transact(self.token, evm.abi_encode_call("mint(address,uint256)", [who, amount]))

    def balance(self, who: str) -> int:
        return evm.abi_decode("(uint256)", self.node.call(self.token, evm.abi_encode_call(evm.BALANCE_OF, [who])))[0]
