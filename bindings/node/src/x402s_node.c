/*
 * x402s_node.c: N-API addon over libx402secure.so (include/x402_secure.h).
 *
 * Thin and synchronous: every call here runs on the calling thread (the
 * asynchronous variants of the per-request seller calls, on the libuv pool,
 * are in x402s_node_async.c). The JavaScript layer (index.js) owns the public
 * API; this file only converts arguments, calls the C function and turns a
 * failing status into an exception:
 *
 *   - a status from the library    -> new X402SError(message, code, status,
 *                                     operation), the class index.js passes to
 *                                     init() (code is x402s_status_name(status));
 *   - a JavaScript value of the wrong type -> TypeError with .code
 *     "X402S_ERR_NULL_ARGUMENT" (null/undefined) or "X402S_ERR_INVALID_ARGUMENT",
 *     plus .status and .operation.
 *
 * Secrets: keys and seeds live in malloc'd memory owned by an External (type
 * tagged, so no other external is accepted), never in the V8 heap. wipe()
 * and the GC finalizer zero it with explicit_bzero.
 *
 * The helpers shared with x402s_node_x402.c and x402s_node_risk.c (errors, argument
 * conversion, the key External, calls with a sized output) are in x402s_node_util.c.
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

#define MAX_ARGS 5

typedef struct {
    napi_ref error_class;
} addon_state;

/* ------------------------------------------------------------------ errors */

static addon_state *state_of(napi_env env) {
    void *data = NULL;
    if (napi_get_instance_data(env, &data) != napi_ok) return NULL;
    return (addon_state *)data;
}

/* The X402SError class index.js passed to init() (NULL before). */
static napi_ref error_class(napi_env env) {
    addon_state *state = state_of(env);
    return state != NULL ? state->error_class : NULL;
}

napi_ref x402s_node_error_class(napi_env env) { return error_class(env); }

/* Throw an X402SError for a status (message already NUL-terminated). */
static void throw_x402s(napi_env env, x402s_status st, const char *op, const char *message) {
    x402s_node_throw_status(env, error_class(env), st, op, message);
}

static void throw_from(napi_env env, x402s_status st, const char *op, x402s_error *e) {
    x402s_node_throw_error(env, error_class(env), st, op, e);
}

/* ------------------------------------------------------------------ arguments */

typedef struct {
    const uint8_t *p;
    size_t n;
    uint8_t *heap;
    uint8_t stack[X402S_NODE_STACK_TEXT];
} text_arg;

static void text_free(text_arg *t) {
    if (t->heap != NULL) {
        free(t->heap);
        t->heap = NULL;
    }
}

/* A Uint8Array (Buffer included). Returns 0 and throws on a wrong type. */
static int get_bytes(napi_env env, napi_value v, const char *op, const char *what,
                     const uint8_t **p, size_t *n) {
    if (x402s_node_u8_view(env, v, p, n)) return 1;
    x402s_node_throw_type(env, op, what, x402s_node_type_of(env, v));
    return 0;
}

/* A string (sent as UTF-8) or a Uint8Array. index.js rejects strings that are
 * not well-formed UTF-16 (lone surrogates) before calling. */
static int get_text(napi_env env, napi_value v, const char *op, const char *what, text_arg *t) {
    t->heap = NULL;
    t->p = NULL;
    t->n = 0;
    napi_valuetype type = x402s_node_type_of(env, v);
    if (type == napi_string) {
        x402s_status st = x402s_node_utf8(env, v, t->stack, sizeof t->stack, &t->heap, &t->p, &t->n);
        if (st == X402S_ERR_INPUT_TOO_LARGE)
            throw_x402s(env, st, op, "out of memory for the text argument");
        else if (st != X402S_OK)
            x402s_node_throw_type(env, op, what, type);
        return st == X402S_OK;
    }
    if (type == napi_object) {
        return get_bytes(env, v, op, what, &t->p, &t->n);
    }
    x402s_node_throw_type(env, op, what, type);
    return 0;
}

static int get_u32(napi_env env, napi_value v, const char *op, const char *what, uint32_t *out) {
    napi_valuetype t = x402s_node_type_of(env, v);
    if (t != napi_number || napi_get_value_uint32(env, v, out) != napi_ok) {
        x402s_node_throw_type(env, op, what, t);
        return 0;
    }
    return 1;
}

static int get_secret(napi_env env, napi_value v, const char *op, secret_box **out) {
    return x402s_node_get_secret(env, error_class(env), v, op, out);
}

#define ARGS(count)                                                               \
    size_t argc = (count);                                                        \
    napi_value argv[MAX_ARGS];                                                    \
    napi_value undef_;                                                            \
    napi_get_undefined(env, &undef_);                                             \
    for (size_t i_ = 0; i_ < MAX_ARGS; i_++) argv[i_] = undef_;                   \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;

/* ------------------------------------------------------------------ results */

static napi_value buffer_of(napi_env env, const uint8_t *p, size_t n) {
    napi_value out;
    void *unused;
    if (napi_create_buffer_copy(env, n, p, &unused, &out) != napi_ok) return NULL;
    return out;
}

static napi_value ascii_of(napi_env env, const uint8_t *p, size_t n) {
    napi_value out;
    if (napi_create_string_latin1(env, (const char *)p, n, &out) != napi_ok) return NULL;
    return out;
}

static napi_value bool_of(napi_env env, bool b) {
    napi_value out;
    if (napi_get_boolean(env, b, &out) != napi_ok) return NULL;
    return out;
}

/* The result of a call with a fixed-size output: the output as a Buffer (or as ASCII
 * text), or, when the call failed, the thrown error. */
static napi_value buffer_or_throw(napi_env env, x402s_status st, const char *op, x402s_error *e,
                                  const uint8_t *p, size_t n) {
    if (st != X402S_OK) {
        throw_from(env, st, op, e);
        return NULL;
    }
    return buffer_of(env, p, n);
}

/* A check's verdict: OK -> true, VERIFY_FAILED -> false; other statuses throw. */
static napi_value verdict_or_throw(napi_env env, x402s_status st, const char *op, x402s_error *e) {
    if (st == X402S_OK) return bool_of(env, true);
    if (st == X402S_ERR_VERIFY_FAILED) return bool_of(env, false);
    throw_from(env, st, op, e);
    return NULL;
}

static napi_value ascii_or_throw(napi_env env, x402s_status st, const char *op, x402s_error *e,
                                 const uint8_t *p, size_t n) {
    if (st != X402S_OK) {
        throw_from(env, st, op, e);
        return NULL;
    }
    return ascii_of(env, p, n);
}

/* ------------------------------------------------------------------ init */

static void state_finalize(napi_env env, void *data, void *hint) {
    (void)hint;
    addon_state *s = (addon_state *)data;
    if (s == NULL) return;
    if (s->error_class != NULL) napi_delete_reference(env, s->error_class);
    free(s);
}

