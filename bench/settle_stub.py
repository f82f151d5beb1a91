"""The stubbed EVM node both settle paths of bench/settle_bench.py talk to: the same canned
answers for the same JSON-RPC methods (a deployed token, enough balance, an unused
authorization, a successful simulation, a receipt with the expected Transfer log at once).
The only computed answer is the transaction hash (keccak-256 of the raw transaction)."""

from __future__ import annotations

from typing import Any, List

from eth_utils import keccak

CHAIN_ID = 84532
TOKEN = "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
VALUE = 10000
TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"


def word(n: int) -> str:
    return "0x" + n.to_bytes(32, "big").hex()


class Node:
    def __init__(self, payer: str, facilitator: str) -> None:
        self.payer = payer.lower()
        self.facilitator = facilitator
        self.last_hash = "0x" + "00" * 32
        self.calls = 0

    def answer(self, method: str, params: List[Any]) -> Any:
        self.calls += 1
        if method == "eth_chainId":
            return hex(CHAIN_ID)
        if method == "eth_getCode":
            return "0x6080604052"
        if method == "eth_call":
            data = params[0].get("data") or params[0].get("input") or "0x"
            if data.startswith("0x70a08231"):  # balanceOf
                return word(10**12)
            return word(0)  # authorizationState false; the transfer simulation returns nothing
        if method == "eth_estimateGas":
            return hex(90000)
        if method == "eth_gasPrice":
            return hex(2 * 10**9)
        if method == "eth_maxPriorityFeePerGas":
            return hex(10**9)
        if method == "eth_blockNumber":
            return hex(1000)
        if method == "eth_getBlockByNumber":
            return {"number": hex(1000), "hash": "0x" + "11" * 32, "parentHash": "0x" + "10" * 32,
                    "timestamp": hex(1_800_000_000), "baseFeePerGas": hex(10**9), "gasLimit": hex(30_000_000),
                    "gasUsed": hex(0), "miner": "0x" + "00" * 20, "extraData": "0x", "difficulty": "0x0",
                    "nonce": "0x0000000000000000", "sha3Uncles": "0x" + "00" * 32, "logsBloom": "0x" + "00" * 256,
                    "transactionsRoot": "0x" + "00" * 32, "stateRoot": "0x" + "00" * 32,
                    "receiptsRoot": "0x" + "00" * 32, "size": "0x1", "totalDifficulty": "0x0",
                    "transactions": [], "uncles": [], "mixHash": "0x" + "00" * 32}
        if method == "eth_getTransactionCount":
            return hex(7)
        if method == "eth_sendRawTransaction":
            self.last_hash = "0x" + keccak(bytes.fromhex(params[0][2:])).hex()
            return self.last_hash
        if method == "eth_getTransactionReceipt":
            return {"transactionHash": params[0], "transactionIndex": "0x0", "blockHash": "0x" + "11" * 32,
                    "blockNumber": hex(1000), "from": self.facilitator, "to": TOKEN, "cumulativeGasUsed": hex(60000),
                    "gasUsed": hex(60000), "effectiveGasPrice": hex(2 * 10**9), "contractAddress": None,
                    "logsBloom": "0x" + "00" * 256, "status": "0x1", "type": "0x2",
                    "logs": [{"address": TOKEN, "topics": [TRANSFER, "0x" + "00" * 12 + self.payer[2:],
                                                           "0x" + "00" * 12 + PAY_TO[2:].lower()],
                              "data": word(VALUE), "blockNumber": hex(1000), "transactionHash": params[0],
                              "transactionIndex": "0x0", "blockHash": "0x" + "11" * 32, "logIndex": "0x0",
                              "removed": False}]}
        raise KeyError(method)
