/* Constant-time check of the signing entry points (ctgrind), run by Tests/c/ctime.sh.
 *
 * The technique of libsecp256k1's src/ctime_tests.c: valgrind memcheck tracks which bytes
 * are "undefined" and reports every conditional jump, and every memory address, that
 * depends on them. Marking a secret key undefined before a call therefore makes memcheck
 * report each secret-dependent branch or table index the call performs, in our Swift code
 * (libx402secure.so) and in the C code it calls (OpenSSL's SHA-256 under our RFC 6979
 * nonce function, libsodium's Ed25519, libsecp256k1).
 *
 * Every case runs its entry point twice with the same key: once with the key defined (the
 * reference output), then with the key marked undefined. After the second call the status
 * and the outputs are marked defined again (they may depend on the secret) and must equal
 * the reference. Five cases pass an invalid secp256k1 key (0, n, ff..ff) and expect
 * X402S_ERR_INVALID_KEY with the same message: rejecting a key must not branch on it either,
 * except on the declassified validity result.
 *
 * Declassification. Some values computed from the key are public by design; upstream marks
 * them defined inside libsecp256k1 (secp256k1_declassify, compiled in only for its own
 * ctime_tests) and in ctime_tests.c after each call. Here the same is done at the boundary
 * between our library and the C backends: this program defines the backend functions below
 * (the dynamic linker binds libx402secure.so's calls to them; they forward to the real ones
 * with dlsym(RTLD_NEXT)) and marks defined exactly the public results:
 *   secp256k1_ec_seckey_verify       the return value (whether the key is valid)
 *   secp256k1_ec_pubkey_create       the return value and the public key
 *   secp256k1_ecdsa_sign_recoverable the return value and the signature (r, s, recovery id)
 *   crypto_sign_seed_keypair         the return value and the public key (not the secret key)
 *   crypto_sign_detached             the return value, the signature and its length
 * Everything else stays undefined: the key as our code copies and wipes it, the RFC 6979
 * HMAC-DRBG state and nonce (libsecp256k1 calls our nonce function from inside
 * secp256k1_ecdsa_sign_recoverable; a tracer checks that the key arrives there undefined and
 * the nonce leaves undefined), libsodium's expanded secret key. Each wrapper counts the calls
 * in which the secret reached it undefined; the run fails when one never does (the library
 * changed how it reaches the backend, and this harness must follow).
 *
 * The remaining legitimate reports are inside libsecp256k1's signing (Debian's build has no
 * valgrind hooks); Tests/c/ctime.supp suppresses those two, and only those.
 *
 * Modes (each needs valgrind; without it the program refuses to run):
 *   ctime                 every case; exit 0 when all statuses and outputs are right
 *   ctime --leak-c-branch   a branch on the secret in this file
 *   ctime --leak-c-index    a table load at a secret index in this file
 *   ctime --leak-swift      x402s_base58_encode of the secret: branches in our Swift code
 *   ctime --leak-secp256k1  a public key marked undefined, to x402s_secp256k1_verify:
 *                           branches inside libsecp256k1 outside signing (not suppressed)
 *   ctime --leak-sodium     the same with x402s_ed25519_verify: branches inside libsodium
 * ctime.sh requires memcheck to fail each --leak-* run with the expected report.
 *
 * Compiled as C99 with -Wall -Wextra -Werror -pedantic. */
#define _GNU_SOURCE
#include "x402_secure.h"
#include "fixtures.h"

#include <dlfcn.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

/* ---- declassifying wrappers of the backend functions ---------------------------------- */

/* Calls of each wrapper, and calls that received the key or seed undefined (ctime.sh
 * requires both to be non-zero for every wrapper: the secret did reach each backend). */
typedef struct {
    const char *name;
    unsigned long calls, secret_calls;
} backend_count;
static backend_count count_seckey_verify = {"secp256k1_ec_seckey_verify", 0, 0},
                     count_pubkey_create = {"secp256k1_ec_pubkey_create", 0, 0},
                     count_sign_recoverable = {"secp256k1_ecdsa_sign_recoverable", 0, 0},
                     count_seed_keypair = {"crypto_sign_seed_keypair", 0, 0},
                     count_sign_detached = {"crypto_sign_detached", 0, 0};

