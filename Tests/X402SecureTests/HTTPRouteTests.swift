import CX402Secure
import Foundation
import Testing
@testable import X402Secure
import X402SecureFFI

/// The canonical route (Sources/X402Secure/HTTP): the shared vectors through the Swift API
/// and through the C ABI, properties on random targets, and bad input through the C ABI.
@Suite struct HTTPRouteTests {
    static let vectors = X402Vector.all("http_route")

    static func text(_ v: Any?) -> String { CryptoVectors.text(v) }

    static func options(_ v: X402Vector) -> HTTPRoute.Options {
        HTTPRoute.Options(rawValue: UInt32(v.input["flags"] as? Int ?? 0))
    }

    @Test func vectorFileIsFound() {
        #expect(Self.vectors.count > 150)
        #expect(Set(Self.vectors.map { $0.input["kind"] as? String ?? "?" }) == ["canonical", "key", "match"])
    }

    @Test(arguments: vectors)
    func vectorThroughSwift(_ v: X402Vector) throws {
        let options = Self.options(v)
        let expected = v.expectedError
        switch v.input["kind"] as? String {
        case "canonical":
            let method = Self.text(v.input["method"]), target = Self.text(v.input["target"])
            do {
                let r = try HTTPRoute(method: method, target: target, options: options)
                #expect(expected == nil, "expected \(expected ?? "")")
                #expect(r.method == v.expect["method"] as? String)
                #expect(Array(r.path.utf8) == Array(Self.text(v.expect["path"]).utf8))
            } catch {
                #expect(error.status.name == expected, "\(error)")
            }
        case "key":
            do {
                let k = try HTTPRouteKey(parsing: Self.text(v.input["key"]), options: options)
                #expect(expected == nil, "expected \(expected ?? "")")
                #expect(k.method == v.expect["method"] as? String)
                #expect(Array(k.path.utf8) == Array(Self.text(v.expect["path"]).utf8))
                #expect(k.prefix == v.expect["prefix"] as? Bool)
                #expect(k.description == v.expect["key"] as? String)
            } catch {
                #expect(error.status.name == expected, "\(error)")
            }
        case "match":
            let routes = v.input["routes"] as? [String] ?? []
            do {
                let table = try HTTPRouteTable(keys: routes, options: options)
                let m = try table.match(method: Self.text(v.input["method"]), target: Self.text(v.input["target"]))
                #expect(expected == nil, "expected \(expected ?? "")")
                #expect(m.index.map { table.keys[$0].description } == v.expect["key"] as? String)
                #expect(m.allow == v.expect["allow"] as? [String])
                #expect(m.methodNotAllowed == !(m.allow.isEmpty))
            } catch {
                #expect(error.status.name == expected, "\(error)")
            }
        default:
            Issue.record("unknown kind in \(v.name)")
        }
    }

    // MARK: - the C ABI

    /// Calls x402s_http_route_canonical with a buffer of `cap` bytes.
    static func canonical(_ method: [UInt8]?, _ target: [UInt8]?, flags: UInt32 = 0, cap: Int = 1 << 17,
                          methodLen: Int? = nil, targetLen: Int? = nil, outLen: Bool = true) -> (Int32, String, Int, x402s_error) {
        var out = [UInt8](repeating: 0, count: max(cap, 1))
        var len = 0
        var err = x402s_error()
        let st = out.withUnsafeMutableBufferPointer { o in
            withUnsafeMutablePointer(to: &len) { lenPointer in
                withOptionalBuffer(method) { m in
                    withOptionalBuffer(target) { t in
                        x402s_http_route_canonical(o.baseAddress, cap, outLen ? lenPointer : nil, m, methodLen ?? method?.count ?? 0,
                                                   t, targetLen ?? target?.count ?? 0, flags, &err)
                    }
                }
            }
        }
        return (st, String(decoding: out.prefix(min(len, cap)), as: UTF8.self), len, err)
    }

    static func key(_ key: [UInt8]?, flags: UInt32 = 0, cap: Int = 1 << 17, keyLen: Int? = nil) -> (Int32, String, Int, x402s_error) {
        var out = [UInt8](repeating: 0, count: max(cap, 1))
        var len = 0
        var err = x402s_error()
        let st = out.withUnsafeMutableBufferPointer { o in
            withOptionalBuffer(key) { k in
                x402s_http_route_key(o.baseAddress, cap, &len, k, keyLen ?? key?.count ?? 0, flags, &err)
            }
        }
        return (st, String(decoding: out.prefix(min(len, cap)), as: UTF8.self), len, err)
    }

