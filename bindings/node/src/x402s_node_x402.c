/*
 * x402s_node_x402.c: the x402 protocol and Solana sections of include/x402_secure.h for
 * the N-API addon. Registered on the addon's exports by x402s_register_x402(), called
 * once from the module init in x402s_node.c.
 *
 * JSON in, JSON out: every document crosses as UTF-8 text (lib/x402.js does
 * JSON.stringify / JSON.parse), outputs are strings (or Buffers for raw bytes).
 *
 * Errors: a failing status throws `new X402SError(message, code, status, operation)` with
 * the class lib/x402.js hands to x402Init() (code = x402s_status_name(status)); a value of
 * the wrong JavaScript type throws a TypeError with the same properties (code
 * X402S_ERR_NULL_ARGUMENT for null/undefined, else X402S_ERR_INVALID_ARGUMENT).
 *
 * Per-environment state (the error class reference) lives in a struct passed as the data
 * pointer of every function and freed by an environment cleanup hook, so worker threads
 * each get their own.
 *
 * Secrets: keys arrive as the type-tagged External of x402s_node.c (secret_box, 32 bytes
 * outside the V8 heap); the tag and layout below must stay identical to that file's.
 * Replay guards are Externals with their own tag and a finalizer that frees the handle.
 */
#define NAPI_VERSION 8
#define _DEFAULT_SOURCE
#include <node_api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x402_secure.h"

#define MAX_ARGS 6
#define STACK_TEXT 1024

/* Must equal SECRET_TAG and secret_box of x402s_node.c (the key External). */
static const napi_type_tag SECRET_TAG = {0x7834303273736563ULL, 0x72657432726f6f74ULL};
typedef struct {
    uint8_t bytes[32];
    int live;
} secret_box;

static const napi_type_tag GUARD_TAG = {0x7834303267756172ULL, 0x64686e646c653031ULL};

typedef struct {
    x402s_replay_guard *guard;
} guard_box;

static const napi_type_tag SIGNER_TAG = {0x7834303273696721ULL, 0x6e657268616e646cULL};

typedef struct {
    x402s_signer *signer;
} signer_box;

typedef struct {
    napi_ref error_class;
} x402_state;

/* ------------------------------------------------------------------ errors */