/* Whether any bit of p[0..<n] is undefined (asks memcheck without reporting an error). */
static int any_undefined(const void *p, size_t n) {
    uint8_t vbits[64];
    size_t i;
    if (n > sizeof vbits || VALGRIND_GET_VBITS(p, vbits, n) != 1) return 0;
    for (i = 0; i < n; i++) {
        if (vbits[i]) return 1;
    }
    return 0;
}

/* Whether every bit of p[0..<n] is undefined. */
static int all_undefined(const void *p, size_t n) {
    uint8_t vbits[64];
    size_t i;
    if (n > sizeof vbits || VALGRIND_GET_VBITS(p, vbits, n) != 1) return 0;
    for (i = 0; i < n; i++) {
        if (vbits[i] != 0xff) return 0;
    }
    return 1;
}

static void counted(backend_count *c, const void *secret, size_t n) {
    c->calls++;
    if (any_undefined(secret, n)) c->secret_calls++;
}

/* The real function behind an interposed name (POSIX's idiom for a function pointer from dlsym). */
static void *real_function(const char *name) {
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "ctime: dlsym(RTLD_NEXT, %s) failed: %s\n", name, dlerror());
        exit(2);
    }
    return f;
}

typedef int (*seckey_verify_fn)(const secp256k1_context *, const unsigned char *);
int secp256k1_ec_seckey_verify(const secp256k1_context *ctx, const unsigned char *seckey) {
    static seckey_verify_fn real;
    int ret;
    if (!real) *(void **)&real = real_function("secp256k1_ec_seckey_verify");
    counted(&count_seckey_verify, seckey, 32);
    ret = real(ctx, seckey);
    PUBLIC(&ret, sizeof ret); /* whether a key is valid is public (ctime_tests.c does the same) */
    return ret;
}

typedef int (*pubkey_create_fn)(const secp256k1_context *, secp256k1_pubkey *, const unsigned char *);
int secp256k1_ec_pubkey_create(const secp256k1_context *ctx, secp256k1_pubkey *pubkey, const unsigned char *seckey) {
    static pubkey_create_fn real;
    int ret;
    if (!real) *(void **)&real = real_function("secp256k1_ec_pubkey_create");
    counted(&count_pubkey_create, seckey, 32);
    ret = real(ctx, pubkey, seckey);
    PUBLIC(&ret, sizeof ret);
    PUBLIC(pubkey, sizeof *pubkey); /* the public key */
    return ret;
}

/* Our RFC 6979 nonce function (Sources/X402Secure/RFC6979.swift), as libsecp256k1 calls it:
 * the signing wrapper passes this tracer instead, which calls it unchanged and records that
 * the key reached it undefined and that all 256 bits of the nonce came out undefined, i.e.
 * that memcheck followed the secret through every instruction of it and of OpenSSL's SHA-256
 * under it. */
static secp256k1_nonce_function traced_noncefp;
static unsigned long secret_nonces, secret_nonces_undefined;

static int traced_nonce(unsigned char *nonce32, const unsigned char *msg32, const unsigned char *key32,
                        const unsigned char *algo16, void *data, unsigned int attempt) {
    int secret = any_undefined(key32, 32);
    int ret = traced_noncefp(nonce32, msg32, key32, algo16, data, attempt);
    if (secret) {
        secret_nonces++;
        if (all_undefined(nonce32, 32)) secret_nonces_undefined++;
    }
    return ret;
}

typedef int (*sign_recoverable_fn)(const secp256k1_context *, secp256k1_ecdsa_recoverable_signature *,
                                   const unsigned char *, const unsigned char *, secp256k1_nonce_function,
                                   const void *);
int secp256k1_ecdsa_sign_recoverable(const secp256k1_context *ctx, secp256k1_ecdsa_recoverable_signature *sig,
                                     const unsigned char *msghash32, const unsigned char *seckey,
                                     secp256k1_nonce_function noncefp, const void *ndata) {
    static sign_recoverable_fn real;
    int ret;
    if (!real) *(void **)&real = real_function("secp256k1_ecdsa_sign_recoverable");
    counted(&count_sign_recoverable, seckey, 32);
    if (noncefp) {
        traced_noncefp = noncefp;
        noncefp = traced_nonce;
    }
    ret = real(ctx, sig, msghash32, seckey, noncefp, ndata);
    PUBLIC(&ret, sizeof ret); /* upstream: "The final signature is no longer a secret, nor is */
    PUBLIC(sig, sizeof *sig); /* the fact that we were successful or not." */
    return ret;
}