/* init(X402SErrorClass) -> { abiMajor, abiMinor, version } */
static napi_value js_init(napi_env env, napi_callback_info info) {
    ARGS(1);
    napi_valuetype t = napi_undefined;
    napi_typeof(env, argv[0], &t);
    if (t != napi_function) {
        x402s_node_throw_type(env, "init", "error class", t);
        return NULL;
    }
    addon_state *s = state_of(env);
    if (s == NULL) return NULL;
    if (s->error_class != NULL) {
        napi_delete_reference(env, s->error_class);
        s->error_class = NULL;
    }
    if (napi_create_reference(env, argv[0], 1, &s->error_class) != napi_ok) return NULL;

    uint32_t abi = x402s_abi_version();
    /* major must match; minor must be at least the one of the header compiled in */
    if ((abi >> 16) != X402S_ABI_VERSION_MAJOR || (long)(abi & 0xFFFFu) < (long)X402S_ABI_VERSION_MINOR) {
        char m[128];
        snprintf(m, sizeof m, "libx402secure ABI %u.%u is not compatible with this addon (%d.%d)",
                 abi >> 16, abi & 0xFFFFu, X402S_ABI_VERSION_MAJOR, X402S_ABI_VERSION_MINOR);
        napi_throw_error(env, NULL, m);
        return NULL;
    }
    struct { size_t got, want; const char *name; } sizes[] = {
        {x402s_keccak256_bytes(), X402S_KECCAK256_BYTES, "keccak256_bytes"},
        {x402s_sha256_bytes(), X402S_SHA256_BYTES, "sha256_bytes"},
        {x402s_secp256k1_seckey_bytes(), X402S_SECP256K1_SECKEY_BYTES, "secp256k1_seckey_bytes"},
        {x402s_secp256k1_pubkey_bytes(), X402S_SECP256K1_PUBKEY_BYTES, "secp256k1_pubkey_bytes"},
        {x402s_secp256k1_recoverable_sig_bytes(), X402S_SECP256K1_RECOVERABLE_SIG_BYTES, "secp256k1_recoverable_sig_bytes"},
        {x402s_evm_address_text_bytes(), X402S_EVM_ADDRESS_TEXT_BYTES, "evm_address_text_bytes"},
        {x402s_ed25519_seed_bytes(), X402S_ED25519_SEED_BYTES, "ed25519_seed_bytes"},
        {x402s_ed25519_pubkey_bytes(), X402S_ED25519_PUBKEY_BYTES, "ed25519_pubkey_bytes"},
        {x402s_ed25519_sig_bytes(), X402S_ED25519_SIG_BYTES, "ed25519_sig_bytes"},
        {x402s_max_document_bytes(), X402S_MAX_DOCUMENT_BYTES, "max_document_bytes"},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        if (sizes[i].got != sizes[i].want) {
            char m[128];
            snprintf(m, sizeof m, "libx402secure x402s_%s() is %zu, the addon expects %zu",
                     sizes[i].name, sizes[i].got, sizes[i].want);
            napi_throw_error(env, NULL, m);
            return NULL;
        }
    }
    x402s_error e;
    x402s_status st = x402s_init(&e);
    if (st != X402S_OK) {
        throw_from(env, st, "x402s_init", &e);
        return NULL;
    }
    napi_value out, v;
    if (napi_create_object(env, &out) != napi_ok) return NULL;
    napi_create_uint32(env, abi >> 16, &v);
    napi_set_named_property(env, out, "abiMajor", v);
    napi_create_uint32(env, abi & 0xFFFFu, &v);
    napi_set_named_property(env, out, "abiMinor", v);
    x402s_node_set_str(env, out, "version", x402s_version_string());
    return out;
}

/* statusName(n) -> string | null */
static napi_value js_status_name(napi_env env, napi_callback_info info) {
    ARGS(1);
    int32_t n = 0;
    napi_valuetype t = napi_undefined;
    napi_typeof(env, argv[0], &t);
    if (t != napi_number || napi_get_value_int32(env, argv[0], &n) != napi_ok) {
        x402s_node_throw_type(env, "x402s_status_name", "status", t);
        return NULL;
    }
    const char *name = x402s_status_name(n);
    napi_value out;
    if (name == NULL) {
        napi_get_null(env, &out);
        return out;
    }
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &out);
    return out;
}

/* ------------------------------------------------------------------ hashes */

typedef x402s_status (*hash_fn)(uint8_t *, size_t, const uint8_t *, size_t, x402s_error *);

static napi_value hash32(napi_env env, napi_callback_info info, hash_fn fn, const char *op,
                         int text) {
    ARGS(1);
    uint8_t out[32];
    x402s_error e;
    x402s_status st;
    if (text) {
        text_arg t;
        if (!get_text(env, argv[0], op, "message", &t)) return NULL;
        st = fn(out, sizeof out, t.p, t.n, &e);
        text_free(&t);
    } else {
        const uint8_t *p;
        size_t n;
        if (!get_bytes(env, argv[0], op, "data", &p, &n)) return NULL;
        st = fn(out, sizeof out, p, n, &e);
    }
    return buffer_or_throw(env, st, op, &e, out, sizeof out);
}

static napi_value js_keccak256(napi_env env, napi_callback_info info) {
    return hash32(env, info, x402s_keccak256, "x402s_keccak256", 0);
}

static napi_value js_sha256(napi_env env, napi_callback_info info) {
    return hash32(env, info, x402s_sha256, "x402s_sha256", 0);
}

static napi_value js_eip191_hash(napi_env env, napi_callback_info info) {
    return hash32(env, info, x402s_eip191_hash, "x402s_eip191_hash", 1);
}

/* ------------------------------------------------------------------ encodings */

typedef x402s_status (*var_fn)(uint8_t *, size_t, size_t *, const uint8_t *, size_t, uint32_t,
                               x402s_error *);

static x402s_status hex_encode_f(uint8_t *o, size_t c, size_t *l, const uint8_t *d, size_t n,
                                 uint32_t f, x402s_error *e) {
    (void)f;
    return x402s_hex_encode(o, c, l, d, n, e);
}
static x402s_status hex_decode_f(uint8_t *o, size_t c, size_t *l, const uint8_t *d, size_t n,
                                 uint32_t f, x402s_error *e) {
    (void)f;
    return x402s_hex_decode(o, c, l, d, n, e);
}
static x402s_status b58_encode_f(uint8_t *o, size_t c, size_t *l, const uint8_t *d, size_t n,
                                 uint32_t f, x402s_error *e) {
    (void)f;
    return x402s_base58_encode(o, c, l, d, n, e);
}
static x402s_status b58_decode_f(uint8_t *o, size_t c, size_t *l, const uint8_t *d, size_t n,
                                 uint32_t f, x402s_error *e) {
    (void)f;
    return x402s_base58_decode(o, c, l, d, n, e);
}

enum { CAP_HEX_ENC, CAP_HEX_DEC, CAP_B64_ENC, CAP_B64_DEC, CAP_B58_ENC, CAP_B58_DEC };

