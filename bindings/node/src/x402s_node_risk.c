/*
 * x402s_node_risk.c: the x402-secure risk layer (x402s_risk_* of include/x402_secure.h)
 * and the verifying side of dispute evidence (x402s_evidence_record_make / _record_parse /
 * _receipt_verify / _bundle_verify) for the N-API addon. Registered by x402s_node.c through
 * x402s_node_risk_register().
 *
 * Glue only. Every function returns [status, out, message]:
 *   status   the x402s_status of the call;
 *   out      the output text (JSON or a header value) when the call wrote one: on
 *            X402S_OK, and on the verdict statuses that still write their JSON
 *            (RISK_EVIDENCE_MISMATCH of evidence verify, RISK_STEP_UP / RISK_DENIED
 *            of the mandate gate, EVIDENCE_VERIFY_FAILED of receipt and bundle
 *            verification); otherwise null;
 *   message  the library's message when status is not X402S_OK, else null.
 * lib/risk.js turns statuses into X402SError exceptions or verdicts, so this file does
 * not depend on the error class of x402s_node.c.
 *
 * Arguments are strings (sent as UTF-8), Uint8Arrays, or null/undefined (NULL with
 * length 0: an absent optional input, or the empty input). Any other type gives
 * [X402S_ERR_INVALID_ARGUMENT, null, "..."]. No secret key passes through here: Node
 * signs payment evidence with the account's own digest signer and assembles the header
 * with x402s_risk_evidence_assemble, which checks the signature is the payer's.
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

#define RISK_MAX_ARGS 6
#define RISK_STACK_OUT 4096

typedef struct {
    const uint8_t *p;
    size_t n;
    uint8_t *heap;
} risk_arg;

/* Result array [status, out, message] (x402s_node_status_result): out when the call wrote it. */
static napi_value risk_result(napi_env env, x402s_status st, const uint8_t *out, size_t len, size_t cap,
                              int wrote, const char *message) {
    int has_out = wrote && len <= cap && (st == X402S_OK || len > 0);
    return x402s_node_status_result(env, st, has_out ? out : NULL, len, message);
}

static napi_value risk_fail(napi_env env, x402s_status st, const char *message) {
    return risk_result(env, st, NULL, 0, 0, 0, message);
}

static void risk_arg_free(risk_arg *a) {
    if (a->heap != NULL) {
        free(a->heap);
        a->heap = NULL;
    }
}

/* 1 on success; 0 for a wrong type or no memory (*st set). */
static int risk_get_arg(napi_env env, napi_value v, risk_arg *a, x402s_status *st) {
    a->p = NULL;
    a->n = 0;
    a->heap = NULL;
    napi_valuetype t = x402s_node_type_of(env, v);
    if (t == napi_undefined || t == napi_null) return 1;
    if (t == napi_string) {
        /* no stack copy: a->heap holds the text */
        x402s_status r = x402s_node_utf8(env, v, NULL, 0, &a->heap, &a->p, &a->n);
        if (r != X402S_OK) *st = r;
        return r == X402S_OK;
    }
    /* an empty view still passes a non-NULL pointer: the empty input, not absent */
    if (t == napi_object && x402s_node_u8_view(env, v, &a->p, &a->n)) return 1;
    *st = X402S_ERR_INVALID_ARGUMENT;
    return 0;
}

static int risk_get_u32(napi_env env, napi_value v, uint32_t *out) {
    return x402s_node_type_of(env, v) == napi_number && napi_get_value_uint32(env, v, out) == napi_ok;
}

/* A uint64 from a BigInt or a non-negative safe integer Number. */
static int risk_get_u64(napi_env env, napi_value v, uint64_t *out) {
    return x402s_node_u64(env, v, x402s_node_type_of(env, v), out) > 0;
}

/* Collect `count` leading arguments; the caller frees them with risk_free_args. */
#define RISK_ARGS(count)                                                                     \
    size_t argc = RISK_MAX_ARGS;                                                             \
    napi_value argv[RISK_MAX_ARGS];                                                          \
    risk_arg a[RISK_MAX_ARGS];                                                               \
    memset(a, 0, sizeof a);                                                                  \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;         \
    for (size_t i_ = argc; i_ < RISK_MAX_ARGS; i_++) napi_get_undefined(env, &argv[i_]);     \
    (void)(count)

