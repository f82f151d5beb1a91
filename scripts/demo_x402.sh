#!/usr/bin/env bash
# make demo, x402 exchange: in ONE process per language (Python, Node), a seller builds the
# 402 answer (PAYMENT-REQUIRED header + v1 body), a buyer parses it, chooses by policy, pays on
# Base Sepolia (EIP-3009) and on Solana devnet (SPL TransferChecked), and the seller verifies
# offline with a replay guard (a replay is refused) and answers with a PAYMENT-RESPONSE
# receipt. Then the CLI pays the Python seller's answer and verifies its own headers, and the
# languages verify each other's payments. No network is used; the keys are public test keys.
# Needs: X402SECURE_LIB, VPY (python with x402secure), CLI (x402secure executable).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VPY:=python3}" "${CLI:=build/bin/x402secure}"
export X402_DEMO_NOW
X402_DEMO_NOW=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== x402 exchange: seller -> 402 -> buyer pays (Base Sepolia, Solana devnet) -> seller verifies"

"$VPY" - "$tmp" <<'PY'
import base64, json, os, sys
import x402secure as x
from x402secure import solana

out = sys.argv[1]
now = int(os.environ["X402_DEMO_NOW"])
PAY_TO_EVM = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
PAY_TO_SOL = "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse"
FEE_PAYER_SEED = bytes([2]) * 32                      # the facilitator's fee payer (test seed)
FEE_PAYER = x.SolanaKeypair.from_seed(FEE_PAYER_SEED)
BLOCKHASH = "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"  # stands in for getLatestBlockhash

# --- seller: the 402 answer
answer = x.payment_required_response(
    [{"network": "base-sepolia", "payTo": PAY_TO_EVM, "price": "$0.01"},
     {"network": "solana-devnet", "payTo": PAY_TO_SOL, "price": "$0.01",
      "extra": {"feePayer": FEE_PAYER.address, "recentBlockhash": BLOCKHASH}}],
    resource={"url": "https://api.example.com/premium-data", "description": "market data"})
print("[python seller] 402", {k: (v[:48] + "...") if len(v) > 60 else v for k, v in answer.headers.items()})
open(os.path.join(out, "payment_required.txt"), "w").write(answer.headers["PAYMENT-REQUIRED"])
guard = x.ReplayGuard()

def seller_verify(header_name, value):
    payment = x.decode_payment_header(value)
    accepted = payment["accepted"]
    # the seller verifies against its OWN copy of the requirement the buyer chose
    mine = next(r for r in answer.accepts if r["network"] == accepted["network"])
    r = x.verify_payment(value, mine, now, solana_fee_payers=[FEE_PAYER.address], replay_guard=guard)
    again = x.verify_payment(value, mine, now, solana_fee_payers=[FEE_PAYER.address], replay_guard=guard)
    receipt = x.encode_settle_response({"success": True, "transaction": "", "network": mine["network"], "payer": r.payer})
    print(f"[python seller] {header_name} on {mine['network']}: valid={r.is_valid} payer={r.payer}; "
          f"replayed: {again.invalid_reason}; PAYMENT-RESPONSE {receipt[:32]}...")
    assert r.is_valid and again.invalid_reason == "duplicate_payment"

# --- buyer: parse, choose by policy, pay (EVM, then Solana)
required = x.parse_payment_required({"payment-required": answer.headers["PAYMENT-REQUIRED"]}, answer.body)
with x.EvmAccount.from_key("0x" + "01" * 32) as evm, x.SolanaKeypair.from_seed(bytes([1]) * 32) as sol:
    for signer, net in ((evm, "eip155:84532"), (sol, "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1")):
        policy = {"networks": [net], "maxPrice": "$0.05"}
        chosen = x.select_requirement(required, policy)
        name, value = x.create_payment_header(required, signer, policy, now=now)
        p = x.decode_payment_header(value)["payload"]
        detail = (f"authorization.value={p['authorization']['value']} nonce={p['authorization']['nonce'][:18]}..."
                  if "authorization" in p else f"transaction={len(base64.b64decode(p['transaction']))} bytes")
        print(f"[python buyer]  pays {chosen['amount']} on {chosen['network']} as {signer.address}: {name} {detail}")
        seller_verify(name, value)
        open(os.path.join(out, f"python_{'evm' if signer is evm else 'svm'}.txt"), "w").write(value)
        if signer is sol:
            full = solana.sign_transaction(base64.b64decode(p["transaction"]), FEE_PAYER)
            print(f"[python facilitator] fee payer co-signed: {solana.decode_transaction(full)['signatures'][0][:20]}...")
