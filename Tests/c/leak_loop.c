/* Leak loop for the C ABI, run under valgrind memcheck by Tests/c/memcheck.sh.
 *
 * Calls a representative set of exported functions with bad input (NULLs, wrong lengths,
 * short output buffers, invalid UTF-8, malformed JSON, 10,000-deep nesting, a 10 MB
 * document, keys zero and >= the curve order, garbage headers) and with good input,
 * each many times (argv[1], default 200), checking the exact status of every call. A
 * per-call leak then shows up under memcheck as hundreds of definitely lost blocks, and
 * an error path that forgets to release what it built fails the run.
 *
 * Good inputs that need a signature (payment headers, a Solana transaction, payment
 * evidence) are made by the library itself at start-up, with time and nonces injected.
 *
 * Modes:
 *   leak_loop [N]                 the loop (N iterations of every case; default 200)
 *   leak_loop --heap-growth [N]   the loop without valgrind, measuring glibc's heap in use
 *                                 (mallinfo2) before and after the N iterations of each case
 *                                 (after one warm-up call): fails when a case grows the heap by
 *                                 more than 4 KiB. This also catches memory that stays
 *                                 reachable (an unbounded cache or list), which memcheck
 *                                 reports as "still reachable" and does not count as an error.
 *   leak_loop --deliberate-leak   creates a signer and a replay guard and never frees them;
 *   leak_loop --deliberate-overread  hashes 16 bytes from an 8-byte heap block (a caller bug):
 *                                 memcheck.sh runs both to prove that the checks fail the run on
 *                                 a leaked handle and on an invalid read made inside the library.
 *
 * Handles (signers, replay guards) live in the library's handle table, so a leaked handle stays
 * reachable and memcheck cannot report it as lost: every mode checks x402s_handle_count()
 * instead (every case must leave it unchanged, and it must be back to 0 at the end), and
 * --deliberate-leak must fail that check.
 *
 * Compiled as C99 with -Wall -Wextra -Werror -pedantic. */
#include "x402_secure.h"
#include "fixtures.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

/* ---- inputs --------------------------------------------------------------------------- */

typedef struct {
    uint8_t *p;
    size_t n;
} blob;

#define MAX_BLOBS 128
static uint8_t *allocated[MAX_BLOBS];
static size_t allocated_count = 0;

static void die(const char *what) {
    fprintf(stderr, "leak_loop: set-up failed: %s\n", what);
    exit(2);
}

/* Remembers b's storage so that free_blobs releases it (the test itself must not leak). */
static void keep(blob *b) {
    if (allocated_count >= MAX_BLOBS) die("too many blobs");
    allocated[allocated_count++] = b->p;
}

static void make(blob *b, const void *p, size_t n) {
    b->p = (uint8_t *)malloc(n ? n : 1);
    if (!b->p) die("malloc");
    if (n) memcpy(b->p, p, n);
    b->n = n;
    keep(b);
}

static void make_str(blob *b, const char *s) { make(b, s, strlen(s)); }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void make_printf(blob *b, const char *fmt, ...) {
    char text[8192];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text) die("formatted input too long");
    make(b, text, (size_t)n);
}

/* b = src with the first occurrence of `from` replaced by `to`. */
static void make_replaced(blob *b, const blob *src, const char *from, const char *to) {
    size_t fl = strlen(from), tl = strlen(to), i;
    for (i = 0; i + fl <= src->n; i++) {
        if (memcmp(src->p + i, from, fl) == 0) {
            b->n = src->n - fl + tl;
            b->p = (uint8_t *)malloc(b->n);
            if (!b->p) die("malloc");
            memcpy(b->p, src->p, i);
            memcpy(b->p + i, to, tl);
            memcpy(b->p + i + tl, src->p + i + fl, src->n - i - fl);
            keep(b);
            return;
        }
    }
    die(from);
}

/* b = open x depth, middle, close x depth. */
static void make_nested(blob *b, const char *open, const char *middle, const char *close, size_t depth) {
    size_t ol = strlen(open), ml = strlen(middle), cl = strlen(close), i;
    uint8_t *q;
    b->n = depth * (ol + cl) + ml;
    b->p = q = (uint8_t *)malloc(b->n);
    if (!q) die("malloc");
    for (i = 0; i < depth; i++, q += ol) memcpy(q, open, ol);
    memcpy(q, middle, ml);
    q += ml;
    for (i = 0; i < depth; i++, q += cl) memcpy(q, close, cl);
    keep(b);
}

/* b = a JSON object {"a":"xxx..."} of exactly n bytes: valid except for its size. */
static void make_big(blob *b, size_t n) {
    b->p = (uint8_t *)malloc(n);
    b->n = n;
    if (!b->p || n < 8) die("malloc");
    memset(b->p, 'x', n);
    memcpy(b->p, "{\"a\":\"", 6);
    memcpy(b->p + n - 2, "\"}", 2);
    keep(b);
}

static void free_blobs(void) {
    size_t i;
    for (i = 0; i < allocated_count; i++) free(allocated[i]);
    allocated_count = 0;
}

static uint8_t out[1 << 20];
static size_t out_len;
static x402s_error err;

/* b = the value of "key" in JSON text (see x402s_test_member in fixtures.h). */
static void make_member(blob *b, const uint8_t *json, size_t n, const char *key) {
    size_t start, len;
    if (!x402s_test_member(json, n, key, &start, &len)) die(key);
    make(b, json + start, len);
}

static void make_base64(blob *b, const blob *src) {
    if (x402s_base64_encode(out, sizeof out, &out_len, src->p, src->n, X402S_BASE64_STANDARD, &err) != X402S_OK)
        die(err.message);
    make(b, out, out_len);
}

/* Keys: 01 x 32 (valid), zero, the curve order n, 0xff x 32 (>= n), 02 x 32 (Solana fee payer). */
static uint8_t KEY1[32], KEY0[32], KEYFF[32], KEY2[32], KEY3[32];
static const uint8_t ORDER[32] = X402S_TEST_ORDER_BYTES;
static uint8_t DIGEST[32];

#define NOW 1740672000ULL

static const char *const MAIL_TEXT = X402S_TEST_MAIL_JSON;

static const char *const REQ_TEXT = X402S_TEST_REQ_EIP3009_JSON;

static const char *const SECURE_TEXT =
    "w3c.v1;tp=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;"
    "ts=eyJ0aWQiOiJhZjg4MjcxYi1lOTNkLTQ5OTgtYmMxNS0yZjEzMGQ0MzcyNjIifQ%3D%3D";

static blob MAIL, MAIL_TRUNC, MAIL_BAD_UTF8, MAIL_UNKNOWN_TYPE, MAIL_BAD_ADDRESS, MAIL_CYCLIC, MAIL_RANGE,
    MAIL_MISSING, DEEP_ARRAYS, DEEP_OBJECTS, BIG10, BIG_TRACE_OK, REQ, REQ_OTHER_PAYEE, REQ_BAD_UTF8, OPTS,
    POLICY, HEADER, HEADER_TRUNC, B64_OPEN, B64_VERSION, B64_DEEP, OFFERS, OFFERS_BAD_NETWORK, PR_HEADER, PR_JSON,
    SETTLE, SOL_BUILD, SOL_TX, SOL_TX_TRUNC, SOL_VERIFY, SOL_VERIFY_WRONG_AMOUNT, SECURE, SECURE_LONG,
    SECURE_BAD_UTF8, EV_REQUEST, EV_MESSAGE, EV_HEADER, EV_EXPECT, EV_EXPECT_OTHER_ORIGIN, EV_NOW, TRACE,
    MANDATE_GARBAGE, PARTIAL_TREE;