static size_t first_cap(int kind, size_t n) {
    switch (kind) {
    case CAP_HEX_ENC: return n > (SIZE_MAX - 2) / 2 ? SIZE_MAX : 2 + 2 * n;
    case CAP_HEX_DEC: return n / 2;
    case CAP_B64_ENC: return n / 3 * 4 + 4;
    case CAP_B64_DEC: return n / 4 * 3 + 3;
    case CAP_B58_ENC: return n / 100 * 138 + (n % 100) * 138 / 100 + 2;
    default: return n + 1;
    }
}

typedef struct {
    var_fn fn;
    const uint8_t *p;
    size_t n;
    uint32_t flags;
} var_call;

static x402s_status var_call_run(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e) {
    var_call *c = (var_call *)ctx;
    return c->fn(out, cap, len, c->p, c->n, c->flags, e);
}

/* (out, cap, out_len, input, flags): retries once with the size the library reports. */
static napi_value variable(napi_env env, napi_callback_info info, var_fn fn, const char *op,
                           int input_is_text, int has_flags, int cap_kind, int result_is_text) {
    ARGS(2);
    text_arg t;
    if (input_is_text) {
        if (!get_text(env, argv[0], op, "text", &t)) return NULL;
    } else {
        t.heap = NULL;
        if (!get_bytes(env, argv[0], op, "data", &t.p, &t.n)) return NULL;
    }
    var_call c = {fn, t.p, t.n, 0};
    if (has_flags && !get_u32(env, argv[1], op, "flags", &c.flags)) {
        text_free(&t);
        return NULL;
    }
    uint8_t stack[1024];
    uint8_t *out = stack;
    uint8_t *heap = NULL;
    size_t cap = first_cap(cap_kind, t.n);
    if (cap == 0) cap = 1;
    if (cap > sizeof stack) {
        heap = (uint8_t *)malloc(cap);
        if (heap == NULL) {
            text_free(&t);
            throw_x402s(env, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
            return NULL;
        }
        out = heap;
    } else {
        cap = sizeof stack;
    }
    size_t len = 0;
    x402s_error e;
    int oom = 0;
    x402s_status st = x402s_node_call_sized(var_call_run, &c, 1, &out, &cap, &heap, &len, &e, &oom);
    text_free(&t);
    napi_value result = NULL;
    if (oom) {
        throw_x402s(env, X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for the output");
    } else if (st == X402S_ERR_BUFFER_TOO_SMALL) {
        /* The binding sizes its buffers; reaching the user would be a binding bug. */
        throw_x402s(env, X402S_ERR_INTERNAL, op, "the output size changed between two calls");
    } else if (st != X402S_OK) {
        throw_from(env, st, op, &e);
    } else if (len > cap) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "the library reported a length beyond the buffer");
    } else {
        result = result_is_text ? ascii_of(env, out, len) : buffer_of(env, out, len);
    }
    free(heap);
    return result;
}

static napi_value js_hex_encode(napi_env env, napi_callback_info info) {
    return variable(env, info, hex_encode_f, "x402s_hex_encode", 0, 0, CAP_HEX_ENC, 1);
}
static napi_value js_hex_decode(napi_env env, napi_callback_info info) {
    return variable(env, info, hex_decode_f, "x402s_hex_decode", 1, 0, CAP_HEX_DEC, 0);
}
static napi_value js_base64_encode(napi_env env, napi_callback_info info) {
    return variable(env, info, x402s_base64_encode, "x402s_base64_encode", 0, 1, CAP_B64_ENC, 1);
}
static napi_value js_base64_decode(napi_env env, napi_callback_info info) {
    return variable(env, info, x402s_base64_decode, "x402s_base64_decode", 1, 1, CAP_B64_DEC, 0);
}
static napi_value js_base58_encode(napi_env env, napi_callback_info info) {
    return variable(env, info, b58_encode_f, "x402s_base58_encode", 0, 0, CAP_B58_ENC, 1);
}
static napi_value js_base58_decode(napi_env env, napi_callback_info info) {
    return variable(env, info, b58_decode_f, "x402s_base58_decode", 1, 0, CAP_B58_DEC, 0);
}

/* ------------------------------------------------------------------ EIP-712 */

/* eip712Hash(json) -> Buffer(32) */
static napi_value js_eip712_hash(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_eip712_hash";
    text_arg t;
    if (!get_text(env, argv[0], op, "typedData", &t)) return NULL;
    uint8_t digest[32];
    x402s_error e;
    x402s_status st = x402s_eip712_hash(digest, 32, NULL, 0, NULL, 0, t.p, t.n, &e);
    text_free(&t);
    return buffer_or_throw(env, st, op, &e, digest, 32);
}

/* eip712Hashes(json) -> [domainSeparator, structHash, digest] */
static napi_value js_eip712_hashes(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_eip712_hash";
    text_arg t;
    if (!get_text(env, argv[0], op, "typedData", &t)) return NULL;
    uint8_t digest[32], dom[32], sh[32];
    x402s_error e;
    x402s_status st = x402s_eip712_hash(digest, 32, dom, 32, sh, 32, t.p, t.n, &e);
    text_free(&t);
    if (st != X402S_OK) {
        throw_from(env, st, op, &e);
        return NULL;
    }
    napi_value arr;
    if (napi_create_array_with_length(env, 3, &arr) != napi_ok) return NULL;
    napi_set_element(env, arr, 0, buffer_of(env, dom, 32));
    napi_set_element(env, arr, 1, buffer_of(env, sh, 32));
    napi_set_element(env, arr, 2, buffer_of(env, digest, 32));
    return arr;
}

/* ------------------------------------------------------------------ secrets */

static void secret_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    if (data != NULL) {
        explicit_bzero(data, sizeof(secret_box));
        free(data);
    }
}

static napi_value wrap_secret(napi_env env, secret_box *box) {
    return x402s_node_wrap(env, box, secret_finalize, &x402s_node_secret_tag);
}

/* secretFromBytes(u8, op) -> External (32 bytes copied out of the V8 heap) */
static napi_value js_secret_from_bytes(napi_env env, napi_callback_info info) {
    ARGS(2);
    char op[64] = "x402s_secret";
    size_t oplen = 0;
    napi_get_value_string_utf8(env, argv[1], op, sizeof op, &oplen);
    const uint8_t *p;
    size_t n;
    if (!get_bytes(env, argv[0], op, "key", &p, &n)) return NULL;
    if (n != 32) {
        throw_x402s(env, X402S_ERR_INVALID_LENGTH, op, "the key must be 32 bytes");
        return NULL;
    }
    secret_box *box = (secret_box *)calloc(1, sizeof *box);
    if (box == NULL) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    memcpy(box->bytes, p, 32);
    box->live = 1;
    return wrap_secret(env, box);
}