typedef int (*seed_keypair_fn)(unsigned char *, unsigned char *, const unsigned char *);
int crypto_sign_seed_keypair(unsigned char *pk, unsigned char *sk, const unsigned char *seed) {
    static seed_keypair_fn real;
    int ret;
    if (!real) *(void **)&real = real_function("crypto_sign_seed_keypair");
    counted(&count_seed_keypair, seed, crypto_sign_SEEDBYTES);
    ret = real(pk, sk, seed);
    PUBLIC(&ret, sizeof ret);
    PUBLIC(pk, crypto_sign_PUBLICKEYBYTES); /* the public key; sk (seed || pk) stays secret */
    return ret;
}

typedef int (*sign_detached_fn)(unsigned char *, unsigned long long *, const unsigned char *, unsigned long long,
                                const unsigned char *);
int crypto_sign_detached(unsigned char *sig, unsigned long long *siglen_p, const unsigned char *m,
                         unsigned long long mlen, const unsigned char *sk) {
    static sign_detached_fn real;
    int ret;
    if (!real) *(void **)&real = real_function("crypto_sign_detached");
    counted(&count_sign_detached, sk, crypto_sign_SEEDBYTES);
    ret = real(sig, siglen_p, m, mlen, sk);
    PUBLIC(&ret, sizeof ret);
    PUBLIC(sig, crypto_sign_BYTES); /* the signature */
    if (siglen_p) PUBLIC(siglen_p, sizeof *siglen_p);
    return ret;
}

/* ---- inputs --------------------------------------------------------------------------- */

#define OUT_CAP 65536
static uint8_t out[OUT_CAP];
static size_t out_len;
static x402s_error err;
static int failures = 0;

static void die(const char *what) {
    fprintf(stderr, "ctime: set-up failed: %s\n", what);
    exit(2);
}

#define IN(s) (const uint8_t *)(s), strlen(s)

/* secp256k1 key and Ed25519 seed 01 x 32 (the shared vectors' key); the Solana fee payer is seed 02;
 * invalid secp256k1 keys: zero, 0xff x 32 and the group order n. */
static uint8_t KEY1[32], KEY2[32], KEY0[32], KEYFF[32];
static const uint8_t ORDER[32] = X402S_TEST_ORDER_BYTES;
static uint8_t DIGEST[32];

#define BLOCKHASH "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"

static const char *const MAIL = X402S_TEST_MAIL_JSON;

/* x402 v2 requirements: EIP-3009 (Base Sepolia USDC), Permit2 (MegaUSD), upto, Solana exact. */
static const char *const REQ_EIP3009 = X402S_TEST_REQ_EIP3009_JSON;
static const char *const REQ_PERMIT2 =
    "{\"scheme\":\"exact\",\"network\":\"eip155:4326\",\"asset\":\"0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7\","
    "\"amount\":\"10000\",\"payTo\":\"" PAY_TO "\",\"maxTimeoutSeconds\":60,"
    "\"extra\":{\"assetTransferMethod\":\"permit2\",\"name\":\"MegaUSD\",\"version\":\"1\"}}";
static const char *const REQ_UPTO =
    "{\"scheme\":\"upto\",\"network\":\"eip155:84532\",\"asset\":\"" USDC_BASE_SEPOLIA "\","
    "\"amount\":\"50000\",\"payTo\":\"" PAY_TO "\",\"maxTimeoutSeconds\":300,"
    "\"extra\":{\"assetTransferMethod\":\"permit2\",\"name\":\"USDC\",\"version\":\"2\","
    "\"facilitatorAddress\":\"0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c\"}}";
static const char *const REQ_SOLANA =
    "{\"scheme\":\"exact\",\"network\":\"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1\",\"asset\":\"" MINT "\","
    "\"amount\":\"1000\",\"payTo\":\"" SOL_PAY_TO "\",\"maxTimeoutSeconds\":60,"
    "\"extra\":{\"feePayer\":\"" FEE_PAYER "\",\"recentBlockhash\":\"" BLOCKHASH "\",\"memo\":\"m\"}}";
/* injected time, nonce and memo nonce: the outputs are deterministic */
static const char *const OPTS =
    "{\"now\":1740672000,\"nonce\":\"0x0000000000000000000000000000000000000000000000000000000000000001\","
    "\"memoNonce\":\"0x000102030405060708090a0b0c0d0e0f\"}";
