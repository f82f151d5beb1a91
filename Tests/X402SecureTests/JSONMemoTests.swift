import Testing
@testable import X402Secure

/// The `types` memo of the JSON parser (Sources/X402Secure/JSONMemo.swift): a hit gives the
/// same value as a fresh parse, and never hides an error elsewhere in the document.
@Suite struct JSONMemoTests {
    static let types = #"{"EIP712Domain":[{"name":"name","type":"string"}],"MemoT":[{"name":"a","type":"uint256"}]}"#
    static let doc = #"{"types":\#(types),"primaryType":"MemoT","domain":{"name":"x"},"message":{"a":"1"}}"#

    @Test func hitEqualsFreshParse() throws {
        let first = try JSONValue.parse(Self.doc)
        let second = try JSONValue.parse(Self.doc)  // served from the memo
        #expect(first == second)
        #expect(second["types"] == (try JSONValue.parse(Self.types)))
        // same types bytes followed by other members
        let other = try JSONValue.parse(#"{"types":\#(Self.types),"x":[1,2]}"#)
        #expect(other["types"] == first["types"])
        #expect(other["x"] == (try JSONValue.parse("[1,2]")))
        // the EIP-712 hash is the same on a hit
        #expect(try EIP712.hash(json: Array(Self.doc.utf8)) == (try EIP712.hash(first)))
    }

    @Test func errorsAroundAHitStillReported() throws {
        _ = try JSONValue.parse(Self.doc)
        #expect(throws: X402SError.self) { try JSONValue.parse(#"{"types":\#(Self.types),}"#) }
        #expect(throws: X402SError.self) { try JSONValue.parse(#"{"types":\#(Self.types),"types":{}}"#) }
        #expect(throws: X402SError.self) { try JSONValue.parse(#"{"types":\#(Self.types)"#) }
        do {
            _ = try JSONValue.parse(#"{"types":\#(Self.types) x}"#)
            Issue.record("no error")
        } catch {
            #expect(error.status == .invalidJSON)
        }
        // a shallower depth limit is not served by a memo made under the default one
        do {
            _ = try JSONValue.parse(Self.doc, limits: JSONLimits(maxDepth: 2))
            Issue.record("no error")
        } catch {
            #expect(error.status == .jsonTooDeep)
        }
    }

    @Test func nestedTypesKeyIsParsedNormally() throws {
        _ = try JSONValue.parse(Self.doc)
        let nested = try JSONValue.parse(#"{"a":{"types":\#(Self.types)}}"#)
        #expect(nested["a"]?["types"] == (try JSONValue.parse(Self.types)))
    }
}