static void risk_free_args(risk_arg *a) {
    for (size_t i = 0; i < RISK_MAX_ARGS; i++) risk_arg_free(&a[i]);
}

/* Convert argument indexes [from, to) as text/bytes; on failure return the status. */
#define RISK_TEXT_ARGS(from, to)                                                             \
    do {                                                                                     \
        for (size_t k_ = (from); k_ < (to); k_++) {                                          \
            x402s_status bad_ = X402S_ERR_INVALID_ARGUMENT;                                  \
            if (!risk_get_arg(env, argv[k_], &a[k_], &bad_)) {                               \
                risk_free_args(a);                                                           \
                char m_[80];                                                                 \
                snprintf(m_, sizeof m_, "argument %zu has the wrong type", k_ + 1);          \
                return risk_fail(env, bad_, m_);                                             \
            }                                                                                \
        }                                                                                    \
    } while (0)

/* Call EXPR (which uses out, cap, &len, &e) with output, retrying once with the size the
 * library reports, then build the result and free the arguments. */
#define RISK_CALL_OUT(EXPR)                                                                  \
    do {                                                                                     \
        uint8_t stack_[RISK_STACK_OUT];                                                      \
        uint8_t *out = stack_;                                                               \
        uint8_t *heap_ = NULL;                                                               \
        size_t cap = sizeof stack_;                                                          \
        size_t len = 0;                                                                      \
        x402s_error e;                                                                       \
        memset(&e, 0, sizeof e);                                                             \
        x402s_status st = (EXPR);                                                            \
        if (st == X402S_ERR_BUFFER_TOO_SMALL && len > cap) {                                 \
            heap_ = (uint8_t *)malloc(len);                                                  \
            if (heap_ == NULL) {                                                             \
                risk_free_args(a);                                                           \
                return risk_fail(env, X402S_ERR_INPUT_TOO_LARGE, "out of memory for the output"); \
            }                                                                                \
            out = heap_;                                                                     \
            cap = len;                                                                       \
            len = 0;                                                                         \
            memset(&e, 0, sizeof e);                                                         \
            st = (EXPR);                                                                     \
        }                                                                                    \
        risk_free_args(a);                                                                   \
        e.message[sizeof e.message - 1] = '\0';                                              \
        napi_value r_ = risk_result(env, st, out, len, cap, 1, e.message);                   \
        free(heap_);                                                                         \
        return r_;                                                                           \
    } while (0)

/* A function without output. */
#define RISK_CALL_CHECK(EXPR)                                                                \
    do {                                                                                     \
        x402s_error e;                                                                       \
        memset(&e, 0, sizeof e);                                                             \
        x402s_status st = (EXPR);                                                            \
        risk_free_args(a);                                                                   \
        e.message[sizeof e.message - 1] = '\0';                                              \
        return risk_fail(env, st, st == X402S_OK ? NULL : e.message);                        \
    } while (0)

#define P(i) a[i].p, a[i].n

/* ------------------------------------------------------------------ X-PAYMENT-SECURE, ids */

static napi_value js_risk_traceparent(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_risk_traceparent(out, cap, &len, P(0), P(1), &e));
}

static napi_value js_risk_build_secure_header(napi_env env, napi_callback_info info) {
    RISK_ARGS(3);
    RISK_TEXT_ARGS(0, 3);
    RISK_CALL_OUT(x402s_risk_build_secure_header(out, cap, &len, P(0), P(1), P(2), &e));
}

static napi_value js_risk_parse_secure_header(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_parse_secure_header(out, cap, &len, P(0), &e));
}

static napi_value js_risk_secure_header_context(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_secure_header_context(out, cap, &len, P(0), &e));
}

static napi_value js_risk_normalize_uuid(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_normalize_uuid(out, cap, &len, P(0), &e));
}

static napi_value js_risk_ids(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_risk_ids(out, cap, &len, P(0), P(1), &e));
}

/* ------------------------------------------------------------------ AP2 / VI */

static napi_value js_risk_build_ap2_evidence(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_risk_build_ap2_evidence(out, cap, &len, P(0), P(1), &e));
}

