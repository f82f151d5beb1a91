import CX402Secure
import Foundation
import Testing
@testable import X402Secure
import X402SecureFFI

/// test-vectors/settle.json through the Swift core (RLP, EIP-1559, ABI, reverts, x402 settle
/// calls, Solana submissions), and the Settlement section of the C ABI with bad input (NULL,
/// short buffers, malformed and oversize input): a specific status, never a trap.
@Suite struct SettlementTests {
    static let doc: JSONValue = {
        let url = X402TestFiles.root.appendingPathComponent("test-vectors/settle.json")
        guard let d = try? Data(contentsOf: url), let v = try? JSONValue.parse([UInt8](d)) else { return .null }
        return v
    }()

    /// The vectors of one kind (house schema: {"name", "kind", "input", "expect"}).
    /// Each vector flattened: its input and expect members in one object, plus "expected" /
    /// "result" (the expect object) and "what" (the name).
    static func kind(_ k: String) -> [JSONValue] {
        (doc["vectors"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == k }.map { v in
            var o = v["input"]?.objectValue ?? JSONObject()
            for (key, value) in v["expect"]?.objectValue?.entries ?? [] { o[key] = value }
            o["expected"] = v["expect"]
            o["result"] = v["expect"]
            o["what"] = v["name"]
            return .object(o)
        }
    }

    static func hex(_ v: JSONValue?) -> [UInt8] { (try? Hex.decode(v?.stringValue ?? "")) ?? [] }

    static func status(_ name: String?) -> X402SStatus? { X402SStatus.allCases.first { $0.name == name } }

    @Test func vectorFileIsComplete() {
        #expect(Self.kind("rlp").count >= 10 && Self.kind("evm_tx").count >= 4)
        #expect(Self.kind("abi_call").count >= 6 && Self.kind("revert").count >= 6)
        #expect(Self.kind("settle_call").count >= 4 && Self.kind("solana_submission").count >= 2)
    }

    @Test func rlp() throws {
        for c in Self.kind("rlp") {
            let item = try RLP.item(json: c["item"]!)
            #expect(RLP.encode(item) == Self.hex(c["encoded"]))
            #expect(try RLP.decode(Self.hex(c["encoded"])) == item)
        }
        for c in Self.kind("rlp_invalid") {
            #expect(throws: X402SError.self) { _ = try RLP.decode(Self.hex(c["encoded"])) }
            do { _ = try RLP.decode(Self.hex(c["encoded"])) } catch {
                #expect(error.status == Self.status(c["error"]?.stringValue), "\(c["what"]?.stringValue ?? "")")
            }
        }
    }

    @Test func eip1559() throws {
        for c in Self.kind("evm_tx") {
            let key = try Secp256k1.PrivateKey(bytes: Self.hex(c["key"]))
            let signed = try EIP1559Transaction(json: c["tx"]!).signed(by: key)
            #expect(signed.raw == Self.hex(c["raw"]))
            #expect(signed.hash == Self.hex(c["hash"]))
            let back = try SignedEIP1559Transaction(raw: signed.raw)
            #expect(back == signed)
            #expect(try back.sender().checksummed == c["from"]?.stringValue)
        }
        for c in Self.kind("evm_tx_decode_invalid") {
            do {
                let t = try SignedEIP1559Transaction(raw: Self.hex(c["raw"]))
                _ = try t.sender()
                Issue.record("accepted: \(c["what"]?.stringValue ?? "")")
            } catch {
                #expect(error.status == Self.status(c["error"]?.stringValue), "\(c["what"]?.stringValue ?? "")")
            }
        }
    }

    @Test func abi() throws {
        for c in Self.kind("abi_call") {
            let sig = c["signature"]!.stringValue!
            let (name, inputs) = try ABI.parseSignature(sig)
            var values: [ABIValue] = []
            for (t, v) in zip(inputs, c["args"]!.arrayValue!) { values.append(try ABI.value(t, json: v)) }
            let data = ABI.selector(ABI.canonicalSignature(name: name, inputs: inputs)) + (try ABI.encode(inputs, values))
            #expect(data == Self.hex(c["data"]), "\(sig)")
        }
        for c in Self.kind("abi_decode") {
            guard case .tuple(let ts) = try ABI.parseType(c["types"]!.stringValue!) else { Issue.record("types"); continue }
            let values = try ABI.decode(ts, Self.hex(c["data"]))
            #expect(JSONValue.array(values.map(ABI.json)) == c["values"]!)
            #expect(try ABI.encode(ts, values) == Self.hex(c["data"]))
        }
        for c in Self.kind("abi_decode_invalid") {
            do throws(X402SError) {
                guard case .tuple(let ts) = try ABI.parseType(c["types"]!.stringValue!) else {
                    throw X402SError(.abiInvalidType, "not a tuple")
                }
                _ = try ABI.decode(ts, Self.hex(c["data"]))
                Issue.record("accepted: \(c["what"]?.stringValue ?? "")")
            } catch {
                #expect(error.status == Self.status(c["error"]?.stringValue), "\(c["what"]?.stringValue ?? "")")
            }
        }
        for c in Self.kind("revert") {
            #expect(ABI.decodeRevert(Self.hex(c["data"])).json == c["result"]!)
        }
    }

    @Test func settleCalls() throws {
        for c in Self.kind("settle_call") {
            let call = try X402EvmSettlement.call(payment: try X402Payment(json: c["payment"]!),
                                                  requirements: try X402Requirement(json: c["requirements"]!))
            for (k, v) in c["expected"]!.objectValue!.entries {
                #expect(call.json[k] == v, "\(c["what"]?.stringValue ?? "") \(k)")
            }
        }
        for c in Self.kind("settle_call_invalid") {
            do {
                _ = try X402EvmSettlement.call(payment: try X402Payment(json: c["payment"]!),
                                               requirements: try X402Requirement(json: c["requirements"]!))
                Issue.record("accepted: \(c["what"]?.stringValue ?? "")")
            } catch {
                #expect(error.status == Self.status(c["error"]?.stringValue))
            }
        }
    }

    @Test func solanaSubmissions() throws {
        func run(_ c: JSONValue) throws(X402SError) -> SolanaSubmission {
            let seed = c["feePayerSeed"]?.stringValue.map { (try? Hex.decode($0)) ?? [] }
            let pair = try seed.map { s throws(X402SError) in try Ed25519.KeyPair(seed: s) }
            let hash = c["messageHash"]?.stringValue.map { (try? Hex.decode($0)) ?? [] }
            if let hash, hash.count != 32 { throw X402SError(.invalidLength, "message hash") }
            return try SolanaSubmission(transaction: Self.hex(c["transaction"]), feePayer: pair, expectedMessageHash: hash)
        }
        for c in Self.kind("solana_submission") {
            let s = try run(c)
            for (k, v) in c["expected"]!.objectValue!.entries { #expect(s.json[k] == v, "\(k)") }
        }
        for c in Self.kind("solana_submission_invalid") {
            do { _ = try run(c); Issue.record("accepted: \(c["what"]?.stringValue ?? "")") } catch {
                #expect(error.status == Self.status(c["error"]?.stringValue), "\(c["what"]?.stringValue ?? "")")
            }
        }
    }

    // MARK: C ABI

    /// (status, output) of fn(out, cap, &len, ..., err) with `cap` bytes of output.
    static func ffi(cap: Int = 1 << 16, _ body: (UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>, UnsafeMutablePointer<x402s_error>) -> Int32)
        -> (Int32, [UInt8], Int, x402s_error)
    {
        var out = [UInt8](repeating: 0, count: max(cap, 1))
        var len = 0
        var err = x402s_error()
        let st = out.withUnsafeMutableBufferPointer { o in body(cap == 0 ? nil : o.baseAddress, cap, &len, &err) }
        return (st, Array(out.prefix(st == 0 ? len : 0)), len, err)
    }

    @Test func cAbiGoodAndBadInput() throws {
        let item = Array(#"["0x636174",["0x"]]"#.utf8)
        let (st, enc, _, _) = Self.ffi { o, c, l, e in x402s_rlp_encode(o, c, l, item, item.count, e) }
        #expect(st == 0 && enc == RLP.encode(.list([.bytes(Array("cat".utf8)), .list([.bytes([])])])))
        // short buffer reports the size; NULL input with a length; NULL out_len
        let (small, _, need, _) = Self.ffi(cap: 2) { o, c, l, e in x402s_rlp_encode(o, c, l, item, item.count, e) }
        #expect(small == Int32(X402S_ERR_BUFFER_TOO_SMALL) && need == enc.count)
        let (null, _, _, err) = Self.ffi { o, c, l, e in x402s_rlp_decode(o, c, l, nil, 5, e) }
        #expect(null == Int32(X402S_ERR_NULL_ARGUMENT) && err.code == null)
        #expect(x402s_rlp_decode(nil, 0, nil, [0xc0], 1, nil) == Int32(X402S_ERR_NULL_ARGUMENT))
        // malformed and oversize
        let bad: [UInt8] = [0x81, 0x00]
        #expect(Self.ffi { o, c, l, e in x402s_rlp_decode(o, c, l, bad, bad.count, e) }.0 == Int32(X402S_ERR_RLP_NON_CANONICAL))
        let big = [UInt8](repeating: 0x30, count: Int(X402S_MAX_DOCUMENT_BYTES) + 1)
        #expect(Self.ffi { o, c, l, e in x402s_rlp_decode(o, c, l, big, big.count, e) }.0 == Int32(X402S_ERR_INPUT_TOO_LARGE))
        #expect(Self.ffi { o, c, l, e in x402s_evm_abi_decode_revert(o, c, l, big, big.count, e) }.0 == Int32(X402S_ERR_INPUT_TOO_LARGE))
        // signer checks: NULL, wrong kind; "from" that is not the signer
        let tx = Self.kind("evm_tx")[0]
        let txJSON = Array(tx["tx"]!.serialized())
        var evmSigner: OpaquePointer?, solSigner: OpaquePointer?
        let key = Self.hex(tx["key"])
        #expect(x402s_signer_new(&evmSigner, key, 32, X402S_KEY_SECP256K1, nil) == 0)
        #expect(x402s_signer_new(&solSigner, key, 32, X402S_KEY_ED25519_SEED, nil) == 0)
        defer { x402s_signer_free(evmSigner); x402s_signer_free(solSigner) }
        let (ok, signed, _, _) = Self.ffi { o, c, l, e in x402s_evm_tx_sign(o, c, l, txJSON, txJSON.count, evmSigner, e) }
        #expect(ok == 0)
        #expect(try JSONValue.parse(signed)["raw"] == tx["raw"])
        #expect(Self.ffi { o, c, l, e in x402s_evm_tx_sign(o, c, l, txJSON, txJSON.count, nil, e) }.0 == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(Self.ffi { o, c, l, e in x402s_evm_tx_sign(o, c, l, txJSON, txJSON.count, solSigner, e) }.0 == Int32(X402S_ERR_INVALID_KEY))
        var withFrom = tx["tx"]!.objectValue!
        withFrom["from"] = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
        let fromJSON = Array(JSONValue.object(withFrom).serialized())
        #expect(Self.ffi { o, c, l, e in x402s_evm_tx_sign(o, c, l, fromJSON, fromJSON.count, evmSigner, e) }.0 == Int32(X402S_ERR_INVALID_ARGUMENT))
        // ABI: oversize signature text, non-array args, a type nested too deeply
        let longSig = [UInt8](repeating: 0x28, count: 1025), args = Array("[]".utf8), obj = Array("{}".utf8)
        #expect(Self.ffi { o, c, l, e in x402s_evm_abi_encode_call(o, c, l, longSig, longSig.count, args, args.count, e) }.0 == Int32(X402S_ERR_INPUT_TOO_LARGE))
        let f = Array("f(address)".utf8)
        #expect(Self.ffi { o, c, l, e in x402s_evm_abi_encode_call(o, c, l, f, f.count, obj, obj.count, e) }.0 == Int32(X402S_ERR_ABI_INVALID_VALUE))
        let deep = Array(("f(" + String(repeating: "(", count: 20) + "bool" + String(repeating: ")", count: 21)).utf8)
        #expect(Self.ffi { o, c, l, e in x402s_evm_abi_encode_call(o, c, l, deep, deep.count, args, args.count, e) }.0 == Int32(X402S_ERR_ABI_INVALID_TYPE))
        let types = Array("(bytes32[])".utf8)
        let huge = [UInt8](repeating: 0, count: 31) + [32] + [UInt8](repeating: 0xff, count: 32)
        #expect(Self.ffi { o, c, l, e in x402s_evm_abi_decode(o, c, l, types, types.count, huge, huge.count, e) }.0 == Int32(X402S_ERR_ABI_DECODE_FAILED))
        // settle call on garbage, Solana submission with a wrong-kind signer, a short hash, a short tx
        let junk = Array("[1]".utf8)
        #expect(Self.ffi { o, c, l, e in x402s_x402_evm_settle_call(o, c, l, junk, junk.count, junk, junk.count, e) }.0 != 0)
        let sub = Self.kind("solana_submission")[1]
        let full = Self.hex(sub["transaction"])
        #expect(Self.ffi { o, c, l, e in x402s_solana_submission(o, c, l, full, full.count, nil, nil, 0, e) }.0 == 0)
        #expect(Self.ffi { o, c, l, e in x402s_solana_submission(o, c, l, full, full.count, evmSigner, nil, 0, e) }.0 == Int32(X402S_ERR_INVALID_KEY))
        #expect(Self.ffi { o, c, l, e in x402s_solana_submission(o, c, l, full, full.count, nil, full, 31, e) }.0 == Int32(X402S_ERR_INVALID_LENGTH))
        #expect(Self.ffi { o, c, l, e in x402s_solana_submission(o, c, l, full, full.count, nil, nil, 32, e) }.0 == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(Self.ffi { o, c, l, e in x402s_solana_submission(o, c, l, full, 5, nil, nil, 0, e) }.0 == Int32(X402S_ERR_SOLANA_INVALID_TRANSACTION))
    }

    @Test func randomBytesNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<200, using: &rng)
            var b = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let first = b.first, Bool.random(using: &rng) { b[0] = first | 0xc0 }
            _ = try? RLP.decode(b)
            _ = try? SignedEIP1559Transaction(raw: [2] + b)
            _ = try? ABI.decode([.string, .array(.bytes), .tuple([.uint(8), .bytes])], b)
            _ = ABI.decodeRevert(b)
        }
    }
}
