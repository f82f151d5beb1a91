import CX402Secure
import Foundation
import Testing
@testable import X402Secure
import X402SecureFFI

/// The C functions of Sources/X402SecureFFI/Signer.swift and Solana.swift, called as C callers
/// do: statuses, NULL handling, buffer sizing and the outputs' agreement with the Swift core.
@Suite struct FFISignerSolanaTests {
    static let key = [UInt8](repeating: 1, count: 32)
    static let requirement = #"{"scheme":"exact","network":"eip155:84532","asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","amount":"10000","payTo":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C","maxTimeoutSeconds":60,"extra":{"name":"USDC","version":"2"}}"#
    static let options = #"{"now":1740672000,"nonce":"0x0000000000000000000000000000000000000000000000000000000000000001"}"#

    /// Calls a (out, cap, out_len, ..., err) function with a large buffer; returns (status, text).
    static func call(_ body: (UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<Int>, UnsafeMutablePointer<x402s_error>) -> Int32)
        -> (Int32, String)
    {
        var out = [UInt8](repeating: 0, count: 1 << 16)
        var len = 0
        var err = x402s_error()
        let st = out.withUnsafeMutableBufferPointer { o in
            body(o.baseAddress!, o.count, &len, &err)
        }
        return (st, String(decoding: out.prefix(st == 0 || st == Int32(X402S_ERR_X402_PAYMENT_INVALID) ? len : 0), as: UTF8.self))
    }

    @Test func signerPaysLikeRawKey() throws {
        var signer: OpaquePointer?
        #expect(Self.key.withUnsafeBufferPointer { x402s_signer_new(&signer, $0.baseAddress, 32, X402S_KEY_SECP256K1, nil) } == 0)
        defer { x402s_signer_free(signer) }
        let req = Array(Self.requirement.utf8), opts = Array(Self.options.utf8)
        let (st1, withSigner) = Self.call { o, c, l, e in
            x402s_x402_create_payment_with_signer(o, c, l, req, req.count, signer, nil, 0, opts, opts.count, 0, e)
        }
        let (st2, raw) = Self.call { o, c, l, e in
            x402s_x402_create_payment(o, c, l, req, req.count, Self.key, 32, X402S_KEY_SECP256K1, nil, 0, opts, opts.count, e)
        }
        #expect(st1 == 0 && st2 == 0)
        #expect(withSigner == raw)
        let (st3, headerOnly) = Self.call { o, c, l, e in
            x402s_x402_create_payment_with_signer(o, c, l, req, req.count, signer, nil, 0, opts, opts.count, X402S_CREATE_HEADER_ONLY, e)
        }
        #expect(st3 == 0)
        let full = try JSONValue.parse(withSigner), short = try JSONValue.parse(headerOnly)
        #expect(short["payment"] == nil && short["headerValue"] == full["headerValue"])
        let (st4, address) = Self.call { o, c, l, e in x402s_signer_address(o, c, l, signer, e) }
        let expectedAddress = try Secp256k1.PrivateKey(bytes: Self.key).address.checksummed
        #expect(st4 == 0 && address == expectedAddress)
        // bad flags, NULL signer, unknown key kind
        let (st5, _) = Self.call { o, c, l, e in x402s_x402_create_payment_with_signer(o, c, l, req, req.count, signer, nil, 0, nil, 0, 4, e) }
        #expect(st5 == Int32(X402S_ERR_INVALID_ARGUMENT))
        let (st6, _) = Self.call { o, c, l, e in x402s_x402_create_payment_with_signer(o, c, l, req, req.count, nil, nil, 0, nil, 0, 0, e) }
        #expect(st6 == Int32(X402S_ERR_NULL_ARGUMENT))
        var other: OpaquePointer?
        #expect(Self.key.withUnsafeBufferPointer { x402s_signer_new(&other, $0.baseAddress, 32, 9, nil) } == Int32(X402S_ERR_INVALID_ARGUMENT))
        #expect(other == nil)
        #expect(x402s_signer_new(nil, Self.key, 32, X402S_KEY_SECP256K1, nil) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(x402s_signer_new(&other, [UInt8](repeating: 0, count: 32), 32, X402S_KEY_SECP256K1, nil) == Int32(X402S_ERR_INVALID_KEY))
        x402s_signer_free(nil)
    }

