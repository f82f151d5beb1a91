import Foundation
import Testing
@testable import X402Secure

/// A deterministic random source that hands out bytes of a fixed stream in order and
/// fails with `.randomnessFailed` when the stream runs out.
final class RiskByteStream {
    private var bytes: [UInt8]
    private var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(hex: String) { self.bytes = (try? Hex.decode(hex)) ?? [] }
    var source: RiskRandomSource {
        { (n: Int) throws(X402SError) -> [UInt8] in
            guard n >= 0, self.offset + n <= self.bytes.count else {
                throw X402SError(.randomnessFailed, "test stream exhausted")
            }
            defer { self.offset += n }
            return Array(self.bytes[self.offset..<(self.offset + n)])
        }
    }
}

/// Parses JSON text with the core's parser (keeps key order), failing the test on error.
func riskJSON(_ text: String) -> JSONValue {
    do { return try JSONValue.parse(text) } catch {
        Issue.record("bad JSON in a vector: \(error)")
        return .null
    }
}

@Suite("Risk headers (test-vectors/risk_headers.json)")
struct RiskHeadersTests {
    static let vectors = CryptoVectors.load("risk_headers")

    @Test("the vector file is present and large")
    func fileLoads() {
        #expect(Self.vectors.count > 150)
    }

    @Test("vector", arguments: vectors)
    func vector(_ v: CryptoVectors.Vector) throws {
        let op = v.input["op"] as? String ?? ""
        switch op {
        case "secure_build": try secureBuild(v)
        case "traceparent_generate", "traceparent_child": try traceparent(v, child: op == "traceparent_child")
        case "secure_parse": try secureParse(v)
        case "secure_context": try secureContext(v)
        case "uuid": try uuid(v)
        case "risk_ids": try riskIds(v)
        case "ap2_build": try ap2Build(v)
        case "ap2_parse": try ap2Parse(v)
        case "vi_build": try viBuild(v)
        case "vi_parse": try viParse(v)
        case "canonical": canonical(v)
        default: Issue.record("unknown op \(op)")
        }
    }

    func secureBuild(_ v: CryptoVectors.Vector) throws {
        let tp = try Traceparent(parsing: v.input["traceparent"] as? String ?? "")
        let ctx = (v.input["context_json"] as? String).map(riskJSON)
        let state = v.input["tracestate"] as? String
        if let err = v.expectedError {
            #expect(thrownStatus { try PaymentSecureHeader.build(traceparent: tp, agentTraceContext: ctx, tracestate: state) } == err)
            return
        }
        let value = try PaymentSecureHeader.build(traceparent: tp, agentTraceContext: ctx, tracestate: state)
        #expect(value == v.expect["value"] as? String)
        #expect(value.utf8.count == v.expect["length"] as? Int)
        // Everything the builder emits parses again, with the same traceparent.
        let parsed = try PaymentSecureHeader.parse(value)
        #expect(parsed.traceparent == tp)
        if let ctx {
            #expect(try parsed.agentTraceContext() == ctx)
        }
    }

    func traceparent(_ v: CryptoVectors.Vector, child: Bool) throws {
        let stream = RiskByteStream(hex: v.input["random"] as? String ?? "")
        let flags = (v.input["flags"] as? String).flatMap { UInt8($0, radix: 16) }
        let run = { () throws -> Traceparent in
            if child {
                let parent = try Traceparent(parsing: v.input["parent"] as? String ?? "")
                return try parent.child(flags: flags, random: stream.source)
            }
            return try Traceparent.generate(flags: flags ?? 0x01, random: stream.source)
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
        } else {
            #expect(try run().value == v.expect["traceparent"] as? String)
        }
    }

    func secureParse(_ v: CryptoVectors.Vector) throws {
        let value = v.input["value"] as? String ?? ""
        if let err = v.expectedError {
            #expect(thrownStatus { try PaymentSecureHeader.parse(value) } == err)
            return
        }
        let h = try PaymentSecureHeader.parse(value)
        #expect(h.traceparent.value == v.expect["tp"] as? String)
        #expect(h.traceparent.traceIdHex == v.expect["traceId"] as? String)
        #expect(h.traceparent.spanIdHex == v.expect["spanId"] as? String)
        #expect(h.traceparent.flagsHex == v.expect["flags"] as? String)
        #expect(h.ts == v.expect["ts"] as? String)
        #expect(h.tid == v.expect["tid"] as? String)
    }

    func secureContext(_ v: CryptoVectors.Vector) throws {
        let h = try PaymentSecureHeader.parse(v.input["value"] as? String ?? "")
        if let err = v.expectedError {
            #expect(thrownStatus { try h.agentTraceContext() } == err)
        } else if let text = v.expect["context_json"] as? String {
            let ctx = try h.agentTraceContext()
            #expect(ctx?.serializedString(.compact) == text)
        } else {
            #expect(try h.agentTraceContext() == nil)
        }
    }