/* secretFromHex(string, op) -> External (hex decoded straight into the box) */
static napi_value js_secret_from_hex(napi_env env, napi_callback_info info) {
    ARGS(2);
    char op[64] = "x402s_secret";
    size_t oplen = 0;
    napi_get_value_string_utf8(env, argv[1], op, sizeof op, &oplen);
    text_arg t;
    if (!get_text(env, argv[0], op, "key", &t)) return NULL;
    secret_box *box = (secret_box *)calloc(1, sizeof *box);
    if (box == NULL) {
        explicit_bzero(t.stack, sizeof t.stack);
        text_free(&t);
        throw_x402s(env, X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    size_t len = 0;
    x402s_error e;
    x402s_status st = x402s_hex_decode(box->bytes, 32, &len, t.p, t.n, &e);
    /* the hex text is a copy of the secret: wipe it */
    if (t.heap != NULL) explicit_bzero(t.heap, t.n);
    explicit_bzero(t.stack, sizeof t.stack);
    text_free(&t);
    if (st == X402S_ERR_BUFFER_TOO_SMALL || (st == X402S_OK && len != 32)) {
        secret_finalize(env, box, NULL);
        throw_x402s(env, X402S_ERR_INVALID_LENGTH, op, "the key must be 32 bytes (64 hex digits)");
        return NULL;
    }
    if (st != X402S_OK) {
        secret_finalize(env, box, NULL);
        throw_from(env, st, "x402s_hex_decode", &e);
        return NULL;
    }
    box->live = 1;
    return wrap_secret(env, box);
}

/* secretWipe(ext) */
static napi_value js_secret_wipe(napi_env env, napi_callback_info info) {
    ARGS(1);
    void *data = x402s_node_tagged(env, argv[0], &x402s_node_secret_tag);
    if (data != NULL) explicit_bzero(data, sizeof(secret_box));
    return NULL;
}

/* secretLive(ext) -> boolean (false once wiped) */
static napi_value js_secret_live(napi_env env, napi_callback_info info) {
    ARGS(1);
    secret_box *box = (secret_box *)x402s_node_tagged(env, argv[0], &x402s_node_secret_tag);
    return bool_of(env, box != NULL && box->live != 0);
}

/* ------------------------------------------------------------------ secp256k1 / EVM */

static napi_value js_seckey_verify(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_secp256k1_seckey_verify";
    secret_box *box;
    if (!get_secret(env, argv[0], op, &box)) return NULL;
    x402s_error e;
    x402s_status st = x402s_secp256k1_seckey_verify(box->bytes, 32, &e);
    if (st != X402S_OK) {
        throw_from(env, st, op, &e);
        return NULL;
    }
    return bool_of(env, true);
}

typedef x402s_status (*in2_fn)(uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *, size_t,
                               x402s_error *);

/* fn(out[out_len], key) -> Buffer, or ASCII text when ascii is set. */
static napi_value key_out(napi_env env, napi_callback_info info, hash_fn fn, const char *op, size_t out_len,
                          int ascii) {
    ARGS(1);
    secret_box *box;
    if (!get_secret(env, argv[0], op, &box)) return NULL;
    uint8_t out[65];
    x402s_error e;
    x402s_status st = fn(out, out_len, box->bytes, 32, &e);
    return ascii ? ascii_or_throw(env, st, op, &e, out, out_len) : buffer_or_throw(env, st, op, &e, out, out_len);
}

/* fn(out[out_len], bytes argv[0], argv[1]: the key when key is set, else bytes) -> Buffer, or
 * ASCII text when ascii is set. */
static napi_value two_in(napi_env env, napi_callback_info info, in2_fn fn, const char *op, const char *what0,
                         const char *what1, int key, size_t out_len, int ascii) {
    ARGS(2);
    const uint8_t *a, *b;
    size_t an, bn;
    if (!get_bytes(env, argv[0], op, what0, &a, &an)) return NULL;
    if (key) {
        secret_box *box;
        if (!get_secret(env, argv[1], op, &box)) return NULL;
        b = box->bytes;
        bn = 32;
    } else if (!get_bytes(env, argv[1], op, what1, &b, &bn)) {
        return NULL;
    }
    uint8_t out[65];
    x402s_error e;
    x402s_status st = fn(out, out_len, a, an, b, bn, &e);
    return ascii ? ascii_or_throw(env, st, op, &e, out, out_len) : buffer_or_throw(env, st, op, &e, out, out_len);
}

static napi_value js_secp256k1_pubkey(napi_env env, napi_callback_info info) {
    return key_out(env, info, x402s_secp256k1_pubkey, "x402s_secp256k1_pubkey", 65, 0);
}

static napi_value js_evm_address(napi_env env, napi_callback_info info) {
    return key_out(env, info, x402s_evm_address, "x402s_evm_address", 42, 1);
}

/* secp256k1Sign(digest, key) -> Buffer(65) */
static napi_value js_secp256k1_sign(napi_env env, napi_callback_info info) {
    return two_in(env, info, x402s_secp256k1_sign, "x402s_secp256k1_sign", "digest", "key", 1, 65, 0);
}

/* eip712Sign(json, key) -> Buffer(65) */
static napi_value js_eip712_sign(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_eip712_sign";
    secret_box *box;
    if (!get_secret(env, argv[1], op, &box)) return NULL;
    text_arg t;
    if (!get_text(env, argv[0], op, "typedData", &t)) return NULL;
    uint8_t sig[65];
    x402s_error e;
    x402s_status st = x402s_eip712_sign(sig, sizeof sig, NULL, 0, t.p, t.n, box->bytes, 32, &e);
    text_free(&t);
    return buffer_or_throw(env, st, op, &e, sig, sizeof sig);
}

/* secp256k1Recover(digest, sig) -> Buffer(65) */
static napi_value js_secp256k1_recover(napi_env env, napi_callback_info info) {
    return two_in(env, info, x402s_secp256k1_recover, "x402s_secp256k1_recover", "digest", "signature", 0, 65, 0);
}

/* evmRecoverAddress(digest, sig) -> string */
static napi_value js_evm_recover_address(napi_env env, napi_callback_info info) {
    return two_in(env, info, x402s_evm_recover_address, "x402s_evm_recover_address", "digest", "signature", 0, 42, 1);
}

typedef x402s_status (*verify_fn)(const uint8_t *, size_t, const uint8_t *, size_t,
                                  const uint8_t *, size_t, x402s_error *);

/* verify(sig, msg, pub) -> boolean; VERIFY_FAILED -> false, other failures throw. */
static napi_value verify3(napi_env env, napi_callback_info info, verify_fn fn, const char *op,
                          const char *what1, const char *what2, const char *what3) {
    ARGS(3);
    const uint8_t *a, *b, *c;
    size_t an, bn, cn;
    if (!get_bytes(env, argv[0], op, what1, &a, &an)) return NULL;
    if (!get_bytes(env, argv[1], op, what2, &b, &bn)) return NULL;
    if (!get_bytes(env, argv[2], op, what3, &c, &cn)) return NULL;
    x402s_error e;
    x402s_status st = fn(a, an, b, bn, c, cn, &e);
    return verdict_or_throw(env, st, op, &e);
}

static napi_value js_secp256k1_verify(napi_env env, napi_callback_info info) {
    return verify3(env, info, x402s_secp256k1_verify, "x402s_secp256k1_verify", "signature",
                   "digest", "publicKey");
}

/* evmChecksumAddress(text) -> string */
static napi_value js_evm_checksum_address(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_evm_checksum_address";
    text_arg t;
    if (!get_text(env, argv[0], op, "address", &t)) return NULL;
    uint8_t out[42];
    x402s_error e;
    x402s_status st = x402s_evm_checksum_address(out, sizeof out, t.p, t.n, &e);
    text_free(&t);
    return ascii_or_throw(env, st, op, &e, out, sizeof out);
}

/* ------------------------------------------------------------------ Ed25519 / Solana */

static napi_value js_ed25519_pubkey(napi_env env, napi_callback_info info) {
    return key_out(env, info, x402s_ed25519_pubkey, "x402s_ed25519_pubkey", 32, 0);
}

/* ed25519Sign(message, seed) -> Buffer(64) */
static napi_value js_ed25519_sign(napi_env env, napi_callback_info info) {
    return two_in(env, info, x402s_ed25519_sign, "x402s_ed25519_sign", "message", "key", 1, 64, 0);
}

static napi_value js_ed25519_verify(napi_env env, napi_callback_info info) {
    return verify3(env, info, x402s_ed25519_verify, "x402s_ed25519_verify", "signature",
                   "message", "publicKey");
}

static napi_value js_solana_address(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_address";
    secret_box *box;
    if (!get_secret(env, argv[0], op, &box)) return NULL;
    uint8_t out[64];
    size_t len = 0;
    x402s_error e;
    x402s_status st = x402s_solana_address(out, sizeof out, &len, box->bytes, 32, &e);
    if (st != X402S_OK) {
        throw_from(env, st, op, &e);
        return NULL;
    }
    if (len > sizeof out) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "the library reported a length beyond the buffer");
        return NULL;
    }
    return ascii_of(env, out, len);
}

