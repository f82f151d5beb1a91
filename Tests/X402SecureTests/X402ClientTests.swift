import Foundation
import Testing
@testable import X402Secure

@Suite struct X402ClientTests {
    static func hexBytes(_ s: Any?) -> [UInt8]? { (s as? String).flatMap { try? Hex.decode($0) } }

    @Test(arguments: X402Vector.all("x402_create"))
    func createVector(_ v: X402Vector) throws {
        let i = v.input
        do {
            let signer: X402Signer
            var key: Secp256k1.PrivateKey?
            if let seed = Self.hexBytes(i["solanaSeed"]) {
                signer = .solana(try Ed25519.KeyPair(seed: seed))
            } else {
                let k = try Secp256k1.PrivateKey(hex: i["privateKey"] as? String ?? "")
                key = k
                signer = .evm(k)
            }
            let options = X402PaymentOptions(
                now: (i["now"] as? NSNumber)?.uint64Value, nonce: Self.hexBytes(i["nonce"]), memoNonce: Self.hexBytes(i["memoNonce"]),
                recentBlockhash: Self.hexBytes(i["recentBlockhash"]), mintDecimals: (i["mintDecimals"] as? NSNumber)?.uint8Value,
                tokenProgram: (i["tokenProgram"] as? String).flatMap { X402Asset.TokenProgram(rawValue: $0) })
            let created: X402CreatedPayment
            if let pr = v.inputValue("paymentRequired") {
                let answer = try X402Client.parsePaymentRequired(json: pr)
                created = try X402Client.createPayment(answer: answer, signer: signer, options: options)
            } else {
                let req = try X402Requirement(json: v.inputValue("requirement") ?? .null)
                created = try X402Client.createPayment(for: req, signer: signer, options: options)
            }
            #expect(v.expectedError == nil, "expected \(v.expectedError ?? "")")
            #expect(created.headerName == v.expect["headerName"] as? String)
            if let h = v.expect["header"] as? String {
                #expect(created.headerValue == h)
            } else {
                // No reference bytes: the payment must at least verify against its requirement.
                guard case .v2(let p) = created.payment else { Issue.record("not v2"); return }
                let r = X402Verifier.verify(payment: created.payment, requirements: .v2(p.accepted), now: 1_740_672_000)
                #expect(r.isValid, "\(r.message)")
            }
            if let im = v.dict["intermediate"] as? [String: Any] {
                #expect(created.hashes?.domainSeparator == Self.hexBytes(im["domainSeparator"]))
                #expect(created.hashes?.structHash == Self.hexBytes(im["structHash"]))
                #expect(created.hashes?.digest == Self.hexBytes(im["digest"]))
            }
            if let from = v.expect["from"] as? String { #expect(key?.address.checksummed == from) }
        } catch {
            #expect(error.status.name == v.expectedError, "\(error)")
        }
    }

    /// The JSON front door gives the same bytes as the typed path.
    @Test func createPaymentHeaderJSON() throws {
        let v = try #require(X402Vector.all("x402_create").first)
        let key = try Secp256k1.PrivateKey(hex: v.input["privateKey"] as? String ?? "")
        let pr = try #require(v.inputValue("paymentRequired"))
        let (name, value) = try X402Client.createPaymentHeader(
            pr, signer: .evm(key), options: X402PaymentOptions(now: 1740672000, nonce: Self.hexBytes(v.input["nonce"])))
        #expect(name == "PAYMENT-SIGNATURE")
        #expect(value == v.expect["header"] as? String)
    }

    /// Default nonce comes from the CSPRNG: two payments differ, both are well formed.
    @Test func defaultNonceIsRandom() throws {
        let key = try Secp256k1.PrivateKey(hex: "0x" + String(repeating: "01", count: 32))
        let req = X402Requirement.v2(X402PaymentRequirements(
            scheme: "exact", network: "eip155:84532", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", amount: "10000",
            payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60))
        let a = try X402Client.createPayment(for: req, signer: .evm(key))
        let b = try X402Client.createPayment(for: req, signer: .evm(key))
        let na = a.payment.payload["authorization"]?["nonce"]?.stringValue ?? ""
        let nb = b.payment.payload["authorization"]?["nonce"]?.stringValue ?? ""
        #expect(na.utf8.count == 66 && nb.utf8.count == 66 && na != nb)
        #expect(na == na.lowercased())
        // Time defaults to the clock; table fallback supplies name/version ("USDC", "2").
        let before = a.payment.payload["authorization"]?["validBefore"]?.stringValue.flatMap { UInt64($0) } ?? 0
        #expect(before >= X402Client.currentTime() + 50 && before <= X402Client.currentTime() + 70)
    }

    @Test(arguments: X402Vector.all("x402_select"))
    func selectVector(_ v: X402Vector) throws {
        do {
            let policy = try v.inputValue("policy").map { p throws(X402SError) in try X402PaymentPolicy(json: p) } ?? X402PaymentPolicy()
            let pr = v.inputValue("paymentRequired") ?? .null
            let answer = try X402Client.parsePaymentRequired(json: pr)
            let chosen = try X402Client.select(answer.accepts, policy: policy)
            #expect(v.expectedError == nil, "expected \(v.expectedError ?? "")")
            let idx = answer.accepts.firstIndex(of: chosen)
            #expect(idx == v.expect["selectedIndex"] as? Int)
        } catch {
            #expect(error.status.name == v.expectedError, "\(error)")
        }
    }

    @Test func noMatchMessageNamesTheReasons() throws {
        let r = X402Requirement.v2(X402PaymentRequirements(
            scheme: "exact", network: "eip155:8453", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", amount: "5000000",
            payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60))
        do { _ = try X402Client.select([r]); Issue.record("no error") } catch {
            #expect(error.status == .x402NoMatchingRequirement)
            #expect(error.message.contains("maxPrice"))
        }
    }

    @Test func parsePaymentRequiredFromHTTP() throws {
        let v = try #require(X402Vector.all("x402_header").first { ($0.expect["kind"] as? String) == "paymentRequired" })
        let h = v.input["header"] as? String
        #expect(try X402Client.parsePaymentRequired(header: h, body: Array("{}".utf8)).x402Version == 2)
        let body = Array(#"{"x402Version":1,"error":"X-PAYMENT header is required","accepts":[]}"#.utf8)
        #expect(try X402Client.parsePaymentRequired(header: nil, body: body).x402Version == 1)
        for (b, status) in [("{}", X402SStatus.x402UnsupportedVersion), (#"{"x402Version":2,"accepts":[]}"#, .x402UnsupportedVersion),
                            ("", .x402InvalidRequirements), ("not json", .invalidJSON)] {
            do { _ = try X402Client.parsePaymentRequired(header: nil, body: Array(b.utf8)); Issue.record("accepted \(b)") }
            catch { #expect(error.status == status) }
        }
    }
}

/// The direct (fixed-layout) EIP-712 hashing of EIP-3009 / Permit2 equals the generic
/// `EIP712.hash` encoder over the equivalent typed-data document, for every create vector.
@Test(arguments: X402Vector.all("x402_create").filter { $0.dict["intermediate"] != nil })
func directHashingMatchesGenericEIP712(_ v: X402Vector) throws {
    let key = try Secp256k1.PrivateKey(hex: v.input["privateKey"] as? String ?? "")
    let answer = try X402Client.parsePaymentRequired(json: try #require(v.inputValue("paymentRequired")))
    let created = try X402Client.createPayment(
        answer: answer, signer: .evm(key),
        options: X402PaymentOptions(now: 1_740_672_000, nonce: X402ClientTests.hexBytes(v.input["nonce"])))
    let requirement = try X402Client.select(answer.accepts)
    let chainId = try X402EvmClient.chainId(requirement)
    let payload = created.payment.payload
    func num(_ s: JSONValue?) -> JSONValue { .number(s?.stringValue ?? "x") }
    func fields(_ list: [(String, String)]) -> JSONValue { .array(list.map { ["name": .string($0.0), "type": .string($0.1)] }) }
    let doc: JSONValue
    if let auth = payload["authorization"] {
        let domain = try X402EvmClient.eip712Domain(requirement)
        doc = .object(JSONObject([
            ("types", .object(JSONObject([
                ("EIP712Domain", fields([("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address")])),
                ("TransferWithAuthorization", fields([("from", "address"), ("to", "address"), ("value", "uint256"),
                                                      ("validAfter", "uint256"), ("validBefore", "uint256"), ("nonce", "bytes32")])),
            ]))),
            ("primaryType", "TransferWithAuthorization"),
            ("domain", .object(JSONObject([("name", .string(domain.name)), ("version", .string(domain.version)),
                                           ("chainId", .number(String(chainId))), ("verifyingContract", .string(requirement.asset))]))),
            ("message", .object(JSONObject([("from", auth["from"] ?? .null), ("to", auth["to"] ?? .null), ("value", num(auth["value"])),
                                            ("validAfter", num(auth["validAfter"])), ("validBefore", num(auth["validBefore"])),
                                            ("nonce", auth["nonce"] ?? .null)]))),
        ]))
    } else {
        let a = try #require(payload["permit2Authorization"])
        let upto = a["witness"]?["facilitator"] != nil
        var witnessFields = [("to", "address")]
        if upto { witnessFields.append(("facilitator", "address")) }
        witnessFields.append(("validAfter", "uint256"))
        var witness = JSONObject([("to", a["witness"]?["to"] ?? .null)])
        if upto { witness["facilitator"] = a["witness"]?["facilitator"] }
        witness["validAfter"] = num(a["witness"]?["validAfter"])
        doc = .object(JSONObject([
            ("types", .object(JSONObject([
                ("EIP712Domain", fields([("name", "string"), ("chainId", "uint256"), ("verifyingContract", "address")])),
                ("PermitWitnessTransferFrom", fields([("permitted", "TokenPermissions"), ("spender", "address"), ("nonce", "uint256"),
                                                      ("deadline", "uint256"), ("witness", "Witness")])),
                ("TokenPermissions", fields([("token", "address"), ("amount", "uint256")])),
                ("Witness", fields(witnessFields)),
            ]))),
            ("primaryType", "PermitWitnessTransferFrom"),
            ("domain", .object(JSONObject([("name", "Permit2"), ("chainId", .number(String(chainId))),
                                           ("verifyingContract", .string(X402EvmConstants.permit2Address))]))),
            ("message", .object(JSONObject([
                ("permitted", .object(JSONObject([("token", a["permitted"]?["token"] ?? .null), ("amount", num(a["permitted"]?["amount"]))]))),
                ("spender", a["spender"] ?? .null), ("nonce", num(a["nonce"])), ("deadline", num(a["deadline"])),
                ("witness", .object(witness)),
            ]))),
        ]))
    }
    let generic = try EIP712.hash(doc)
    #expect(created.hashes == generic)
}

@Test func optionsFromJSON() throws {
    let o = try X402PaymentOptions(json: ["now": 5, "nonce": .string("0x" + String(repeating: "ab", count: 32)),
                                          "recentBlockhash": "US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx",
                                          "memoNonce": "0x000102030405060708090a0b0c0d0e0f", "mintDecimals": 9, "tokenProgram": "token2022"])
    #expect(o.now == 5 && o.nonce?.count == 32 && o.recentBlockhash == [UInt8](repeating: 7, count: 32))
    #expect(o.memoNonce?.count == 16 && o.mintDecimals == 9 && o.tokenProgram == .token2022)
    for bad: JSONValue in [["now": -1], ["nonce": "abc"], ["mintDecimals": 256], ["tokenProgram": "spl"], "x"] {
        do { _ = try X402PaymentOptions(json: bad); Issue.record("accepted \(bad.serializedString())") }
        catch { #expect(error.status == .invalidArgument) }
    }
    let v = try X402VerifyOptions(json: ["facilitatorAddresses": ["0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"], "solanaFeePayers": nil])
    #expect(v.facilitatorAddresses.count == 1 && v.solanaFeePayers == nil)
    do { _ = try X402VerifyOptions(json: ["facilitatorAddresses": "x"]); Issue.record("no error") }
    catch { #expect(error.status == .invalidArgument) }
}

/// A malformed cap set in Swift (bypassing the JSON parser) fails closed.
@Test func malformedCapsFailClosed() {
    let r = X402Requirement.v2(X402PaymentRequirements(
        scheme: "exact", network: "eip155:84532", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", amount: "1",
        payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60))
    for policy in [X402PaymentPolicy(maxAmount: "ten"), X402PaymentPolicy(maxPrice: "ten")] {
        do { _ = try X402Client.select([r], policy: policy); Issue.record("selected with a malformed cap") }
        catch { #expect(error.status == .x402NoMatchingRequirement && error.message.contains("malformed")) }
    }
}
