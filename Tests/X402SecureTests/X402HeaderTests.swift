import Foundation
import Testing
@testable import X402Secure

@Suite struct X402HeaderTests {
    @Test(arguments: X402Vector.all("x402_header"))
    func headerVector(_ v: X402Vector) throws {
        var header = v.input["header"] as? String ?? ""
        if let rep = v.input["headerRepeat"] as? [String: Any] {
            header = String(repeating: rep["text"] as? String ?? "", count: rep["times"] as? Int ?? 0)
        }
        let e = v.expect
        do {
            switch e["kind"] as? String {
            case "payment":
                let p = try X402Payment(header: header)
                #expect(v.expectedError == nil)
                #expect(X402Vector.sameJSON(p.json, e["json"]))
                #expect(p.headerValue == e["reencoded"] as? String)
                #expect(p.x402Version == e["x402Version"] as? Int)
                #expect(p.scheme == e["scheme"] as? String)
                #expect(p.network == e["network"] as? String)
                #expect(p.headerName == e["headerName"] as? String)
                #expect(try X402Payment(json: p.json) == p)
            case "paymentRequired":
                let p = try X402PaymentRequired(header: header)
                #expect(v.expectedError == nil)
                #expect(X402Vector.sameJSON(p.json, e["json"]))
                #expect(p.headerValue == e["reencoded"] as? String)
            case "settleResponse":
                let r = try X402SettleResponse(header: header)
                #expect(v.expectedError == nil)
                #expect(X402Vector.sameJSON(r.json, e["json"]))
                let style: JSONStyle = e["style"] as? String == "pythonSpaced" ? .pythonSpaced : .compact
                #expect(r.headerValue(style: style) == e["reencoded"] as? String)
            default:
                Issue.record("unknown kind")
            }
        } catch {
            #expect(error.status.name == v.expectedError, "\(error)")
        }
    }

    /// The issue asks for a clear error on URL-safe input instead of decoding garbage.
    @Test func urlSafeMessageIsClear() {
        do { _ = try X402Headers.decodeJSON("eyJhIjoxfQ_-"); Issue.record("no error") } catch {
            #expect(error.status == .invalidBase64)
            #expect(error.message.contains("URL-safe"))
        }
    }

    @Test func modelsRoundTripAndTolerance() throws {
        // maxTimeoutSeconds as a decimal string (pydantic lax mode), extra missing -> {}.
        let r = try X402PaymentRequirements(json: try JSONValue.parse(
            #"{"scheme":"exact","network":"eip155:8453","asset":"0xA","amount":"1","payTo":"0xB","maxTimeoutSeconds":"60"}"#))
        #expect(r.maxTimeoutSeconds == 60)
        #expect(r.json.serializedString() ==
            #"{"scheme":"exact","network":"eip155:8453","asset":"0xA","amount":"1","payTo":"0xB","maxTimeoutSeconds":60,"extra":{}}"#)
        // Field order on output is fixed whatever the input order; unknown members are dropped.
        let shuffled = try X402PaymentRequirements(json: try JSONValue.parse(
            #"{"extra":{"b":1,"a":2},"payTo":"0xB","maxTimeoutSeconds":5,"amount":"1","asset":"0xA","network":"n","scheme":"exact","zzz":1}"#))
        #expect(shuffled.json.serializedString() ==
            #"{"scheme":"exact","network":"n","asset":"0xA","amount":"1","payTo":"0xB","maxTimeoutSeconds":5,"extra":{"b":1,"a":2}}"#)
        // VerifyResponse bytes equal pydantic model_dump_json (reference vectors).
        let ok = X402VerifyResponse(isValid: true, payer: "0x857b06519E91e3A54538791bDbb0E22373e36b66")
        #expect(ok.json.serializedString() == #"{"isValid":true,"payer":"0x857b06519E91e3A54538791bDbb0E22373e36b66"}"#)
        let bad = X402VerifyResponse(isValid: false, invalidReason: "invalid_exact_evm_payload_signature",
                                     payer: "0x857b06519E91e3A54538791bDbb0E22373e36b66")
        #expect(bad.json.serializedString() ==
            #"{"isValid":false,"invalidReason":"invalid_exact_evm_payload_signature","payer":"0x857b06519E91e3A54538791bDbb0E22373e36b66"}"#)
        #expect(try X402VerifyResponse(json: bad.json) == bad)
    }

    @Test func malformedRequirementsErrors() throws {
        let cases: [(String, X402SStatus)] = [
            (#"{"scheme":"exact"}"#, .x402InvalidRequirements),
            (#"{"scheme":"exact","network":"n","asset":"a","amount":1,"payTo":"p","maxTimeoutSeconds":1}"#, .x402InvalidRequirements),
            (#"{"scheme":"exact","network":"n","asset":"a","amount":"1","payTo":"p","maxTimeoutSeconds":-1}"#, .x402InvalidRequirements),
            (#"{"scheme":"exact","network":"n","asset":"a","amount":"1","payTo":"p","maxTimeoutSeconds":1.5}"#, .x402InvalidRequirements),
            (#"{"scheme":"exact","network":"n","asset":"a","amount":"1","payTo":"p","maxTimeoutSeconds":1,"extra":"{}"}"#, .x402InvalidRequirements),
            (#"[]"#, .x402InvalidRequirements),
            (#"{"scheme":"exact","network":"base","maxAmountRequired":"1","resource":"r","payTo":"p","maxTimeoutSeconds":1,"asset":"a","extra":"{\"name\":\"USDC\"}"}"#, .x402InvalidRequirements),
        ]
        for (text, status) in cases {
            do { _ = try X402Requirement(json: try JSONValue.parse(text)); Issue.record("accepted \(text)") } catch {
                #expect(error.status == status)
            }
        }
        do { _ = try X402PaymentRequired(json: try JSONValue.parse(#"{"x402Version":1,"accepts":[]}"#)); Issue.record("no error") }
        catch { #expect(error.status == .x402UnsupportedVersion) }
        do { _ = try X402PaymentRequiredV1(json: try JSONValue.parse(#"{"x402Version":1}"#)); Issue.record("no error") }
        catch { #expect(error.status == .x402InvalidRequirements) }
        do { _ = try X402SettleResponse(json: try JSONValue.parse(#"{"success":"yes","network":"n"}"#)); Issue.record("no error") }
        catch { #expect(error.status == .x402InvalidPayload) }
        do { _ = try X402ResourceInfo(json: try JSONValue.parse(#"{"url":"u","tags":[1]}"#)); Issue.record("no error") }
        catch { #expect(error.status == .x402InvalidRequirements) }
    }
}
