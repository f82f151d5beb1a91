/* Test fixtures shared by the C programs in Tests/c (smoke test, leak loop, ...). */
#ifndef X402S_TEST_FIXTURES_H
#define X402S_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The EIP-712 specification's Mail example as eth_signTypedData_v4 JSON. */
#define X402S_TEST_MAIL_JSON \
    "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"}," \
    "{\"name\":\"version\",\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"}," \
    "{\"name\":\"verifyingContract\",\"type\":\"address\"}]," \
    "\"Person\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"wallet\",\"type\":\"address\"}]," \
    "\"Mail\":[{\"name\":\"from\",\"type\":\"Person\"},{\"name\":\"to\",\"type\":\"Person\"}," \
    "{\"name\":\"contents\",\"type\":\"string\"}]},\"primaryType\":\"Mail\"," \
    "\"domain\":{\"name\":\"Ether Mail\",\"version\":\"1\",\"chainId\":1," \
    "\"verifyingContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"}," \
    "\"message\":{\"from\":{\"name\":\"Cow\",\"wallet\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"}," \
    "\"to\":{\"name\":\"Bob\",\"wallet\":\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"}," \
    "\"contents\":\"Hello, Bob!\"}}"

/* Addresses and ids the C tests put into requirements, transactions and risk headers. */
#define PAY_TO "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
#define USDC_BASE_SEPOLIA "0x036CbD53842c5426634e7929541eC2318f3dCF7e"
#define FEE_PAYER "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"
#define SOL_PAY_TO "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse"
#define MINT "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
#define SID "925ca6ee-aa4b-4508-955b-10b1c02c69bb"
#define TID "af88271b-e93d-4998-bc15-2f130d437262"

/* x402 v2 payment requirements: exact, EIP-3009, USDC on Base Sepolia. */
#define X402S_TEST_REQ_EIP3009_JSON                                                                     \
    "{\"scheme\":\"exact\",\"network\":\"eip155:84532\",\"asset\":\"" USDC_BASE_SEPOLIA "\","             \
    "\"amount\":\"10000\",\"payTo\":\"" PAY_TO "\",\"maxTimeoutSeconds\":60,"                              \
    "\"extra\":{\"name\":\"USDC\",\"version\":\"2\"}}"

/* The secp256k1 group order n, big-endian (an invalid private key): an array initializer. */
#define X402S_TEST_ORDER_BYTES                                                                  \
    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, \
     0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41}

/* Finds the value of "key": in compact JSON text produced by the library. For a string value
 * (no escapes expected: base64, hex, names) the span is the characters between the quotes; for
 * an object or array value it is the whole value, brackets included (strings inside honoured).
 * Returns 1 and the span, or 0 when the key is missing, the value is of another kind, has an
 * escape (strings) or is unterminated. */
static inline int x402s_test_member(const uint8_t *json, size_t n, const char *key,
                                    size_t *start, size_t *len) {
    char pat[64];
    size_t pl, i, j;
    int depth = 0, in_str = 0;
    if (snprintf(pat, sizeof pat, "\"%s\":", key) >= (int)sizeof pat) return 0;
    pl = strlen(pat);
    for (i = 0; i + pl <= n; i++) {
        if (memcmp(json + i, pat, pl) == 0) break;
    }
    if (i + pl >= n) return 0;
    i += pl;
    if (json[i] == '"') {
        for (j = i + 1; j < n && json[j] != '"'; j++) {
            if (json[j] == '\\') return 0;
        }
        if (j >= n) return 0;
        *start = i + 1;
        *len = j - i - 1;
        return 1;
    }
    if (json[i] != '{' && json[i] != '[') return 0;
    for (j = i; j < n; j++) {
        uint8_t c = json[j];
        if (in_str) {
            if (c == '\\') j++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                *start = i;
                *len = j + 1 - i;
                return 1;
            }
        }
    }
    return 0;
}

#endif