static void setup(void) {
    blob created, pr, ev, one;

    memset(KEY1, 1, 32);
    memset(KEY0, 0, 32);
    memset(KEYFF, 0xff, 32);
    memset(KEY2, 2, 32);
    memset(KEY3, 3, 32);
    memset(DIGEST, 0x42, 32);
    if (x402s_init(&err) != X402S_OK) die(err.message);

    make_str(&MAIL, MAIL_TEXT);
    make(&MAIL_TRUNC, MAIL.p, MAIL.n - 1);
    make_replaced(&MAIL_BAD_UTF8, &MAIL, "Hello, Bob!", "Hello, \xff\xfe!");
    make_replaced(&MAIL_UNKNOWN_TYPE, &MAIL, "\"primaryType\":\"Mail\"", "\"primaryType\":\"Letter\"");
    make_replaced(&MAIL_BAD_ADDRESS, &MAIL, "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB", "0xnothex");
    make_replaced(&MAIL_CYCLIC, &MAIL, "{\"name\":\"wallet\",\"type\":\"address\"}",
                  "{\"name\":\"wallet\",\"type\":\"address\"},{\"name\":\"mail\",\"type\":\"Mail\"}");
    make_replaced(&one, &MAIL, "{\"name\":\"contents\",\"type\":\"string\"}",
                  "{\"name\":\"contents\",\"type\":\"uint8\"}");
    make_replaced(&MAIL_RANGE, &one, "\"Hello, Bob!\"", "256");
    make_replaced(&MAIL_MISSING, &MAIL, ",\"contents\":\"Hello, Bob!\"", "");
    /* a document that builds a tree of objects and arrays, then ends too early */
    make_str(&PARTIAL_TREE, "{\"a\":[{\"b\":[1,2,{\"c\":\"d\",\"e\":[true,false,null]}]},{\"f\":\"g\"}],\"h\":{\"i\":");
    make_nested(&DEEP_ARRAYS, "[", "", "]", 10000);
    make_nested(&DEEP_OBJECTS, "{\"a\":", "1", "}", 10000);
    make_big(&BIG10, 10u * 1024 * 1024);
    make_big(&BIG_TRACE_OK, 256u * 1024); /* within the risk limits: parsed and serialized in full */

    make_str(&REQ, REQ_TEXT);
    make_replaced(&REQ_OTHER_PAYEE, &REQ, PAY_TO, "0x0000000000000000000000000000000000000001");
    make_replaced(&REQ_BAD_UTF8, &REQ, "\"USDC\"", "\"US\xc3\x28\"");
    make_str(&OPTS, "{\"now\":1740672000,\"nonce\":\"0x0000000000000000000000000000000000000000000000000000000000000001\"}");
    make_str(&POLICY, "{\"maxPrice\":\"$1\"}");

    /* a valid v2 EVM payment header (EIP-3009), made by the library with injected time and nonce */
    if (x402s_x402_create_payment(out, sizeof out, &out_len, REQ.p, REQ.n, KEY1, 32, X402S_KEY_SECP256K1, POLICY.p,
                                  POLICY.n, OPTS.p, OPTS.n, &err) != X402S_OK)
        die(err.message);
    make(&created, out, out_len);
    make_member(&HEADER, created.p, created.n, "headerValue");
    make(&HEADER_TRUNC, HEADER.p, HEADER.n / 2 / 4 * 4);
    make_str(&one, "{");
    make_base64(&B64_OPEN, &one);
    make_str(&one, "{\"x402Version\":9,\"payload\":{}}");
    make_base64(&B64_VERSION, &one);
    make_base64(&B64_DEEP, &DEEP_ARRAYS); /* 10,000-deep, 26,668 bytes: within the 64 KiB header limit */

    make_str(&OFFERS, "{\"offers\":[{\"network\":\"base-sepolia\",\"payTo\":\"" PAY_TO "\",\"price\":\"$0.01\"}],"
                      "\"resource\":{\"url\":\"https://example.com/x\"}}");
    make_replaced(&OFFERS_BAD_NETWORK, &OFFERS, "base-sepolia", "no-such-net");
    if (x402s_x402_payment_required(out, sizeof out, &out_len, OFFERS.p, OFFERS.n, &err) != X402S_OK)
        die(err.message);
    make(&pr, out, out_len);
    make_member(&PR_HEADER, pr.p, pr.n, "header");
    if (x402s_x402_parse_payment_required(out, sizeof out, &out_len, PR_HEADER.p, PR_HEADER.n, NULL, 0, &err) !=
        X402S_OK)
        die(err.message);
    make(&PR_JSON, out, out_len);
    make_str(&SETTLE, "{\"success\":true,\"transaction\":\"0x12\",\"network\":\"eip155:84532\"}");

    /* Solana: the buyer's partially signed exact transaction (seed 01; fee payer is seed 02) */
    make_str(&SOL_BUILD, "{\"feePayer\":\"" FEE_PAYER "\",\"payTo\":\"" SOL_PAY_TO "\",\"mint\":\"" MINT "\","
                         "\"decimals\":6,\"amount\":\"1000\",\"recentBlockhash\":"
                         "\"US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx\",\"memo\":\"m\"}");
    if (x402s_solana_exact_build(out, sizeof out, &out_len, SOL_BUILD.p, SOL_BUILD.n, KEY1, 32, &err) != X402S_OK)
        die(err.message);
    make(&SOL_TX, out, out_len);
    make(&SOL_TX_TRUNC, SOL_TX.p, SOL_TX.n - 3);
    make_base64(&one, &SOL_TX);
    make_printf(&SOL_VERIFY,
                "{\"transactionBase64\":\"%.*s\",\"network\":\"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1\","
                "\"asset\":\"" MINT "\",\"payTo\":\"" SOL_PAY_TO "\",\"amount\":\"1000\",\"feePayer\":\"" FEE_PAYER
                "\",\"memo\":\"m\"}",
                (int)one.n, (const char *)one.p);
    make_replaced(&SOL_VERIFY_WRONG_AMOUNT, &SOL_VERIFY, "\"amount\":\"1000\"", "\"amount\":\"1001\"");

    /* risk layer */
    make_str(&SECURE, SECURE_TEXT);
    make_nested(&SECURE_LONG, "", SECURE_TEXT, ";x=yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", 100);
    make_replaced(&SECURE_BAD_UTF8, &SECURE, "w3c.v1;", "w3c.v1;\xed\xa0\x80=1;");
    make_str(&TRACE, "{\"task\":\"t\",\"parameters\":{},\"completed_at\":\"2025-01-01T00:00:00+00:00\"}");
    make_str(&MANDATE_GARBAGE, "{\"type\":\"PaymentMandate\",\"limits\":[[[]]],\"expires\":\"soon\"}");
    /* the evidence request and the seller's expectation have the same members here */
    make_printf(&EV_REQUEST,
                "{\"paymentHeader\":\"%.*s\",\"requirement\":%s,\"origin\":\"https://example.com\","
                "\"resource\":\"https://example.com/x\",\"riskSessionId\":\"" SID "\",\"riskTraceId\":\"" TID "\"}",
                (int)HEADER.n, (const char *)HEADER.p, REQ_TEXT);
    make_printf(&EV_NOW, "{\"now\":%llu}", NOW + 1);
    if (x402s_risk_evidence_build(out, sizeof out, &out_len, EV_REQUEST.p, EV_REQUEST.n, EV_NOW.p, EV_NOW.n, &err) !=
        X402S_OK)
        die(err.message);
    make(&ev, out, out_len);
    make_member(&EV_MESSAGE, ev.p, ev.n, "message");
    if (x402s_risk_evidence_sign(out, sizeof out, &out_len, EV_MESSAGE.p, EV_MESSAGE.n, KEY1, 32,
                                 X402S_KEY_SECP256K1, &err) != X402S_OK)
        die(err.message);
    make(&EV_HEADER, out, out_len);
    make(&EV_EXPECT, EV_REQUEST.p, EV_REQUEST.n);
    make_replaced(&EV_EXPECT_OTHER_ORIGIN, &EV_EXPECT, "\"origin\":\"https://example.com\"",
                  "\"origin\":\"https://evil.example\"");
}

