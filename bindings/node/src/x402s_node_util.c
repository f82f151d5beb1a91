/*
 * x402s_node_util.c: the helpers of x402s_node_internal.h, shared by the C files of the
 * N-API addon (errors, argument conversion, the key External, calls with a sized output).
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

const napi_type_tag x402s_node_secret_tag = {0x7834303273736563ULL, 0x72657432726f6f74ULL};

/* ------------------------------------------------------------------ errors */

void x402s_node_set_str(napi_env env, napi_value obj, const char *key, const char *val) {
    napi_value v;
    if (napi_create_string_utf8(env, val, NAPI_AUTO_LENGTH, &v) == napi_ok)
        napi_set_named_property(env, obj, key, v);
}

void x402s_node_set_int(napi_env env, napi_value obj, const char *key, int32_t val) {
    napi_value v;
    if (napi_create_int32(env, val, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

void x402s_node_throw_status(napi_env env, napi_ref error_class, x402s_status st, const char *op,
                             const char *message) {
    const char *code = x402s_status_name(st);
    char unknown[40];
    if (code == NULL) {
        snprintf(unknown, sizeof unknown, "X402S_STATUS_%d", (int)st);
        code = unknown;
    }
    napi_value cls = NULL;
    if (error_class != NULL && napi_get_reference_value(env, error_class, &cls) == napi_ok && cls != NULL) {
        napi_value argv[4];
        napi_value err;
        if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &argv[0]) == napi_ok &&
            napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok &&
            napi_create_int32(env, st, &argv[2]) == napi_ok &&
            napi_create_string_utf8(env, op, NAPI_AUTO_LENGTH, &argv[3]) == napi_ok &&
            napi_new_instance(env, cls, 4, argv, &err) == napi_ok) {
            napi_throw(env, err);
            return;
        }
    }
    /* No class (yet): a plain Error with the same properties. */
    napi_value msg, err;
    if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg) != napi_ok) return;
    if (napi_create_error(env, NULL, msg, &err) != napi_ok) return;
    x402s_node_set_str(env, err, "code", code);
    x402s_node_set_int(env, err, "status", st);
    x402s_node_set_str(env, err, "operation", op);
    napi_throw(env, err);
}

void x402s_node_throw_error(napi_env env, napi_ref error_class, x402s_status st, const char *op, x402s_error *e) {
    e->message[sizeof e->message - 1] = '\0';
    x402s_node_throw_status(env, error_class, st, op,
                            (e->code == st && e->message[0] != '\0') ? e->message : "the call failed");
}

void x402s_node_throw_type(napi_env env, const char *op, const char *what, napi_valuetype t) {
    x402s_status st = (t == napi_undefined || t == napi_null) ? X402S_ERR_NULL_ARGUMENT
                                                             : X402S_ERR_INVALID_ARGUMENT;
    const char *code = x402s_status_name(st);
    char text[160];
    if (st == X402S_ERR_NULL_ARGUMENT)
        snprintf(text, sizeof text, "%s is null or undefined", what);
    else
        snprintf(text, sizeof text, "%s has the wrong type", what);
    napi_value c, m, err;
    if (napi_create_string_utf8(env, code ? code : "X402S_ERR_INVALID_ARGUMENT", NAPI_AUTO_LENGTH, &c) != napi_ok) return;
    if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &m) != napi_ok) return;
    if (napi_create_type_error(env, c, m, &err) != napi_ok) return;
    x402s_node_set_int(env, err, "status", st);
    x402s_node_set_str(env, err, "operation", op);
    napi_throw(env, err);
}

/* ------------------------------------------------------------------ arguments */

napi_valuetype x402s_node_type_of(napi_env env, napi_value v) {
    napi_valuetype t = napi_undefined;
    if (napi_typeof(env, v, &t) != napi_ok) t = napi_undefined;
    return t;
}

int x402s_node_u8_view(napi_env env, napi_value v, const uint8_t **p, size_t *n) {
    bool is_ta = false;
    if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
    napi_typedarray_type type;
    size_t length = 0;
    void *data = NULL;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok ||
        (type != napi_uint8_array && type != napi_uint8_clamped_array))
        return 0;
    /* An empty (or detached) array may have no data pointer: pass a valid empty buffer
     * instead, so the library sees the same "empty input" as from Python (never a NULL,
     * which would read as an absent optional input). */
    static const uint8_t empty[1] = {0};
    *p = data != NULL ? (const uint8_t *)data : empty;
    *n = data != NULL ? length : 0;
    return 1;
}

