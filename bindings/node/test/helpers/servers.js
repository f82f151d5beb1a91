'use strict';
// Loopback servers and a payer for the middleware tests (middleware_routes.test.js,
// middleware_upstream.test.js): each server binds port 0 on 127.0.0.1.

const http = require('node:http');

const x = require('../..');

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // Hardhat #0 (public)
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const BASE_SEPOLIA = 'eip155:84532';
const SID = '925ca6ee-aa4b-4508-955b-10b1c02c69bb';

/** An http server on a free loopback port: {server, port, url}. */
function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, port, url: `http://127.0.0.1:${port}` });
    });
  });
}

/** Close a server of listen(), dropping its open connections. */
function close(s) {
  s.server.closeAllConnections();
  return new Promise((r) => s.server.close(r));
}

function json(res, status, doc) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(doc));
}

/** [name, value] of a payment for a PAYMENT-REQUIRED header value, by the test buyer. */
let buyer = null;
function payment(paymentRequiredHeader) {
  if (buyer === null) buyer = x.EvmAccount.fromKey(KEY);
  const pr = x.parsePaymentRequired(paymentRequiredHeader, null);
  const out = x.createPaymentHeader(pr, buyer, { networks: [BASE_SEPOLIA] }, {});
  return Array.isArray(out) ? out : [out.headerName || out.name, out.headerValue || out.value];
}

/** The risk headers proxy mode requires, as an object. */
function riskHeaders() {
  return { 'X-RISK-SESSION': SID, 'X-PAYMENT-SECURE': x.buildPaymentSecureHeader(null, {}) };
}

module.exports = { ADDRESS, BASE_SEPOLIA, listen, close, json, payment, riskHeaders };
