/*
 * x402s_node_http.c: the HTTP routes section of include/x402_secure.h
 * (x402s_http_route_canonical, x402s_http_route_key) for the N-API addon.
 * Registered by x402s_node.c through x402s_node_http_register().
 *
 * Glue only. Each function returns [status, out, message]: the x402s_status of the call,
 * the output JSON on X402S_OK (else null), and the library's message when the status is
 * not X402S_OK (else null). lib/http.js turns statuses into X402SError exceptions.
 *
 * Arguments: the method / target / key as strings (sent as UTF-8) or Uint8Arrays, and the
 * flags as a number; any other type gives [X402S_ERR_INVALID_ARGUMENT, null, "..."]
 * (null/undefined: [X402S_ERR_NULL_ARGUMENT, ...]). Small inputs are copied to the stack
 * (the middleware calls x402s_http_route_canonical once per request).
 */
#define NAPI_VERSION 8
#define _DEFAULT_SOURCE
#include <node_api.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x402_secure.h"
#include "x402s_node_internal.h"

#define HTTP_STACK_OUT 2048

typedef struct {
    const uint8_t *p;
    size_t n;
    uint8_t *heap;
    uint8_t stack[X402S_NODE_STACK_TEXT];
} http_arg;

/* [status, out, message]: out only on X402S_OK. */
static napi_value http_result(napi_env env, x402s_status st, const uint8_t *out, size_t len, const char *message) {
    return x402s_node_status_result(env, st, st == X402S_OK ? out : NULL, len, message);
}

/* A string (as UTF-8) or a Uint8Array. 0 with *st and *msg set for another type. */
static int http_get_arg(napi_env env, napi_value v, http_arg *a, x402s_status *st, const char **msg) {
    a->p = NULL;
    a->n = 0;
    a->heap = NULL;
    napi_valuetype t = x402s_node_type_of(env, v);
    if (t == napi_string) {
        x402s_status r = x402s_node_utf8(env, v, a->stack, sizeof a->stack, &a->heap, &a->p, &a->n);
        if (r != X402S_OK) {
            *st = r;
            *msg = r == X402S_ERR_INPUT_TOO_LARGE ? "out of memory for an argument" : "a string argument could not be read";
        }
        return r == X402S_OK;
    }
    if (t == napi_object && x402s_node_u8_view(env, v, &a->p, &a->n)) return 1;
    *st = (t == napi_undefined || t == napi_null) ? X402S_ERR_NULL_ARGUMENT : X402S_ERR_INVALID_ARGUMENT;
    *msg = (t == napi_undefined || t == napi_null) ? "an argument is null or undefined" : "an argument has the wrong type";
    return 0;
}

static void http_arg_free(http_arg *a) {
    free(a->heap);
    a->heap = NULL;
}

static int http_get_flags(napi_env env, napi_value v, uint32_t *flags) {
    return x402s_node_type_of(env, v) == napi_number && napi_get_value_uint32(env, v, flags) == napi_ok;
}

typedef struct {
    int kind; /* 0: canonical, 1: key */
    http_arg a[2];
    uint32_t flags;
} http_call;

static x402s_status http_out(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e) {
    http_call *c = (http_call *)ctx;
    if (c->kind == 0)
        return x402s_http_route_canonical(out, cap, len, c->a[0].p, c->a[0].n, c->a[1].p, c->a[1].n, c->flags, e);
    return x402s_http_route_key(out, cap, len, c->a[0].p, c->a[0].n, c->flags, e);
}

static napi_value http_run(napi_env env, napi_callback_info info, int kind) {
    size_t argc = 3;
    napi_value argv[3];
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
    for (size_t i = argc; i < 3; i++) napi_get_undefined(env, &argv[i]);
    http_call c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    size_t texts = kind == 0 ? 2 : 1;
    x402s_status st = X402S_OK;
    const char *msg = NULL;
    for (size_t i = 0; i < texts; i++) {
        if (!http_get_arg(env, argv[i], &c.a[i], &st, &msg)) {
            for (size_t j = 0; j < i; j++) http_arg_free(&c.a[j]);
            return http_result(env, st, NULL, 0, msg);
        }
    }
    if (!http_get_flags(env, argv[texts], &c.flags)) {
        for (size_t j = 0; j < texts; j++) http_arg_free(&c.a[j]);
        return http_result(env, X402S_ERR_INVALID_ARGUMENT, NULL, 0, "flags must be a number");
    }
    uint8_t stack[HTTP_STACK_OUT];
    uint8_t *out = stack, *heap = NULL;
    size_t cap = sizeof stack, len = 0;
    int oom = 0;
    x402s_error e;
    st = x402s_node_call_sized(http_out, &c, 1, &out, &cap, &heap, &len, &e, &oom);
    for (size_t j = 0; j < texts; j++) http_arg_free(&c.a[j]);
    e.message[sizeof e.message - 1] = '\0';
    napi_value r = oom ? http_result(env, X402S_ERR_INPUT_TOO_LARGE, NULL, 0, "out of memory for the output")
                       : http_result(env, st, out, len, e.message);
    free(heap);
    return r;
}

/* httpRouteCanonical(method, target, flags) -> [status, json, message] */
static napi_value js_http_route_canonical(napi_env env, napi_callback_info info) { return http_run(env, info, 0); }

/* httpRouteKey(key, flags) -> [status, json, message] */
static napi_value js_http_route_key(napi_env env, napi_callback_info info) { return http_run(env, info, 1); }

#define HTTP_FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

napi_status x402s_node_http_register(napi_env env, napi_value exports) {
    napi_property_descriptor props[] = {
        HTTP_FN("httpRouteCanonical", js_http_route_canonical),
        HTTP_FN("httpRouteKey", js_http_route_key),
    };
    return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
