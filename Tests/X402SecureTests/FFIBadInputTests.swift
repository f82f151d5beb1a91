import CX402Secure
import Testing
@testable import X402Secure
import X402SecureFFI

/// The C ABI glue of the x402 and risk-layer front doors, called from Swift with good input
/// (size query, then the real call) and bad input (NULL, short buffer, invalid UTF-8,
/// malformed and oversize input), each expecting a specific status.
@Suite struct FFIBadInputTests {
    typealias TextFn = (
        UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int,
        UnsafeMutablePointer<x402s_error>?
    ) -> Int32

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let fn: @Sendable (UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int,
                           UnsafeMutablePointer<x402s_error>?) -> Int32
        /// A valid input and its exact output.
        let good: String
        let goodOut: String?
        /// A malformed input and the status it must give.
        let bad: String
        let badStatus: Int32
        /// Status for invalid UTF-8 and for a 9 MiB input (above every document limit).
        let utf8Status: Int32
        let oversizeStatus: Int32
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "x402s_x402_network_lookup", fn: { x402s_x402_network_lookup($0, $1, $2, $3, $4, $5) },
             good: "base", goodOut: nil, bad: "no-such-network", badStatus: Int32(X402S_ERR_X402_UNKNOWN_NETWORK),
             utf8Status: Int32(X402S_ERR_INVALID_UTF8), oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_x402_payment_required", fn: { x402s_x402_payment_required($0, $1, $2, $3, $4, $5) },
             good: #"{"offers":[{"network":"eip155:84532","payTo":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C","price":"$0.01"}],"resource":{"url":"https://api.example.com/x"}}"#,
             goodOut: nil, bad: "{", badStatus: Int32(X402S_ERR_INVALID_JSON),
             utf8Status: Int32(X402S_ERR_INVALID_UTF8), oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_x402_decode_payment", fn: { x402s_x402_decode_payment($0, $1, $2, $3, $4, $5) },
             good: Base64.encode(Array(#"{"x402Version":1,"scheme":"exact","network":"base","payload":{}}"#.utf8)),
             goodOut: #"{"x402Version":1,"scheme":"exact","network":"base","payload":{}}"#,
             bad: "eyJ4NDAyVmVyc2lvbiI6MX0-_", badStatus: Int32(X402S_ERR_INVALID_BASE64),
             utf8Status: Int32(X402S_ERR_INVALID_UTF8), oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
        Case(name: "x402s_risk_normalize_uuid", fn: { x402s_risk_normalize_uuid($0, $1, $2, $3, $4, $5) },
             good: "6F146C9B-8B02-4C26-B5AC-C5783B00450C", goodOut: "6f146c9b-8b02-4c26-b5ac-c5783b00450c",
             bad: "not-a-uuid", badStatus: Int32(X402S_ERR_RISK_INVALID_UUID),
             utf8Status: Int32(X402S_ERR_INVALID_UTF8), oversizeStatus: Int32(X402S_ERR_RISK_INVALID_UUID)),
        Case(name: "x402s_risk_canonical_json", fn: { x402s_risk_canonical_json($0, $1, $2, $3, $4, $5) },
             good: #"{"b":1,"a":[true,null]}"#, goodOut: #"{"a":[true,null],"b":1}"#,
             bad: #"{"a":1,"a":2}"#, badStatus: Int32(X402S_ERR_INVALID_JSON),
             utf8Status: Int32(X402S_ERR_INVALID_UTF8), oversizeStatus: Int32(X402S_ERR_INPUT_TOO_LARGE)),
    ]

    static func call(_ c: Case, _ input: [UInt8], cap: Int, outLen: Bool = true) -> (Int32, [UInt8], Int, x402s_error) {
        var out = [UInt8](repeating: 0, count: max(cap, 1))
        var len = 0
        var err = x402s_error()
        let st = input.withUnsafeBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                outLen ? c.fn(o.baseAddress, cap, &len, inp.baseAddress, inp.count, &err)
                       : c.fn(o.baseAddress, cap, nil, inp.baseAddress, inp.count, &err)
            }
        }
        return (st, Array(out.prefix(min(len, cap))), len, err)
    }

    @Test(arguments: cases) func goodInputAfterSizeQuery(_ c: Case) {
        let input = Array(c.good.utf8)
        let (st0, _, needed, _) = Self.call(c, input, cap: 0)
        #expect(st0 == Int32(X402S_ERR_BUFFER_TOO_SMALL))
        #expect(needed > 0)
        let (st, out, len, _) = Self.call(c, input, cap: needed)
        #expect(st == 0)
        #expect(len == needed)
        if let want = c.goodOut { #expect(String(decoding: out, as: UTF8.self) == want) }
    }

    @Test(arguments: cases) func badInputGivesSpecificStatus(_ c: Case) {
        var err = x402s_error()
        // NULL input with a length, NULL out_len.
        #expect(c.fn(nil, 0, nil, nil, 5, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(err.code == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(Self.call(c, Array(c.good.utf8), cap: 4096, outLen: false).0 == Int32(X402S_ERR_NULL_ARGUMENT))
        // Malformed, invalid UTF-8, oversize.
        let (stBad, _, _, errBad) = Self.call(c, Array(c.bad.utf8), cap: 4096)
        #expect(stBad == c.badStatus)
        #expect(errBad.code == c.badStatus)
        #expect(Self.call(c, [0x7B, 0xFF, 0xFE, 0x7D], cap: 4096).0 == c.utf8Status)
        #expect(Self.call(c, [UInt8](repeating: 0x61, count: 9 << 20), cap: 4096).0 == c.oversizeStatus)
    }
}
