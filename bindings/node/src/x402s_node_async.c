/*
 * x402s_node_async.c: the per-request seller calls on the libuv thread pool, so a seller's
 * event loop never waits on them (napi_create_async_work). Each returns a Promise:
 *
 *   x402VerifyAsync(header, requirements, now, options|null, guard|null)  x402s_x402_verify
 *   x402DecodePaymentAsync(value)                                         x402s_x402_decode_payment
 *   riskEvidenceVerifyAsync(header, expectation, options|null)            x402s_risk_evidence_verify
 *
 * resolved with [status, out, message] as the risk functions of x402s_node_risk.c return it:
 * `out` is the output text when the call wrote one (X402S_OK, and the verdict statuses that
 * still write their JSON: X402S_ERR_X402_PAYMENT_INVALID, X402S_ERR_RISK_EVIDENCE_MISMATCH),
 * else null; `message` is the library's message when status is not X402S_OK. lib/x402.js and
 * lib/risk.js turn statuses into X402SError rejections, exactly as their synchronous twins.
 * A JavaScript value of the wrong type throws synchronously (the JavaScript wrappers are
 * async functions, so their callers see a rejection).
 *
 * Lifetimes:
 *   - every input is copied into malloc'd memory before the work is queued: the caller may
 *     change or drop its strings and buffers at once;
 *   - the replay guard is held (x402s_node_guard_hold) from queueing to completion: close()
 *     and the garbage collector free the core's handle only after the last work using it
 *     has completed (x402s_node.c, guard_settle); a guard already closed is refused when
 *     the call is made (X402S_ERR_HANDLE_CLOSED);
 *   - the work thread touches only its job (copied inputs, the guard's core handle, the
 *     output); the guard's box and every napi call stay on the JavaScript thread.
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

#define JOB_INPUTS 3

enum { J_VERIFY, J_DECODE_PAYMENT, J_EVIDENCE_VERIFY };

typedef struct {
    napi_async_work work;
    napi_deferred deferred;
    int kind;
    /* inputs (copies; NULL with length 0 = absent) */
    uint8_t *in[JOB_INPUTS];
    size_t n[JOB_INPUTS];
    uint64_t now;
    x402s_node_guard *guard;   /* held while queued (JavaScript thread only) */
    x402s_replay_guard *handle; /* the core handle of guard, read by the work */
    /* result */
    x402s_status st;
    x402s_status verdict; /* a status that still writes its output */
    uint8_t *out;
    uint8_t *heap;
    size_t cap, len;
    int retry, oom;
    x402s_error e;
} job_t;

static void job_free(job_t *j) {
    for (int i = 0; i < JOB_INPUTS; i++) free(j->in[i]);
    free(j->heap);
    free(j);
}

/* Copies argument v (a string as UTF-8, or a Uint8Array) into j->in[i]; optional:
 * null/undefined stays absent. Returns 0 after throwing. */
static int copy_arg(napi_env env, job_t *j, int i, napi_value v, const char *op, const char *what, int optional) {
    napi_valuetype t = x402s_node_type_of(env, v);
    if (optional && (t == napi_undefined || t == napi_null)) return 1;
    const uint8_t *p = NULL;
    size_t n = 0;
    if (t == napi_string) {
        uint8_t *heap = NULL;
        x402s_status st = x402s_node_utf8(env, v, NULL, 0, &heap, &p, &n);
        if (st != X402S_OK) {
            if (st == X402S_ERR_INPUT_TOO_LARGE)
                x402s_node_throw_status(env, x402s_node_error_class(env), st, op, "out of memory for an argument");
            else
                x402s_node_throw_type(env, op, what, t);
            return 0;
        }
        j->in[i] = heap; /* already a private copy */
        j->n[i] = n;
        return 1;
    }
    if (t == napi_object && x402s_node_u8_view(env, v, &p, &n)) {
        j->in[i] = (uint8_t *)malloc(n > 0 ? n : 1); /* present, even when empty */
        if (j->in[i] == NULL) {
            x402s_node_throw_status(env, x402s_node_error_class(env), X402S_ERR_INPUT_TOO_LARGE, op, "out of memory for an argument");
            return 0;
        }
        if (n > 0) memcpy(j->in[i], p, n);
        j->n[i] = n;
        return 1;
    }
    x402s_node_throw_type(env, op, what, t);
    return 0;
}

