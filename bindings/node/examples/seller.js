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
 *
 * The handler routes on what the middleware matched (req.x402Route / req.x402.route), method
 * included, so every spelling of the paid URL (dot segments, absolute-form, percent-encoding,
 * case, slashes) is priced by the middleware and served by the same handler once paid.
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

const MARKET_DATA = 'GET /api/market-data';

const pay = x402Middleware({
  routes: { [MARKET_DATA]: { accepts: offers, description: 'BTC/USD market data', mimeType: 'application/json' } },
  mode: env.MODE || 'proxy',
  gatewayUrl: env.GATEWAY_URL,
  facilitatorUrl: env.FACILITATOR_URL,
  timeoutMs: env.TIMEOUT_MS ? Number(env.TIMEOUT_MS) : 10000,
  solanaFeePayers: env.SOLANA_FEE_PAYER ? [env.SOLANA_FEE_PAYER] : undefined,
  onEvent: (e) => console.log(JSON.stringify({ event: 'payment', ...e })),
});

/** A JSON answer; HEAD gets the headers only. */
function send(req, res, status, doc) {
  const body = Buffer.from(JSON.stringify(doc), 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', String(body.length));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The query parameters (the path was routed by the middleware; only the query is read here). */
function query(req) {
  const target = req.originalUrl || req.url || '';
  const q = target.indexOf('?');
  if (q < 0) return new URLSearchParams();
  const h = target.indexOf('#', q);
  return new URLSearchParams(target.slice(q + 1, h < 0 ? undefined : h));
}

function marketData(req, res) {
  send(req, res, 200, {
    symbol: query(req).get('symbol') || 'BTC/USD',
    price: '97000.00',
    source: 'example-seller',
    paidWith: req.x402.requirement.network,
    payer: req.x402.payer,
    route: req.x402.route.key,
  });
}

/** Paid handlers by the route key the middleware matched; free ones by canonical "METHOD /path". */
const PAID = { [MARKET_DATA]: marketData };
const FREE = { 'GET /health': (req, res) => send(req, res, 200, { status: 'ok' }) };

/**
 * Routes on what the middleware matched (req.x402Route: the canonical method and path, and the
 * priced route's key), never on a second reading of req.url, and with the method: a spelling
 * the middleware priced reaches the same handler, and nothing priced runs unpaid.
 */
function handler(req, res) {
  const route = req.x402Route;
  if (route.key !== null) {
    const paid = PAID[route.key];
    if (paid === undefined || !req.x402) return send(req, res, 500, { error: 'unrouted_paid_route' });
    return paid(req, res);
  }
  const free = FREE[`${route.method} ${route.path}`];
  if (free !== undefined) return free(req, res);
  return send(req, res, 404, { error: 'not_found' });
}

const server = http.createServer((req, res) => pay(req, res, () => handler(req, res)));
server.listen(Number(env.PORT || 0), env.HOST || '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ event: 'ready', url: `http://${env.HOST || '127.0.0.1'}:${port}`, port }));
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