    static func withOptionalBuffer<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    static func message(_ e: x402s_error) -> String {
        withUnsafeBytes(of: e.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }

    @Test(arguments: vectors.filter { $0.input["kind"] as? String != "match" })
    func vectorThroughCABI(_ v: X402Vector) throws {
        let flags = UInt32(v.input["flags"] as? Int ?? 0)
        let (st, out, _, err) = v.input["kind"] as? String == "key"
            ? Self.key(Array(Self.text(v.input["key"]).utf8), flags: flags)
            : Self.canonical(Array(Self.text(v.input["method"]).utf8), Array(Self.text(v.input["target"]).utf8), flags: flags)
        if let expected = v.expectedError {
            #expect(X402SStatus(rawValue: st)?.name == expected)
            #expect(err.code == st && !Self.message(err).isEmpty)
            return
        }
        #expect(st == 0, "\(Self.message(err))")
        let doc = try JSONValue.parse(out)
        #expect(doc["path"]?.stringValue.map { Array($0.utf8) } == Array(Self.text(v.expect["path"]).utf8))
        if v.input["kind"] as? String == "key" {
            #expect(doc["key"]?.stringValue == v.expect["key"] as? String)
            #expect(doc["prefix"] == .bool(v.expect["prefix"] as? Bool ?? false))
            if let m = v.expect["method"] as? String { #expect(doc["method"]?.stringValue == m) } else { #expect(doc["method"] == .null) }
        } else {
            #expect(doc["method"]?.stringValue == v.expect["method"] as? String)
        }
    }

    @Test func badInputThroughCABI() {
        let m = Array("GET".utf8), t = Array("/api/market-data".utf8)
        // good call: exact output, size query first
        let (st0, _, needed, _) = Self.canonical(m, t, cap: 0)
        #expect(st0 == X402S_ERR_BUFFER_TOO_SMALL && needed == #"{"method":"GET","path":"/api/market-data"}"#.utf8.count)
        #expect(Self.canonical(m, t, cap: needed - 1).0 == X402S_ERR_BUFFER_TOO_SMALL)
        #expect(Self.canonical(m, t, cap: needed).1 == #"{"method":"GET","path":"/api/market-data"}"#)
        // NULLs
        #expect(Self.canonical(nil, t, methodLen: 3).0 == X402S_ERR_NULL_ARGUMENT)
        #expect(Self.canonical(m, nil, targetLen: 5).0 == X402S_ERR_NULL_ARGUMENT)
        #expect(Self.canonical(m, t, outLen: false).0 == X402S_ERR_NULL_ARGUMENT)
        #expect(Self.canonical(nil, t).0 == X402S_ERR_HTTP_INVALID_METHOD)  // NULL, 0: the empty method
        #expect(Self.canonical(m, nil).0 == X402S_ERR_HTTP_INVALID_TARGET)  // NULL, 0: the empty target
        var err = x402s_error()
        var len = 0
        #expect(x402s_http_route_canonical(nil, 64, &len, m, 3, t, t.count, 0, &err) == X402S_ERR_NULL_ARGUMENT)
        #expect(x402s_http_route_key(nil, 4096, &len, t, t.count, 0, nil) == X402S_ERR_NULL_ARGUMENT)
        #expect(x402s_http_route_key(nil, 0, nil, t, t.count, 0, nil) == X402S_ERR_NULL_ARGUMENT)
        // invalid UTF-8
        #expect(Self.canonical(m, [0x2F, 0xC3, 0x28]).0 == X402S_ERR_INVALID_UTF8)
        #expect(Self.canonical([0x47, 0xFF, 0x54], t).0 == X402S_ERR_INVALID_UTF8)
        #expect(Self.key([0x2F, 0xE2, 0x82]).0 == X402S_ERR_INVALID_UTF8)
        // oversize: target over the limit, a 10 MB target, a 1 MB method, a 10 MB key
        let over = [UInt8(0x2F)] + [UInt8](repeating: 0x61, count: Int(X402S_HTTP_MAX_TARGET_BYTES))
        #expect(Self.canonical(m, over).0 == X402S_ERR_INPUT_TOO_LARGE)
        #expect(Self.canonical(m, [UInt8](repeating: 0x2F, count: 10 << 20)).0 == X402S_ERR_INPUT_TOO_LARGE)
        #expect(Self.canonical([UInt8](repeating: 0x41, count: 1 << 20), t).0 == X402S_ERR_HTTP_INVALID_METHOD)
        #expect(Self.key([UInt8](repeating: 0x2F, count: 10 << 20)).0 == X402S_ERR_INPUT_TOO_LARGE)
        // a negative length (a size_t above Int.max)
        #expect(Self.canonical(m, t, targetLen: -1).0 == X402S_ERR_INPUT_TOO_LARGE)
        // flags
        #expect(Self.canonical(m, t, flags: 0x8000_0000).0 == X402S_ERR_INVALID_ARGUMENT)
        #expect(Self.key(Array("/a".utf8), flags: 4).0 == X402S_ERR_INVALID_ARGUMENT)
        // the message names the rule and never echoes the input
        let (st, _, _, e) = Self.canonical(m, Array("/secret-token/%2F".utf8))
        #expect(st == X402S_ERR_HTTP_INVALID_ENCODING && e.code == st)
        #expect(!Self.message(e).contains("secret-token") && Self.message(e).contains("%2F"))
    }

    // MARK: - properties

    /// Pieces an attacker would combine into a target.
    static let pieces = ["/", "//", ".", "..", "%2e", "%2E", "%2e%2e", "api", "API", "market-data", "%6D", "%6d",
                         "arket-data", "x", "?", "#", "%2F", "%5C", "\\", "%25", "%252e", "http://h", "HTTP://h",
                         ";", "%00", "%C3%A9", "%C0%AE", "%", "*", " ", "é", "~", "%7E", "/./", "/../"]

    /// The canonical path re-encoded as an origin-form target (every byte outside
    /// unreserved and "/" as %XX).
    static func encode(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || "-._~/".utf8.contains(b) {
                out.append(c)
            } else {
                out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    @Test(arguments: [HTTPRoute.Options(), .caseSensitive, .strictTrailingSlash, .all])
    func canonicalFormIsAFixedPointAndNeverTraps(_ options: HTTPRoute.Options) throws {
        var rng = RFC6979Tests.Rng(state: 0x402 &+ UInt64(options.rawValue))  // SplitMix64: reproducible
        var accepted = 0
        for _ in 0..<4000 {
            var target = Bool.random(using: &rng) ? "/" : ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) { target += Self.pieces.randomElement(using: &rng)! }
            guard let r = try? HTTPRoute(method: "GET", target: target, options: options) else { continue }
            accepted += 1
            // a canonical path starts with "/", has no empty or dot segment and no "//"
            #expect(r.path.hasPrefix("/") && !r.path.contains("//"))
            let segs = r.path.split(separator: "/", omittingEmptySubsequences: true)
            #expect(!segs.contains(".") && !segs.contains(".."), "\(target) -> \(r.path)")
            // canonicalising its encoding gives it back
            let again = try HTTPRoute(method: "GET", target: Self.encode(r.path), options: options)
            #expect(Array(again.path.utf8) == Array(r.path.utf8), "\(target) -> \(r.path) -> \(again.path)")
        }
        #expect(accepted > 500)
    }

    @Test func tableRefusesDuplicatesAndMatchesPrefixes() throws {
        let t = try HTTPRouteTable(keys: ["GET /api/*", "/api/x", "POST /api/x"])
        #expect(try t.match(method: "POST", target: "/API/X/").index == 2)
        #expect(try t.match(method: "PUT", target: "/api/x").index == 1)
        #expect(try t.match(method: "GET", target: "/api/y/z").index == 0)
        let m = try t.match(method: "DELETE", target: "/api/y")
        #expect(m.methodNotAllowed && m.allow == ["GET", "HEAD"])
        #expect(throws: X402SError.self) { try HTTPRouteTable(keys: ["/a", "/A/"]) }
        let k = try HTTPRouteKey(parsing: "/files/*")
        #expect(k.covers(path: "/files") && k.covers(path: "/files/a") && !k.covers(path: "/filesystem"))
    }
}

extension RFC6979Tests.Rng: RandomNumberGenerator {}