static x402s_status job_call(void *ctx, uint8_t *out, size_t cap, size_t *len, x402s_error *e) {
    job_t *j = (job_t *)ctx;
    switch (j->kind) {
    case J_VERIFY:
        return x402s_x402_verify(out, cap, len, j->in[0], j->n[0], j->in[1], j->n[1], j->now, j->in[2], j->n[2],
                                 j->handle, e);
    case J_DECODE_PAYMENT: return x402s_x402_decode_payment(out, cap, len, j->in[0], j->n[0], e);
    case J_EVIDENCE_VERIFY:
        return x402s_risk_evidence_verify(out, cap, len, j->in[0], j->n[0], j->in[1], j->n[1], j->in[2], j->n[2], e);
    default: return X402S_ERR_INTERNAL;
    }
}

/* On a pool thread: no napi calls, nothing but the job. */
static void job_execute(napi_env env, void *data) {
    (void)env;
    job_t *j = (job_t *)data;
    j->heap = (uint8_t *)malloc(j->cap);
    if (j->heap == NULL) {
        j->oom = 1;
        return;
    }
    j->out = j->heap;
    j->st = x402s_node_call_sized(job_call, j, j->retry, &j->out, &j->cap, &j->heap, &j->len, &j->e, &j->oom);
}

static napi_value result_of(napi_env env, job_t *j) {
    x402s_status st = j->st;
    const char *message = NULL;
    if (j->oom) {
        st = X402S_ERR_INPUT_TOO_LARGE;
        message = "out of memory for the output";
    } else if (st == X402S_ERR_BUFFER_TOO_SMALL) {
        st = X402S_ERR_INTERNAL;
        message = "the output did not fit the buffer";
    } else if (st != X402S_OK) {
        j->e.message[sizeof j->e.message - 1] = '\0';
        message = (j->e.code == st && j->e.message[0] != '\0') ? j->e.message : "the call failed";
    }
    int wrote = !j->oom && (st == X402S_OK || (j->verdict != X402S_OK && st == j->verdict)) && j->len <= j->cap;
    napi_value arr, v;
    if (napi_create_array_with_length(env, 3, &arr) != napi_ok) return NULL;
    if (napi_create_int32(env, st, &v) != napi_ok || napi_set_element(env, arr, 0, v) != napi_ok) return NULL;
    if (wrote) {
        if (napi_create_string_utf8(env, (const char *)j->out, j->len, &v) != napi_ok) return NULL;
    } else if (napi_get_null(env, &v) != napi_ok) {
        return NULL;
    }
    if (napi_set_element(env, arr, 1, v) != napi_ok) return NULL;
    if (message != NULL) {
        if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &v) != napi_ok) return NULL;
    } else if (napi_get_null(env, &v) != napi_ok) {
        return NULL;
    }
    if (napi_set_element(env, arr, 2, v) != napi_ok) return NULL;
    return arr;
}

/* On the JavaScript thread, after the work (or when it was cancelled). */
static void job_complete(napi_env env, napi_status status, void *data) {
    job_t *j = (job_t *)data;
    if (j->guard != NULL) x402s_node_guard_drop(j->guard);
    j->guard = NULL;
    napi_value result = status == napi_ok ? result_of(env, j) : NULL;
    if (result != NULL) {
        napi_resolve_deferred(env, j->deferred, result);
    } else {
        napi_value msg, err;
        bool pending = false;
        if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
            napi_get_and_clear_last_exception(env, &err);
        } else if (napi_create_string_utf8(env, status == napi_cancelled ? "the call was cancelled" : "the call failed",
                                           NAPI_AUTO_LENGTH, &msg) != napi_ok ||
                   napi_create_error(env, NULL, msg, &err) != napi_ok) {
            napi_get_undefined(env, &err);
        }
        napi_reject_deferred(env, j->deferred, err);
    }
    napi_delete_async_work(env, j->work);
    job_free(j);
}

/* Queues j (inputs copied, guard held) and returns its Promise; frees j and returns NULL
 * after throwing when that fails. */
static napi_value job_queue(napi_env env, job_t *j, const char *name) {
    napi_value promise, resource;
    if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource) != napi_ok ||
        napi_create_promise(env, &j->deferred, &promise) != napi_ok) {
        job_free(j);
        return NULL;
    }
    if (napi_create_async_work(env, NULL, resource, job_execute, job_complete, j, &j->work) != napi_ok) {
        napi_value err;
        napi_create_string_utf8(env, "cannot create the async work", NAPI_AUTO_LENGTH, &resource);
        napi_create_error(env, NULL, resource, &err);
        napi_reject_deferred(env, j->deferred, err);
        job_free(j);
        return promise;
    }
    if (j->guard != NULL) x402s_node_guard_hold(j->guard);
    if (napi_queue_async_work(env, j->work) != napi_ok) {
        if (j->guard != NULL) x402s_node_guard_drop(j->guard);
        napi_value err;
        napi_create_string_utf8(env, "cannot queue the async work", NAPI_AUTO_LENGTH, &resource);
        napi_create_error(env, NULL, resource, &err);
        napi_reject_deferred(env, j->deferred, err);
        napi_delete_async_work(env, j->work);
        job_free(j);
    }
    return promise;
}