/* ---- cases: each is one call (or one new/use/free sequence) returning its status ------ */

#define CASE(fn) static x402s_status fn(void)
#define JSON_IN(b) (b).p, (b).n
#define LIT(s) (const uint8_t *)(s), sizeof(s) - 1

/* EIP-712 hashing */
CASE(eip712_ok) { return x402s_eip712_hash(out, 32, out + 32, 32, out + 64, 32, JSON_IN(MAIL), &err); }
CASE(eip712_short_domain_out) { return x402s_eip712_hash(out, 32, out + 32, 16, NULL, 0, JSON_IN(MAIL), &err); }
CASE(eip712_short_digest_out) { return x402s_eip712_hash(out, 31, NULL, 0, NULL, 0, JSON_IN(MAIL), &err); }
CASE(eip712_null_json) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, NULL, 10, &err); }
CASE(eip712_null_digest) { return x402s_eip712_hash(NULL, 32, NULL, 0, NULL, 0, JSON_IN(MAIL), NULL); }
CASE(eip712_truncated) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_TRUNC), &err); }
CASE(eip712_partial_tree) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(PARTIAL_TREE), &err); }
CASE(eip712_bad_utf8) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_BAD_UTF8), &err); }
CASE(eip712_deep_arrays) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(DEEP_ARRAYS), &err); }
CASE(eip712_deep_objects) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(DEEP_OBJECTS), &err); }
CASE(eip712_10mb) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(BIG10), &err); }
CASE(eip712_unknown_type) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_UNKNOWN_TYPE), &err); }
CASE(eip712_bad_address) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_BAD_ADDRESS), &err); }
CASE(eip712_cyclic) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_CYCLIC), &err); }
CASE(eip712_out_of_range) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_RANGE), &err); }
CASE(eip712_missing_field) { return x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, JSON_IN(MAIL_MISSING), &err); }

/* EIP-712 signing with raw keys */
CASE(eip712_sign_ok) { return x402s_eip712_sign(out, 65, out + 65, 32, JSON_IN(MAIL), KEY1, 32, &err); }
CASE(eip712_sign_key_zero) { return x402s_eip712_sign(out, 65, NULL, 0, JSON_IN(MAIL), KEY0, 32, &err); }
CASE(eip712_sign_key_order) { return x402s_eip712_sign(out, 65, NULL, 0, JSON_IN(MAIL), ORDER, 32, &err); }
CASE(eip712_sign_key_ff) { return x402s_eip712_sign(out, 65, NULL, 0, JSON_IN(MAIL), KEYFF, 32, &err); }
CASE(eip712_sign_key_short) { return x402s_eip712_sign(out, 65, NULL, 0, JSON_IN(MAIL), KEY1, 31, &err); }
CASE(eip712_sign_deep) { return x402s_eip712_sign(out, 65, NULL, 0, JSON_IN(DEEP_OBJECTS), KEY1, 32, &err); }
CASE(eip712_sign_short_sig) { return x402s_eip712_sign(out, 64, NULL, 0, JSON_IN(MAIL), KEY1, 32, &err); }

/* secp256k1 and EVM addresses */
CASE(secp_sign_ok) { return x402s_secp256k1_sign(out, 65, DIGEST, 32, KEY1, 32, &err); }
CASE(secp_sign_key_zero) { return x402s_secp256k1_sign(out, 65, DIGEST, 32, KEY0, 32, &err); }
CASE(secp_sign_key_order) { return x402s_secp256k1_sign(out, 65, DIGEST, 32, ORDER, 32, &err); }
CASE(secp_sign_key_ff) { return x402s_secp256k1_sign(out, 65, DIGEST, 32, KEYFF, 32, NULL); }
CASE(secp_sign_short_digest) { return x402s_secp256k1_sign(out, 65, DIGEST, 31, KEY1, 32, &err); }
CASE(secp_pubkey_key_order) { return x402s_secp256k1_pubkey(out, 65, ORDER, 32, &err); }
CASE(evm_address_key_zero) { return x402s_evm_address(out, 42, KEY0, 32, &err); }
CASE(secp_recover_garbage) {
    uint8_t sig[65];
    memset(sig, 0, sizeof sig);
    sig[64] = 27; /* r = s = 0 */
    return x402s_secp256k1_recover(out, 65, DIGEST, 32, sig, 65, &err);
}
CASE(secp_verify_garbage_pubkey) {
    uint8_t sig[65], pub[65];
    memset(sig, 1, sizeof sig);
    memset(pub, 0x04, sizeof pub); /* 0x04 prefix, but not a point */
    return x402s_secp256k1_verify(sig, 64, DIGEST, 32, pub, 65, &err);
}
CASE(evm_checksum_bad) {
    return x402s_evm_checksum_address(out, 42, LIT("0x1A642f0E3c3aF545E7AcBD38b07251B3990914F1"), &err);
}
CASE(ed25519_verify_garbage) {
    uint8_t sig[64], pub[32];
    memset(sig, 7, sizeof sig);
    memset(pub, 9, sizeof pub);
    return x402s_ed25519_verify(sig, 64, LIT("hi"), pub, 32, &err);
}

/* encodings */
CASE(hex_decode_10mb) { return x402s_hex_decode(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }
CASE(base64_decode_garbage) {
    return x402s_base64_decode(out, sizeof out, &out_len, LIT("ab$d"), X402S_BASE64_STANDARD, &err);
}
CASE(base58_decode_10mb) { return x402s_base58_decode(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }

/* signers */
CASE(signer_eip712_ok) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_eip712_sign(out, 65, out + 65, 32, s, JSON_IN(MAIL), &err);
    x402s_signer_free(s);
    return st;
}
CASE(signer_eip712_garbage) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_eip712_sign(out, 65, NULL, 0, s, JSON_IN(PARTIAL_TREE), &err);
    x402s_signer_free(s);
    return st;
}
CASE(signer_eip712_deep) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_eip712_sign(out, 65, NULL, 0, s, JSON_IN(DEEP_ARRAYS), &err);
    x402s_signer_free(s);
    return st;
}
CASE(signer_eip712_short_sig) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_eip712_sign(out, 64, NULL, 0, s, JSON_IN(MAIL), &err);
    x402s_signer_free(s);
    return st;
}
CASE(signer_ed25519_eip712) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_ED25519_SEED, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_eip712_sign(out, 65, NULL, 0, s, JSON_IN(MAIL), &err);
    x402s_signer_free(s);
    return st;
}
CASE(signer_address_short) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_signer_address(out, 41, &out_len, s, &err);
    x402s_signer_free(s);
    return st;
}
/* a failed x402s_signer_new leaves nothing to free (and must not have allocated) */
#define SIGNER_NEW_BAD(fn, key, len, kind)                                          \
    CASE(fn) {                                                                     \
        x402s_signer *s = NULL;                                                    \
        x402s_status st = x402s_signer_new(&s, key, len, kind, &err);              \
        if (s != NULL) {                                                           \
            x402s_signer_free(s);                                                  \
            return 2000;                                                           \
        }                                                                          \
        return st;                                                                 \
    }