static napi_value js_risk_build_ap2_evidence_digest(napi_env env, napi_callback_info info) {
    RISK_ARGS(3);
    RISK_TEXT_ARGS(0, 2);
    uint64_t size = 0;
    if (!risk_get_u64(env, argv[2], &size)) {
        risk_free_args(a);
        return risk_fail(env, X402S_ERR_INVALID_ARGUMENT, "size must be a non-negative safe integer or a BigInt below 2^64");
    }
    RISK_CALL_OUT(x402s_risk_build_ap2_evidence_digest(out, cap, &len, P(0), P(1), size, &e));
}

static napi_value js_risk_parse_ap2_evidence(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_parse_ap2_evidence(out, cap, &len, P(0), &e));
}

static napi_value js_risk_ap2_evidence_matches(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_CHECK(x402s_risk_ap2_evidence_matches(P(0), P(1), &e));
}

static napi_value js_risk_build_verifiable_intent(napi_env env, napi_callback_info info) {
    RISK_ARGS(4);
    RISK_TEXT_ARGS(0, 3);
    uint32_t flags = 0;
    if (!risk_get_u32(env, argv[3], &flags)) {
        risk_free_args(a);
        return risk_fail(env, X402S_ERR_INVALID_ARGUMENT, "flags must be a number");
    }
    RISK_CALL_OUT(x402s_risk_build_verifiable_intent(out, cap, &len, P(0), P(1), P(2), flags, &e));
}

static napi_value js_risk_parse_verifiable_intent(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_parse_verifiable_intent(out, cap, &len, P(0), &e));
}

static napi_value js_risk_verifiable_intent_matches(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_CHECK(x402s_risk_verifiable_intent_matches(P(0), P(1), &e));
}

static napi_value js_risk_canonical_json(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_canonical_json(out, cap, &len, P(0), &e));
}

/* ------------------------------------------------------------------ traces and gateway */

static napi_value js_risk_trace_event(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_trace_event(out, cap, &len, P(0), &e));
}

static napi_value js_risk_agent_trace_build(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_risk_agent_trace_build(out, cap, &len, P(0), P(1), &e));
}

static napi_value js_risk_agent_trace_parse(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_agent_trace_parse(out, cap, &len, P(0), &e));
}

static napi_value js_risk_session_request(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_session_request(out, cap, &len, P(0), &e));
}

static napi_value js_risk_trace_request(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_trace_request(out, cap, &len, P(0), &e));
}

static napi_value js_risk_parse_gateway_answer(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    uint32_t kind = 0;
    if (!risk_get_u32(env, argv[0], &kind)) {
        return risk_fail(env, X402S_ERR_INVALID_ARGUMENT, "kind must be a number");
    }
    RISK_TEXT_ARGS(1, 2);
    RISK_CALL_OUT(x402s_risk_parse_gateway_answer(out, cap, &len, kind, P(1), &e));
}

static napi_value js_risk_check_content_type(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_CHECK(x402s_risk_check_content_type(P(0), &e));
}

/* ------------------------------------------------------------------ payment evidence */

static napi_value js_risk_evidence_build(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_risk_evidence_build(out, cap, &len, P(0), P(1), &e));
}

static napi_value js_risk_evidence_assemble(napi_env env, napi_callback_info info) {
    RISK_ARGS(3);
    RISK_TEXT_ARGS(0, 2);
    uint32_t kind = 0;
    if (!risk_get_u32(env, argv[2], &kind)) {
        risk_free_args(a);
        return risk_fail(env, X402S_ERR_INVALID_ARGUMENT, "key kind must be a number");
    }
    RISK_CALL_OUT(x402s_risk_evidence_assemble(out, cap, &len, P(0), P(1), kind, &e));
}

static napi_value js_risk_evidence_parse(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_risk_evidence_parse(out, cap, &len, P(0), &e));
}

static napi_value js_risk_evidence_verify(napi_env env, napi_callback_info info) {
    RISK_ARGS(3);
    RISK_TEXT_ARGS(0, 3);
    RISK_CALL_OUT(x402s_risk_evidence_verify(out, cap, &len, P(0), P(1), P(2), &e));
}

