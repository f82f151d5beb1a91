/*
 * x402s_node_x402.c: prepared signers (include/x402_secure.h, "Signers") for the N-API
 * addon: x402SignerNew / x402SignerFree / x402SignerAddress / x402CreatePaymentWithSigner
 * (lib/x402.js) and x402SignerEip712Sign (EvmAccount.signTypedData in index.js); index.js
 * keeps one signer per account (the other x402 and Solana functions are in x402s_node.c); and the
 * Settlement section (RLP, EIP-1559 signing with a prepared signer, ABI, settle calls, Solana
 * submission) behind lib/settle.js. Registered on the addon's exports by x402s_register_x402(),
 * called once from the module init in x402s_node.c.
 *
 * Errors: a failing status throws `new X402SError(message, code, status, operation)` with
 * the class index.js hands to x402Init() (code = x402s_status_name(status)); a value of
 * the wrong JavaScript type throws a TypeError with the same properties (code
 * X402S_ERR_NULL_ARGUMENT for null/undefined, else X402S_ERR_INVALID_ARGUMENT).
 *
 * Per-environment state (the error class reference) lives in a struct passed as the data
 * pointer of every function and freed by an environment cleanup hook, so worker threads
 * each get their own.
 *
 * Secrets: keys arrive as the type-tagged External of x402s_node.c (secret_box, 32 bytes
 * outside the V8 heap; tag and layout in x402s_node_internal.h). A
 * signer is an External with its own tag whose finalizer frees the handle (zeroing the
 * core's copy of the key); x402SignerFree frees it earlier (at the account's close()) and
 * leaves a NULL handle behind, so the finalizer's x402s_signer_free(NULL) is a no-op.
 */
#define NAPI_VERSION 8
#define _DEFAULT_SOURCE
#include <node_api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x402_secure.h"
#include "x402s_node_internal.h"

#define MAX_ARGS 6

static const napi_type_tag SIGNER_TAG = {0x7834303273696721ULL, 0x6e657268616e646cULL};

typedef struct {
    x402s_signer *signer;
} signer_box;

typedef struct {
    napi_ref error_class;
} x402_state;

/* ------------------------------------------------------------------ errors */

static void throw_status(napi_env env, x402_state *s, x402s_status st, const char *op, const char *message) {
    x402s_node_throw_status(env, s != NULL ? s->error_class : NULL, st, op, message);
}

static void throw_err(napi_env env, x402_state *s, x402s_status st, const char *op, x402s_error *e) {
    x402s_node_throw_error(env, s != NULL ? s->error_class : NULL, st, op, e);
}

/* ------------------------------------------------------------------ arguments */

typedef struct {
    const uint8_t *p;
    size_t n;
    int present; /* 0: null/undefined (optional arguments) */
    uint8_t *heap;
    uint8_t stack[X402S_NODE_STACK_TEXT];
} arg_t;

static void arg_free(arg_t *a) {
    if (a->heap != NULL) {
        free(a->heap);
        a->heap = NULL;
    }
}

/* Text (string -> UTF-8) or bytes (Uint8Array). optional: null/undefined -> present = 0.
 * allow_string / allow_bytes select the accepted kinds. Returns 0 after throwing. */
static int get_arg(napi_env env, napi_value v, const char *op, const char *what, int optional, int allow_string,
                   int allow_bytes, arg_t *a) {
    a->p = NULL;
    a->n = 0;
    a->present = 1;
    a->heap = NULL;
    napi_valuetype t = x402s_node_type_of(env, v);
    if (optional && (t == napi_undefined || t == napi_null)) {
        a->present = 0;
        return 1;
    }
    if (t == napi_string && allow_string) {
        x402s_status st = x402s_node_utf8(env, v, a->stack, sizeof a->stack, &a->heap, &a->p, &a->n);
        if (st == X402S_ERR_INPUT_TOO_LARGE)
            throw_status(env, NULL, st, op, "out of memory for an argument");
        else if (st != X402S_OK)
            x402s_node_throw_type(env, op, what, t);
        return st == X402S_OK;
    }
    if (t == napi_object && allow_bytes && x402s_node_u8_view(env, v, &a->p, &a->n)) return 1;
    x402s_node_throw_type(env, op, what, t);
    return 0;
}