guard.close()
PY

node - "$tmp" <<'JS'
const fs = require('fs');
const path = require('path');
const x = require('./bindings/node');
const out = process.argv[2];
const now = Number(process.env.X402_DEMO_NOW);
const payToEvm = '0x209693Bc6afc0C5328bA36FaF03C514EF312287C';
const feePayer = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 2));
const answer = x.paymentRequiredResponse([
  { network: 'eip155:84532', payTo: payToEvm, price: '$0.01' },
  { network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', payTo: 'GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse', price: '$0.01',
    extra: { feePayer: feePayer.address, recentBlockhash: 'US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx' } },
], { resource: 'https://api.example.com/premium-data' });
console.log(`[node seller]   402 with PAYMENT-REQUIRED (${answer.accepts.length} offers)`);
const guard = new x.ReplayGuard();
const required = x.parsePaymentRequired(new Headers(answer.headers), answer.body);
const evm = x.EvmAccount.fromKey('0x' + '01'.repeat(32));
const sol = x.SolanaKeypair.fromSeed(Buffer.alloc(32, 1));
for (const [signer, net, tag] of [[evm, 'eip155:84532', 'evm'], [sol, 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', 'svm']]) {
  const policy = { networks: [net] };
  const [name, value] = x.createPaymentHeader(required, signer, policy, { now });
  const mine = answer.accepts.find((r) => r.network === net);
  const r = x.verifyPayment(value, mine, now, { solanaFeePayers: [feePayer.address], replayGuard: guard });
  const again = x.verifyPayment(value, mine, now, { solanaFeePayers: [feePayer.address], replayGuard: guard });
  console.log(`[node buyer]    ${name} on ${net} -> seller: valid=${r.isValid} payer=${r.payer}; replayed: ${again.invalidReason}`);
  if (!r.isValid || again.invalidReason !== 'duplicate_payment') process.exit(1);
  fs.writeFileSync(path.join(out, `node_${tag}.txt`), value);
  // cross-language: the Python buyer's payment verifies in Node too
  const py = fs.readFileSync(path.join(out, `python_${tag}.txt`), 'utf8');
  const pr = x.verifyPayment(py, x.decodePaymentHeader(py).accepted, now, { solanaFeePayers: [feePayer.address] });
  console.log(`[node]          verifies the Python buyer's ${tag} payment: valid=${pr.isValid}`);
  if (!pr.isValid) process.exit(1);
}
guard.close();
evm.close();
sol.close();
JS

export X402_PRIVATE_KEY=0x0101010101010101010101010101010101010101010101010101010101010101
header=$(cat "$tmp/payment_required.txt")
for kind in evm svm; do
  if [[ $kind == evm ]]; then flag=(); policy='{"networks":["eip155:84532"]}'; else flag=(--solana); policy='{"networks":["solana:*"]}'; fi
  line=$("$CLI" pay --header "$header" --key-env X402_PRIVATE_KEY "${flag[@]}" --policy "$policy" --now "$X402_DEMO_NOW")
  value=${line#*: }
  "$CLI" decode "$value" --compact > "$tmp/cli_$kind.json"
  "$VPY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["accepted"]))' "$tmp/cli_$kind.json" > "$tmp/req_$kind.json"
  verdict=$("$CLI" verify --header "$value" --requirements "$tmp/req_$kind.json" --now "$X402_DEMO_NOW")
  echo "[cli]           ${line%%:*} ($kind) -> x402secure verify: $verdict"
  node -e "const x=require('./bindings/node'); const v=process.argv[1]; const r=x.verifyPayment(v, x.decodePaymentHeader(v).accepted, Number(process.argv[2])); if(!r.isValid) process.exit(1); console.log('[node]          verifies the CLI payment: valid=true')" "$value" "$X402_DEMO_NOW"
done
echo "OK: every seller accepted every buyer once, refused the replays, and the languages agree."
