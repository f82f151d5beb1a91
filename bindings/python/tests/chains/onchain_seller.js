'use strict';
// A Node seller (x402Middleware, proxy mode) for the on-chain end-to-end test and demo: one
// paid route priced in the test token of the local EVM chain (any network, asset and EIP-712
// domain given in the environment). Prints {"event":"ready","url","port"} when listening.
//   GATEWAY_URL, NETWORK (eip155:<id>), ASSET, AMOUNT, PAY_TO, TOKEN_NAME, TOKEN_VERSION, PORT (0)
const http = require('http');
const path = require('path');
const { x402Middleware } = require(path.join(__dirname, '..', '..', '..', 'node'));

const env = process.env;
const offer = { network: env.NETWORK, payTo: env.PAY_TO, asset: env.ASSET, amount: env.AMOUNT,
  extra: { name: env.TOKEN_NAME || 'USDC', version: env.TOKEN_VERSION || '2' } };
const pay = x402Middleware({
  routes: { 'GET /api/market-data': { accepts: [offer], description: 'BTC/USD market data', mimeType: 'application/json' } },
  mode: 'proxy', gatewayUrl: env.GATEWAY_URL, timeoutMs: 30000,
  onEvent: (e) => console.log(JSON.stringify({ event: 'payment', ...e })),
});
const server = http.createServer((req, res) => pay(req, res, () => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ symbol: 'BTC/USD', price: '97000.00', paidWith: req.x402.requirement.network,
    payer: req.x402.payer, settlement: req.x402.settlement || null }));
}));
server.listen(Number(env.PORT || 0), '127.0.0.1', () => {
  const port = server.address().port;
  console.log(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${port}`, port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
