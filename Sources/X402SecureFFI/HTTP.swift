// Exported C functions for HTTP routes (include/x402_secure.h, section "HTTP routes").
// Glue only: every rule lives in Sources/X402Secure/HTTP/HTTPRoute.swift.
import CX402Secure
import X402Secure

@c @implementation
public func x402s_http_route_canonical(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ method: UnsafePointer<UInt8>?, _ method_len: Int,
    _ target: UnsafePointer<UInt8>?, _ target_len: Int,
    _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let options = HTTPRoute.Options(rawValue: flags)  // unknown bits: INVALID_ARGUMENT from the core
        // A method longer than any token limit is an invalid method, not an oversize input.
        guard try input(method, method_len, "method").count <= HTTPRoute.maxMethodBytes else {
            throw X402SError(.httpInvalidMethod, "the method is longer than \(HTTPRoute.maxMethodBytes) bytes")
        }
        let m = try textInput(method, method_len, "method", limit: HTTPRoute.maxMethodBytes)
        let t = try textInput(target, target_len, "target", limit: HTTPRoute.maxTargetBytes)
        let route = try HTTPRoute(method: m, target: t, options: options)
        let doc = JSONObject([("method", .string(route.method)), ("path", .string(route.path))])
        try writeJSON(.object(doc), out, out_cap, out_len)
    }
}

@c @implementation
public func x402s_http_route_key(
    _ out: UnsafeMutablePointer<UInt8>?, _ out_cap: Int, _ out_len: UnsafeMutablePointer<Int>?,
    _ key: UnsafePointer<UInt8>?, _ key_len: Int,
    _ flags: UInt32,
    _ err: UnsafeMutablePointer<x402s_error>?
) -> Int32 {
    ffiCall(err) { () throws(X402SError) in
        let options = HTTPRoute.Options(rawValue: flags)  // unknown bits: INVALID_ARGUMENT from the core
        let text = try textInput(key, key_len, "key", limit: HTTPRoute.maxTargetBytes)
        let k = try HTTPRouteKey(parsing: text, options: options)
        let doc = JSONObject([
            ("method", k.method.map { .string($0) } ?? .null), ("path", .string(k.path)),
            ("prefix", .bool(k.prefix)), ("key", .string(k.description)),
        ])
        try writeJSON(.object(doc), out, out_cap, out_len)
    }
}