static const char *const SOL_BUILD =
    "{\"feePayer\":\"" FEE_PAYER "\",\"payTo\":\"" SOL_PAY_TO "\",\"mint\":\"" MINT "\",\"decimals\":6,"
    "\"amount\":\"1000\",\"recentBlockhash\":\"" BLOCKHASH "\",\"memo\":\"m\","
    "\"memoNonce\":\"0x000102030405060708090a0b0c0d0e0f\"}";
static const char *const EV_NOW = "{\"now\":1740672001}";

/* made at start-up by the library with the key defined */
static uint8_t *SOL_TX, *EV_MESSAGE_EVM, *EV_MESSAGE_SOLANA;
static size_t SOL_TX_LEN, EV_MESSAGE_EVM_LEN, EV_MESSAGE_SOLANA_LEN;

static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *q = (uint8_t *)malloc(n ? n : 1);
    if (!q) die("malloc");
    memcpy(q, p, n);
    return q;
}

/* The string value of "key":"..." in JSON text, NUL-terminated (see fixtures.h). */
static char *member_string(const uint8_t *json, size_t n, const char *key) {
    size_t start, len;
    char *s;
    if (!x402s_test_member(json, n, key, &start, &len) || json[start - 1] != '"') die(key);
    s = (char *)malloc(len + 1);
    if (!s) die("malloc");
    memcpy(s, json + start, len);
    s[len] = 0;
    return s;
}

/* The object value of "key":{...} in compact JSON text (see fixtures.h). */
static uint8_t *member_object(const uint8_t *json, size_t n, const char *key, size_t *len) {
    size_t start;
    if (!x402s_test_member(json, n, key, &start, len) || json[start] != '{') die(key);
    return dup_bytes(json + start, *len);
}

/* The evidence message (x402s_risk_evidence_build) for a payment made with key32 (defined). */
static uint8_t *evidence_message(const char *requirement, uint32_t kind, const char *payer, size_t *len) {
    static char request[16384];
    char *header;
    int n;
    if (x402s_x402_create_payment(out, OUT_CAP, &out_len, IN(requirement), KEY1, 32, kind, NULL, 0, IN(OPTS),
                                  &err) != X402S_OK)
        die(err.message);
    header = member_string(out, out_len, "headerValue");
    n = snprintf(request, sizeof request,
                 "{\"paymentHeader\":\"%s\",\"requirement\":%s,\"origin\":\"https://example.com\","
                 "\"resource\":\"https://example.com/x\",\"riskSessionId\":\"" SID "\",\"riskTraceId\":\"" TID
                 "\"%s%s%s}",
                 header, requirement, payer ? ",\"payer\":\"" : "", payer ? payer : "", payer ? "\"" : "");
    free(header);
    if (n < 0 || (size_t)n >= sizeof request) die("evidence request too long");
    if (x402s_risk_evidence_build(out, OUT_CAP, &out_len, IN(request), IN(EV_NOW), &err) != X402S_OK)
        die(err.message);
    return member_object(out, out_len, "message", len);
}

static void setup(void) {
    char solana_address[64];
    size_t n = 0;
    memset(KEY1, 1, 32);
    memset(KEY2, 2, 32);
    memset(KEY0, 0, 32);
    memset(KEYFF, 0xff, 32);
    memset(DIGEST, 0x42, 32);
    if (x402s_init(&err) != X402S_OK) die(err.message);
    if (x402s_solana_exact_build(out, OUT_CAP, &out_len, IN(SOL_BUILD), KEY1, 32, &err) != X402S_OK)
        die(err.message);
    SOL_TX = dup_bytes(out, out_len);
    SOL_TX_LEN = out_len;
    EV_MESSAGE_EVM = evidence_message(REQ_EIP3009, X402S_KEY_SECP256K1, NULL, &EV_MESSAGE_EVM_LEN);
    if (x402s_solana_address((uint8_t *)solana_address, sizeof solana_address - 1, &n, KEY1, 32, &err) != X402S_OK)
        die(err.message);
    solana_address[n] = 0;
    EV_MESSAGE_SOLANA = evidence_message(REQ_SOLANA, X402S_KEY_ED25519_SEED, solana_address, &EV_MESSAGE_SOLANA_LEN);
}