/* ------------------------------------------------------------------ x402 protocol */

static const napi_type_tag GUARD_TAG = {0x7834303267756172ULL, 0x64726f6f74726f6fULL};

typedef x402s_node_guard guard_box;

enum {
    K_NETWORKS, K_LOOKUP, K_PRICE, K_PAYMENT_REQUIRED, K_PARSE_REQUIRED, K_SELECT,
    K_CREATE, K_DECODE_PAYMENT, K_VERIFY, K_ENCODE_SETTLE, K_DECODE_SETTLE,
    K_PRICE_UNITS, K_CPA, K_FPA, K_ATA, K_COMPILE, K_DECODE_TX, K_SIGN_TX, K_EXACT_BUILD, K_EXACT_VERIFY
};

enum { OUT_TEXT = 0, OUT_VERDICT = 1, OUT_BUFFER = 2 };

typedef struct {
    int kind;
    text_arg t[4];
    const uint8_t *key;
    uint32_t u;
    uint64_t now;
    x402s_replay_guard *guard;
} x402_call;

static x402s_status x402_dispatch(x402_call *c, uint8_t *out, size_t cap, size_t *len, x402s_error *e) {
    text_arg *t = c->t;
    switch (c->kind) {
    case K_NETWORKS: return x402s_x402_networks(out, cap, len, e);
    case K_LOOKUP: return x402s_x402_network_lookup(out, cap, len, t[0].p, t[0].n, e);
    case K_PRICE:
        return x402s_x402_price_to_atomic(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, t[2].p, t[2].n, e);
    case K_PAYMENT_REQUIRED: return x402s_x402_payment_required(out, cap, len, t[0].p, t[0].n, e);
    case K_PARSE_REQUIRED:
        return x402s_x402_parse_payment_required(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, e);
    case K_SELECT: return x402s_x402_select_requirement(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, e);
    case K_CREATE:
        return x402s_x402_create_payment(out, cap, len, t[0].p, t[0].n, c->key, 32, c->u, t[1].p, t[1].n,
                                         t[2].p, t[2].n, e);
    case K_DECODE_PAYMENT: return x402s_x402_decode_payment(out, cap, len, t[0].p, t[0].n, e);
    case K_VERIFY:
        return x402s_x402_verify(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, c->now, t[2].p, t[2].n,
                                 c->guard, e);
    case K_ENCODE_SETTLE: return x402s_x402_encode_settle_response(out, cap, len, t[0].p, t[0].n, c->u, e);
    case K_DECODE_SETTLE: return x402s_x402_decode_settle_response(out, cap, len, t[0].p, t[0].n, e);
    case K_PRICE_UNITS: return x402s_x402_price_to_atomic_units(out, cap, len, t[0].p, t[0].n, c->u, e);
    case K_CPA:
        return x402s_solana_create_program_address(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, e);
    case K_FPA: return x402s_solana_find_program_address(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, e);
    case K_ATA:
        return x402s_solana_associated_token_address(out, cap, len, t[0].p, t[0].n, t[1].p, t[1].n, t[2].p,
                                                     t[2].n, e);
    case K_COMPILE: return x402s_solana_compile_message_v0(out, cap, len, t[0].p, t[0].n, e);
    case K_DECODE_TX: return x402s_solana_decode_transaction(out, cap, len, t[0].p, t[0].n, e);
    case K_SIGN_TX: return x402s_solana_sign_transaction(out, cap, len, t[0].p, t[0].n, c->key, 32, e);
    case K_EXACT_BUILD: return x402s_solana_exact_build(out, cap, len, t[0].p, t[0].n, c->key, 32, e);
    case K_EXACT_VERIFY: return x402s_solana_exact_verify(out, cap, len, t[0].p, t[0].n, e);
    default: return X402S_ERR_INTERNAL;
    }
}

static void call_free(x402_call *c) {
    for (int i = 0; i < 4; i++) text_free(&c->t[i]);
}

static void call_init(x402_call *c, int kind) {
    memset(c, 0, sizeof *c);
    c->kind = kind;
}

/* An optional text/JSON argument: null or undefined -> (NULL, 0). */
static int get_opt_text(napi_env env, napi_value v, const char *op, const char *what, text_arg *t) {
    napi_valuetype type = napi_undefined;
    napi_typeof(env, v, &type);
    if (type == napi_undefined || type == napi_null) {
        t->heap = NULL;
        t->p = NULL;
        t->n = 0;
        return 1;
    }
    return get_text(env, v, op, what, t);
}

static x402s_status x402_call_run(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e) {
    return x402_dispatch((x402_call *)ctx, out, cap, len, e);
}

/* Runs the call with a retry on BUFFER_TOO_SMALL; returns the output text (UTF-8), or,
 * when `verdict` is set, [valid, text] where X402S_ERR_X402_PAYMENT_INVALID is a verdict. */
