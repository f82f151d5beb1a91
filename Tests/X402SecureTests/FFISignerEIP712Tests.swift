import CX402Secure
import Testing
@testable import X402Secure
import X402SecureFFI

/// x402s_signer_eip712_sign (Sources/X402SecureFFI/Signer.swift) against x402s_eip712_sign with
/// the raw key: same signature and digest, same statuses.
@Suite struct FFISignerEIP712Tests {
    static let key = [UInt8](repeating: 1, count: 32)
    static let doc = Array(#"{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint256"}]},"primaryType":"M","domain":{"name":"x"},"message":{"a":"1"}}"#.utf8)

    static func newSigner(_ kind: UInt32) -> OpaquePointer? {
        var signer: OpaquePointer?
        let st = key.withUnsafeBufferPointer { x402s_signer_new(&signer, $0.baseAddress, 32, kind, nil) }
        return st == 0 ? signer : nil
    }

    @Test func signsLikeRawKey() {
        let signer = Self.newSigner(X402S_KEY_SECP256K1)
        defer { x402s_signer_free(signer) }
        #expect(signer != nil)
        var sigA = [UInt8](repeating: 0, count: 65), digA = [UInt8](repeating: 0, count: 32)
        var sigB = [UInt8](repeating: 0, count: 65), digB = [UInt8](repeating: 0, count: 32)
        #expect(x402s_eip712_sign(&sigA, 65, &digA, 32, Self.doc, Self.doc.count, Self.key, 32, nil) == 0)
        #expect(x402s_signer_eip712_sign(&sigB, 65, &digB, 32, signer, Self.doc, Self.doc.count, nil) == 0)
        #expect(sigA == sigB && digA == digB)
        var sigC = [UInt8](repeating: 0, count: 65)
        #expect(x402s_signer_eip712_sign(&sigC, 65, nil, 0, signer, Self.doc, Self.doc.count, nil) == 0)
        #expect(sigC == sigA)
    }

    @Test func errors() {
        let signer = Self.newSigner(X402S_KEY_SECP256K1)
        defer { x402s_signer_free(signer) }
        var sig = [UInt8](repeating: 0, count: 65)
        var err = x402s_error()
        #expect(x402s_signer_eip712_sign(&sig, 65, nil, 0, nil, Self.doc, Self.doc.count, &err) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(x402s_signer_eip712_sign(nil, 65, nil, 0, signer, Self.doc, Self.doc.count, nil) == Int32(X402S_ERR_NULL_ARGUMENT))
        #expect(x402s_signer_eip712_sign(&sig, 64, nil, 0, signer, Self.doc, Self.doc.count, nil) == Int32(X402S_ERR_BUFFER_TOO_SMALL))
        var dig = [UInt8](repeating: 0, count: 31)
        #expect(x402s_signer_eip712_sign(&sig, 65, &dig, 31, signer, Self.doc, Self.doc.count, nil) == Int32(X402S_ERR_BUFFER_TOO_SMALL))
        let bad = Array(#"{"types":{}}"#.utf8)
        #expect(x402s_signer_eip712_sign(&sig, 65, nil, 0, signer, bad, bad.count, nil) == Int32(X402S_ERR_EIP712_INVALID_DOCUMENT))
        let broken = Array("{".utf8)
        #expect(x402s_signer_eip712_sign(&sig, 65, nil, 0, signer, broken, broken.count, nil) == Int32(X402S_ERR_INVALID_JSON))
        let solana = Self.newSigner(X402S_KEY_ED25519_SEED)
        defer { x402s_signer_free(solana) }
        #expect(solana != nil)
        #expect(x402s_signer_eip712_sign(&sig, 65, nil, 0, solana, Self.doc, Self.doc.count, &err) == Int32(X402S_ERR_INVALID_KEY))
        #expect(err.code == Int32(X402S_ERR_INVALID_KEY))
    }
}
