import Foundation
import Testing
@testable import X402Secure

private func hex(_ b: [UInt8]) -> String { "0x" + b.map { String(format: "%02x", $0) }.joined() }

private let eip712Vectors = CryptoVectors.load("eip712")

@Test func eip712VectorFileLoaded() {
    #expect(eip712Vectors.count > 150)
}

@Test(arguments: eip712Vectors)
func eip712Vector(_ v: CryptoVectors.Vector) throws {
    let text = v.input["json"] as? String ?? ""
    let bytes = Array(text.utf8)
    do {
        let h = try EIP712.hash(json: bytes)
        if let e = v.expectedError {
            Issue.record("\(v.name): expected \(e), got a digest")
            return
        }
        #expect(hex(h.domainSeparator) == v.expect["domainSeparator"] as? String, "\(v.name) domainSeparator")
        #expect(hex(h.structHash) == v.expect["structHash"] as? String, "\(v.name) structHash")
        #expect(hex(h.digest) == v.expect["digest"] as? String, "\(v.name) digest")
        // Same through the other entry points.
        let doc = try JSONValue.parse(bytes)
        #expect(try EIP712.hash(doc) == h)
        let viaPointer = try bytes.withUnsafeBytes { buf in try EIP712.hash(json: buf) }
        #expect(viaPointer == h)
        #expect(try EIP712.digest(domainSeparator: h.domainSeparator, structHash: h.structHash) == h.digest)
        if let domain = doc["domain"], doc["types"]?["EIP712Domain"] == nil {
            #expect(try EIP712.domainSeparator(domain) == h.domainSeparator)
        }
        // Intermediates.
        if let primary = doc["primaryType"]?.stringValue, let types = doc["types"] {
            #expect(try EIP712.encodeType(primary, types: types) == v.intermediate["encodeType"] as? String, "\(v.name) encodeType")
            #expect(hex(try EIP712.typeHash(primary, types: types)) == v.intermediate["typeHash"] as? String, "\(v.name) typeHash")
            if let message = doc["message"] {
                #expect(try EIP712.hashStruct(type: primary, value: message, types: types) == h.structHash)
            }
        }
    } catch {
        #expect((error as? X402SError)?.status.name == v.expectedError, "\(v.name): \(error)")
    }
}

/// Expects `body` to throw an `X402SError` with `status`.
private func expectEIP712Status(_ status: X402SStatus, _ what: String = "", _ body: () throws -> Void,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("\(what): expected \(status.name), got success", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? X402SError)?.status == status, "\(what): \(error)", sourceLocation: sourceLocation)
    }
}

@Test func eip712DirectAPIErrors() throws {
    let types: JSONValue = ["Msg": [["name": "text", "type": "string"]]]
    expectEIP712Status(.eip712UnknownType) { _ = try EIP712.encodeType("Nope", types: types) }
    expectEIP712Status(.eip712UnknownType) { _ = try EIP712.typeHash("Nope", types: types) }
    expectEIP712Status(.eip712UnknownType) { _ = try EIP712.hashStruct(type: "Nope", value: [:], types: types) }
    expectEIP712Status(.eip712InvalidDocument) { _ = try EIP712.encodeType("Msg", types: "x") }
    expectEIP712Status(.eip712InvalidValue) { _ = try EIP712.hashStruct(type: "Msg", value: "x", types: types) }
    expectEIP712Status(.eip712InvalidDocument) { _ = try EIP712.domainSeparator([1]) }
    expectEIP712Status(.invalidLength) { _ = try EIP712.digest(domainSeparator: [1], structHash: [UInt8](repeating: 0, count: 32)) }
    expectEIP712Status(.invalidJSON) { _ = try EIP712.hash(json: Array("{".utf8)) }
    expectEIP712Status(.eip712CyclicType) { _ = try EIP712.encodeType("A", types: ["A": [["name": "b", "type": "B[2]"]], "B": [["name": "a", "type": "A"]]]) }
    // EIP712Domain hashed as a normal struct through hashStruct.
    let domTypes: JSONValue = ["EIP712Domain": [["name": "name", "type": "string"]]]
    let ds = try EIP712.hashStruct(type: "EIP712Domain", value: ["name": "x"], types: domTypes)
    #expect(ds == (try EIP712.domainSeparator(["name": "x"])))
}