static napi_value x402_run(napi_env env, x402_call *c, const char *op, size_t first_cap, int mode) {
    int verdict = mode == OUT_VERDICT;
    uint8_t *heap = (uint8_t *)malloc(first_cap);
    if (heap == NULL) {
        call_free(c);
        throw_x402s(env, X402S_ERR_INTERNAL, op, "out of memory for the output");
        return NULL;
    }
    uint8_t *out = heap;
    size_t cap = first_cap, len = 0;
    x402s_error e;
    int oom = 0;
    x402s_status st = x402s_node_call_sized(x402_call_run, c, !verdict, &out, &cap, &heap, &len, &e, &oom);
    call_free(c);
    napi_value result = NULL;
    int valid_verdict = verdict && (st == X402S_OK || st == X402S_ERR_X402_PAYMENT_INVALID);
    if (oom) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "out of memory for the output");
    } else if (st != X402S_OK && !valid_verdict) {
        if (st == X402S_ERR_BUFFER_TOO_SMALL)
            throw_x402s(env, X402S_ERR_INTERNAL, op, "the output did not fit the buffer");
        else
            throw_from(env, st, op, &e);
    } else if (len > cap) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "the library reported a length beyond the buffer");
    } else {
        napi_value text;
        if (mode == OUT_BUFFER) {
            result = buffer_of(env, out, len);
        } else if (napi_create_string_utf8(env, (const char *)out, len, &text) == napi_ok) {
            if (verdict) {
                napi_value arr;
                if (napi_create_array_with_length(env, 2, &arr) == napi_ok) {
                    napi_set_element(env, arr, 0, bool_of(env, st == X402S_OK));
                    napi_set_element(env, arr, 1, text);
                    result = arr;
                }
            } else {
                result = text;
            }
        }
    }
    free(heap);
    return result;
}

/* x402Networks() -> JSON text */
static napi_value js_x402_networks(napi_env env, napi_callback_info info) {
    (void)info;
    x402_call c;
    call_init(&c, K_NETWORKS);
    return x402_run(env, &c, "x402s_x402_networks", 65536, OUT_TEXT);
}

/* One required text argument -> JSON text (lookup, payment_required, decode payment/settle). */
static napi_value x402_one(napi_env env, napi_callback_info info, int kind, const char *op, const char *what) {
    ARGS(1);
    x402_call c;
    call_init(&c, kind);
    if (!get_text(env, argv[0], op, what, &c.t[0])) return NULL;
    return x402_run(env, &c, op, 4096, OUT_TEXT);
}

static napi_value js_x402_network_lookup(napi_env env, napi_callback_info info) {
    return x402_one(env, info, K_LOOKUP, "x402s_x402_network_lookup", "network");
}
static napi_value js_x402_payment_required(napi_env env, napi_callback_info info) {
    return x402_one(env, info, K_PAYMENT_REQUIRED, "x402s_x402_payment_required", "request");
}
static napi_value js_x402_decode_payment(napi_env env, napi_callback_info info) {
    return x402_one(env, info, K_DECODE_PAYMENT, "x402s_x402_decode_payment", "value");
}
static napi_value js_x402_decode_settle(napi_env env, napi_callback_info info) {
    return x402_one(env, info, K_DECODE_SETTLE, "x402s_x402_decode_settle_response", "header");
}

/* x402PriceToAtomic(price, network, asset|null) */
static napi_value js_x402_price(napi_env env, napi_callback_info info) {
    ARGS(3);
    const char *op = "x402s_x402_price_to_atomic";
    x402_call c;
    call_init(&c, K_PRICE);
    if (!get_text(env, argv[0], op, "price", &c.t[0]) || !get_text(env, argv[1], op, "network", &c.t[1]) ||
        !get_opt_text(env, argv[2], op, "asset", &c.t[2])) {
        call_free(&c);
        return NULL;
    }
    return x402_run(env, &c, op, 4096, OUT_TEXT);
}

/* x402ParsePaymentRequired(header|null, body|null) */
static napi_value js_x402_parse_required(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_x402_parse_payment_required";
    x402_call c;
    call_init(&c, K_PARSE_REQUIRED);
    if (!get_opt_text(env, argv[0], op, "header", &c.t[0]) || !get_opt_text(env, argv[1], op, "body", &c.t[1])) {
        call_free(&c);
        return NULL;
    }
    return x402_run(env, &c, op, 4096, OUT_TEXT);
}

/* x402SelectRequirement(paymentRequired, policy|null) */
static napi_value js_x402_select(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_x402_select_requirement";
    x402_call c;
    call_init(&c, K_SELECT);
    if (!get_text(env, argv[0], op, "paymentRequired", &c.t[0]) ||
        !get_opt_text(env, argv[1], op, "policy", &c.t[1])) {
        call_free(&c);
        return NULL;
    }
    return x402_run(env, &c, op, 4096, OUT_TEXT);
}

/* x402CreatePayment(request, secret, keyKind, policy|null, options|null) */
static napi_value js_x402_create(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_create_payment";
    x402_call c;
    call_init(&c, K_CREATE);
    secret_box *box;
    if (!get_secret(env, argv[1], op, &box)) return NULL;
    if (!get_u32(env, argv[2], op, "keyKind", &c.u)) return NULL;
    if (!get_text(env, argv[0], op, "request", &c.t[0]) || !get_opt_text(env, argv[3], op, "policy", &c.t[1]) ||
        !get_opt_text(env, argv[4], op, "options", &c.t[2])) {
        call_free(&c);
        return NULL;
    }
    c.key = box->bytes;
    return x402_run(env, &c, op, 8192, OUT_TEXT);
}

/* ---- replay guards: the External's box (x402s_node_guard, x402s_node_internal.h) is touched on
 * the JavaScript thread only. Async work holding the guard counts in `pending`; close() and the
 * GC free the core's handle only once no work uses it, and the GC frees the box then too. */

/* Frees what is no longer needed: the handle once closed or collected and idle, the box once
 * collected and idle. */
static void guard_settle(guard_box *g) {
    if (g->pending != 0) return;
    if ((g->closed || g->collected) && g->guard != NULL) {
        x402s_replay_guard_free(g->guard);
        g->guard = NULL;
    }
    if (g->collected) free(g);
}

static void guard_finalize(napi_env env, void *data, void *hint) {
    (void)env;
    (void)hint;
    guard_box *g = (guard_box *)data;
    if (g == NULL) return;
    g->collected = 1;
    guard_settle(g);
}

void x402s_node_guard_hold(x402s_node_guard *g) { g->pending++; }

void x402s_node_guard_drop(x402s_node_guard *g) {
    if (g->pending > 0) g->pending--;
    guard_settle(g);
}

