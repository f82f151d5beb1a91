import Foundation
import Testing
@testable import X402Secure

/// Loads `test-vectors/<name>.json` (found by walking up from this file) with Foundation,
/// independently of the parser under test.
private func loadJSONVectorFile(_ name: String) throws -> [[String: Any]] {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    for _ in 0..<6 {
        let f = dir.appendingPathComponent("test-vectors/\(name).json")
        if FileManager.default.fileExists(atPath: f.path) {
            let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: f)) as? [String: Any]
            #expect(obj?["schema"] as? String == "x402s.vectors.\(name)@1")
            return obj?["vectors"] as? [[String: Any]] ?? []
        }
        dir = dir.deletingLastPathComponent()
    }
    Issue.record("test-vectors/\(name).json not found")
    return []
}

private func hexToBytes(_ h: String) -> [UInt8] {
    var s = Substring(h)
    if s.hasPrefix("0x") { s = s.dropFirst(2) }
    var out: [UInt8] = []
    var it = s.makeIterator()
    while let a = it.next(), let b = it.next() {
        out.append(UInt8(String([a, b]), radix: 16) ?? 0)
    }
    return out
}

/// Expects `body` to throw an `X402SError` with `status`.
private func expectJSONStatus(_ status: X402SStatus, _ what: String = "", _ body: () throws -> Void,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("\(what): expected \(status.name), got success", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? X402SError)?.status == status, "\(what): \(error)", sourceLocation: sourceLocation)
    }
}

@Test func jsonVectorsFromFile() throws {
    let vectors = try loadJSONVectorFile("json")
    #expect(vectors.count > 50)
    for v in vectors {
        let name = v["name"] as? String ?? "?"
        let input = v["input"] as? [String: Any] ?? [:]
        let expect = v["expect"] as? [String: Any] ?? [:]
        let bytes: [UInt8]
        if let t = input["json"] as? String { bytes = Array(t.utf8) } else { bytes = hexToBytes(input["hex"] as? String ?? "") }
        var limits = JSONLimits.default
        if let m = input["maxBytes"] as? Int { limits.maxBytes = m }
        if let d = input["maxDepth"] as? Int { limits.maxDepth = d }
        do {
            let value = try JSONValue.parse(bytes, limits: limits)
            if let e = expect["error"] as? String {
                Issue.record("\(name): expected \(e), parsed successfully")
                continue
            }
            for (styleName, style) in [("compact", JSONStyle.compact), ("pythonSpaced", .pythonSpaced), ("canonical", .canonical)] {
                guard let want = expect[styleName] as? String else { continue }
                let got = value.serialized(style)
                #expect(got == Array(want.utf8), "\(name) [\(styleName)]: \(String(decoding: got, as: UTF8.self))")
                #expect(value.serializedString(style) == want, "\(name) [\(styleName)] string")
            }
            // Round trip: the compact output parses back to the same value.
            let again = try JSONValue.parse(value.serialized(.compact))
            #expect(again == value, "\(name): round trip")
        } catch {
            #expect(error.status.name == expect["error"] as? String, "\(name): \(error)")
        }
    }
}