@Test func eip712DeepValueDoesNotOverflow() throws {
    // 200 nested dynamic arrays: type parsing is fine, value nesting hits the depth guard.
    let t = "uint8" + String(repeating: "[]", count: 200)
    let types: JSONValue = ["Msg": [["name": "v", "type": .string(t)]]]
    var v: JSONValue = 1
    for _ in 0..<200 { v = .array([v]) }
    expectEIP712Status(.eip712InvalidValue) { _ = try EIP712.hashStruct(type: "Msg", value: ["v": v], types: types) }
    // A long chain of struct types is fine while acyclic.
    var chain: [(String, JSONValue)] = []
    for i in 0..<40 { chain.append(("T\(i)", [["name": "n", "type": .string("T\(i + 1)")]])) }
    chain.append(("T40", [["name": "x", "type": "bool"]]))
    var value: JSONValue = ["x": true]
    for _ in 0..<40 { value = ["n": value] }
    let h = try EIP712.hashStruct(type: "T0", value: value, types: .object(JSONObject(chain)))
    #expect(h.count == 32)
}

@Test func eip712ManyTypesUsesLookupTable() throws {
    // More than 16 struct types exercises the hashed type lookup.
    var chain: [(String, JSONValue)] = []
    for i in 0..<30 { chain.append(("S\(i)", [["name": "n", "type": .string("S\(i + 1)")], ["name": "k", "type": "uint8"]])) }
    chain.append(("S30", [["name": "x", "type": "bool"]]))
    let types = JSONValue.object(JSONObject(chain))
    let enc = try EIP712.encodeType("S28", types: types)
    #expect(enc == "S28(S29 n,uint8 k)S29(S30 n,uint8 k)S30(bool x)")
}

/// Large documents within the 1 MiB JSON limit must stay (near-)linear: no quadratic field
/// lookups, duplicate checks or eager type hashing.
@Test func eip712LargeDocumentsStayFast() throws {
    let clock = ContinuousClock()
    // 1. One struct with 20,000 fields, message members in reverse order.
    let n = 20_000
    var t = #"{"types":{"Big":["#
    t += (0..<n).map { #"{"name":"f\#($0)","type":"bool"}"# }.joined(separator: ",")
    t += #"]},"primaryType":"Big","domain":{},"message":{"#
    t += (0..<n).reversed().map { #""f\#($0)":true"# }.joined(separator: ",")
    t += "}}"
    var start = clock.now
    let h = try EIP712.hash(json: Array(t.utf8))
    #expect(h.digest.count == 32)
    #expect(clock.now - start < .seconds(10))
    // Same with one undeclared extra member: rejected, still fast.
    let extra = t.replacingOccurrences(of: #""f0":true}"#, with: #""f0":true,"zz":true}"#)
    start = clock.now
    expectEIP712Status(.eip712InvalidValue) { _ = try EIP712.hash(json: Array(extra.utf8)) }
    #expect(clock.now - start < .seconds(10))
    // 2. A chain of 5,000 struct types; the message stops after a few levels.
    var c = #"{"types":{"#
    c += (0..<5_000).map { #""T\#($0)":[{"name":"n","type":"T\#($0 + 1)"}]"# }.joined(separator: ",")
    c += #","T5000":[{"name":"x","type":"bool"}]},"primaryType":"T0","domain":{},"message":{"n":{"n":{"n":null}}}}"#
    start = clock.now
    expectEIP712Status(.eip712MissingField) { _ = try EIP712.hash(json: Array(c.utf8)) }
    #expect(clock.now - start < .seconds(10))
    // 3. A struct referencing 10,000 distinct struct types, and a duplicate field name at the end.
    var w = #"{"types":{"Root":["#
    w += (0..<10_000).map { #"{"name":"r\#($0)","type":"S\#($0)"}"# }.joined(separator: ",")
    w += #",{"name":"r5","type":"bool"}]"#
    w += (0..<10_000).map { #","S\#($0)":[{"name":"x","type":"bool"}]"# }.joined()
    w += #"},"primaryType":"Root","domain":{},"message":{}}"#
    start = clock.now
    expectEIP712Status(.eip712InvalidDocument) { _ = try EIP712.hash(json: Array(w.utf8)) }
    #expect(clock.now - start < .seconds(10))
}