    func uuid(_ v: CryptoVectors.Vector) throws {
        let value = v.input["value"] as? String ?? ""
        if let err = v.expectedError {
            #expect(thrownStatus { try RiskUUID(parsing: value) } == err)
            return
        }
        let u = try RiskUUID(parsing: value)
        #expect(u.string == v.expect["normalized"] as? String)
        #expect(u.version == v.expect["version"] as? Int)
        #expect(try RiskUUID.normalize(u.string) == u.string)
    }

    func riskIds(_ v: CryptoVectors.Vector) throws {
        let session = v.input["session"] as? String
        let trace = v.input["trace"] as? String
        if let err = v.expectedError {
            #expect(thrownStatus { try RiskIds(session: session, trace: trace) } == err)
            return
        }
        let ids = try RiskIds(session: session, trace: trace)
        #expect(ids.sid == v.expect["sid"] as? String)
        #expect(ids.tid == v.expect["tid"] as? String)
    }

    func ap2Build(_ v: CryptoVectors.Vector) throws {
        let mr = v.input["mr"] as? String ?? ""
        let run = { () throws -> String in
            if let m = v.input["mandate"] {
                return try AP2EvidenceHeader.build(mandateRef: mr, mandate: CryptoVectors.bytes(m))
            }
            return try AP2EvidenceHeader.build(
                mandateRef: mr, mandateSHA256: v.input["ms"] as? String ?? "",
                size: UInt64(v.input["sz"] as? Int ?? 0))
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
            return
        }
        let value = try run()
        #expect(value == v.expect["value"] as? String)
        let parsed = try AP2EvidenceHeader.parse(value)
        if let m = v.input["mandate"] {
            #expect(parsed.matches(mandate: CryptoVectors.bytes(m)))
            #expect(!parsed.matches(mandate: CryptoVectors.bytes(m) + [0x20]))
        }
    }

    func ap2Parse(_ v: CryptoVectors.Vector) throws {
        let value = v.input["value"] as? String ?? ""
        if let err = v.expectedError {
            #expect(thrownStatus { try AP2EvidenceHeader.parse(value) } == err)
            return
        }
        let h = try AP2EvidenceHeader.parse(value)
        #expect(h.mandateRef == v.expect["mr"] as? String)
        #expect(h.mandateSHA256 == v.expect["ms"] as? String)
        #expect(h.mediaTypeValue == v.expect["mt"] as? String)
        #expect(h.size == UInt64(v.expect["sz"] as? Int ?? -1))
    }

    func viBuild(_ v: CryptoVectors.Vector) throws {
        let ref = v.input["ref"] as? String ?? ""
        let mt = v.input["mt"] as? String ?? "application/json"
        let run = { () throws -> String in
            if let text = v.input["evidence_json"] as? String {
                return try VerifiableIntentHeader.build(reference: ref, evidence: riskJSON(text), mediaType: mt)
            }
            return try VerifiableIntentHeader.build(reference: ref, evidence: CryptoVectors.bytes(v.input["evidence"]), mediaType: mt)
        }
        if let err = v.expectedError {
            #expect(thrownStatus(run) == err)
            return
        }
        let value = try run()
        #expect(value == v.expect["value"] as? String)
        let parsed = try VerifiableIntentHeader.parse(value)
        #expect(parsed.reference == ref)
        #expect(parsed.mediaType == mt)
    }

    func viParse(_ v: CryptoVectors.Vector) throws {
        let value = v.input["value"] as? String ?? ""
        if let err = v.expectedError {
            #expect(thrownStatus { try VerifiableIntentHeader.parse(value) } == err)
            return
        }
        let h = try VerifiableIntentHeader.parse(value)
        #expect(h.reference == v.expect["ref"] as? String)
        #expect("sha256:" + Hex.encode(h.sha256, prefix: false) == v.expect["sha256"] as? String)
        #expect(h.mediaType == v.expect["mt"] as? String)
        #expect(h.size == UInt64(v.expect["sz"] as? Int ?? -1))
    }

    func canonical(_ v: CryptoVectors.Vector) {
        let doc = riskJSON(v.input["json"] as? String ?? "")
        #expect(String(decoding: CanonicalJSON.bytes(doc), as: UTF8.self) == v.expect["canonical"] as? String)
        #expect(Hex.encode(CanonicalJSON.sha256(doc), prefix: false) == v.expect["sha256"] as? String)
        #expect(CanonicalJSON.sha256Tagged(doc) == v.expect["tagged"] as? String)
    }
}