/* ---- cases: each calls entry points with `key` (32 bytes) and leaves its output in out --- */

typedef x402s_status (*case_fn)(const uint8_t *key);

static x402s_status c_seckey_verify(const uint8_t *key) {
    out_len = 0;
    return x402s_secp256k1_seckey_verify(key, 32, &err);
}
static x402s_status c_secp256k1_pubkey(const uint8_t *key) {
    out_len = 65;
    return x402s_secp256k1_pubkey(out, 65, key, 32, &err);
}
static x402s_status c_evm_address(const uint8_t *key) {
    out_len = 42;
    return x402s_evm_address(out, 42, key, 32, &err);
}
static x402s_status c_secp256k1_sign(const uint8_t *key) {
    out_len = 65;
    return x402s_secp256k1_sign(out, 65, DIGEST, 32, key, 32, &err);
}
static x402s_status c_eip712_sign(const uint8_t *key) {
    out_len = 97;
    return x402s_eip712_sign(out, 65, out + 65, 32, IN(MAIL), key, 32, &err);
}
static x402s_status c_signer_evm(const uint8_t *key) {
    /* x402s_signer_new gets the key undefined; the signer's own copy of it stays undefined
     * for every call that uses the signer */
    x402s_signer *s = NULL;
    size_t n = 0;
    x402s_status st = x402s_signer_new(&s, key, 32, X402S_KEY_SECP256K1, &err);
    PUBLIC(&st, sizeof st);
    PUBLIC(&s, sizeof s);
    if (st != X402S_OK) return st;
    st = x402s_signer_eip712_sign(out, 65, out + 65, 32, s, IN(MAIL), &err);
    if (st == X402S_OK) st = x402s_signer_address(out + 97, 64, &n, s, &err);
    if (st == X402S_OK) {
        st = x402s_x402_create_payment_with_signer(out + 97 + n, OUT_CAP - 97 - n, &out_len, IN(REQ_EIP3009), s,
                                                   NULL, 0, IN(OPTS), 0, &err);
        out_len += 97 + n;
    }
    x402s_signer_free(s);
    return st;
}
static x402s_status c_create_eip3009(const uint8_t *key) {
    return x402s_x402_create_payment(out, OUT_CAP, &out_len, IN(REQ_EIP3009), key, 32, X402S_KEY_SECP256K1, NULL, 0,
                                     IN(OPTS), &err);
}
static x402s_status c_create_permit2(const uint8_t *key) {
    return x402s_x402_create_payment(out, OUT_CAP, &out_len, IN(REQ_PERMIT2), key, 32, X402S_KEY_SECP256K1, NULL, 0,
                                     IN(OPTS), &err);
}
static x402s_status c_create_upto(const uint8_t *key) {
    return x402s_x402_create_payment(out, OUT_CAP, &out_len, IN(REQ_UPTO), key, 32, X402S_KEY_SECP256K1, NULL, 0,
                                     IN(OPTS), &err);
}
static x402s_status c_evidence_evm(const uint8_t *key) {
    return x402s_risk_evidence_sign(out, OUT_CAP, &out_len, EV_MESSAGE_EVM, EV_MESSAGE_EVM_LEN, key, 32,
                                    X402S_KEY_SECP256K1, &err);
}
static x402s_status c_ed25519_pubkey(const uint8_t *key) {
    out_len = 32;
    return x402s_ed25519_pubkey(out, 32, key, 32, &err);
}
static x402s_status c_solana_address(const uint8_t *key) {
    return x402s_solana_address(out, OUT_CAP, &out_len, key, 32, &err);
}
static x402s_status c_ed25519_sign(const uint8_t *key) {
    out_len = 64;
    return x402s_ed25519_sign(out, 64, IN("x402-secure ctime"), key, 32, &err);
}
static x402s_status c_signer_solana(const uint8_t *key) {
    x402s_signer *s = NULL;
    size_t n = 0;
    x402s_status st = x402s_signer_new(&s, key, 32, X402S_KEY_ED25519_SEED, &err);
    PUBLIC(&st, sizeof st);
    PUBLIC(&s, sizeof s);
    if (st != X402S_OK) return st;
    st = x402s_signer_address(out, 64, &n, s, &err);
    if (st == X402S_OK) {
        st = x402s_x402_create_payment_with_signer(out + n, OUT_CAP - n, &out_len, IN(REQ_SOLANA), s, NULL, 0,
                                                   IN(OPTS), 0, &err);
        out_len += n;
    }
    x402s_signer_free(s);
    return st;
}
static x402s_status c_create_solana(const uint8_t *key) {
    return x402s_x402_create_payment(out, OUT_CAP, &out_len, IN(REQ_SOLANA), key, 32, X402S_KEY_ED25519_SEED, NULL,
                                     0, IN(OPTS), &err);
}
static x402s_status c_solana_exact_build(const uint8_t *key) {
    return x402s_solana_exact_build(out, OUT_CAP, &out_len, IN(SOL_BUILD), key, 32, &err);
}
static x402s_status c_solana_cosign(const uint8_t *key) {
    return x402s_solana_sign_transaction(out, OUT_CAP, &out_len, SOL_TX, SOL_TX_LEN, key, 32, &err);
}
static x402s_status c_evidence_solana(const uint8_t *key) {
    return x402s_risk_evidence_sign(out, OUT_CAP, &out_len, EV_MESSAGE_SOLANA, EV_MESSAGE_SOLANA_LEN, key, 32,
                                    X402S_KEY_ED25519_SEED, &err);
}

