'use strict';
/**
 * A tiny x402 seller on node:http: one paid route priced in USDC on Base Sepolia
 * and on Solana devnet, settled through an x402-secure gateway (proxy mode).
 *
 *   GATEWAY_URL=http://127.0.0.1:8000 PAY_TO_EVM=0x… PAY_TO_SOLANA=… SOLANA_FEE_PAYER=… \
 *     node bindings/node/examples/seller.js
 *
 * Environment: PORT (0 = a free port), HOST (127.0.0.1), MODE (proxy | facilitator | local),
 * GATEWAY_URL, FACILITATOR_URL, PRICE ($0.01), PAY_TO_EVM, PAY_TO_SOLANA, SOLANA_FEE_PAYER,
 * SOLANA_BLOCKHASH (a recent blockhash put in the Solana offer; this example makes no RPC calls),
 * TIMEOUT_MS. Prints one JSON line {"event":"ready","url":…,"port":…} when listening, then one
 * JSON line per payment event.
 */

const http = require('http');
const { x402Middleware } = require('..');

const env = process.env;
const offers = [];
if (env.PAY_TO_EVM) offers.push({ network: 'eip155:84532', payTo: env.PAY_TO_EVM, price: env.PRICE || '$0.01' });
if (env.PAY_TO_SOLANA) {
  const extra = { feePayer: env.SOLANA_FEE_PAYER };
  if (env.SOLANA_BLOCKHASH) extra.recentBlockhash = env.SOLANA_BLOCKHASH;
  offers.push({ network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', payTo: env.PAY_TO_SOLANA, price: env.PRICE || '$0.01', extra });
}
if (offers.length === 0) {
  console.error('set PAY_TO_EVM and/or PAY_TO_SOLANA');
  process.exit(2);
}

const pay = x402Middleware({
  routes: { 'GET /api/market-data': { accepts: offers, description: 'BTC/USD market data', mimeType: 'application/json' } },
  mode: env.MODE || 'proxy',
  gatewayUrl: env.GATEWAY_URL,
  facilitatorUrl: env.FACILITATOR_URL,
  timeoutMs: env.TIMEOUT_MS ? Number(env.TIMEOUT_MS) : 10000,
  solanaFeePayers: env.SOLANA_FEE_PAYER ? [env.SOLANA_FEE_PAYER] : undefined,
  onEvent: (e) => console.log(JSON.stringify({ event: 'payment', ...e })),
});

function handler(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/health') {
    res.setHeader('Content-Type', 'application/json');
    return res.end('{"status":"ok"}');
  }
  if (url.pathname === '/api/market-data') {
    const body = JSON.stringify({
      symbol: url.searchParams.get('symbol') || 'BTC/USD',
      price: '97000.00',
      source: 'example-seller',
      paidWith: req.x402 ? req.x402.requirement.network : null,
      payer: req.x402 ? req.x402.payer : null,
    });
    res.setHeader('Content-Type', 'application/json');
    return res.end(body);
  }
  res.statusCode = 404;
  res.setHeader('Content-Type', 'application/json');
  return res.end('{"error":"not_found"}');
}

const server = http.createServer((req, res) => pay(req, res, () => handler(req, res)));
server.listen(Number(env.PORT || 0), env.HOST || '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ event: 'ready', url: `http://${env.HOST || '127.0.0.1'}:${port}`, port }));
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