@Suite("Risk headers (behaviour)")
struct RiskHeadersBehaviourTests {
    @Test("generated traceparents use the CSPRNG, differ, and are never all zero")
    func generateReal() throws {
        let a = try Traceparent.generate()
        let b = try Traceparent.generate()
        #expect(a.traceId != b.traceId)
        #expect(a.traceId.contains { $0 != 0 } && a.spanId.contains { $0 != 0 })
        #expect(a.flagsHex == "01")
        let c = try a.child()
        #expect(c.traceId == a.traceId && c.spanId != a.spanId && c.flags == a.flags)
        #expect(try Traceparent(parsing: a.value) == a)
    }

    @Test("the tid convenience builder equals the generic builder with {\"tid\": ...}")
    func tidBuilder() throws {
        let tp = try Traceparent(parsing: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let tid = "af88271b-e93d-4998-bc15-2f130d437262"
        let value = try PaymentSecureHeader.build(traceparent: tp, tid: tid)
        #expect(value == "w3c.v1;tp=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;ts=eyJ0aWQiOiJhZjg4MjcxYi1lOTNkLTQ5OTgtYmMxNS0yZjEzMGQ0MzcyNjIifQ%3D%3D")
        let parsed = try PaymentSecureHeader.parse(value)
        #expect(parsed.tid == tid)
        #expect(parsed.json["tid"] == .string(tid))
        #expect(parsed.json["flags"] == .string("01"))
    }

    @Test("traceparent parts are validated")
    func traceparentParts() {
        #expect(thrownStatus { try Traceparent(traceId: [1], spanId: [UInt8](repeating: 1, count: 8)) } == "X402S_ERR_RISK_INVALID_TRACEPARENT")
        #expect(thrownStatus { try Traceparent(traceId: [UInt8](repeating: 1, count: 16), spanId: [1]) } == "X402S_ERR_RISK_INVALID_TRACEPARENT")
        #expect(thrownStatus { try Traceparent(traceId: [UInt8](repeating: 0, count: 16), spanId: [UInt8](repeating: 1, count: 8)) } == "X402S_ERR_RISK_INVALID_TRACEPARENT")
        #expect(thrownStatus { try Traceparent(traceId: [UInt8](repeating: 1, count: 16), spanId: [UInt8](repeating: 0, count: 8)) } == "X402S_ERR_RISK_INVALID_TRACEPARENT")
    }

    @Test("random v4 UUIDs have the right version and variant")
    func randomUUID() throws {
        let u = try RiskUUID.randomV4(random: RiskByteStream([UInt8](repeating: 0xff, count: 16)).source)
        #expect(u.string == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        #expect(try RiskUUID.normalize(try RiskUUID.randomV4().string).count == 36)
    }

    @Test("lenient base64 follows CPython's non-strict a2b_base64")
    func lenientBase64() {
        #expect(RiskText.base64DecodeLenient(Array("e30=".utf8)) == Array("{}".utf8))
        #expect(RiskText.base64DecodeLenient(Array("e3 0=".utf8)) == Array("{}".utf8))
        #expect(RiskText.base64DecodeLenient(Array("e30=trailing".utf8)) == Array("{}".utf8))
        #expect(RiskText.base64DecodeLenient(Array("e30".utf8)) == nil)
        #expect(RiskText.base64DecodeLenient(Array("e".utf8)) == nil)
        #expect(RiskText.base64DecodeLenient(Array("=e30=".utf8)) == Array("{}".utf8))
        #expect(RiskText.base64DecodeLenient([0x65, 0x33, 0x30, 0x3D, 0xC3]) == nil)
        #expect(RiskText.base64DecodeLenient([]) == [])
    }

    @Test("keys and values compare by bytes, not by Unicode canonical equivalence")
    func byteEquality() throws {
        #expect("\u{212A}" == "K")  // Swift's String equality...
        #expect(!RiskText.same("\u{212A}", "K"))  // ...is not what the gateway (Python) does.
        let m = try RiskText.parseMembers("t;K=1;\u{212A}=2", tag: "t", maxLength: 100, header: "h")
        #expect(m.count == 2 && RiskText.member(m, "K") == "1")
    }

    @Test("percent-encoding matches Python quote(safe=\"\") on every ASCII byte")
    func percent() throws {
        #expect(RiskText.percentEncode("a+b/c=d") == "a%2Bb%2Fc%3Dd")
        #expect(RiskText.percentEncode("AZaz09_.-~ !") == "AZaz09_.-~%20%21")
        #expect(RiskText.percentDecodeLenient("%41%zz%4") == Array("A%zz%4".utf8))
        #expect(try RiskText.percentDecodeStrict("%41%7e", what: "x") == Array("A~".utf8))
    }
}