/* the evidence receipt key: a signer made from an undefined seed signs a receipt and a bundle */
static const char *const EV_RECORD =
    "{\"body\":{\"decidedAt\":1,\"decisionId\":\"d\",\"extra\":{},\"kind\":\"verify\",\"mandate\":null,\"payment\":null,\"reasons\":[],\"receivedAt\":null,\"riskHeaders\":{},\"riskLevel\":null,\"session\":null,\"trace\":null,\"upstream\":[],\"verdict\":\"allow\"},\"chain\":\"main\",\"prev\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"seq\":0,\"v\":1}";
static const char *const EV_BUNDLE_REQ =
    "{\"decisionId\":\"d\",\"records\":[\"{\\\"body\\\":{\\\"decidedAt\\\":1,\\\"decisionId\\\":\\\"d\\\",\\\"extra\\\":{},\\\"kind\\\":\\\"verify\\\",\\\"mandate\\\":null,\\\"payment\\\":null,\\\"reasons\\\":[],\\\"receivedAt\\\":null,\\\"riskHeaders\\\":{},\\\"riskLevel\\\":null,\\\"session\\\":null,\\\"trace\\\":null,\\\"upstream\\\":[],\\\"verdict\\\":\\\"allow\\\"},\\\"chain\\\":\\\"main\\\",\\\"prev\\\":\\\"sha256:0000000000000000000000000000000000000000000000000000000000000000\\\",\\\"seq\\\":0,\\\"v\\\":1}\"],\"exportedAt\":1}";
static x402s_status c_receipt_key(const uint8_t *key) {
    x402s_signer *s = NULL;
    size_t n = 0, m = 0;
    x402s_status st = x402s_signer_new(&s, key, 32, X402S_KEY_ED25519_SEED, &err);
    PUBLIC(&st, sizeof st);
    PUBLIC(&s, sizeof s);
    if (st != X402S_OK) return st;
    st = x402s_evidence_public_key(out, OUT_CAP, &n, s, &err);
    if (st == X402S_OK) st = x402s_evidence_receipt_sign(out + n, OUT_CAP - n, &m, s, IN(EV_RECORD), &err);
    if (st == X402S_OK) {
        st = x402s_evidence_bundle_build(out + n + m, OUT_CAP - n - m, &out_len, IN(EV_BUNDLE_REQ), s, &err);
        out_len += n + m;
    }
    x402s_signer_free(s);
    return st;
}

typedef struct {
    const char *name;
    case_fn fn;
    const uint8_t *key;
    x402s_status want;
} ct_case;