x402s_status x402s_node_utf8(napi_env env, napi_value v, uint8_t *stack, size_t stack_cap, uint8_t **heap,
                             const uint8_t **p, size_t *n) {
    *heap = NULL;
    size_t len = 0;
    if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return X402S_ERR_INVALID_ARGUMENT;
    uint8_t *buf = stack;
    if (stack == NULL || len + 1 > stack_cap) {
        *heap = (uint8_t *)malloc(len + 1);
        if (*heap == NULL) return X402S_ERR_INPUT_TOO_LARGE;
        buf = *heap;
    }
    size_t copied = 0;
    if (napi_get_value_string_utf8(env, v, (char *)buf, len + 1, &copied) != napi_ok) {
        free(*heap);
        *heap = NULL;
        return X402S_ERR_INVALID_ARGUMENT;
    }
    *p = buf;
    *n = copied;
    return X402S_OK;
}

int x402s_node_u64(napi_env env, napi_value v, napi_valuetype t, uint64_t *out) {
    if (t == napi_bigint) {
        bool lossless = false;
        return napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok && lossless;
    }
    if (t == napi_number) {
        double d = 0;
        if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
        if (!(d >= 0 && d <= 9007199254740991.0) || d != (double)(uint64_t)d) return 0;
        *out = (uint64_t)d;
        return 1;
    }
    return -1;
}

void *x402s_node_tagged(napi_env env, napi_value v, const napi_type_tag *tag) {
    bool ok = false;
    void *data = NULL;
    if (x402s_node_type_of(env, v) == napi_external && napi_check_object_type_tag(env, v, tag, &ok) == napi_ok &&
        ok && napi_get_value_external(env, v, &data) == napi_ok)
        return data;
    return NULL;
}

napi_value x402s_node_wrap(napi_env env, void *data, napi_finalize finalize, const napi_type_tag *tag) {
    napi_value ext;
    if (napi_create_external(env, data, finalize, NULL, &ext) != napi_ok) {
        finalize(env, data, NULL);
        return NULL;
    }
    if (napi_type_tag_object(env, ext, tag) != napi_ok) return NULL;
    return ext;
}

int x402s_node_get_secret(napi_env env, napi_ref error_class, napi_value v, const char *op, secret_box **out) {
    secret_box *box = (secret_box *)x402s_node_tagged(env, v, &x402s_node_secret_tag);
    if (box == NULL) {
        x402s_node_throw_type(env, op, "key", x402s_node_type_of(env, v));
        return 0;
    }
    if (!box->live) {
        x402s_node_throw_status(env, error_class, X402S_ERR_INVALID_KEY, op, "the key was closed (wiped)");
        return 0;
    }
    *out = box;
    return 1;
}

/* ------------------------------------------------------------------ variable output */

x402s_status x402s_node_call_sized(x402s_node_out_fn fn, void *ctx, int retry, uint8_t **out, size_t *cap,
                                   uint8_t **heap, size_t *len, x402s_error *e, int *oom) {
    *oom = 0;
    *len = 0;
    e->code = 0;
    e->message[0] = '\0';
    x402s_status st = fn(ctx, *out, *cap, len, e);
    if (st != X402S_ERR_BUFFER_TOO_SMALL || *len <= *cap || !retry) return st;
    uint8_t *bigger = (uint8_t *)malloc(*len);
    if (bigger == NULL) {
        *oom = 1;
        return st;
    }
    free(*heap);
    *heap = bigger;
    *out = bigger;
    *cap = *len;
    e->code = 0;
    e->message[0] = '\0';
    return fn(ctx, *out, *cap, len, e);
}

napi_value x402s_node_status_result(napi_env env, x402s_status st, const uint8_t *out, size_t len, const char *message) {
    napi_value arr, v;
    if (napi_create_array_with_length(env, 3, &arr) != napi_ok) return NULL;
    napi_create_int32(env, st, &v);
    napi_set_element(env, arr, 0, v);
    if (out != NULL) {
        if (napi_create_string_utf8(env, (const char *)out, len, &v) != napi_ok) return NULL;
    } else {
        napi_get_null(env, &v);
    }
    napi_set_element(env, arr, 1, v);
    if (st != X402S_OK && message != NULL) {
        napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &v);
    } else {
        napi_get_null(env, &v);
    }
    napi_set_element(env, arr, 2, v);
    return arr;
}