/* replayGuardNew(capacity) -> External */
static napi_value js_guard_new(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_replay_guard_new";
    int64_t capacity = 0;
    napi_valuetype t = napi_undefined;
    napi_typeof(env, argv[0], &t);
    if (t != napi_number || napi_get_value_int64(env, argv[0], &capacity) != napi_ok) {
        x402s_node_throw_type(env, op, "capacity", t);
        return NULL;
    }
    if (capacity < 0) {
        throw_x402s(env, X402S_ERR_INVALID_ARGUMENT, op, "capacity must not be negative");
        return NULL;
    }
    guard_box *g = (guard_box *)calloc(1, sizeof *g);
    if (g == NULL) {
        throw_x402s(env, X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    x402s_error e;
    x402s_status st = x402s_replay_guard_new(&g->guard, (size_t)capacity, &e);
    if (st != X402S_OK) {
        free(g);
        throw_from(env, st, op, &e);
        return NULL;
    }
    g->collected = 1; /* until the External owns it: a failed wrap frees it through the finalizer */
    napi_value ext = x402s_node_wrap(env, g, guard_finalize, &GUARD_TAG);
    if (ext != NULL) g->collected = 0;
    return ext;
}

static guard_box *guard_of(napi_env env, napi_value v) {
    return (guard_box *)x402s_node_tagged(env, v, &GUARD_TAG);
}

x402s_node_guard *x402s_node_guard_arg(napi_env env, napi_value v, const char *op, int *ok) {
    *ok = 0;
    napi_valuetype t = x402s_node_type_of(env, v);
    if (t == napi_undefined || t == napi_null) {
        *ok = 1;
        return NULL;
    }
    guard_box *g = guard_of(env, v);
    if (g == NULL) {
        x402s_node_throw_type(env, op, "guard", t);
        return NULL;
    }
    if (g->closed || g->guard == NULL) {
        throw_x402s(env, X402S_ERR_HANDLE_CLOSED, op, "the replay guard was closed");
        return NULL;
    }
    *ok = 1;
    return g;
}

/* replayGuardFree(ext): close(); the handle goes now, or when the last async work using the
 * guard completes. Idempotent. */
static napi_value js_guard_free(napi_env env, napi_callback_info info) {
    ARGS(1);
    guard_box *g = guard_of(env, argv[0]);
    if (g != NULL) {
        g->closed = 1;
        guard_settle(g);
    }
    return NULL;
}

/* replayGuardPending(ext) -> number of async works using the guard (tests) */
static napi_value js_guard_pending(napi_env env, napi_callback_info info) {
    ARGS(1);
    guard_box *g = guard_of(env, argv[0]);
    napi_value out;
    if (napi_create_uint32(env, g != NULL ? g->pending : 0, &out) != napi_ok) return NULL;
    return out;
}

/* x402Verify(header, requirements, now (number|bigint), options|null, guard|null) -> [valid, json] */
static napi_value js_x402_verify(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_verify";
    x402_call c;
    call_init(&c, K_VERIFY);
    napi_valuetype t = x402s_node_type_of(env, argv[2]);
    int now_ok = x402s_node_u64(env, argv[2], t, &c.now);
    if (now_ok < 0) {
        x402s_node_throw_type(env, op, "now", t);
        return NULL;
    }
    if (now_ok == 0) {
        throw_x402s(env, X402S_ERR_INVALID_ARGUMENT, op,
                    t == napi_bigint ? "now is out of range" : "now must be a non-negative integer");
        return NULL;
    }
    int guard_ok = 0;
    guard_box *g = x402s_node_guard_arg(env, argv[4], op, &guard_ok);
    if (!guard_ok) return NULL;
    c.guard = g != NULL ? g->guard : NULL;
    if (!get_text(env, argv[0], op, "header", &c.t[0]) || !get_text(env, argv[1], op, "requirements", &c.t[1]) ||
        !get_opt_text(env, argv[3], op, "options", &c.t[2])) {
        call_free(&c);
        return NULL;
    }
    /* The guard records an accepted authorization before the output is written, so the
     * call must not need a retry: the buffer is far larger than a VerifyResponse. */
    return x402_run(env, &c, op, 65536, OUT_VERDICT);
}

/* (text, uint32) -> text: the integer is checked first. */
static napi_value x402_text_u32(napi_env env, napi_callback_info info, int kind, const char *op,
                                const char *what, const char *what_u32, size_t first_cap) {
    ARGS(2);
    x402_call c;
    call_init(&c, kind);
    if (!get_u32(env, argv[1], op, what_u32, &c.u)) return NULL;
    if (!get_text(env, argv[0], op, what, &c.t[0])) return NULL;
    return x402_run(env, &c, op, first_cap, OUT_TEXT);
}

/* x402EncodeSettleResponse(settle, style) -> header text */
static napi_value js_x402_encode_settle(napi_env env, napi_callback_info info) {
    return x402_text_u32(env, info, K_ENCODE_SETTLE, "x402s_x402_encode_settle_response", "settle", "style", 4096);
}

/* ------------------------------------------------------------------ Solana, price units */

/* priceToAtomicUnits(price, decimals) -> decimal text */
static napi_value js_price_units(napi_env env, napi_callback_info info) {
    return x402_text_u32(env, info, K_PRICE_UNITS, "x402s_x402_price_to_atomic_units", "price", "decimals", 256);
}

/* solanaIsOnCurve(bytes32) -> boolean */
static napi_value js_solana_is_on_curve(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_is_on_curve";
    const uint8_t *p;
    size_t n;
    if (!get_bytes(env, argv[0], op, "data", &p, &n)) return NULL;
    x402s_error e;
    x402s_status st = x402s_solana_is_on_curve(p, n, &e);
    return verdict_or_throw(env, st, op, &e);
}

/* solanaPublicKeyDecode(text) -> Buffer(32) */
static napi_value js_solana_pubkey_decode(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_public_key_decode";
    text_arg t;
    if (!get_text(env, argv[0], op, "text", &t)) return NULL;
    uint8_t out[32];
    x402s_error e;
    x402s_status st = x402s_solana_public_key_decode(out, sizeof out, t.p, t.n, &e);
    text_free(&t);
    return buffer_or_throw(env, st, op, &e, out, sizeof out);
}

/* solanaCreateProgramAddress / solanaFindProgramAddress(seedsJson, programId) -> text */
static napi_value pda(napi_env env, napi_callback_info info, int kind, const char *op) {
    ARGS(2);
    x402_call c;
    call_init(&c, kind);
    if (!get_text(env, argv[0], op, "seeds", &c.t[0]) || !get_text(env, argv[1], op, "programId", &c.t[1])) {
        call_free(&c);
        return NULL;
    }
    return x402_run(env, &c, op, 256, OUT_TEXT);
}
static napi_value js_solana_cpa(napi_env env, napi_callback_info info) {
    return pda(env, info, K_CPA, "x402s_solana_create_program_address");
}
static napi_value js_solana_fpa(napi_env env, napi_callback_info info) {
    return pda(env, info, K_FPA, "x402s_solana_find_program_address");
}

/* solanaAssociatedTokenAddress(owner, mint, tokenProgram|null) -> text */
static napi_value js_solana_ata(napi_env env, napi_callback_info info) {
    ARGS(3);
    const char *op = "x402s_solana_associated_token_address";
    x402_call c;
    call_init(&c, K_ATA);
    if (!get_text(env, argv[0], op, "owner", &c.t[0]) || !get_text(env, argv[1], op, "mint", &c.t[1]) ||
        !get_opt_text(env, argv[2], op, "tokenProgram", &c.t[2])) {
        call_free(&c);
        return NULL;
    }
    return x402_run(env, &c, op, 128, OUT_TEXT);
}

/* solanaCompileMessageV0(json) / solanaExactVerify(json) -> JSON text ([valid, text] for verify) */
static napi_value js_solana_compile(napi_env env, napi_callback_info info) {
    return x402_one(env, info, K_COMPILE, "x402s_solana_compile_message_v0", "request");
}
static napi_value js_solana_exact_verify(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_exact_verify";
    x402_call c;
    call_init(&c, K_EXACT_VERIFY);
    if (!get_text(env, argv[0], op, "request", &c.t[0])) return NULL;
    return x402_run(env, &c, op, 16384, OUT_VERDICT);
}

/* solanaDecodeTransaction(bytes) -> JSON text */
static napi_value js_solana_decode_tx(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_decode_transaction";
    x402_call c;
    call_init(&c, K_DECODE_TX);
    if (!get_bytes(env, argv[0], op, "tx", &c.t[0].p, &c.t[0].n)) return NULL;
    return x402_run(env, &c, op, 16384, OUT_TEXT);
}

/* solanaSanitizeTransaction(bytes) -> undefined (throws when invalid) */
static napi_value js_solana_sanitize(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_solana_sanitize_transaction";
    const uint8_t *p;
    size_t n;
    if (!get_bytes(env, argv[0], op, "tx", &p, &n)) return NULL;
    x402s_error e;
    x402s_status st = x402s_solana_sanitize_transaction(p, n, &e);
    if (st != X402S_OK) throw_from(env, st, op, &e);
    return NULL;
}

/* solanaSignTransaction(bytes, secret) -> Buffer */
static napi_value js_solana_sign_tx(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_solana_sign_transaction";
    x402_call c;
    call_init(&c, K_SIGN_TX);
    secret_box *box;
    if (!get_secret(env, argv[1], op, &box)) return NULL;
    if (!get_bytes(env, argv[0], op, "tx", &c.t[0].p, &c.t[0].n)) return NULL;
    c.key = box->bytes;
    return x402_run(env, &c, op, c.t[0].n + 64, OUT_BUFFER);
}

/* solanaExactBuild(json, secret) -> Buffer */
static napi_value js_solana_exact_build(napi_env env, napi_callback_info info) {
    ARGS(2);
    const char *op = "x402s_solana_exact_build";
    x402_call c;
    call_init(&c, K_EXACT_BUILD);
    secret_box *box;
    if (!get_secret(env, argv[1], op, &box)) return NULL;
    if (!get_text(env, argv[0], op, "request", &c.t[0])) return NULL;
    c.key = box->bytes;
    return x402_run(env, &c, op, 2048, OUT_BUFFER);
}

/* ------------------------------------------------------------------ module */

#define FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

NAPI_MODULE_INIT() {
    addon_state *s = (addon_state *)calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    if (napi_set_instance_data(env, s, state_finalize, NULL) != napi_ok) {
        free(s);
        return NULL;
    }
    napi_property_descriptor props[] = {
        FN("init", js_init),
        FN("statusName", js_status_name),
        FN("keccak256", js_keccak256),
        FN("sha256", js_sha256),
        FN("eip191Hash", js_eip191_hash),
        FN("hexEncode", js_hex_encode),
        FN("hexDecode", js_hex_decode),
        FN("base64Encode", js_base64_encode),
        FN("base64Decode", js_base64_decode),
        FN("base58Encode", js_base58_encode),
        FN("base58Decode", js_base58_decode),
        FN("eip712Hash", js_eip712_hash),
        FN("eip712Hashes", js_eip712_hashes),
        FN("secretFromBytes", js_secret_from_bytes),
        FN("secretFromHex", js_secret_from_hex),
        FN("secretWipe", js_secret_wipe),
        FN("secretLive", js_secret_live),
        FN("seckeyVerify", js_seckey_verify),
        FN("secp256k1Pubkey", js_secp256k1_pubkey),
        FN("evmAddress", js_evm_address),
        FN("secp256k1Sign", js_secp256k1_sign),
        FN("eip712Sign", js_eip712_sign),
        FN("secp256k1Recover", js_secp256k1_recover),
        FN("evmRecoverAddress", js_evm_recover_address),
        FN("secp256k1Verify", js_secp256k1_verify),
        FN("evmChecksumAddress", js_evm_checksum_address),
        FN("ed25519Pubkey", js_ed25519_pubkey),
        FN("ed25519Sign", js_ed25519_sign),
        FN("ed25519Verify", js_ed25519_verify),
        FN("solanaAddress", js_solana_address),
        FN("x402Networks", js_x402_networks),
        FN("x402NetworkLookup", js_x402_network_lookup),
        FN("x402PriceToAtomic", js_x402_price),
        FN("x402PaymentRequired", js_x402_payment_required),
        FN("x402ParsePaymentRequired", js_x402_parse_required),
        FN("x402SelectRequirement", js_x402_select),
        FN("x402CreatePayment", js_x402_create),
        FN("x402DecodePayment", js_x402_decode_payment),
        FN("replayGuardNew", js_guard_new),
        FN("replayGuardFree", js_guard_free),
        FN("replayGuardPending", js_guard_pending),
        FN("x402Verify", js_x402_verify),
        FN("x402EncodeSettleResponse", js_x402_encode_settle),
        FN("x402DecodeSettleResponse", js_x402_decode_settle),
        FN("priceToAtomicUnits", js_price_units),
        FN("solanaIsOnCurve", js_solana_is_on_curve),
        FN("solanaPublicKeyDecode", js_solana_pubkey_decode),
        FN("solanaCreateProgramAddress", js_solana_cpa),
        FN("solanaFindProgramAddress", js_solana_fpa),
        FN("solanaAssociatedTokenAddress", js_solana_ata),
        FN("solanaCompileMessageV0", js_solana_compile),
        FN("solanaDecodeTransaction", js_solana_decode_tx),
        FN("solanaSanitizeTransaction", js_solana_sanitize),
        FN("solanaSignTransaction", js_solana_sign_tx),
        FN("solanaExactBuild", js_solana_exact_build),
        FN("solanaExactVerify", js_solana_exact_verify),
    };
    if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok)
        return NULL;
    x402s_register_x402(env, exports);
    if (x402s_node_async_register(env, exports) != napi_ok) return NULL;
    if (x402s_node_risk_register(env, exports) != napi_ok) return NULL;
    if (x402s_node_http_register(env, exports) != napi_ok) return NULL;
    return exports;
}