static const ct_case CASES[] = {
    {"x402s_secp256k1_seckey_verify", c_seckey_verify, KEY1, X402S_OK},
    {"x402s_secp256k1_pubkey", c_secp256k1_pubkey, KEY1, X402S_OK},
    {"x402s_evm_address", c_evm_address, KEY1, X402S_OK},
    {"x402s_secp256k1_sign", c_secp256k1_sign, KEY1, X402S_OK},
    {"x402s_eip712_sign", c_eip712_sign, KEY1, X402S_OK},
    {"x402s_signer_new (secp256k1) + eip712_sign, address, create_payment_with_signer", c_signer_evm, KEY1, X402S_OK},
    {"x402s_x402_create_payment (exact, EIP-3009)", c_create_eip3009, KEY1, X402S_OK},
    {"x402s_x402_create_payment (exact, Permit2)", c_create_permit2, KEY1, X402S_OK},
    {"x402s_x402_create_payment (upto, Permit2)", c_create_upto, KEY1, X402S_OK},
    {"x402s_risk_evidence_sign (secp256k1)", c_evidence_evm, KEY1, X402S_OK},
    {"x402s_ed25519_pubkey", c_ed25519_pubkey, KEY1, X402S_OK},
    {"x402s_solana_address", c_solana_address, KEY1, X402S_OK},
    {"x402s_ed25519_sign", c_ed25519_sign, KEY1, X402S_OK},
    {"x402s_signer_new (Ed25519) + address, create_payment_with_signer", c_signer_solana, KEY1, X402S_OK},
    {"x402s_x402_create_payment (Solana exact)", c_create_solana, KEY1, X402S_OK},
    {"x402s_solana_exact_build", c_solana_exact_build, KEY1, X402S_OK},
    {"x402s_solana_sign_transaction (fee payer)", c_solana_cosign, KEY2, X402S_OK},
    {"x402s_risk_evidence_sign (Ed25519)", c_evidence_solana, KEY1, X402S_OK},
    {"x402s_signer_new (Ed25519) + evidence_public_key, evidence_receipt_sign, evidence_bundle_build", c_receipt_key, KEY1,
     X402S_OK},
    /* an invalid key is rejected on the (declassified) validity result alone: the status and
     * the message must not depend on the key otherwise */
    {"x402s_secp256k1_seckey_verify (key n)", c_seckey_verify, ORDER, X402S_ERR_INVALID_KEY},
    {"x402s_secp256k1_sign (key 0)", c_secp256k1_sign, KEY0, X402S_ERR_INVALID_KEY},
    {"x402s_signer_new (secp256k1, key ff..ff)", c_signer_evm, KEYFF, X402S_ERR_INVALID_KEY},
    {"x402s_x402_create_payment (exact, EIP-3009, key n)", c_create_eip3009, ORDER, X402S_ERR_INVALID_KEY},
    {"x402s_risk_evidence_sign (secp256k1, key 0)", c_evidence_evm, KEY0, X402S_ERR_INVALID_KEY},
};

static const char *status_name(x402s_status st) {
    const char *name = x402s_status_name(st);
    return name ? name : "?";
}

static void run_case(const ct_case *c) {
    static uint8_t reference[OUT_CAP];
    static x402s_error reference_err;
    uint8_t key[32];
    size_t reference_len;
    x402s_status st;

    /* reference: the key defined */
    memcpy(key, c->key, 32);
    memset(out, 0, OUT_CAP);
    memset(&err, 0, sizeof err);
    out_len = 0;
    st = c->fn(key);
    if (st != c->want || out_len > OUT_CAP) {
        fprintf(stderr, "FAIL %s (key defined): status %d (%s), want %s: %s\n", c->name, (int)st, status_name(st),
                status_name(c->want), err.message);
        failures++;
        return;
    }
    memcpy(reference, out, out_len);
    reference_len = out_len;
    reference_err = err;

    /* the check: the key undefined; the status and outputs may depend on it */
    memset(out, 0, OUT_CAP);
    memset(&err, 0, sizeof err);
    out_len = 0;
    memcpy(key, c->key, 32);
    SECRET(key, 32);
    st = c->fn(key);
    PUBLIC(&st, sizeof st);
    PUBLIC(&out_len, sizeof out_len);
    PUBLIC(out, OUT_CAP);
    PUBLIC(&err, sizeof err);
    PUBLIC(key, 32);
    if (st != c->want) {
        fprintf(stderr, "FAIL %s (key undefined): status %d (%s), want %s: %s\n", c->name, (int)st,
                status_name(st), status_name(c->want), err.message);
        failures++;
    } else if (st == X402S_OK && (out_len != reference_len || memcmp(out, reference, reference_len) != 0)) {
        fprintf(stderr, "FAIL %s: output differs from the run with the key defined\n", c->name);
        failures++;
    } else if (st != X402S_OK && (err.code != reference_err.code || strcmp(err.message, reference_err.message) != 0)) {
        fprintf(stderr, "FAIL %s: error differs from the run with the key defined\n", c->name);
        failures++;
    } else if (st == X402S_OK) {
        printf("ok: %s (%zu output bytes)\n", c->name, reference_len);
    } else {
        printf("ok: %s -> %s\n", c->name, status_name(st));
    }
}