/* A finite non-negative integer (number) or a BigInt, as uint64. */
static int get_u64(napi_env env, napi_value v, const char *op, const char *what, uint64_t *out) {
    napi_valuetype t = x402s_node_type_of(env, v);
    int ok = x402s_node_u64(env, v, t, out);
    if (ok < 0) {
        x402s_node_throw_type(env, op, what, t);
        return 0;
    }
    if (ok == 0) {
        throw_status(env, NULL, X402S_ERR_INVALID_ARGUMENT, op,
                     t == napi_bigint ? "the BigInt is out of the uint64 range" : "expected a non-negative safe integer");
        return 0;
    }
    return 1;
}

static int get_u32(napi_env env, napi_value v, const char *op, const char *what, uint32_t *out) {
    uint64_t x = 0;
    if (!get_u64(env, v, op, what, &x)) return 0;
    if (x > 0xFFFFFFFFu) {
        throw_status(env, NULL, X402S_ERR_INVALID_ARGUMENT, op, "the integer is out of range");
        return 0;
    }
    *out = (uint32_t)x;
    return 1;
}

static int get_secret(napi_env env, x402_state *s, napi_value v, const char *op, secret_box **out) {
    return x402s_node_get_secret(env, s != NULL ? s->error_class : NULL, v, op, out);
}

#define ARGS(count)                                                             \
    size_t argc = (count);                                                      \
    napi_value argv[MAX_ARGS];                                                  \
    napi_value undef_;                                                          \
    void *data_ = NULL;                                                         \
    napi_get_undefined(env, &undef_);                                           \
    for (size_t i_ = 0; i_ < MAX_ARGS; i_++) argv[i_] = undef_;                 \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, &data_) != napi_ok) return NULL; \
    x402_state *state = (x402_state *)data_;

/* ------------------------------------------------------------------ variable output */

enum { OUT_STRING = 0, OUT_BUFFER = 1 };

/* Calls fn with a buffer of first_cap bytes, retrying once with the size reported.
 * Statuses OK and `also_ok` (0: none) produce the output; others throw. */
