/*
 * x402s_node_internal.h: helpers shared by the C files of the N-API addon
 * (x402s_node.c, x402s_node_x402.c, x402s_node_risk.c, x402s_node_async.c), defined once in
 * x402s_node_util.c (the replay-guard box in x402s_node.c).
 * Not installed, not part of the C ABI.
 *
 * Include after defining NAPI_VERSION and _DEFAULT_SOURCE (as every file of the addon does).
 */
#ifndef X402S_NODE_INTERNAL_H
#define X402S_NODE_INTERNAL_H

#include <node_api.h>

#include <stddef.h>
#include <stdint.h>

#include "x402_secure.h"

/* Text arguments up to this size (with their NUL) are copied to the stack. */
#define X402S_NODE_STACK_TEXT 1024

/* ------------------------------------------------------------------ secrets */

/* A key or seed: 32 bytes outside the V8 heap, owned by an External tagged with
 * x402s_node_secret_tag (made by secretFromBytes/secretFromHex in x402s_node.c). */
typedef struct {
    uint8_t bytes[32];
    int live;
} secret_box;

extern const napi_type_tag x402s_node_secret_tag;

/* ------------------------------------------------------------------ errors */

/* obj[key] = val (a string / an int32), ignoring failures. */
void x402s_node_set_str(napi_env env, napi_value obj, const char *key, const char *val);
void x402s_node_set_int(napi_env env, napi_value obj, const char *key, int32_t val);

/* Throws new ErrorClass(message, code, status, operation), the class referenced by
 * error_class (code = x402s_status_name(st), or "X402S_STATUS_<n>"); without a class
 * (NULL, or before init()) a plain Error with the same properties. */
void x402s_node_throw_status(napi_env env, napi_ref error_class, x402s_status st, const char *op,
                             const char *message);

/* The X402SError class index.js passed to init() (NULL before), from x402s_node.c. */
napi_ref x402s_node_error_class(napi_env env);

/* Throws for a failed call: the library's message when e belongs to st, else "the call failed". */
void x402s_node_throw_error(napi_env env, napi_ref error_class, x402s_status st, const char *op, x402s_error *e);

/* TypeError for a JavaScript value of the wrong type t: .code X402S_ERR_NULL_ARGUMENT
 * (null/undefined, "<what> is null or undefined") or X402S_ERR_INVALID_ARGUMENT
 * ("<what> has the wrong type"), plus .status and .operation. */
void x402s_node_throw_type(napi_env env, const char *op, const char *what, napi_valuetype t);

/* ------------------------------------------------------------------ arguments */

/* typeof v (napi_undefined when the query fails). */
napi_valuetype x402s_node_type_of(napi_env env, napi_value v);

/* A Uint8Array (Buffer, Uint8ClampedArray): 1 with its bytes, an empty or detached array
 * giving a valid empty pointer (never NULL); 0 for any other value. */
int x402s_node_u8_view(napi_env env, napi_value v, const uint8_t **p, size_t *n);

/* A string v as UTF-8: copied into stack when it fits stack_cap bytes (with its NUL), else
 * into a malloc'd *heap the caller frees. X402S_OK, X402S_ERR_INVALID_ARGUMENT (the string
 * could not be read) or X402S_ERR_INPUT_TOO_LARGE (no memory). */
x402s_status x402s_node_utf8(napi_env env, napi_value v, uint8_t *stack, size_t stack_cap, uint8_t **heap,
                             const uint8_t **p, size_t *n);

/* A uint64 from a BigInt or a Number of type t: 1 when it is in range (a BigInt below 2^64,
 * a non-negative safe integer), 0 when it is not, -1 when t is neither. */
int x402s_node_u64(napi_env env, napi_value v, napi_valuetype t, uint64_t *out);

/* The data of an External carrying tag, or NULL for any other value. */
void *x402s_node_tagged(napi_env env, napi_value v, const napi_type_tag *tag);

/* An External of data tagged with tag; finalize(env, data, NULL) runs on the GC, or at once
 * when the External cannot be made (then NULL). */
napi_value x402s_node_wrap(napi_env env, void *data, napi_finalize finalize, const napi_type_tag *tag);

/* The key External v: 1 with its box; 0 after throwing (a TypeError for another value,
 * X402S_ERR_INVALID_KEY "the key was closed (wiped)" once wiped). */
int x402s_node_get_secret(napi_env env, napi_ref error_class, napi_value v, const char *op, secret_box **out);

/* ------------------------------------------------------------------ variable output */

typedef x402s_status (*x402s_node_out_fn)(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e);

/* Calls fn(ctx, *out, *cap, len, e) (e cleared first). When it answers BUFFER_TOO_SMALL with
 * a larger *len and retry is set, calls it once more with a malloc'd buffer of that size:
 * *out and *cap then describe it, and it replaces *heap (the previous *heap is freed; the
 * caller frees the final one). *oom is set when that buffer could not be allocated (the
 * status is then BUFFER_TOO_SMALL). Returns the last status. */
x402s_status x402s_node_call_sized(x402s_node_out_fn fn, void *ctx, int retry, uint8_t **out, size_t *cap,
                                   uint8_t **heap, size_t *len, x402s_error *e, int *oom);

/* ------------------------------------------------------------------ replay guards */

/* The box behind a ReplayGuard External (x402s_node.c). Touched on the JavaScript thread
 * only (calls, async completions and finalizers all run there), so it needs no lock.
 * `pending` counts the async works using the guard (x402s_node_async.c); the core handle is
 * freed once the guard is closed or collected and no work uses it, the box once it is
 * collected and no work uses it. */
typedef struct {
    x402s_replay_guard *guard;
    uint32_t pending;
    int closed;    /* ReplayGuard.close(): new calls refuse the guard */
    int collected; /* the External was garbage-collected */
} x402s_node_guard;

/* The guard argument v of a call: NULL with *ok = 1 for null/undefined; the box with *ok = 1
 * for a live guard; *ok = 0 after throwing (TypeError for another value,
 * X402S_ERR_HANDLE_CLOSED once closed). */
x402s_node_guard *x402s_node_guard_arg(napi_env env, napi_value v, const char *op, int *ok);

/* An async work starts / stops using the guard (JavaScript thread only). drop may free it. */
void x402s_node_guard_hold(x402s_node_guard *g);
void x402s_node_guard_drop(x402s_node_guard *g);
/* ------------------------------------------------------------------ results */

/* The array [status, out, message] of the glue-only functions (x402s_node_risk.c,
 * x402s_node_http.c): out as a string when not NULL (len bytes of UTF-8), else null; message
 * as a string when st is not X402S_OK and message is not NULL, else null. NULL when the
 * array cannot be made. */
napi_value x402s_node_status_result(napi_env env, x402s_status st, const uint8_t *out, size_t len, const char *message);

/* ------------------------------------------------------------------ registration */

void x402s_register_x402(napi_env env, napi_value exports);           /* x402s_node_x402.c */
napi_status x402s_node_risk_register(napi_env env, napi_value exports); /* x402s_node_risk.c */
napi_status x402s_node_async_register(napi_env env, napi_value exports); /* x402s_node_async.c */
napi_status x402s_node_http_register(napi_env env, napi_value exports); /* x402s_node_http.c */

#endif