@Test func jsonParseBasics() throws {
    let v = try JSONValue.parse(#" {"a": [1, "x", true, null, {"b": -2.5e3}], "n": "18446744073709551615"} "#)
    #expect(v["a"]?[0]?.numberText == "1")
    #expect(v["a"]?[0]?.int64Value == 1)
    #expect(v["a"]?[1]?.stringValue == "x")
    #expect(v["a"]?[2]?.boolValue == true)
    #expect(v["a"]?[3]?.isNull == true)
    #expect(v["a"]?[4]?["b"]?.numberText == "-2.5e3")
    #expect(v["a"]?[4]?["b"]?.int64Value == nil)
    #expect(v["a"]?[9] == nil)
    #expect(v["a"]?[-1] == nil)
    #expect(v["missing"] == nil)
    #expect(v["n"]?.stringValue == "18446744073709551615")
    #expect(v.objectValue?.keys == ["a", "n"])
    #expect(v["a"]?.arrayValue?.count == 5)
    #expect(v.arrayValue == nil)
}

@Test func jsonIntegerAccessors() throws {
    #expect(JSONValue.number("9223372036854775807").int64Value == Int64.max)
    #expect(JSONValue.number("-9223372036854775808").int64Value == Int64.min)
    #expect(JSONValue.number("9223372036854775808").int64Value == nil)
    #expect(JSONValue.number("-9223372036854775809").int64Value == nil)
    #expect(JSONValue.number("18446744073709551615").uint64Value == UInt64.max)
    #expect(JSONValue.number("18446744073709551616").uint64Value == nil)
    #expect(JSONValue.number("-1").uint64Value == nil)
    #expect(JSONValue.number("-0").uint64Value == 0)
    #expect(JSONValue.number("1.0").uint64Value == nil)
    #expect(JSONValue.number("1e2").int64Value == nil)
    #expect(JSONValue.number("-").int64Value == nil)
    #expect(JSONValue.string("1").int64Value == nil)
    #expect(JSONValue.integer(Int64(-5)) == .number("-5"))
    #expect(JSONValue.integer(UInt64.max) == .number("18446744073709551615"))
}

@Test func jsonObjectOrderedUniqueKeys() {
    var o = JSONObject([("b", 1), ("a", 2), ("b", 3)])
    #expect(o.keys == ["b", "a"])
    #expect(o["b"] == 3)
    o["c"] = "x"
    o["b"] = nil
    #expect(o.keys == ["a", "c"])
    o["a"] = 9
    #expect(o.keys == ["a", "c"])
    #expect(o["a"] == .number("9"))
    #expect(o.removeValue(forKey: "zz") == nil)
    #expect(o.removeValue(forKey: "c") == .string("x"))
    #expect(o.count == 1)
    let v: JSONValue = ["z": 1, "y": [true, nil, "s"]]
    #expect(v.serializedString() == #"{"z":1,"y":[true,null,"s"]}"#)
    #expect(v.serializedString(.canonical) == #"{"y":[true,null,"s"],"z":1}"#)
    #expect(v.serializedString(.pythonSpaced) == #"{"z": 1, "y": [true, null, "s"]}"#)
}

@Test func jsonStringsCompareByBytes() throws {
    // "é" precomposed vs decomposed: Swift String == says equal; JSON keys must not.
    let pre = "\u{E9}", dec = "e\u{301}"
    #expect(JSONValue.string(pre) != JSONValue.string(dec))
    let v = try JSONValue.parse(#"{"\u00e9":1,"e\u0301":2}"#)
    #expect(v[pre] == 1)
    #expect(v[dec] == 2)
}

@Test func jsonStyleCombinations() {
    let v: JSONValue = ["é": "😀", "a": 1]
    #expect(v.serializedString(JSONStyle(sortKeys: true, asciiOnly: true, spaced: false)) == #"{"a":1,"\u00e9":"\ud83d\ude00"}"#)
    #expect(v.serializedString(JSONStyle(sortKeys: false, asciiOnly: false, spaced: true)) == "{\"é\": \"😀\", \"a\": 1}")
}

@Test func jsonDeepNestingDoesNotOverflow() {
    for doc in [String(repeating: "[", count: 10_000), String(repeating: #"{"a":"#, count: 10_000),
                String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)] {
        expectJSONStatus(.jsonTooDeep) { _ = try JSONValue.parse(doc) }
        // Even a caller-raised maxDepth is capped at hardMaxDepth.
        expectJSONStatus(.jsonTooDeep) { _ = try JSONValue.parse(doc, limits: JSONLimits(maxDepth: Int.max)) }
    }
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect((try? JSONValue.parse(ok, limits: JSONLimits(maxDepth: 10_000))) != nil)
    #expect((try? JSONValue.parse(ok)) == nil)
    expectJSONStatus(.jsonTooDeep) { _ = try JSONValue.parse("[[]]", limits: JSONLimits(maxDepth: -3)) }
    #expect((try? JSONValue.parse("1", limits: JSONLimits(maxDepth: 0))) == .number("1"))
}

@Test func jsonTenMegabytesIsTooLarge() {
    var big = [UInt8](repeating: 0x20, count: 10 << 20)
    big[0] = UInt8(ascii: "1")
    expectJSONStatus(.inputTooLarge) { _ = try JSONValue.parse(big) }
    big.withUnsafeBytes { buf in
        expectJSONStatus(.inputTooLarge) { _ = try JSONValue.parse(buf) }
    }
    // Exactly at the limit is fine.
    let atLimit = [UInt8](repeating: 0x20, count: (1 << 20) - 1) + [UInt8(ascii: "0")]
    #expect((try? JSONValue.parse(atLimit)) == .number("0"))
}

@Test func jsonEmptyBufferPointer() {
    expectJSONStatus(.invalidJSON) { _ = try JSONValue.parse(UnsafeRawBufferPointer(start: nil, count: 0)) }
}

@Test func jsonErrorStatusesDirect() {
    let cases: [(String, X402SStatus)] = [
        ("[1,]", .invalidJSON), (#"{"a":1,"a":1}"#, .invalidJSON), (#"["\ud800"]"#, .invalidJSON),
        ("NaN", .invalidJSON), ("01", .invalidJSON), ("[1] x", .invalidJSON), ("", .invalidJSON),
    ]
    for (t, st) in cases {
        expectJSONStatus(st, t) { _ = try JSONValue.parse(t) }
    }
    expectJSONStatus(.invalidUTF8) { _ = try JSONValue.parse([0x5B, 0xFF, 0x5D]) }
}

@Test func jsonLargeObjectDuplicateDetection() throws {
    var s = "{"
    for i in 0..<5000 { s += "\"k\(i)\":\(i)," }
    let okDoc = String(s.dropLast()) + "}"
    let v = try JSONValue.parse(okDoc)
    #expect(v.objectValue?.count == 5000)
    #expect(v["k4999"] == .number("4999"))
    expectJSONStatus(.invalidJSON) { _ = try JSONValue.parse(s + "\"k4321\":0}") }
}

@Test func jsonSharedTokensParseExactly() throws {
    // Tokens served from the shared table must equal freshly decoded strings, including
    // near misses (prefixes, extensions) and tokens at the very end of the buffer.
    for t in ["name", "type", "uint256", "verifyingContract", "TransferWithAuthorization", "PermitWitnessTransferFrom",
              "application/json", "0", "1", "2", "USD Coin", "maxTimeoutSeconds"] {
        let variants = [t, String(t.dropLast()), t + "x", "x" + t, t.uppercased(), t + "\u{E9}"]
        let doc = "[" + variants.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let v = try JSONValue.parse(doc)
        #expect(v.arrayValue?.compactMap(\.stringValue) == variants)
        for s in variants {
            #expect(try JSONValue.parse("\"\(s)\"") == .string(s))
            #expect(try JSONValue.parse("{\"\(s)\":0}").objectValue?.keys == [s])
        }
    }
}