    @Test func solanaSignerAddressAndSmallBuffer() {
        var signer: OpaquePointer?
        #expect(x402s_signer_new(&signer, Self.key, 32, X402S_KEY_ED25519_SEED, nil) == 0)
        defer { x402s_signer_free(signer) }
        var out = [UInt8](repeating: 0, count: 8)
        var len = 0
        #expect(x402s_signer_address(&out, out.count, &len, signer, nil) == Int32(X402S_ERR_BUFFER_TOO_SMALL))
        #expect(len == 44)  // AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9
        let (st, address) = Self.call { o, c, l, e in x402s_signer_address(o, c, l, signer, e) }
        #expect(st == 0 && address == "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9")
    }

    @Test func solanaHelpers() throws {
        // curve check: a public key is on the curve; other lengths are not points
        let pk = try SolanaPublicKey(base58: "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9").bytes
        #expect(x402s_solana_is_on_curve(pk, 32, nil) == 0)
        #expect(x402s_solana_is_on_curve(pk, 31, nil) == Int32(X402S_ERR_VERIFY_FAILED))
        #expect(x402s_solana_is_on_curve(nil, 32, nil) == Int32(X402S_ERR_NULL_ARGUMENT))
        var out32 = [UInt8](repeating: 0, count: 32)
        let text = Array("AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9".utf8)
        #expect(x402s_solana_public_key_decode(&out32, 32, text, text.count, nil) == 0 && out32 == pk)
        #expect(x402s_solana_public_key_decode(&out32, 32, Array("0OIl".utf8), 4, nil) == Int32(X402S_ERR_SOLANA_INVALID_PUBLIC_KEY))
        // ATA = find_program_address([owner, token, mint], ATA program)
        let owner = Array("AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9".utf8), mint = Array("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU".utf8)
        let (st, ata) = Self.call { o, c, l, e in x402s_solana_associated_token_address(o, c, l, owner, owner.count, mint, mint.count, nil, 0, e) }
        #expect(st == 0 && ata == "H1AviagU5Y17z77v1F9qZPJ9kCbCsL4ewiZABNfGYoRs")
        let seeds = Array(#"["0x78343032"]"#.utf8), program = Array("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL".utf8)
        let (st2, found) = Self.call { o, c, l, e in x402s_solana_find_program_address(o, c, l, seeds, seeds.count, program, program.count, e) }
        #expect(st2 == 0)
        let expected = try SolanaPublicKey.findProgramAddress(seeds: [Array("x402".utf8)], programId: .associatedTokenProgram)
        #expect(found == #"{"address":"\#(expected.address.base58)","bump":\#(expected.bump)}"#)
        let bad = Array(#"["zz"]"#.utf8)
        let (st3, _) = Self.call { o, c, l, e in x402s_solana_create_program_address(o, c, l, bad, bad.count, program, program.count, e) }
        #expect(st3 == Int32(X402S_ERR_INVALID_HEX))
        #expect(Self.call { o, c, l, e in x402s_x402_price_to_atomic_units(o, c, l, Array("$1.5".utf8), 4, 6, e) } == (0, "1500000"))
        #expect(Self.call { o, c, l, e in x402s_x402_price_to_atomic_units(o, c, l, Array("1".utf8), 1, 300, e) }.0
            == Int32(X402S_ERR_INVALID_ARGUMENT))
    }

    @Test func solanaBuildSignDecodeVerify() throws {
        let build = Array(#"{"feePayer":"9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu","payTo":"GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse","mint":"4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU","decimals":6,"amount":"1000","recentBlockhash":"US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx","memo":"pi_3abc123def456"}"#.utf8)
        var tx = [UInt8](repeating: 0, count: 2048)
        var len = 0
        #expect(x402s_solana_exact_build(&tx, tx.count, &len, build, build.count, Self.key, 32, nil) == 0)
        tx = Array(tx.prefix(len))
        // equals the core's builder (itself checked against x402 2.25.0 in SolanaExactTests)
        let direct = try SolanaExact.buildPaymentTransaction(
            signer: try Ed25519.KeyPair(seed: Self.key), feePayer: try SolanaPublicKey(base58: "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"),
            payTo: try SolanaPublicKey(base58: "GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse"),
            mint: try SolanaPublicKey(base58: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"), decimals: 6, amount: 1000,
            memo: "pi_3abc123def456", recentBlockhash: try Base58.decode("US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"))
        #expect(tx == direct)
        #expect(x402s_solana_sanitize_transaction(tx, tx.count, nil) == 0)
        #expect(x402s_solana_sanitize_transaction([1, 2], 2, nil) == Int32(X402S_ERR_SOLANA_INVALID_TRANSACTION))
        let (st, decoded) = Self.call { o, c, l, e in x402s_solana_decode_transaction(o, c, l, tx, tx.count, e) }
        #expect(st == 0)
        let view = try JSONValue.parse(decoded)
        #expect(view["version"] == "v0" && view["sanitizeOk"] == .bool(true))
        #expect(view["messageHashBase64"]?.stringValue == Base64.encode(try SolanaTransaction(bytes: tx).messageHash))
        // the fee payer co-signs slot 0
        var signed = [UInt8](repeating: 0, count: 2048)
        #expect(x402s_solana_sign_transaction(&signed, signed.count, &len, tx, tx.count, [UInt8](repeating: 2, count: 32), 32, nil) == 0)
        #expect(try SolanaTransaction(bytes: Array(signed.prefix(len))).signatures[0] != [UInt8](repeating: 0, count: 64))
        #expect(x402s_solana_sign_transaction(&signed, signed.count, &len, tx, tx.count, [UInt8](repeating: 9, count: 32), 32, nil)
            == Int32(X402S_ERR_INVALID_ARGUMENT))
        // verify: valid, then a verdict (not an error) for the wrong amount
        func verify(_ amount: String) -> (Int32, String) {
            let req = Array(#"{"transactionBase64":"\#(Base64.encode(tx))","network":"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1","asset":"4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU","payTo":"GyGKxMyg1p9SsHfm15MkNUu1u9TN2JtTspcdmrtGUdse","amount":"\#(amount)","feePayer":"9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu","memo":"pi_3abc123def456"}"#.utf8)
            return Self.call { o, c, l, e in x402s_solana_exact_verify(o, c, l, req, req.count, e) }
        }
        let (ok, okJSON) = verify("1000")
        let okView = try JSONValue.parse(okJSON)
        #expect(ok == 0 && okView["payer"] == "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9")
        let (bad, badJSON) = verify("999")
        #expect(bad == Int32(X402S_ERR_X402_PAYMENT_INVALID))
        let badView = try JSONValue.parse(badJSON)
        #expect(badView["reason"] == "invalid_exact_svm_payload_amount_mismatch")
        #expect(verify("1.5").0 == Int32(X402S_ERR_X402_INVALID_AMOUNT))
    }

    @Test func compileMessage() throws {
        let req = Array(#"{"payer":"9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu","recentBlockhash":"US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx","instructions":[{"programId":"MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr","accounts":[{"publicKey":"AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9","isSigner":true,"isWritable":false}],"data":"0x6869"}]}"#.utf8)
        let (st, out) = Self.call { o, c, l, e in x402s_solana_compile_message_v0(o, c, l, req, req.count, e) }
        #expect(st == 0)
        let m = try SolanaMessage.compileV0(
            payer: try SolanaPublicKey(base58: "9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu"),
            instructions: [SolanaInstruction(programId: .memoProgram, accounts: [SolanaAccountMeta(
                publicKey: try SolanaPublicKey(base58: "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9"), isSigner: true, isWritable: false)],
                data: [0x68, 0x69])],
            recentBlockhash: try Base58.decode("US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx"))
        let view = try JSONValue.parse(out), hex = Hex.encode(try m.serialize())
        #expect(view["messageHex"]?.stringValue == hex)
        for bad in [#"{"payer":"x"}"#, #"{"payer":"9hSR6S7WPtxmTojgo6GG3k4yDPecgJY292j7xrsUGWBu","recentBlockhash":"US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx","instructions":[5]}"#] {
            let b = Array(bad.utf8)
            let (s, _) = Self.call { o, c, l, e in x402s_solana_compile_message_v0(o, c, l, b, b.count, e) }
            #expect(s != 0)
        }
    }
}
