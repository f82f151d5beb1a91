import Foundation
import Testing
@testable import X402Secure

@Suite struct X402SellerTests {
    @Test(arguments: X402Vector.all("x402_seller"))
    func sellerVector(_ v: X402Vector) throws {
        let expect = v.value["expect"] ?? .null
        do {
            if let offer = v.inputValue("offer") {
                let r = try X402Seller.requirements(try X402Offer(json: offer))
                #expect(v.expectedError == nil, "expected \(v.expectedError ?? "")")
                // Key order included: our JSON must equal the official dump exactly.
                #expect(r.json == expect["requirement"])
            } else {
                guard case .array(let list)? = v.inputValue("offers") else { Issue.record("no offers"); return }
                var offers: [X402Offer] = []
                for o in list { offers.append(try X402Offer(json: o)) }
                let resource = try X402ResourceInfo(json: v.inputValue("resource") ?? .null)
                // The JSON front door gives the same answer.
                var request = JSONObject([("offers", .array(list)), ("resource", v.inputValue("resource") ?? .null)])
                if v.inputValue("v1") == .bool(true) { request["x402Version"] = .number("1") }
                #expect(try X402Seller.paymentRequired(json: .object(request)).json == expect["paymentRequired"])
                if v.inputValue("v1") == .bool(true) {
                    let body = try X402Seller.paymentRequiredV1(offers, resource: resource)
                    #expect(body.json == expect["paymentRequired"])
                    #expect(body.json.serializedString() == expect["body"]?.stringValue)
                } else {
                    let pr = try X402Seller.paymentRequired(offers, resource: resource)
                    #expect(pr.json == expect["paymentRequired"])
                    #expect(pr.headerValue == expect["header"]?.stringValue)
                }
            }
        } catch {
            #expect(error.status.name == v.expectedError, "\(error)")
        }
    }

    /// A seller's answer is payable by our buyer and round-trips through the header.
    @Test func sellerAnswerIsPayable() throws {
        let offer = X402Offer(network: "base-sepolia", payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", price: "$0.01")
        let pr = try X402Seller.paymentRequired([offer], resource: X402ResourceInfo(url: "https://example.com/x"))
        #expect(pr.accepts[0].network == "eip155:84532")
        let answer = try X402Client.parsePaymentRequired(header: pr.headerValue, body: nil)
        let key = try Secp256k1.PrivateKey(hex: "0x" + String(repeating: "01", count: 32))
        let created = try X402Client.createPayment(answer: answer, signer: .evm(key), options: X402PaymentOptions(now: 1_740_672_000))
        guard case .v2(let p) = created.payment else { Issue.record("not v2"); return }
        #expect(p.accepted == pr.accepts[0])
        #expect(p.resource == pr.resource)
    }

    @Test func v1Restrictions() {
        let pay = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
        let res = X402ResourceInfo(url: "https://example.com/x")
        let cases: [(X402Offer, X402SStatus)] = [
            (X402Offer(network: "eip155:42161", payTo: pay, price: "$1"), .x402UnknownNetwork),
            (X402Offer(scheme: "upto", network: "base", payTo: pay, price: "$1"), .x402UnsupportedScheme),
            (X402Offer(network: "megaeth", payTo: pay, price: "$1"), .x402InvalidRequirements),
        ]
        for (o, status) in cases {
            do { _ = try X402Seller.paymentRequiredV1([o], resource: res); Issue.record("accepted \(o.network)") }
            catch { #expect(error.status == status) }
        }
    }

    @Test func paymentRequiredJSONErrors() {
        let pay = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"
        let offer: JSONValue = ["network": "base-sepolia", "payTo": .string(pay), "price": "$0.01"]
        let cases: [(JSONValue, X402SStatus)] = [
            (["offers": "x"], .x402InvalidRequirements),
            (["x402Version": 3, "offers": [offer]], .x402UnsupportedVersion),
            (["x402Version": 1, "offers": [offer]], .x402InvalidRequirements),
            ([:], .x402InvalidRequirements),
            (["offers": [["network": "base-sepolia"]]], .x402InvalidRequirements),
        ]
        for (j, status) in cases {
            do { _ = try X402Seller.paymentRequired(json: j); Issue.record("accepted \(j.serializedString())") }
            catch { #expect(error.status == status) }
        }
        // error: null omits the error text; the default is "Payment required".
        #expect((try? X402Seller.paymentRequired(json: ["offers": [offer], "error": nil]))?.json["error"] == nil)
        #expect((try? X402Seller.paymentRequired(json: ["offers": [offer]]))?.json["error"] == "Payment required")
    }
}