SIGNER_NEW_BAD(signer_new_key_zero, KEY0, 32, X402S_KEY_SECP256K1)
SIGNER_NEW_BAD(signer_new_key_order, ORDER, 32, X402S_KEY_SECP256K1)
SIGNER_NEW_BAD(signer_new_key_ff, KEYFF, 32, X402S_KEY_SECP256K1)
SIGNER_NEW_BAD(signer_new_short_key, KEY1, 16, X402S_KEY_SECP256K1)
SIGNER_NEW_BAD(signer_new_unknown_kind, KEY1, 32, 99u)
CASE(signer_new_null_out) { return x402s_signer_new(NULL, KEY1, 32, X402S_KEY_SECP256K1, &err); }
CASE(signer_free_null) {
    x402s_signer_free(NULL);
    x402s_replay_guard_free(NULL);
    return X402S_OK;
}

/* x402: payment headers, offline verification, replay guard */
CASE(x402_decode_ok) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(HEADER), &err); }
CASE(x402_decode_short_out) { return x402s_x402_decode_payment(out, 16, &out_len, JSON_IN(HEADER), &err); }
CASE(x402_decode_garbage) {
    return x402s_x402_decode_payment(out, sizeof out, &out_len, LIT("not base64 at all!"), &err);
}
CASE(x402_decode_truncated) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(HEADER_TRUNC), &err); }
CASE(x402_decode_open_brace) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(B64_OPEN), &err); }
CASE(x402_decode_version) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(B64_VERSION), &err); }
CASE(x402_decode_deep) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(B64_DEEP), &err); }
CASE(x402_decode_10mb) { return x402s_x402_decode_payment(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }
CASE(x402_decode_bad_utf8) {
    return x402s_x402_decode_payment(out, sizeof out, &out_len, LIT("\xc0\xaf"), &err);
}
#define VERIFY(header, req, now, guard) \
    x402s_x402_verify(out, X402S_X402_VERIFY_OUT_BYTES, &out_len, JSON_IN(header), JSON_IN(req), now, NULL, 0, guard, &err)
CASE(x402_verify_ok) { return VERIFY(HEADER, REQ, NOW, NULL); }
CASE(x402_verify_wrong_payee) { return VERIFY(HEADER, REQ_OTHER_PAYEE, NOW, NULL); }
CASE(x402_verify_expired) { return VERIFY(HEADER, REQ, NOW + 86400, NULL); }
CASE(x402_verify_garbage_header) {
    return x402s_x402_verify(out, X402S_X402_VERIFY_OUT_BYTES, &out_len, LIT("%%%%"), JSON_IN(REQ),
                             NOW, NULL, 0, NULL, &err);
}
CASE(x402_verify_truncated_header) { return VERIFY(HEADER_TRUNC, REQ, NOW, NULL); }
CASE(x402_verify_deep_header) { return VERIFY(B64_DEEP, REQ, NOW, NULL); }
CASE(x402_verify_garbage_req) { return VERIFY(HEADER, PARTIAL_TREE, NOW, NULL); }
CASE(x402_verify_deep_req) { return VERIFY(HEADER, DEEP_OBJECTS, NOW, NULL); }
CASE(x402_verify_10mb_req) { return VERIFY(HEADER, BIG10, NOW, NULL); }
CASE(x402_verify_bad_utf8_req) { return VERIFY(HEADER, REQ_BAD_UTF8, NOW, NULL); }
CASE(x402_verify_short_out) {
    return x402s_x402_verify(out, 100, &out_len, JSON_IN(HEADER), JSON_IN(REQ), NOW, NULL, 0, NULL, &err);
}
CASE(x402_verify_bad_options) {
    return x402s_x402_verify(out, X402S_X402_VERIFY_OUT_BYTES, &out_len, JSON_IN(HEADER), JSON_IN(REQ), NOW,
                             LIT("{\"facilitatorAddresses\":7}"), NULL, &err);
}
/* a guard records the payment; the second use is a replay; then the guard is released */
CASE(x402_guard_replay) {
    x402s_replay_guard *g = NULL;
    x402s_status st = x402s_replay_guard_new(&g, 16, &err);
    if (st != X402S_OK) return st + 1000;
    st = VERIFY(HEADER, REQ, NOW, g);
    if (st != X402S_OK) {
        x402s_replay_guard_free(g);
        return st + 3000;
    }
    st = VERIFY(HEADER, REQ, NOW, g);
    x402s_replay_guard_free(g);
    return st;
}
CASE(x402_guard_garbage) {
    x402s_replay_guard *g = NULL;
    x402s_status st = x402s_replay_guard_new(&g, 0, &err);
    if (st != X402S_OK) return st + 1000;
    st = VERIFY(HEADER_TRUNC, REQ, NOW, g);
    x402s_replay_guard_free(g);
    return st;
}
CASE(x402_guard_new_null) { return x402s_replay_guard_new(NULL, 16, &err); }
CASE(x402_create_ok) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(REQ), KEY1, 32, X402S_KEY_SECP256K1,
                                     JSON_IN(POLICY), JSON_IN(OPTS), &err);
}
CASE(x402_create_short_out) {
    return x402s_x402_create_payment(out, 64, &out_len, JSON_IN(REQ), KEY1, 32, X402S_KEY_SECP256K1, JSON_IN(POLICY),
                                     JSON_IN(OPTS), &err);
}
CASE(x402_create_key_zero) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(REQ), KEY0, 32, X402S_KEY_SECP256K1,
                                     JSON_IN(POLICY), JSON_IN(OPTS), &err);
}
CASE(x402_create_key_order) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(REQ), ORDER, 32, X402S_KEY_SECP256K1,
                                     JSON_IN(POLICY), JSON_IN(OPTS), &err);
}
CASE(x402_create_wrong_kind) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(REQ), KEY1, 32, X402S_KEY_ED25519_SEED,
                                     JSON_IN(POLICY), JSON_IN(OPTS), &err);
}
CASE(x402_create_garbage_req) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(PARTIAL_TREE), KEY1, 32, X402S_KEY_SECP256K1,
                                     NULL, 0, JSON_IN(OPTS), &err);
}
CASE(x402_create_bad_options) {
    return x402s_x402_create_payment(out, sizeof out, &out_len, JSON_IN(REQ), KEY1, 32, X402S_KEY_SECP256K1, NULL, 0,
                                     LIT("{\"nonce\":\"0x12\"}"), &err);
}
CASE(x402_create_with_signer_ok) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_x402_create_payment_with_signer(out, sizeof out, &out_len, JSON_IN(REQ), s, JSON_IN(POLICY),
                                               JSON_IN(OPTS), X402S_CREATE_HEADER_ONLY, &err);
    x402s_signer_free(s);
    return st;
}
CASE(x402_create_with_signer_garbage) {
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err);
    if (st != X402S_OK) return st + 1000;
    st = x402s_x402_create_payment_with_signer(out, sizeof out, &out_len, JSON_IN(DEEP_ARRAYS), s, NULL, 0,
                                               JSON_IN(OPTS), 0, &err);
    x402s_signer_free(s);
    return st;
}
CASE(x402_payment_required_ok) {
    return x402s_x402_payment_required(out, sizeof out, &out_len, JSON_IN(OFFERS), &err);
}
CASE(x402_payment_required_bad_network) {
    return x402s_x402_payment_required(out, sizeof out, &out_len, JSON_IN(OFFERS_BAD_NETWORK), &err);
}
CASE(x402_parse_payment_required_ok) {
    return x402s_x402_parse_payment_required(out, sizeof out, &out_len, JSON_IN(PR_HEADER), NULL, 0, &err);
}
CASE(x402_parse_payment_required_garbage) {
    return x402s_x402_parse_payment_required(out, sizeof out, &out_len, JSON_IN(HEADER_TRUNC), NULL, 0, &err);
}
CASE(x402_select_ok) {
    return x402s_x402_select_requirement(out, sizeof out, &out_len, JSON_IN(PR_JSON), JSON_IN(POLICY), &err);
}
CASE(x402_select_deep_policy) {
    return x402s_x402_select_requirement(out, sizeof out, &out_len, JSON_IN(PR_JSON), JSON_IN(DEEP_OBJECTS), &err);
}
CASE(x402_select_too_cheap) {
    return x402s_x402_select_requirement(out, sizeof out, &out_len, JSON_IN(PR_JSON),
                                         LIT("{\"maxPrice\":\"$0.001\"}"), &err);
}
CASE(x402_settle_roundtrip) {
    uint8_t hdr[512];
    size_t n = 0;
    x402s_status st = x402s_x402_encode_settle_response(hdr, sizeof hdr, &n, JSON_IN(SETTLE), X402S_JSON_COMPACT, &err);
    if (st != X402S_OK) return st + 1000;
    return x402s_x402_decode_settle_response(out, sizeof out, &out_len, hdr, n, &err);
}
CASE(x402_settle_decode_garbage) {
    return x402s_x402_decode_settle_response(out, sizeof out, &out_len, JSON_IN(B64_OPEN), &err);
}