static int report_backend(const backend_count *c) {
    printf("backend %s: %lu calls, %lu with the secret undefined\n", c->name, c->calls, c->secret_calls);
    if (c->secret_calls > 0) return 0;
    fprintf(stderr,
            "FAIL: %s never received the secret undefined: the library no longer reaches the backend through "
            "this wrapper, or the secret no longer flows there (update Tests/c/ctime.c)\n",
            c->name);
    return 1;
}

/* ---- deliberate leaks (ctime.sh requires memcheck to report each) ---------------------- */

static volatile unsigned leak_sink;

static int leak(const char *mode) {
    static const uint8_t table[256] = {1};
    uint8_t key[32], sig[65], pub[65];
    x402s_status st = X402S_OK;
    memset(key, 1, sizeof key);
    if (strcmp(mode, "--leak-c-branch") == 0) {
        SECRET(key, 32);
        if (key[0] & 1) leak_sink = 1; /* a branch on the secret, in this file */
    } else if (strcmp(mode, "--leak-c-index") == 0) {
        SECRET(key, 32);
        leak_sink = table[key[0]]; /* a load at a secret index, in this file */
    } else if (strcmp(mode, "--leak-swift") == 0) {
        SECRET(key, 32);
        st = x402s_base58_encode(out, OUT_CAP, &out_len, key, 32, &err); /* branches on its input */
    } else if (strcmp(mode, "--leak-secp256k1") == 0) {
        /* a valid signature checked against a public key marked undefined: libsecp256k1's
         * key parsing branches on it (outside signing, so no suppression may apply) */
        if (x402s_secp256k1_sign(sig, 65, DIGEST, 32, key, 32, &err) != X402S_OK ||
            x402s_secp256k1_pubkey(pub, 65, key, 32, &err) != X402S_OK)
            die(err.message);
        SECRET(pub + 1, 64);
        st = x402s_secp256k1_verify(sig, 65, DIGEST, 32, pub, 65, &err);
    } else if (strcmp(mode, "--leak-sodium") == 0) {
        /* the same with Ed25519: libsodium's point decoding (vartime) branches on the key */
        if (x402s_ed25519_sign(sig, 64, IN("m"), key, 32, &err) != X402S_OK ||
            x402s_ed25519_pubkey(pub, 32, key, 32, &err) != X402S_OK)
            die(err.message);
        SECRET(pub, 32);
        st = x402s_ed25519_verify(sig, 64, IN("m"), pub, 32, &err);
    } else {
        fprintf(stderr, "ctime: unknown mode %s\n", mode);
        return 2;
    }
    PUBLIC(&st, sizeof st);
    PUBLIC(out, OUT_CAP);
    PUBLIC(&out_len, sizeof out_len);
    printf("%s: status %d\n", mode, (int)st);
    return 0;
}

int main(int argc, char **argv) {
    size_t i;
    int bad = 0;
    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "ctime: run under valgrind memcheck (Tests/c/ctime.sh); alone it proves nothing\n");
        return 3;
    }
    if (argc > 1) {
        memset(DIGEST, 0x42, 32);
        if (x402s_init(&err) != X402S_OK) die(err.message);
        return leak(argv[1]);
    }
    setup();
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++) run_case(&CASES[i]);
    printf("%zu cases, %d failed\n", sizeof CASES / sizeof CASES[0], failures);
    bad += report_backend(&count_seckey_verify);
    bad += report_backend(&count_pubkey_create);
    bad += report_backend(&count_sign_recoverable);
    bad += report_backend(&count_seed_keypair);
    bad += report_backend(&count_sign_detached);
    printf("secp256k1 signatures with an undefined key: %lu\n", count_sign_recoverable.secret_calls);
    printf("RFC 6979 nonces from an undefined key: %lu, all 256 nonce bits undefined in: %lu\n", secret_nonces,
           secret_nonces_undefined);
    free(SOL_TX);
    free(EV_MESSAGE_EVM);
    free(EV_MESSAGE_SOLANA);
    return failures == 0 && bad == 0 ? 0 : 1;
}