#define ARGS(count)                                                              \
    size_t argc = (count);                                                       \
    napi_value argv[5];                                                          \
    napi_value undef_;                                                           \
    napi_get_undefined(env, &undef_);                                            \
    for (size_t i_ = 0; i_ < 5; i_++) argv[i_] = undef_;                         \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;

static job_t *job_new(napi_env env, int kind, const char *op) {
    job_t *j = (job_t *)calloc(1, sizeof *j);
    if (j == NULL) {
        x402s_node_throw_status(env, x402s_node_error_class(env), X402S_ERR_INTERNAL, op, "out of memory");
        return NULL;
    }
    j->kind = kind;
    return j;
}

/* x402VerifyAsync(header, requirements, now (number|bigint), options|null, guard|null) */
static napi_value js_verify_async(napi_env env, napi_callback_info info) {
    ARGS(5);
    const char *op = "x402s_x402_verify";
    napi_valuetype t = x402s_node_type_of(env, argv[2]);
    uint64_t now = 0;
    int now_ok = x402s_node_u64(env, argv[2], t, &now);
    if (now_ok < 0) {
        x402s_node_throw_type(env, op, "now", t);
        return NULL;
    }
    if (now_ok == 0) {
        x402s_node_throw_status(env, x402s_node_error_class(env), X402S_ERR_INVALID_ARGUMENT, op,
                                t == napi_bigint ? "now is out of range" : "now must be a non-negative integer");
        return NULL;
    }
    int guard_ok = 0;
    x402s_node_guard *g = x402s_node_guard_arg(env, argv[4], op, &guard_ok);
    if (!guard_ok) return NULL;
    job_t *j = job_new(env, J_VERIFY, op);
    if (j == NULL) return NULL;
    if (!copy_arg(env, j, 0, argv[0], op, "header", 0) || !copy_arg(env, j, 1, argv[1], op, "requirements", 0) ||
        !copy_arg(env, j, 2, argv[3], op, "options", 1)) {
        job_free(j);
        return NULL;
    }
    j->now = now;
    j->guard = g;
    j->handle = g != NULL ? g->guard : NULL;
    j->cap = X402S_X402_VERIFY_OUT_BYTES; /* always enough: no retry, so nothing is recorded twice */
    j->retry = 0;
    j->verdict = X402S_ERR_X402_PAYMENT_INVALID;
    return job_queue(env, j, "x402secure.verify");
}

/* x402DecodePaymentAsync(value) */
static napi_value js_decode_payment_async(napi_env env, napi_callback_info info) {
    ARGS(1);
    const char *op = "x402s_x402_decode_payment";
    job_t *j = job_new(env, J_DECODE_PAYMENT, op);
    if (j == NULL) return NULL;
    if (!copy_arg(env, j, 0, argv[0], op, "value", 0)) {
        job_free(j);
        return NULL;
    }
    j->cap = j->n[0] + 256; /* the JSON of a header is shorter than its base64 */
    j->retry = 1;
    return job_queue(env, j, "x402secure.decodePayment");
}

/* riskEvidenceVerifyAsync(header, expectation, options|null) */
static napi_value js_evidence_verify_async(napi_env env, napi_callback_info info) {
    ARGS(3);
    const char *op = "x402s_risk_evidence_verify";
    job_t *j = job_new(env, J_EVIDENCE_VERIFY, op);
    if (j == NULL) return NULL;
    if (!copy_arg(env, j, 0, argv[0], op, "header", 0) || !copy_arg(env, j, 1, argv[1], op, "expectation", 0) ||
        !copy_arg(env, j, 2, argv[2], op, "options", 1)) {
        job_free(j);
        return NULL;
    }
    j->cap = 4096;
    j->retry = 1;
    j->verdict = X402S_ERR_RISK_EVIDENCE_MISMATCH;
    return job_queue(env, j, "x402secure.verifyEvidence");
}

/* handleCount() -> x402s_handle_count(): live core handles of the whole process (tests). */
static napi_value js_handle_count(napi_env env, napi_callback_info info) {
    (void)info;
    napi_value out;
    if (napi_create_double(env, (double)x402s_handle_count(), &out) != napi_ok) return NULL;
    return out;
}

#define AFN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

napi_status x402s_node_async_register(napi_env env, napi_value exports) {
    napi_property_descriptor props[] = {
        AFN("x402VerifyAsync", js_verify_async),
        AFN("x402DecodePaymentAsync", js_decode_payment_async),
        AFN("riskEvidenceVerifyAsync", js_evidence_verify_async),
        AFN("handleCount", js_handle_count),
    };
    return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
