"""Test chains on loopback: an EVM (py-evm through eth-tester) and Solana (LiteSVM) behind thin
JSON-RPC fronts, so the on-chain facilitator is tested over real HTTP against real virtual
machines. Test infrastructure only; never imported by the package."""
