import Foundation
import Testing
@testable import X402Secure

@Suite struct X402VerifyTests {
    @Test(arguments: X402Vector.all("x402_verify"))
    func verifyVector(_ v: X402Vector) throws {
        let header = try #require(v.inputValue("header")?.stringValue)
        let requirements = try #require(v.inputValue("requirements"))
        let now = try #require(v.inputValue("now")?.uint64Value)
        var options = X402VerifyOptions()
        if case .array(let fs)? = v.inputValue("options")?["facilitatorAddresses"] {
            options.facilitatorAddresses = fs.compactMap { $0.stringValue }
        }
        if case .array(let fs)? = v.inputValue("options")?["solanaFeePayers"] {
            options.solanaFeePayers = fs.compactMap { $0.stringValue }
        }
        if v.inputValue("options")?["replayGuard"] == .bool(true) { options.replayGuard = X402ReplayGuard() }
        let times = Int(v.inputValue("times")?.uint64Value ?? 1)
        var result: X402VerifyResult?
        for _ in 0..<times {
            result = try X402Verifier.verify(paymentHeader: header, requirements: requirements, now: now, options: options)
        }
        let r = try #require(result)
        #expect(r.isValid == (v.expect["isValid"] as? Bool), "\(r.message)")
        #expect(r.invalidReason?.rawValue == v.expect["invalidReason"] as? String, "\(r.message)")
        #expect(r.payer == v.expect["payer"] as? String)
        // The wire response carries the same verdict.
        #expect(r.response.isValid == r.isValid && r.response.invalidReason == r.invalidReason?.rawValue)
        #expect((r.response.invalidMessage == nil) == r.isValid)
    }

    @Test func graceIsSix() {
        #expect(X402Verifier.validBeforeGraceSeconds == 6)
        // now + 6 is computed in 256 bits: no overflow at the top of UInt64.
        #expect(X402Verifier.deadlineFloor(UInt64.max).suffix(9) == [0x01, 0, 0, 0, 0, 0, 0, 0, 0x05])
    }

    /// Malformed headers are errors (status codes), not verdicts.
    @Test func malformedHeadersThrow() throws {
        let req = X402Requirement.v2(X402PaymentRequirements(
            scheme: "exact", network: "eip155:84532", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", amount: "1",
            payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60))
        for (h, status) in [("eyJ4NDAyVmVyc2lvbiI6Mn0", X402SStatus.invalidBase64), ("e30=", .x402UnsupportedVersion),
                            ("eyJ4NDAyVmVyc2lvbiI6Mn0=", .x402InvalidPayload)] {
            do { _ = try X402Verifier.verify(paymentHeader: h, requirements: req, now: 0); Issue.record("accepted \(h)") }
            catch { #expect(error.status == status) }
        }
        do { _ = try X402Verifier.verify(paymentHeader: "e30=", requirements: JSONValue.array([]), now: 0); Issue.record("no error") }
        catch { #expect(error.status == .x402InvalidRequirements) }
    }

    /// Payload-level problems are verdicts with reasons (fail closed).
    @Test func payloadShapeVerdicts() throws {
        let accepted = X402PaymentRequirements(
            scheme: "exact", network: "eip155:84532", asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", amount: "1",
            payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60, extra: O(["name": "USDC", "version": "2"]))
        func verdict(_ payload: JSONObject, _ req: X402PaymentRequirements = accepted) -> X402VerifyResult {
            X402Verifier.verify(payment: .v2(X402PaymentPayload(payload: payload, accepted: accepted)), requirements: .v2(req), now: 100)
        }
        #expect(verdict(O([:])).invalidReason == .invalidPayload)
        #expect(verdict(O(["authorization": "x"])).invalidReason == .invalidPayload)
        let auth: JSONValue = ["from": "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", "to": "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
                               "value": "1", "validAfter": "0", "validBefore": "x", "nonce": "0x00"]
        #expect(verdict(O(["authorization": auth])).invalidReason == .invalidPayload)
        var other = accepted
        other.network = "cosmos:hub"
        #expect(verdict(O(["authorization": auth]), other).invalidReason == .unsupportedNetwork)
        other = accepted
        other.scheme = "batch-settlement"
        let p = X402Payment.v2(X402PaymentPayload(payload: O(["authorization": auth]), accepted: other))
        #expect(X402Verifier.verify(payment: p, requirements: .v2(other), now: 0).invalidReason == .unsupportedScheme)
        let sol = X402PaymentRequirements(scheme: "exact", network: Networks.solanaDevnet, asset: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU",
                                          amount: "1", payTo: "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse", maxTimeoutSeconds: 60)
        let sv = X402Verifier.verify(payment: .v2(X402PaymentPayload(payload: O(["transaction": "AA=="]), accepted: sol)), requirements: .v2(sol), now: 0)
        #expect(!sv.isValid)
    }

    /// Our own payments verify, through the seller's exact requirements, for every scheme.
    @Test func roundTripCreateThenVerify() throws {
        let key = try Secp256k1.PrivateKey(hex: "0x" + String(repeating: "07", count: 32))
        let pay = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
        let fac = "0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"
        let offers = [
            X402Offer(network: "eip155:84532", payTo: pay, price: "$0.01"),
            X402Offer(network: "eip155:4326", payTo: pay, price: "$0.01"),
            X402Offer(scheme: "upto", network: "eip155:8453", payTo: pay, price: "$0.50", extra: O(["facilitatorAddress": .string(fac)])),
        ]
        let guardian = X402ReplayGuard()
        for offer in offers {
            let req = try X402Seller.requirements(offer)
            let created = try X402Client.createPayment(for: .v2(req), signer: .evm(key), options: X402PaymentOptions(now: 1_800_000_000))
            let opts = X402VerifyOptions(facilitatorAddresses: [fac], replayGuard: guardian)
            let r = try X402Verifier.verify(paymentHeader: created.headerValue, requirements: .v2(req), now: 1_800_000_010, options: opts)
            #expect(r.isValid, "\(offer.network): \(r.message)")
            #expect(r.payer == key.address.checksummed)
            let again = try X402Verifier.verify(paymentHeader: created.headerValue, requirements: .v2(req), now: 1_800_000_011, options: opts)
            #expect(again.invalidReason == .duplicatePayment)
        }
        // v1 too.
        let v1 = try X402Seller.paymentRequiredV1([X402Offer(network: "base", payTo: pay, price: "$0.02")],
                                                  resource: X402ResourceInfo(url: "https://example.com"))
        let c = try X402Client.createPayment(answer: .v1(v1), signer: .evm(key), options: X402PaymentOptions(now: 1_800_000_000))
        #expect(c.headerName == "X-PAYMENT")
        let r = try X402Verifier.verify(paymentHeader: c.headerValue, requirements: .v1(v1.accepts[0]), now: 1_800_000_000)
        #expect(r.isValid, "\(r.message)")
    }
}