static napi_value run_out(napi_env env, x402_state *s, const char *op, x402s_node_out_fn fn, void *ctx,
                          size_t first_cap, int kind, x402s_status also_ok) {
    size_t cap = first_cap < 64 ? 64 : first_cap;
    uint8_t *heap = (uint8_t *)malloc(cap);
    if (heap == NULL) {
        throw_status(env, s, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
        return NULL;
    }
    uint8_t *buf = heap;
    size_t len = 0;
    x402s_error e;
    int oom = 0;
    x402s_status st = x402s_node_call_sized(fn, ctx, 1, &buf, &cap, &heap, &len, &e, &oom);
    napi_value result = NULL;
    if (oom) {
        throw_status(env, s, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
    } else if (st == X402S_ERR_BUFFER_TOO_SMALL) {
        throw_status(env, s, X402S_ERR_INTERNAL, op, "the output size changed between two calls");
    } else if (st != X402S_OK && !(also_ok != 0 && st == also_ok)) {
        throw_err(env, s, st, op, &e);
    } else if (len > cap) {
        throw_status(env, s, X402S_ERR_INTERNAL, op, "the library reported a length beyond the buffer");
    } else if (kind == OUT_BUFFER) {
        void *unused;
        if (napi_create_buffer_copy(env, len, buf, &unused, &result) != napi_ok) result = NULL;
    } else {
        if (napi_create_string_utf8(env, (const char *)buf, len, &result) != napi_ok) result = NULL;
    }
    free(heap);
    return result;
}

/* Context: up to four (pointer, length) inputs, a key pointer, a few integers. */
typedef struct {
    const uint8_t *p[5];
    size_t n[5];
    uint32_t u32;
    const x402s_signer *signer;
} ctx_t;

#define P(i) (c->p[i])
#define L(i) (c->n[i])
#define CTX ctx_t *c = (ctx_t *)vctx

static x402s_status f_create_with_signer(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_create_payment_with_signer(o, cap, len, P(0), L(0), c->signer, P(1), L(1), P(2), L(2), c->u32,
                                                 e);
}
static x402s_status f_signer_address(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_signer_address(o, cap, len, c->signer, e);
}
/* Reads args[0..count) into ctx slots (spec: "s" string only, "t" text or bytes, "b" bytes,
 * lowercase = required, uppercase = optional). */
static int read_args(napi_env env, napi_value *argv, const char *op, const char *spec, const char *const *names,
                     ctx_t *c, arg_t *store) {
    size_t k = strlen(spec);
    for (size_t i = 0; i < k; i++) {
        char ch = spec[i];
        int optional = ch >= 'A' && ch <= 'Z';
        char kind = optional ? (char)(ch - 'A' + 'a') : ch;
        int allow_string = kind == 's' || kind == 't';
        int allow_bytes = kind == 'b' || kind == 't';
        if (!get_arg(env, argv[i], op, names[i], optional, allow_string, allow_bytes, &store[i])) {
            for (size_t j = 0; j < i; j++) arg_free(&store[j]);
            return 0;
        }
        c->p[i] = store[i].present ? store[i].p : NULL;
        c->n[i] = store[i].present ? store[i].n : 0;
        /* a present empty input must not read as "absent": give it a non-NULL pointer */
        if (store[i].present && c->p[i] == NULL) c->p[i] = (const uint8_t *)"";
    }
    return 1;
}

static void free_args(arg_t *store, size_t k) {
    for (size_t i = 0; i < k; i++) arg_free(&store[i]);
}

/* ------------------------------------------------------------------ functions */

static napi_value js_x402_init(napi_env env, napi_callback_info info) {
    ARGS(1);
    napi_valuetype t = x402s_node_type_of(env, argv[0]);
    if (t != napi_function) {
        x402s_node_throw_type(env, "x402Init", "error class", t);
        return NULL;
    }
    if (state == NULL) return NULL;
    if (state->error_class != NULL) {
        napi_delete_reference(env, state->error_class);
        state->error_class = NULL;
    }
    if (napi_create_reference(env, argv[0], 1, &state->error_class) != napi_ok) return NULL;
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    return undefined;
}

/* ---- prepared signers (x402s_signer): one per account, made on first use by index.js */

static void signer_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    signer_box *b = (signer_box *)data;
    if (b == NULL) return;
    x402s_signer_free(b->signer);
    b->signer = NULL;
    free(b);
}

static int get_signer(napi_env env, x402_state *s, napi_value v, const char *op, const x402s_signer **out) {
    signer_box *b = (signer_box *)x402s_node_tagged(env, v, &SIGNER_TAG);
    if (b == NULL) {
        x402s_node_throw_type(env, op, "signer", x402s_node_type_of(env, v));
        return 0;
    }
    if (b->signer == NULL) {
        throw_status(env, s, X402S_ERR_INVALID_KEY, op, "the key was closed (wiped)");
        return 0;
    }
    *out = b->signer;
    return 1;
}

/* signerNew(keyExternal, keyKind, op?) -> External (x402s_signer; freed by signerFree or the
 * GC). op (default "x402s_signer_new") names the operation in the errors, so that an account
 * closed before its first signature reports what the key path reported
 * (X402S_ERR_INVALID_KEY from "x402s_eip712_sign"). */
static napi_value js_signer_new(napi_env env, napi_callback_info info) {
    ARGS(3);
    char op[64] = "x402s_signer_new";
    if (x402s_node_type_of(env, argv[2]) == napi_string) {
        size_t oplen = 0;
        if (napi_get_value_string_utf8(env, argv[2], op, sizeof op, &oplen) != napi_ok) return NULL;
    }
    secret_box *box;
    if (!get_secret(env, state, argv[0], op, &box)) return NULL;
    uint32_t kind = 0;
    if (!get_u32(env, argv[1], op, "keyKind", &kind)) return NULL;
    signer_box *b = (signer_box *)calloc(1, sizeof *b);
    if (b == NULL) {
        throw_status(env, state, X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    x402s_error e;
    x402s_status st = x402s_signer_new(&b->signer, box->bytes, 32, kind, &e);
    if (st != X402S_OK) {
        free(b);
        throw_err(env, state, st, op, &e);
        return NULL;
    }
    return x402s_node_wrap(env, b, signer_finalize, &SIGNER_TAG);
}

/* signerFree(ext): releases the signer now (its secret is zeroed); idempotent. */
static napi_value js_signer_free(napi_env env, napi_callback_info info) {
    ARGS(1);
    (void)state;
    signer_box *b = (signer_box *)x402s_node_tagged(env, argv[0], &SIGNER_TAG);
    if (b != NULL) {
        x402s_signer_free(b->signer);
        b->signer = NULL;
    }
    return NULL;
}

static napi_value js_signer_address(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_signer_address";
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_signer(env, state, argv[0], op, &c.signer)) return NULL;
    return run_out(env, state, op, f_signer_address, &c, 64, OUT_STRING, 0);
}

/* createPaymentWithSigner(requestJson, signerExternal, policyJson?, optionsJson?, flags) -> string */
static napi_value js_create_with_signer(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_create_payment_with_signer";
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_signer(env, state, argv[1], op, &c.signer)) return NULL;
    if (!get_u32(env, argv[4], op, "flags", &c.u32)) return NULL;
    napi_value reordered[3] = {argv[0], argv[2], argv[3]};
    static const char *const names[] = {"request", "policy", "options"};
    arg_t store[3];
    if (!read_args(env, reordered, op, "tTT", names, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_create_with_signer, &c, 4096 + c.n[0], OUT_STRING, 0);
    free_args(store, 3);
    return r;
}

/* signerEip712Sign(typedData (string | Uint8Array), signerExternal) -> Buffer(65):
 * x402s_signer_eip712_sign. Errors name the operation "x402s_eip712_sign", as the key path
 * (eip712Sign in x402s_node.c) and the Python binding do: the core reports the same statuses
 * and messages for both, so EvmAccount.signTypedData fails exactly as it did with the key. */
static napi_value js_signer_eip712_sign(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_eip712_sign";
    const x402s_signer *signer = NULL;
    if (!get_signer(env, state, argv[1], op, &signer)) return NULL;
    arg_t doc;
    if (!get_arg(env, argv[0], op, "typedData", 0, 1, 1, &doc)) return NULL;
    uint8_t sig[65];
    x402s_error e;
    x402s_status st = x402s_signer_eip712_sign(sig, sizeof sig, NULL, 0, signer, doc.p, doc.n, &e);
    arg_free(&doc);
    if (st != X402S_OK) {
        throw_err(env, state, st, op, &e);
        return NULL;
    }
    napi_value result = NULL;
    void *unused;
    if (napi_create_buffer_copy(env, sizeof sig, sig, &unused, &result) != napi_ok) return NULL;
    return result;
}

/* ---- Settlement (include/x402_secure.h "Settlement"): lib/settle.js */

static x402s_status f_rlp_encode(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_rlp_encode(o, cap, len, P(0), L(0), e);
}
static x402s_status f_rlp_decode(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_rlp_decode(o, cap, len, P(0), L(0), e);
}
static x402s_status f_tx_sign(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_evm_tx_sign(o, cap, len, P(0), L(0), c->signer, e);
}
static x402s_status f_tx_decode(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_evm_tx_decode(o, cap, len, P(0), L(0), e);
}
static x402s_status f_abi_encode_call(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_evm_abi_encode_call(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_abi_decode(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_evm_abi_decode(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_abi_decode_revert(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_evm_abi_decode_revert(o, cap, len, P(0), L(0), e);
}
static x402s_status f_settle_call(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_evm_settle_call(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_solana_submission(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_submission(o, cap, len, P(0), L(0), c->signer, P(1), L(1), e);
}

/* One generic entry for the byte/text-in functions: spec as read_args, output kind. */
static napi_value settle_call_with(napi_env env, napi_callback_info info, const char *op, const char *spec,
                                   const char *const *names, x402s_node_out_fn fn, int kind, size_t base_cap) {
    ARGS(2);
    ctx_t c;
    memset(&c, 0, sizeof c);
    arg_t store[2];
    if (!read_args(env, argv, op, spec, names, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, fn, &c, base_cap + 4 * (c.n[0] + c.n[1]), kind, 0);
    free_args(store, strlen(spec));
    return r;
}

static napi_value js_rlp_encode(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"itemJson"};
    return settle_call_with(env, info, "x402s_rlp_encode", "t", n, f_rlp_encode, OUT_BUFFER, 64);
}
static napi_value js_rlp_decode(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"data"};
    return settle_call_with(env, info, "x402s_rlp_decode", "b", n, f_rlp_decode, OUT_STRING, 64);
}
static napi_value js_tx_decode(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"raw"};
    return settle_call_with(env, info, "x402s_evm_tx_decode", "b", n, f_tx_decode, OUT_STRING, 1024);
}
static napi_value js_abi_encode_call(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"signature", "argsJson"};
    return settle_call_with(env, info, "x402s_evm_abi_encode_call", "st", n, f_abi_encode_call, OUT_BUFFER, 256);
}
static napi_value js_abi_decode(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"types", "data"};
    return settle_call_with(env, info, "x402s_evm_abi_decode", "sb", n, f_abi_decode, OUT_STRING, 256);
}
static napi_value js_abi_decode_revert(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"data"};
    return settle_call_with(env, info, "x402s_evm_abi_decode_revert", "b", n, f_abi_decode_revert, OUT_STRING, 256);
}
static napi_value js_settle_call(napi_env env, napi_callback_info info) {
    static const char *const n[] = {"paymentJson", "requirementsJson"};
    return settle_call_with(env, info, "x402s_x402_evm_settle_call", "tt", n, f_settle_call, OUT_STRING, 2048);
}

/* settleTxSign(txJson, signerExternal) -> JSON string */
static napi_value js_tx_sign(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_evm_tx_sign";
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_signer(env, state, argv[1], op, &c.signer)) return NULL;
    static const char *const names[] = {"tx"};
    arg_t store[1];
    if (!read_args(env, argv, op, "t", names, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_tx_sign, &c, 1024 + 3 * c.n[0], OUT_STRING, 0);
    free_args(store, 1);
    return r;
}

/* settleSolanaSubmission(tx, signerExternal | null, messageHash | null) -> JSON string */
static napi_value js_solana_submission(napi_env env, napi_callback_info info) {
    ARGS(3);
    const char *op = "x402s_solana_submission";
    ctx_t c;
    memset(&c, 0, sizeof c);
    napi_valuetype t = x402s_node_type_of(env, argv[1]);
    if (t != napi_null && t != napi_undefined && !get_signer(env, state, argv[1], op, &c.signer)) return NULL;
    napi_value reordered[2] = {argv[0], argv[2]};
    static const char *const names[] = {"tx", "messageHash"};
    arg_t store[2];
    if (!read_args(env, reordered, op, "bB", names, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_solana_submission, &c, 2048 + 2 * c.n[0], OUT_STRING, 0);
    free_args(store, 2);
    return r;
}

/* ------------------------------------------------------------------ registration */

static void state_cleanup(void *arg) {
    x402_state *s = (x402_state *)arg;
    /* References are released with the environment; only the struct is ours to free. */
    free(s);
}

#define XFN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, s}

void x402s_register_x402(napi_env env, napi_value exports) {
    x402_state *s = (x402_state *)calloc(1, sizeof *s);
    if (s == NULL) return;
    if (napi_add_env_cleanup_hook(env, state_cleanup, s) != napi_ok) {
        free(s);
        return;
    }
    napi_property_descriptor props[] = {
        XFN("x402Init", js_x402_init),
        XFN("x402SignerNew", js_signer_new),
        XFN("x402SignerFree", js_signer_free),
        XFN("x402SignerAddress", js_signer_address),
        XFN("x402CreatePaymentWithSigner", js_create_with_signer),
        XFN("x402SignerEip712Sign", js_signer_eip712_sign),
        XFN("settleRlpEncode", js_rlp_encode),
        XFN("settleRlpDecode", js_rlp_decode),
        XFN("settleTxSign", js_tx_sign),
        XFN("settleTxDecode", js_tx_decode),
        XFN("settleAbiEncodeCall", js_abi_encode_call),
        XFN("settleAbiDecode", js_abi_decode),
        XFN("settleAbiDecodeRevert", js_abi_decode_revert),
        XFN("settleEvmCall", js_settle_call),
        XFN("settleSolanaSubmission", js_solana_submission),
    };
    napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
