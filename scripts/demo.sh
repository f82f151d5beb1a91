#!/usr/bin/env bash
# make demo: one EIP-3009 TransferWithAuthorization typed document (Base Sepolia USDC) signed
# and recovered from Swift (the CLI), Python and Node, all through the same core. The three
# digests and signatures must be identical, and equal to the official x402 package's vector.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=demo/transfer_with_authorization.json
# The well-known test key 0x01..01 (never use it for real funds).
export X402_PRIVATE_KEY=0x0101010101010101010101010101010101010101010101010101010101010101
expected_digest=$(awk '/^digest/{print $2}' demo/expected.txt)
expected_sig=$(awk '/^signature/{print $2}' demo/expected.txt)

echo "== EIP-3009 TransferWithAuthorization on Base Sepolia (document: $doc)"
echo

swift_out=$("$CLI" sign-typed-data "$doc" --key-env X402_PRIVATE_KEY)
swift_digest=$(sed -E 's/.*"digest":"([^"]+)".*/\1/' <<<"$swift_out")
swift_sig=$(sed -E 's/.*"signature":"([^"]+)".*/\1/' <<<"$swift_out")
swift_rec=$("$CLI" recover --digest "$swift_digest" --signature "$swift_sig")

read -r py_digest py_sig py_rec < <("$VPY" - "$doc" <<'PY'
import json, os, sys
import x402secure as x
doc = json.load(open(sys.argv[1]))
acct = x.EvmAccount.from_key(os.environ["X402_PRIVATE_KEY"])
digest = x.eip712_hash(doc)
sig = acct.sign_typed_data(doc)
print("0x" + digest.hex(), "0x" + sig.hex(), x.recover_address(digest, sig))
PY
)

read -r node_digest node_sig node_rec < <(node - "$doc" <<'JS'
const fs = require('fs');
const x = require('./bindings/node');
const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const acct = x.EvmAccount.fromKey(process.env.X402_PRIVATE_KEY);
const digest = x.eip712Hash(doc);
const sig = acct.signTypedData(doc);
console.log('0x' + Buffer.from(digest).toString('hex'), '0x' + Buffer.from(sig).toString('hex'), x.recoverAddress(digest, sig));
JS
)

printf '%-8s %-68s %s\n' lang digest "recovered signer"
printf '%-8s %-68s %s\n' swift "$swift_digest" "$swift_rec"
printf '%-8s %-68s %s\n' python "$py_digest" "$py_rec"
printf '%-8s %-68s %s\n' node "$node_digest" "$node_rec"
echo
echo "signature (swift)  $swift_sig"
echo "signature (python) $py_sig"
echo "signature (node)   $node_sig"
echo "official x402 2.25.0 vector: $expected_sig"
echo
if [[ "$swift_digest" == "$py_digest" && "$py_digest" == "$node_digest" && "$node_digest" == "$expected_digest" \
   && "$swift_sig" == "$py_sig" && "$py_sig" == "$node_sig" && "$node_sig" == "$expected_sig" \
   && "$swift_rec" == "$py_rec" && "$py_rec" == "$node_rec" ]]; then
  echo "OK: Swift, Python and Node agree byte for byte, and match the official package."
else
  echo "MISMATCH between languages" >&2
  exit 1
fi