/* ------------------------------------------------------------------ mandate gate */

static napi_value js_risk_mandate_evaluate(napi_env env, napi_callback_info info) {
    RISK_ARGS(4);
    RISK_TEXT_ARGS(0, 4);
    RISK_CALL_OUT(x402s_risk_mandate_evaluate(out, cap, &len, P(0), P(1), P(2), P(3), &e));
}

/* ------------------------------------------------------------------ dispute evidence */

static napi_value js_evidence_record_make(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_evidence_record_make(out, cap, &len, P(0), &e));
}

static napi_value js_evidence_record_parse(napi_env env, napi_callback_info info) {
    RISK_ARGS(1);
    RISK_TEXT_ARGS(0, 1);
    RISK_CALL_OUT(x402s_evidence_record_parse(out, cap, &len, P(0), &e));
}

static napi_value js_evidence_receipt_verify(napi_env env, napi_callback_info info) {
    RISK_ARGS(3);
    RISK_TEXT_ARGS(0, 3);
    RISK_CALL_OUT(x402s_evidence_receipt_verify(out, cap, &len, P(0), P(1), P(2), &e));
}

static napi_value js_evidence_bundle_verify(napi_env env, napi_callback_info info) {
    RISK_ARGS(2);
    RISK_TEXT_ARGS(0, 2);
    RISK_CALL_OUT(x402s_evidence_bundle_verify(out, cap, &len, P(0), P(1), &e));
}

/* ------------------------------------------------------------------ registration */

#define RISK_FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL}

napi_status x402s_node_risk_register(napi_env env, napi_value exports) {
    napi_property_descriptor props[] = {
        RISK_FN("riskTraceparent", js_risk_traceparent),
        RISK_FN("riskBuildSecureHeader", js_risk_build_secure_header),
        RISK_FN("riskParseSecureHeader", js_risk_parse_secure_header),
        RISK_FN("riskSecureHeaderContext", js_risk_secure_header_context),
        RISK_FN("riskNormalizeUuid", js_risk_normalize_uuid),
        RISK_FN("riskIds", js_risk_ids),
        RISK_FN("riskBuildAp2Evidence", js_risk_build_ap2_evidence),
        RISK_FN("riskBuildAp2EvidenceDigest", js_risk_build_ap2_evidence_digest),
        RISK_FN("riskParseAp2Evidence", js_risk_parse_ap2_evidence),
        RISK_FN("riskAp2EvidenceMatches", js_risk_ap2_evidence_matches),
        RISK_FN("riskBuildVerifiableIntent", js_risk_build_verifiable_intent),
        RISK_FN("riskParseVerifiableIntent", js_risk_parse_verifiable_intent),
        RISK_FN("riskVerifiableIntentMatches", js_risk_verifiable_intent_matches),
        RISK_FN("riskCanonicalJson", js_risk_canonical_json),
        RISK_FN("riskTraceEvent", js_risk_trace_event),
        RISK_FN("riskAgentTraceBuild", js_risk_agent_trace_build),
        RISK_FN("riskAgentTraceParse", js_risk_agent_trace_parse),
        RISK_FN("riskSessionRequest", js_risk_session_request),
        RISK_FN("riskTraceRequest", js_risk_trace_request),
        RISK_FN("riskParseGatewayAnswer", js_risk_parse_gateway_answer),
        RISK_FN("riskCheckContentType", js_risk_check_content_type),
        RISK_FN("riskEvidenceBuild", js_risk_evidence_build),
        RISK_FN("riskEvidenceAssemble", js_risk_evidence_assemble),
        RISK_FN("riskEvidenceParse", js_risk_evidence_parse),
        RISK_FN("riskEvidenceVerify", js_risk_evidence_verify),
        RISK_FN("riskMandateEvaluate", js_risk_mandate_evaluate),
        RISK_FN("evidenceRecordMake", js_evidence_record_make),
        RISK_FN("evidenceRecordParse", js_evidence_record_parse),
        RISK_FN("evidenceReceiptVerify", js_evidence_receipt_verify),
        RISK_FN("evidenceBundleVerify", js_evidence_bundle_verify),
    };
    return napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