/* dispute evidence: the proxy's whole flow with a signer, then bad input */
#define EV_MAKE_REQ "{\"seq\":0,\"decision\":{\"decisionId\":\"d\",\"kind\":\"verify\",\"decidedAt\":1,\"verdict\":\"allow\"}}"
static x402s_status evidence_flow(int tamper) {
    static uint8_t rec[4096], hdr[1024], keys[512], req[8192];
    size_t rec_n = 0, hdr_n = 0, keys_n = 0, n = 0, i, j = 0;
    x402s_signer *s = NULL;
    x402s_status st = x402s_signer_new(&s, KEY1, 32, X402S_KEY_ED25519_SEED, &err);
    if (st != X402S_OK) return st + 1000;
    /* the record text from the JSON output {"text":"...",...}: unescape the \" of the text */
    st = x402s_evidence_record_make(out, sizeof out, &n, LIT(EV_MAKE_REQ), &err);
    if (st == X402S_OK) {
        for (i = 9; i < n && out[i] != '"' && rec_n < sizeof rec; i++) {
            if (out[i] == '\\') i++;
            rec[rec_n++] = out[i];
        }
        st = x402s_evidence_receipt_sign(hdr, sizeof hdr, &hdr_n, s, rec, rec_n, &err);
    }
    if (st == X402S_OK) st = x402s_evidence_public_key(keys, sizeof keys, &keys_n, s, &err);
    if (st == X402S_OK) st = x402s_evidence_receipt_verify(out, sizeof out, &n, hdr, hdr_n, keys, keys_n, rec, rec_n, &err);
    if (st == X402S_OK) {
        /* {"decisionId":"d","exportedAt":1,"records":["<record, quotes escaped>"]} */
        j = (size_t)sprintf((char *)req, "{\"decisionId\":\"d\",\"exportedAt\":1,\"records\":[\"");
        for (i = 0; i < rec_n && j + 4 < sizeof req; i++) {
            if (rec[i] == '"' || rec[i] == '\\') req[j++] = '\\';
            req[j++] = rec[i];
        }
        j += (size_t)sprintf((char *)req + j, "\"]}");
        st = x402s_evidence_bundle_build(out, sizeof out, &n, req, j, s, &err);
    }
    if (st == X402S_OK) {
        if (tamper) out[n / 2] = out[n / 2] == 'a' ? 'b' : 'a';
        st = x402s_evidence_bundle_verify(out + n, sizeof out - n, &out_len, out, n, keys, keys_n, &err);
    }
    x402s_signer_free(s);
    return st;
}
CASE(evidence_flow_ok) { return evidence_flow(0); }
CASE(evidence_flow_tampered) {
    x402s_status st = evidence_flow(1);
    /* one flipped byte: a verdict (114), or a bundle that no longer parses as one */
    return st == X402S_ERR_EVIDENCE_INVALID_BUNDLE || st == X402S_ERR_INVALID_JSON ? X402S_ERR_EVIDENCE_VERIFY_FAILED : st;
}
CASE(evidence_make_garbage) { return x402s_evidence_record_make(out, sizeof out, &out_len, JSON_IN(PARTIAL_TREE), &err); }
CASE(evidence_make_deep) { return x402s_evidence_record_make(out, sizeof out, &out_len, JSON_IN(DEEP_OBJECTS), &err); }
CASE(evidence_make_bad_schema) {
    return x402s_evidence_record_make(out, sizeof out, &out_len, LIT("{\"seq\":1,\"decision\":{\"kind\":\"verify\"}}"), &err);
}
CASE(evidence_parse_10mb) { return x402s_evidence_record_parse(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }
CASE(evidence_parse_not_a_record) {
    return x402s_evidence_record_parse(out, sizeof out, &out_len, LIT("{\"v\": 1}"), &err);
}
CASE(evidence_receipt_garbage) {
    return x402s_evidence_receipt_verify(out, sizeof out, &out_len, LIT("rcpt.v1;m=e30;sig=AA"), LIT("\"0x00\""), NULL, 0,
                                         &err);
}
CASE(evidence_bundle_deep) {
    return x402s_evidence_bundle_verify(out, sizeof out, &out_len, JSON_IN(DEEP_OBJECTS), NULL, 0, &err);
}
CASE(evidence_bundle_not_a_bundle) {
    return x402s_evidence_bundle_verify(out, sizeof out, &out_len, LIT("{\"v\":1}"), NULL, 0, &err);
}

/* Solana */
CASE(sol_decode_ok) { return x402s_solana_decode_transaction(out, sizeof out, &out_len, JSON_IN(SOL_TX), &err); }
CASE(sol_decode_truncated) {
    return x402s_solana_decode_transaction(out, sizeof out, &out_len, JSON_IN(SOL_TX_TRUNC), &err);
}
CASE(sol_decode_10mb) { return x402s_solana_decode_transaction(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }
CASE(sol_sanitize_garbage) { return x402s_solana_sanitize_transaction(JSON_IN(MAIL), &err); }
CASE(sol_cosign_ok) {
    return x402s_solana_sign_transaction(out, sizeof out, &out_len, JSON_IN(SOL_TX), KEY2, 32, &err);
}
CASE(sol_cosign_not_signer) {
    return x402s_solana_sign_transaction(out, sizeof out, &out_len, JSON_IN(SOL_TX), KEY3, 32, &err);
}
CASE(sol_verify_ok) { return x402s_solana_exact_verify(out, sizeof out, &out_len, JSON_IN(SOL_VERIFY), &err); }
CASE(sol_verify_wrong_amount) {
    return x402s_solana_exact_verify(out, sizeof out, &out_len, JSON_IN(SOL_VERIFY_WRONG_AMOUNT), &err);
}
CASE(sol_build_garbage) {
    return x402s_solana_exact_build(out, sizeof out, &out_len, JSON_IN(PARTIAL_TREE), KEY1, 32, &err);
}

/* risk headers */
CASE(risk_secure_ok) { return x402s_risk_parse_secure_header(out, sizeof out, &out_len, JSON_IN(SECURE), &err); }
CASE(risk_secure_garbage) {
    return x402s_risk_parse_secure_header(out, sizeof out, &out_len, LIT("w3c.v1;nonsense"), &err);
}
CASE(risk_secure_bad_tp) {
    return x402s_risk_parse_secure_header(out, sizeof out, &out_len, LIT("w3c.v1;tp=00-zz"), &err);
}
CASE(risk_secure_too_long) { return x402s_risk_parse_secure_header(out, sizeof out, &out_len, JSON_IN(SECURE_LONG), &err); }
CASE(risk_secure_bad_utf8) {
    return x402s_risk_parse_secure_header(out, sizeof out, &out_len, JSON_IN(SECURE_BAD_UTF8), &err);
}
CASE(risk_secure_short_out) { return x402s_risk_parse_secure_header(out, 10, &out_len, JSON_IN(SECURE), &err); }
CASE(risk_context_ok) { return x402s_risk_secure_header_context(out, sizeof out, &out_len, JSON_IN(SECURE), &err); }
CASE(risk_context_bad_base64) {
    static const char v[] = "w3c.v1;tp=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;ts=eyJ0a%3D";
    return x402s_risk_secure_header_context(out, sizeof out, &out_len, (const uint8_t *)v, sizeof v - 1, &err);
}
CASE(risk_context_bad_escape) {
    static const char v[] = "w3c.v1;tp=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;ts=%zz";
    return x402s_risk_secure_header_context(out, sizeof out, &out_len, (const uint8_t *)v, sizeof v - 1, &err);
}
CASE(risk_ap2_garbage) {
    return x402s_risk_parse_ap2_evidence(out, sizeof out, &out_len, LIT("evd.v1;mr=;sz=-1"), &err);
}
CASE(risk_vi_garbage) {
    return x402s_risk_parse_verifiable_intent(out, sizeof out, &out_len, LIT("vi.v1;ref=r;sha256=md5:00"), &err);
}
CASE(risk_uuid_garbage) {
    return x402s_risk_normalize_uuid(out, sizeof out, &out_len, LIT("{not-a-uuid}"), &err);
}
CASE(risk_ids_garbage) {
    return x402s_risk_ids(out, sizeof out, &out_len, LIT(SID), LIT("urn:uuid:"), &err);
}
CASE(risk_canonical_deep) { return x402s_risk_canonical_json(out, sizeof out, &out_len, JSON_IN(DEEP_ARRAYS), &err); }
CASE(risk_canonical_10mb) { return x402s_risk_canonical_json(out, sizeof out, &out_len, JSON_IN(BIG10), &err); }
CASE(risk_canonical_partial) {
    return x402s_risk_canonical_json(out, sizeof out, &out_len, JSON_IN(PARTIAL_TREE), &err);
}
CASE(risk_canonical_big_short_out) {
    return x402s_risk_canonical_json(out, 100, &out_len, JSON_IN(BIG_TRACE_OK), &err);
}
/* HTTP routes */
CASE(http_route_ok) {
    return x402s_http_route_canonical(out, sizeof out, &out_len, LIT("HEAD"), LIT("http://h/x/../API/%6D/?q"), 0, &err);
}
CASE(http_route_traversal) {
    return x402s_http_route_canonical(out, sizeof out, &out_len, LIT("GET"), LIT("/a/%2e%2e/.."), 0, &err);
}
CASE(http_route_bad_utf8) {
    return x402s_http_route_canonical(out, sizeof out, &out_len, LIT("GET"), JSON_IN(MAIL_BAD_UTF8), 0, &err);
}
CASE(http_route_10mb) {
    return x402s_http_route_canonical(out, sizeof out, &out_len, LIT("GET"), JSON_IN(BIG10), 0, &err);
}
CASE(http_route_short_out) {
    return x402s_http_route_canonical(out, 8, &out_len, LIT("GET"), LIT("/a"), 0, &err);
}
CASE(http_route_key_ok) { return x402s_http_route_key(out, sizeof out, &out_len, LIT("get /API/*"), 0, &err); }
CASE(http_route_key_param) { return x402s_http_route_key(out, sizeof out, &out_len, LIT("GET /users/:id"), 0, &err); }
CASE(risk_trace_parse_deep) {
    return x402s_risk_agent_trace_parse(out, sizeof out, &out_len, JSON_IN(DEEP_OBJECTS), &err);
}
CASE(risk_trace_parse_ok) { return x402s_risk_agent_trace_parse(out, sizeof out, &out_len, JSON_IN(TRACE), &err); }
CASE(risk_trace_build_garbage) {
    return x402s_risk_agent_trace_build(out, sizeof out, &out_len, JSON_IN(MAIL), NULL, 0, &err);
}
CASE(risk_mandate_garbage) {
    return x402s_risk_mandate_evaluate(out, sizeof out, &out_len, JSON_IN(MANDATE_GARBAGE), JSON_IN(REQ), NULL, 0,
                                       JSON_IN(EV_NOW), &err);
}
CASE(risk_evidence_parse_ok) { return x402s_risk_evidence_parse(out, sizeof out, &out_len, JSON_IN(EV_HEADER), &err); }
CASE(risk_evidence_parse_garbage) {
    return x402s_risk_evidence_parse(out, sizeof out, &out_len, LIT("pev.v1;alg=x;m=!!;sig=0x"), &err);
}
CASE(risk_evidence_verify_ok) {
    return x402s_risk_evidence_verify(out, sizeof out, &out_len, JSON_IN(EV_HEADER), JSON_IN(EV_EXPECT),
                                      JSON_IN(EV_NOW), &err);
}
CASE(risk_evidence_verify_other_origin) {
    return x402s_risk_evidence_verify(out, sizeof out, &out_len, JSON_IN(EV_HEADER), JSON_IN(EV_EXPECT_OTHER_ORIGIN),
                                      JSON_IN(EV_NOW), &err);
}
CASE(risk_evidence_verify_garbage) {
    return x402s_risk_evidence_verify(out, sizeof out, &out_len, JSON_IN(HEADER), JSON_IN(EV_EXPECT), JSON_IN(EV_NOW),
                                      &err);
}
CASE(risk_evidence_sign_key_zero) {
    return x402s_risk_evidence_sign(out, sizeof out, &out_len, JSON_IN(EV_MESSAGE), KEY0, 32, X402S_KEY_SECP256K1,
                                    &err);
}
CASE(risk_evidence_sign_key_order) {
    return x402s_risk_evidence_sign(out, sizeof out, &out_len, JSON_IN(EV_MESSAGE), ORDER, 32, X402S_KEY_SECP256K1,
                                    &err);
}
CASE(risk_evidence_sign_not_payer) {
    return x402s_risk_evidence_sign(out, sizeof out, &out_len, JSON_IN(EV_MESSAGE), KEY2, 32, X402S_KEY_SECP256K1,
                                    &err);
}

/* ---- the loop ------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    x402s_status (*fn)(void);
    x402s_status want;
} leak_case;

#define C(fn, want) {#fn, fn, want}

static const leak_case CASES[] = {
    C(eip712_ok, X402S_OK),
    C(eip712_short_domain_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(eip712_short_digest_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(eip712_null_json, X402S_ERR_NULL_ARGUMENT),
    C(eip712_null_digest, X402S_ERR_NULL_ARGUMENT),
    C(eip712_truncated, X402S_ERR_INVALID_JSON),
    C(eip712_partial_tree, X402S_ERR_INVALID_JSON),
    C(eip712_bad_utf8, X402S_ERR_INVALID_UTF8),
    C(eip712_deep_arrays, X402S_ERR_JSON_TOO_DEEP),
    C(eip712_deep_objects, X402S_ERR_JSON_TOO_DEEP),
    C(eip712_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(eip712_unknown_type, X402S_ERR_EIP712_UNKNOWN_TYPE),
    C(eip712_bad_address, X402S_ERR_EIP712_INVALID_VALUE),
    C(eip712_cyclic, X402S_ERR_EIP712_CYCLIC_TYPE),
    C(eip712_out_of_range, X402S_ERR_EIP712_VALUE_OUT_OF_RANGE),
    C(eip712_missing_field, X402S_ERR_EIP712_MISSING_FIELD),
    C(eip712_sign_ok, X402S_OK),
    C(eip712_sign_key_zero, X402S_ERR_INVALID_KEY),
    C(eip712_sign_key_order, X402S_ERR_INVALID_KEY),
    C(eip712_sign_key_ff, X402S_ERR_INVALID_KEY),
    C(eip712_sign_key_short, X402S_ERR_INVALID_LENGTH),
    C(eip712_sign_deep, X402S_ERR_JSON_TOO_DEEP),
    C(eip712_sign_short_sig, X402S_ERR_BUFFER_TOO_SMALL),
    C(secp_sign_ok, X402S_OK),
    C(secp_sign_key_zero, X402S_ERR_INVALID_KEY),
    C(secp_sign_key_order, X402S_ERR_INVALID_KEY),
    C(secp_sign_key_ff, X402S_ERR_INVALID_KEY),
    C(secp_sign_short_digest, X402S_ERR_INVALID_LENGTH),
    C(secp_pubkey_key_order, X402S_ERR_INVALID_KEY),
    C(evm_address_key_zero, X402S_ERR_INVALID_KEY),
    C(secp_recover_garbage, X402S_ERR_INVALID_SIGNATURE),
    C(secp_verify_garbage_pubkey, X402S_ERR_INVALID_PUBLIC_KEY),
    C(evm_checksum_bad, X402S_ERR_INVALID_ADDRESS),
    C(ed25519_verify_garbage, X402S_ERR_VERIFY_FAILED),
    C(hex_decode_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(base64_decode_garbage, X402S_ERR_INVALID_BASE64),
    C(base58_decode_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(signer_eip712_ok, X402S_OK),
    C(signer_eip712_garbage, X402S_ERR_INVALID_JSON),
    C(signer_eip712_deep, X402S_ERR_JSON_TOO_DEEP),
    C(signer_eip712_short_sig, X402S_ERR_BUFFER_TOO_SMALL),
    C(signer_ed25519_eip712, X402S_ERR_INVALID_KEY),
    C(signer_address_short, X402S_ERR_BUFFER_TOO_SMALL),
    C(signer_new_key_zero, X402S_ERR_INVALID_KEY),
    C(signer_new_key_order, X402S_ERR_INVALID_KEY),
    C(signer_new_key_ff, X402S_ERR_INVALID_KEY),
    C(signer_new_short_key, X402S_ERR_INVALID_LENGTH),
    C(signer_new_unknown_kind, X402S_ERR_INVALID_ARGUMENT),
    C(signer_new_null_out, X402S_ERR_NULL_ARGUMENT),
    C(signer_free_null, X402S_OK),
    C(x402_decode_ok, X402S_OK),
    C(x402_decode_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(x402_decode_garbage, X402S_ERR_INVALID_BASE64),
    C(x402_decode_truncated, X402S_ERR_INVALID_JSON),
    C(x402_decode_open_brace, X402S_ERR_INVALID_JSON),
    C(x402_decode_version, X402S_ERR_X402_UNSUPPORTED_VERSION),
    C(x402_decode_deep, X402S_ERR_JSON_TOO_DEEP),
    C(x402_decode_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(x402_decode_bad_utf8, X402S_ERR_INVALID_UTF8),
    C(x402_verify_ok, X402S_OK),
    C(x402_verify_wrong_payee, X402S_ERR_X402_PAYMENT_INVALID),
    C(x402_verify_expired, X402S_ERR_X402_PAYMENT_INVALID),
    C(x402_verify_garbage_header, X402S_ERR_INVALID_BASE64),
    C(x402_verify_truncated_header, X402S_ERR_INVALID_JSON),
    C(x402_verify_deep_header, X402S_ERR_JSON_TOO_DEEP),
    C(x402_verify_garbage_req, X402S_ERR_INVALID_JSON),
    C(x402_verify_deep_req, X402S_ERR_JSON_TOO_DEEP),
    C(x402_verify_10mb_req, X402S_ERR_INPUT_TOO_LARGE),
    C(x402_verify_bad_utf8_req, X402S_ERR_INVALID_UTF8),
    C(x402_verify_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(x402_verify_bad_options, X402S_ERR_INVALID_ARGUMENT),
    C(x402_guard_replay, X402S_ERR_X402_PAYMENT_INVALID),
    C(x402_guard_garbage, X402S_ERR_INVALID_JSON),
    C(x402_guard_new_null, X402S_ERR_NULL_ARGUMENT),
    C(x402_create_ok, X402S_OK),
    C(x402_create_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(x402_create_key_zero, X402S_ERR_INVALID_KEY),
    C(x402_create_key_order, X402S_ERR_INVALID_KEY),
    C(x402_create_wrong_kind, X402S_ERR_INVALID_ARGUMENT),
    C(x402_create_garbage_req, X402S_ERR_INVALID_JSON),
    C(x402_create_bad_options, X402S_ERR_INVALID_LENGTH),
    C(x402_create_with_signer_ok, X402S_OK),
    C(x402_create_with_signer_garbage, X402S_ERR_JSON_TOO_DEEP),
    C(x402_payment_required_ok, X402S_OK),
    C(x402_payment_required_bad_network, X402S_ERR_X402_UNKNOWN_NETWORK),
    C(x402_parse_payment_required_ok, X402S_OK),
    C(x402_parse_payment_required_garbage, X402S_ERR_INVALID_JSON),
    C(x402_select_ok, X402S_OK),
    C(x402_select_deep_policy, X402S_ERR_JSON_TOO_DEEP),
    C(x402_select_too_cheap, X402S_ERR_X402_NO_MATCHING_REQUIREMENT),
    C(x402_settle_roundtrip, X402S_OK),
    C(x402_settle_decode_garbage, X402S_ERR_INVALID_JSON),
    C(evidence_flow_ok, X402S_OK),
    C(evidence_flow_tampered, X402S_ERR_EVIDENCE_VERIFY_FAILED),
    C(evidence_make_garbage, X402S_ERR_INVALID_JSON),
    C(evidence_make_deep, X402S_ERR_JSON_TOO_DEEP),
    C(evidence_make_bad_schema, X402S_ERR_EVIDENCE_INVALID_RECORD),
    C(evidence_parse_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(evidence_parse_not_a_record, X402S_ERR_EVIDENCE_INVALID_RECORD),
    C(evidence_receipt_garbage, X402S_ERR_EVIDENCE_INVALID_RECEIPT),
    C(evidence_bundle_deep, X402S_ERR_JSON_TOO_DEEP),
    C(evidence_bundle_not_a_bundle, X402S_ERR_EVIDENCE_INVALID_BUNDLE),
    C(sol_decode_ok, X402S_OK),
    C(sol_decode_truncated, X402S_ERR_SOLANA_INVALID_TRANSACTION),
    C(sol_decode_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(sol_sanitize_garbage, X402S_ERR_SOLANA_INVALID_TRANSACTION),
    C(sol_cosign_ok, X402S_OK),
    C(sol_cosign_not_signer, X402S_ERR_INVALID_ARGUMENT),
    C(sol_verify_ok, X402S_OK),
    C(sol_verify_wrong_amount, X402S_ERR_X402_PAYMENT_INVALID),
    C(sol_build_garbage, X402S_ERR_INVALID_JSON),
    C(risk_secure_ok, X402S_OK),
    C(risk_secure_garbage, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_secure_bad_tp, X402S_ERR_RISK_INVALID_TRACEPARENT),
    C(risk_secure_too_long, X402S_ERR_RISK_HEADER_TOO_LONG),
    C(risk_secure_bad_utf8, X402S_ERR_INVALID_UTF8),
    C(risk_secure_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(risk_context_ok, X402S_OK),
    C(risk_context_bad_base64, X402S_ERR_INVALID_BASE64),
    C(risk_context_bad_escape, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_ap2_garbage, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_vi_garbage, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_uuid_garbage, X402S_ERR_RISK_INVALID_UUID),
    C(risk_ids_garbage, X402S_ERR_RISK_INVALID_UUID),
    C(risk_canonical_deep, X402S_ERR_JSON_TOO_DEEP),
    C(risk_canonical_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(risk_canonical_partial, X402S_ERR_INVALID_JSON),
    C(risk_canonical_big_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(http_route_ok, X402S_OK),
    C(http_route_traversal, X402S_ERR_HTTP_PATH_TRAVERSAL),
    C(http_route_bad_utf8, X402S_ERR_INVALID_UTF8),
    C(http_route_10mb, X402S_ERR_INPUT_TOO_LARGE),
    C(http_route_short_out, X402S_ERR_BUFFER_TOO_SMALL),
    C(http_route_key_ok, X402S_OK),
    C(http_route_key_param, X402S_ERR_HTTP_INVALID_ROUTE_KEY),
    C(risk_trace_parse_deep, X402S_ERR_JSON_TOO_DEEP),
    C(risk_trace_parse_ok, X402S_OK),
    C(risk_trace_build_garbage, X402S_ERR_RISK_INVALID_TRACE),
    C(risk_mandate_garbage, X402S_ERR_RISK_INVALID_MANDATE),
    C(risk_evidence_parse_ok, X402S_OK),
    C(risk_evidence_parse_garbage, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_evidence_verify_ok, X402S_OK),
    C(risk_evidence_verify_other_origin, X402S_ERR_RISK_EVIDENCE_MISMATCH),
    C(risk_evidence_verify_garbage, X402S_ERR_RISK_INVALID_HEADER),
    C(risk_evidence_sign_key_zero, X402S_ERR_INVALID_KEY),
    C(risk_evidence_sign_key_order, X402S_ERR_INVALID_KEY),
    C(risk_evidence_sign_not_payer, X402S_ERR_RISK_EVIDENCE_MISMATCH),
};

static const char *name_of(x402s_status st) {
    const char *n = x402s_status_name(st);
    return n ? n : "(not a status)";
}

/* Bytes of glibc heap in use (arena chunks and mmapped blocks); 0 where unknown. */
static size_t heap_in_use(void) {
#ifdef HAVE_MALLINFO2
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

#define HEAP_GROWTH_LIMIT 4096

static int deliberate_overread(void) {
    uint8_t *eight = (uint8_t *)malloc(8);
    x402s_status st;
    if (!eight) return 2;
    memset(eight, 0x5a, 8);
    st = x402s_keccak256(out, 32, eight, 16, &err); /* reads 8 bytes past the block */
    free(eight);
    printf("deliberate over-read: status %d\n", (int)st);
    return 0;
}

/* 0 when no handle is live, else 1 with a message. */
static int check_handles(void) {
    size_t live = x402s_handle_count();
    if (live == 0) return 0;
    fprintf(stderr, "FAIL leaked handles: %zu still live at exit\n", live);
    return 1;
}

static int deliberate_leak(void) {
    x402s_signer *s = NULL;
    x402s_replay_guard *g = NULL;
    if (x402s_signer_new(&s, KEY1, 32, X402S_KEY_SECP256K1, &err) != X402S_OK) return 2;
    if (x402s_replay_guard_new(&g, 16, &err) != X402S_OK) return 2;
    printf("deliberate leak: one signer and one replay guard are never freed\n");
    return check_handles(); /* s and g go out of scope unreleased */
}

int main(int argc, char **argv) {
    long iterations = 200;
    size_t i, ncases = sizeof CASES / sizeof CASES[0];
    long k;
    int passed = 0, failed = 0, growth = 0;
    size_t worst = 0;
    const char *worst_name = "-";
    int a = 1;

    memset(KEY1, 1, 32);
    if (argc > 1 && strcmp(argv[1], "--deliberate-leak") == 0) return deliberate_leak();
    if (argc > 1 && strcmp(argv[1], "--deliberate-overread") == 0) return deliberate_overread();
    if (argc > 1 && strcmp(argv[1], "--heap-growth") == 0) {
        growth = 1;
        a = 2;
#ifndef HAVE_MALLINFO2
        printf("leak_loop: no mallinfo2 (not glibc >= 2.33): heap growth check skipped\n");
        return 0;
#endif
    }
    if (argc > a) {
        char *end = NULL;
        iterations = strtol(argv[a], &end, 10);
        if (!end || *end || iterations < 1 || argc > a + 1) {
            fprintf(stderr, "usage: leak_loop [--heap-growth] [iterations >= 1] | --deliberate-leak"
                            " | --deliberate-overread\n");
            return 2;
        }
    }
    setup();
    for (i = 0; i < ncases; i++) {
        const leak_case *c = &CASES[i];
        int ok = 1;
        size_t before = 0, after, handles = x402s_handle_count();
        if (growth) {
            (void)c->fn(); /* warm-up: one-time initialisation and bounded caches fill here */
            before = heap_in_use();
        }
        for (k = 0; k < iterations && ok; k++) {
            x402s_status st = c->fn();
            if (st != c->want) {
                fprintf(stderr, "FAIL %s (iteration %ld): got %d %s, want %s\n", c->name, k, (int)st, name_of(st),
                        name_of(c->want));
                ok = 0;
            }
        }
        if (growth && ok) {
            after = heap_in_use();
            if (after > before && after - before > worst) {
                worst = after - before;
                worst_name = c->name;
            }
            if (after > before && after - before > HEAP_GROWTH_LIMIT) {
                fprintf(stderr, "FAIL %s: heap in use grew by %zu bytes over %ld calls (limit %d)\n", c->name,
                        after - before, iterations, HEAP_GROWTH_LIMIT);
                ok = 0;
            }
        }
        if (ok && x402s_handle_count() != handles) {
            fprintf(stderr, "FAIL %s: %zu live handles before, %zu after\n", c->name, handles, x402s_handle_count());
            ok = 0;
        }
        if (ok) passed++;
        else failed++;
    }
    free_blobs();
    if (check_handles()) failed++;
    printf("leak_loop: %zu cases x %ld iterations\n", ncases, iterations);
    if (growth) printf("leak_loop: largest heap growth %zu bytes (%s)\n", worst, worst_name);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