static x402_state *state_from(napi_env env, napi_callback_info info) {
    void *data = NULL;
    size_t argc = 0;
    if (napi_get_cb_info(env, info, &argc, NULL, NULL, &data) != napi_ok) return NULL;
    return (x402_state *)data;
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *val) {
    napi_value v;
    if (napi_create_string_utf8(env, val, NAPI_AUTO_LENGTH, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

static void set_int(napi_env env, napi_value obj, const char *key, int32_t val) {
    napi_value v;
    if (napi_create_int32(env, val, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

static void throw_status(napi_env env, x402_state *s, x402s_status st, const char *op, const char *message) {
    const char *code = x402s_status_name(st);
    char unknown[40];
    if (code == NULL) {
        snprintf(unknown, sizeof unknown, "X402S_STATUS_%d", (int)st);
        code = unknown;
    }
    napi_value cls = NULL;
    if (s != NULL && s->error_class != NULL && napi_get_reference_value(env, s->error_class, &cls) == napi_ok &&
        cls != NULL) {
        napi_value argv[4], err;
        if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &argv[0]) == napi_ok &&
            napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok &&
            napi_create_int32(env, st, &argv[2]) == napi_ok &&
            napi_create_string_utf8(env, op, NAPI_AUTO_LENGTH, &argv[3]) == napi_ok &&
            napi_new_instance(env, cls, 4, argv, &err) == napi_ok) {
            napi_throw(env, err);
            return;
        }
    }
    napi_value msg, err;
    if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok) return;
    if (napi_create_error(env, NULL, msg, &err) != napi_ok) return;
    set_str(env, err, "code", code);
    set_int(env, err, "status", st);
    set_str(env, err, "operation", op);
    napi_throw(env, err);
}

static void throw_err(napi_env env, x402_state *s, x402s_status st, const char *op, x402s_error *e) {
    e->message[sizeof e->message - 1] = '\0';
    throw_status(env, s, st, op, (e->code == st && e->message[0] != '\0') ? e->message : "the call failed");
}

static void throw_type(napi_env env, const char *op, const char *what, napi_valuetype t) {
    x402s_status st = (t == napi_undefined || t == napi_null) ? X402S_ERR_NULL_ARGUMENT : X402S_ERR_INVALID_ARGUMENT;
    char text[160];
    snprintf(text, sizeof text, st == X402S_ERR_NULL_ARGUMENT ? "%s is null or undefined" : "%s has the wrong type",
             what);
    napi_value c, m, err;
    const char *code = x402s_status_name(st);
    if (napi_create_string_utf8(env, code ? code : "X402S_ERR_INVALID_ARGUMENT", NAPI_AUTO_LENGTH, &c) != napi_ok) return;
    if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &m) != napi_ok) return;
    if (napi_create_type_error(env, c, m, &err) != napi_ok) return;
    set_int(env, err, "status", st);
    set_str(env, err, "operation", op);
    napi_throw(env, err);
}

/* ------------------------------------------------------------------ arguments */

typedef struct {
    const uint8_t *p;
    size_t n;
    int present; /* 0: null/undefined (optional arguments) */
    uint8_t *heap;
    uint8_t stack[STACK_TEXT];
} arg_t;

static void arg_free(arg_t *a) {
    if (a->heap != NULL) {
        free(a->heap);
        a->heap = NULL;
    }
}

static napi_valuetype type_of(napi_env env, napi_value v) {
    napi_valuetype t = napi_undefined;
    if (napi_typeof(env, v, &t) != napi_ok) t = napi_undefined;
    return t;
}

/* Text (string -> UTF-8) or bytes (Uint8Array). optional: null/undefined -> present = 0.
 * allow_string / allow_bytes select the accepted kinds. Returns 0 after throwing. */
static int get_arg(napi_env env, napi_value v, const char *op, const char *what, int optional, int allow_string,
                   int allow_bytes, arg_t *a) {
    a->p = NULL;
    a->n = 0;
    a->present = 1;
    a->heap = NULL;
    napi_valuetype t = type_of(env, v);
    if (optional && (t == napi_undefined || t == napi_null)) {
        a->present = 0;
        return 1;
    }
    if (t == napi_string && allow_string) {
        size_t len = 0;
        if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
            throw_type(env, op, what, t);
            return 0;
        }
        uint8_t *buf = a->stack;
        if (len + 1 > sizeof a->stack) {
            a->heap = (uint8_t *)malloc(len + 1);
            if (a->heap == NULL) {
                throw_status(env, NULL, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for an argument");
                return 0;
            }
            buf = a->heap;
        }
        size_t copied = 0;
        if (napi_get_value_string_utf8(env, v, (char *)buf, len + 1, &copied) != napi_ok) {
            arg_free(a);
            throw_type(env, op, what, t);
            return 0;
        }
        a->p = buf;
        a->n = copied;
        return 1;
    }
    if (t == napi_object && allow_bytes) {
        bool is_ta = false;
        if (napi_is_typedarray(env, v, &is_ta) == napi_ok && is_ta) {
            napi_typedarray_type tt;
            size_t length = 0;
            void *data = NULL;
            if (napi_get_typedarray_info(env, v, &tt, &length, &data, NULL, NULL) == napi_ok &&
                (tt == napi_uint8_array || tt == napi_uint8_clamped_array)) {
                a->p = (const uint8_t *)data;
                a->n = data == NULL ? 0 : length;
                return 1;
            }
        }
    }
    throw_type(env, op, what, t);
    return 0;
}

/* A finite non-negative integer (number) or a BigInt, as uint64. */
static int get_u64(napi_env env, napi_value v, const char *op, const char *what, uint64_t *out) {
    napi_valuetype t = type_of(env, v);
    if (t == napi_bigint) {
        bool lossless = false;
        if (napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok && lossless) return 1;
        throw_status(env, NULL, X402S_ERR_INVALID_ARGUMENT, op, "the BigInt is out of the uint64 range");
        return 0;
    }
    if (t == napi_number) {
        double d = 0;
        if (napi_get_value_double(env, v, &d) == napi_ok && d >= 0 && d <= 9007199254740991.0 && d == (double)(uint64_t)d) {
            *out = (uint64_t)d;
            return 1;
        }
        throw_status(env, NULL, X402S_ERR_INVALID_ARGUMENT, op, "expected a non-negative safe integer");
        return 0;
    }
    throw_type(env, op, what, t);
    return 0;
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
    napi_valuetype t = type_of(env, v);
    bool ok = false;
    void *data = NULL;
    if (t != napi_external || napi_check_object_type_tag(env, v, &SECRET_TAG, &ok) != napi_ok || !ok ||
        napi_get_value_external(env, v, &data) != napi_ok || data == NULL) {
        throw_type(env, op, "key", t);
        return 0;
    }
    secret_box *box = (secret_box *)data;
    if (!box->live) {
        throw_status(env, s, X402S_ERR_INVALID_KEY, op, "the key was closed (wiped)");
        return 0;
    }
    *out = box;
    return 1;
}

/* An optional replay guard External: null/undefined -> NULL. */
static int get_guard(napi_env env, x402_state *s, napi_value v, const char *op, x402s_replay_guard **out) {
    napi_valuetype t = type_of(env, v);
    *out = NULL;
    if (t == napi_undefined || t == napi_null) return 1;
    bool ok = false;
    void *data = NULL;
    if (t != napi_external || napi_check_object_type_tag(env, v, &GUARD_TAG, &ok) != napi_ok || !ok ||
        napi_get_value_external(env, v, &data) != napi_ok || data == NULL) {
        throw_type(env, op, "replayGuard", t);
        return 0;
    }
    guard_box *g = (guard_box *)data;
    if (g->guard == NULL) {
        throw_status(env, s, X402S_ERR_INVALID_ARGUMENT, op, "the replay guard was closed");
        return 0;
    }
    *out = g->guard;
    return 1;
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

typedef x402s_status (*out_fn)(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e);

enum { OUT_STRING = 0, OUT_BUFFER = 1 };

/* Calls fn with a buffer of first_cap bytes, retrying once with the size reported.
 * Statuses OK and `also_ok` (0: none) produce the output; others throw. */
static napi_value run_out(napi_env env, x402_state *s, const char *op, out_fn fn, void *ctx, size_t first_cap,
                          int kind, x402s_status also_ok) {
    size_t cap = first_cap < 64 ? 64 : first_cap;
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (buf == NULL) {
        throw_status(env, s, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
        return NULL;
    }
    size_t len = 0;
    x402s_error e;
    e.code = 0;
    e.message[0] = '\0';
    x402s_status st = fn(ctx, buf, cap, &len, &e);
    if (st == X402S_ERR_BUFFER_TOO_SMALL && len > cap) {
        uint8_t *bigger = (uint8_t *)realloc(buf, len);
        if (bigger == NULL) {
            free(buf);
            throw_status(env, s, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
            return NULL;
        }
        buf = bigger;
        cap = len;
        st = fn(ctx, buf, cap, &len, &e);
    }
    napi_value result = NULL;
    if (st == X402S_ERR_BUFFER_TOO_SMALL) {
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
    free(buf);
    return result;
}

/* Context: up to four (pointer, length) inputs, a key pointer, a few integers. */
typedef struct {
    const uint8_t *p[5];
    size_t n[5];
    const uint8_t *key;
    uint32_t u32;
    uint64_t u64;
    x402s_replay_guard *guard;
    const x402s_signer *signer;
} ctx_t;

#define P(i) (c->p[i])
#define L(i) (c->n[i])
#define CTX ctx_t *c = (ctx_t *)vctx

static x402s_status f_networks(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    (void)vctx;
    return x402s_x402_networks(o, cap, len, e);
}
static x402s_status f_lookup(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_network_lookup(o, cap, len, P(0), L(0), e);
}
static x402s_status f_price(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_price_to_atomic(o, cap, len, P(0), L(0), P(1), L(1), P(2), L(2), e);
}
static x402s_status f_price_units(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_price_to_atomic_units(o, cap, len, P(0), L(0), c->u32, e);
}
static x402s_status f_payment_required(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_payment_required(o, cap, len, P(0), L(0), e);
}
static x402s_status f_parse_required(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_parse_payment_required(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_select(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_select_requirement(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_create(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_create_payment(o, cap, len, P(0), L(0), c->key, 32, c->u32, P(1), L(1), P(2), L(2), e);
}
static x402s_status f_create_with_signer(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_create_payment_with_signer(o, cap, len, P(0), L(0), c->signer, P(1), L(1), P(2), L(2), c->u32,
                                                 e);
}
static x402s_status f_signer_address(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_signer_address(o, cap, len, c->signer, e);
}
static x402s_status f_decode_payment(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_decode_payment(o, cap, len, P(0), L(0), e);
}
static x402s_status f_verify(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_verify(o, cap, len, P(0), L(0), P(1), L(1), c->u64, P(2), L(2), c->guard, e);
}
static x402s_status f_encode_settle(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_encode_settle_response(o, cap, len, P(0), L(0), c->u32, e);
}
static x402s_status f_decode_settle(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_x402_decode_settle_response(o, cap, len, P(0), L(0), e);
}
static x402s_status f_create_pda(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_create_program_address(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_find_pda(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_find_program_address(o, cap, len, P(0), L(0), P(1), L(1), e);
}
static x402s_status f_ata(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_associated_token_address(o, cap, len, P(0), L(0), P(1), L(1), P(2), L(2), e);
}
static x402s_status f_compile(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_compile_message_v0(o, cap, len, P(0), L(0), e);
}
static x402s_status f_decode_tx(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_decode_transaction(o, cap, len, P(0), L(0), e);
}
static x402s_status f_sign_tx(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_sign_transaction(o, cap, len, P(0), L(0), c->key, 32, e);
}
static x402s_status f_exact_build(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_exact_build(o, cap, len, P(0), L(0), c->key, 32, e);
}
static x402s_status f_exact_verify(void *vctx, uint8_t *o, size_t cap, size_t *len, x402s_error *e) {
    CTX;
    return x402s_solana_exact_verify(o, cap, len, P(0), L(0), e);
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

/* The common shape: read `spec` arguments, run fn, return a string/Buffer. */
static napi_value simple(napi_env env, napi_callback_info info, const char *op, const char *spec,
                         const char *const *names, out_fn fn, size_t cap, int kind) {
    ARGS(MAX_ARGS);
    ctx_t c;
    memset(&c, 0, sizeof c);
    arg_t store[5];
    if (!read_args(env, argv, op, spec, names, &c, store)) return NULL;
    size_t k = strlen(spec);
    size_t need = cap;
    for (size_t i = 0; i < k; i++) need += c.n[i];
    napi_value r = run_out(env, state, op, fn, &c, need, kind, 0);
    free_args(store, k);
    return r;
}

/* ------------------------------------------------------------------ functions */

static napi_value js_x402_init(napi_env env, napi_callback_info info) {
    ARGS(1);
    napi_valuetype t = type_of(env, argv[0]);
    if (t != napi_function) {
        throw_type(env, "x402Init", "error class", t);
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

static napi_value js_networks(napi_env env, napi_callback_info info) {
    x402_state *s = state_from(env, info);
    return run_out(env, s, "x402s_x402_networks", f_networks, NULL, 65536, OUT_STRING, 0);
}

static const char *const N_NETWORK[] = {"network"};
static napi_value js_network_lookup(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_network_lookup", "t", N_NETWORK, f_lookup, 4096, OUT_STRING);
}

static const char *const N_PRICE[] = {"price", "network", "asset"};
static napi_value js_price(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_price_to_atomic", "ttT", N_PRICE, f_price, 2048, OUT_STRING);
}

static napi_value js_price_units(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_x402_price_to_atomic_units";
    ctx_t c;
    memset(&c, 0, sizeof c);
    arg_t a;
    if (!get_arg(env, argv[0], op, "price", 0, 1, 1, &a)) return NULL;
    if (!get_u32(env, argv[1], op, "decimals", &c.u32)) {
        arg_free(&a);
        return NULL;
    }
    c.p[0] = a.p ? a.p : (const uint8_t *)"";
    c.n[0] = a.n;
    napi_value r = run_out(env, state, op, f_price_units, &c, 128, OUT_STRING, 0);
    arg_free(&a);
    return r;
}

static const char *const N_REQUEST[] = {"request"};
static napi_value js_payment_required(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_payment_required", "t", N_REQUEST, f_payment_required, 4096, OUT_STRING);
}

static const char *const N_PARSE[] = {"header", "body"};
static napi_value js_parse_required(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_parse_payment_required", "TT", N_PARSE, f_parse_required, 4096, OUT_STRING);
}

static const char *const N_SELECT[] = {"paymentRequired", "policy"};
static napi_value js_select(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_select_requirement", "tT", N_SELECT, f_select, 1024, OUT_STRING);
}

/* createPayment(requestJson, keyExternal, keyKind, policyJson?, optionsJson?) -> string */
static napi_value js_create(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_create_payment";
    secret_box *box;
    if (!get_secret(env, state, argv[1], op, &box)) return NULL;
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_u32(env, argv[2], op, "keyKind", &c.u32)) return NULL;
    napi_value reordered[3] = {argv[0], argv[3], argv[4]};
    static const char *const names[] = {"request", "policy", "options"};
    arg_t store[3];
    if (!read_args(env, reordered, op, "tTT", names, &c, store)) return NULL;
    c.key = box->bytes;
    napi_value r = run_out(env, state, op, f_create, &c, 4096 + c.n[0], OUT_STRING, 0);
    free_args(store, 3);
    return r;
}

/* ---- prepared signers (x402s_signer): one per account, made by lib/x402.js */

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
    napi_valuetype t = type_of(env, v);
    bool ok = false;
    void *data = NULL;
    if (t != napi_external || napi_check_object_type_tag(env, v, &SIGNER_TAG, &ok) != napi_ok || !ok ||
        napi_get_value_external(env, v, &data) != napi_ok || data == NULL) {
        throw_type(env, op, "signer", t);
        return 0;
    }
    signer_box *b = (signer_box *)data;
    if (b->signer == NULL) {
        throw_status(env, s, X402S_ERR_INVALID_KEY, op, "the key was closed (wiped)");
        return 0;
    }
    *out = b->signer;
    return 1;
}

/* signerNew(keyExternal, keyKind) -> External (x402s_signer; freed by signerFree or the GC) */
static napi_value js_signer_new(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_signer_new";
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
    napi_value ext;
    if (napi_create_external(env, b, signer_finalize, NULL, &ext) != napi_ok) {
        signer_finalize(env, b, NULL);
        return NULL;
    }
    if (napi_type_tag_object(env, ext, &SIGNER_TAG) != napi_ok) return NULL;
    return ext;
}

/* signerFree(ext): releases the signer now (its secret is zeroed); idempotent. */
static napi_value js_signer_free(napi_env env, napi_callback_info info) {
    ARGS(1);
    (void)state;
    bool ok = false;
    void *data = NULL;
    if (type_of(env, argv[0]) == napi_external && napi_check_object_type_tag(env, argv[0], &SIGNER_TAG, &ok) == napi_ok &&
        ok && napi_get_value_external(env, argv[0], &data) == napi_ok && data != NULL) {
        signer_box *b = (signer_box *)data;
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

static const char *const N_HEADER[] = {"header"};
static napi_value js_decode_payment(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_decode_payment", "t", N_HEADER, f_decode_payment, 512, OUT_STRING);
}

/* verify(header, requirementsJson, now, optionsJson?, guard?) -> VerifyResponse JSON string */
static napi_value js_verify(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_verify";
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_u64(env, argv[2], op, "now", &c.u64)) return NULL;
    if (!get_guard(env, state, argv[4], op, &c.guard)) return NULL;
    napi_value reordered[3] = {argv[0], argv[1], argv[3]};
    static const char *const names[] = {"header", "requirements", "options"};
    arg_t store[3];
    if (!read_args(env, reordered, op, "ttT", names, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_verify, &c, 512, OUT_STRING, X402S_ERR_X402_PAYMENT_INVALID);
    free_args(store, 3);
    return r;
}

static void guard_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    guard_box *g = (guard_box *)data;
    if (g == NULL) return;
    x402s_replay_guard_free(g->guard);
    g->guard = NULL;
    free(g);
}

/* replayGuardNew(capacity) -> External (freed by close() or the GC finalizer) */
static napi_value js_guard_new(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_replay_guard_new";
    uint64_t capacity = 0;
    if (type_of(env, argv[0]) != napi_undefined && !get_u64(env, argv[0], op, "capacity", &capacity)) return NULL;
    if (capacity > (uint64_t)SIZE_MAX) {
        throw_status(env, state, X402S_ERR_INVALID_ARGUMENT, op, "capacity is out of range");
        return NULL;
    }
    guard_box *g = (guard_box *)calloc(1, sizeof *g);
    if (g == NULL) {
        throw_status(env, state, X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    x402s_error e;
    x402s_status st = x402s_replay_guard_new(&g->guard, (size_t)capacity, &e);
    if (st != X402S_OK) {
        free(g);
        throw_err(env, state, st, op, &e);
        return NULL;
    }
    napi_value ext;
    if (napi_create_external(env, g, guard_finalize, NULL, &ext) != napi_ok) {
        guard_finalize(env, g, NULL);
        return NULL;
    }
    if (napi_type_tag_object(env, ext, &GUARD_TAG) != napi_ok) return NULL;
    return ext;
}

/* replayGuardFree(ext): frees the handle now (idempotent); the finalizer frees the box. */
static napi_value js_guard_free(napi_env env, napi_callback_info info) {
    ARGS(1);
    (void)state;
    bool ok = false;
    void *data = NULL;
    if (type_of(env, argv[0]) == napi_external && napi_check_object_type_tag(env, argv[0], &GUARD_TAG, &ok) == napi_ok &&
        ok && napi_get_value_external(env, argv[0], &data) == napi_ok && data != NULL) {
        guard_box *g = (guard_box *)data;
        x402s_replay_guard_free(g->guard);
        g->guard = NULL;
    }
    return NULL;
}

static const char *const N_SETTLE[] = {"settle"};
static napi_value js_encode_settle(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_x402_encode_settle_response";
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (!get_u32(env, argv[1], op, "style", &c.u32)) return NULL;
    arg_t store[1];
    if (!read_args(env, argv, op, "t", N_SETTLE, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_encode_settle, &c, 256 + 2 * c.n[0], OUT_STRING, 0);
    free_args(store, 1);
    return r;
}

static napi_value js_decode_settle(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_x402_decode_settle_response", "t", N_HEADER, f_decode_settle, 256, OUT_STRING);
}

/* ---- Solana */

static napi_value js_is_on_curve(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_is_on_curve";
    arg_t a;
    if (!get_arg(env, argv[0], op, "bytes", 0, 0, 1, &a)) return NULL;
    x402s_error e;
    x402s_status st = x402s_solana_is_on_curve(a.p ? a.p : (const uint8_t *)"", a.n, &e);
    napi_value out;
    if (st == X402S_OK || st == X402S_ERR_VERIFY_FAILED) {
        if (napi_get_boolean(env, st == X402S_OK, &out) != napi_ok) return NULL;
        return out;
    }
    throw_err(env, state, st, op, &e);
    return NULL;
}

static napi_value js_public_key_decode(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_public_key_decode";
    arg_t a;
    if (!get_arg(env, argv[0], op, "address", 0, 1, 0, &a)) return NULL;
    uint8_t out[32];
    x402s_error e;
    x402s_status st = x402s_solana_public_key_decode(out, 32, a.p ? a.p : (const uint8_t *)"", a.n, &e);
    arg_free(&a);
    if (st != X402S_OK) {
        throw_err(env, state, st, op, &e);
        return NULL;
    }
    napi_value r;
    void *unused;
    if (napi_create_buffer_copy(env, 32, out, &unused, &r) != napi_ok) return NULL;
    return r;
}

static const char *const N_PDA[] = {"seeds", "programId"};
static napi_value js_create_pda(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_solana_create_program_address", "ts", N_PDA, f_create_pda, 64, OUT_STRING);
}
static napi_value js_find_pda(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_solana_find_program_address", "ts", N_PDA, f_find_pda, 128, OUT_STRING);
}

static const char *const N_ATA[] = {"owner", "mint", "tokenProgram"};
static napi_value js_ata(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_solana_associated_token_address", "ssS", N_ATA, f_ata, 64, OUT_STRING);
}

static napi_value js_compile(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_solana_compile_message_v0", "t", N_REQUEST, f_compile, 2048, OUT_STRING);
}

static const char *const N_TX[] = {"transaction"};
static napi_value js_decode_tx(napi_env env, napi_callback_info info) {
    return simple(env, info, "x402s_solana_decode_transaction", "b", N_TX, f_decode_tx, 4096, OUT_STRING);
}

static napi_value js_sanitize_tx(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_sanitize_transaction";
    arg_t a;
    if (!get_arg(env, argv[0], op, "transaction", 0, 0, 1, &a)) return NULL;
    x402s_error e;
    x402s_status st = x402s_solana_sanitize_transaction(a.p ? a.p : (const uint8_t *)"", a.n, &e);
    if (st != X402S_OK) {
        throw_err(env, state, st, op, &e);
        return NULL;
    }
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    return undefined;
}

/* (bytes-or-json, keyExternal) -> Buffer */
static napi_value with_key(napi_env env, napi_callback_info info, const char *op, const char *spec,
                           const char *const *names, out_fn fn, size_t cap) {
    ARGS(2);
    secret_box *box;
    if (!get_secret(env, state, argv[1], op, &box)) return NULL;
    ctx_t c;
    memset(&c, 0, sizeof c);
    arg_t store[1];
    if (!read_args(env, argv, op, spec, names, &c, store)) return NULL;
    c.key = box->bytes;
    napi_value r = run_out(env, state, op, fn, &c, cap + c.n[0], OUT_BUFFER, 0);
    free_args(store, 1);
    return r;
}

static napi_value js_sign_tx(napi_env env, napi_callback_info info) {
    return with_key(env, info, "x402s_solana_sign_transaction", "b", N_TX, f_sign_tx, 64);
}

static napi_value js_exact_build(napi_env env, napi_callback_info info) {
    return with_key(env, info, "x402s_solana_exact_build", "t", N_REQUEST, f_exact_build, 1232);
}

static napi_value js_exact_verify(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_exact_verify";
    ctx_t c;
    memset(&c, 0, sizeof c);
    arg_t store[1];
    if (!read_args(env, argv, op, "t", N_REQUEST, &c, store)) return NULL;
    napi_value r = run_out(env, state, op, f_exact_verify, &c, 512, OUT_STRING, X402S_ERR_X402_PAYMENT_INVALID);
    free_args(store, 1);
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
        XFN("x402Networks", js_networks),
        XFN("x402NetworkLookup", js_network_lookup),
        XFN("x402PriceToAtomic", js_price),
        XFN("x402PriceToAtomicUnits", js_price_units),
        XFN("x402PaymentRequired", js_payment_required),
        XFN("x402ParsePaymentRequired", js_parse_required),
        XFN("x402SelectRequirement", js_select),
        XFN("x402CreatePayment", js_create),
        XFN("x402SignerNew", js_signer_new),
        XFN("x402SignerFree", js_signer_free),
        XFN("x402SignerAddress", js_signer_address),
        XFN("x402CreatePaymentWithSigner", js_create_with_signer),
        XFN("x402DecodePayment", js_decode_payment),
        XFN("x402Verify", js_verify),
        XFN("replayGuardNew", js_guard_new),
        XFN("replayGuardFree", js_guard_free),
        XFN("x402EncodeSettleResponse", js_encode_settle),
        XFN("x402DecodeSettleResponse", js_decode_settle),
        XFN("solanaIsOnCurve", js_is_on_curve),
        XFN("solanaPublicKeyDecode", js_public_key_decode),
        XFN("solanaCreateProgramAddress", js_create_pda),
        XFN("solanaFindProgramAddress", js_find_pda),
        XFN("solanaAssociatedTokenAddress", js_ata),
        XFN("solanaCompileMessageV0", js_compile),
        XFN("solanaDecodeTransaction", js_decode_tx),
        XFN("solanaSanitizeTransaction", js_sanitize_tx),
        XFN("solanaSignTransaction", js_sign_tx),
        XFN("solanaExactBuild", js_exact_build),
        XFN("solanaExactVerify", js_exact_verify),
    };
    napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
