import Testing
@testable import X402Secure

@Suite("SecretBytes, SecureRandom, Backend")
struct SecretsAndRandomTests {
    @Test func secretBytesKeepsContentsAndHidesThem() {
        let s = SecretBytes(copying: [1, 2, 3, 4])
        #expect(s.count == 4)
        #expect(s.withUnsafeBytes { Array($0) } == [1, 2, 3, 4])
        #expect("\(s)" == "SecretBytes(4 bytes)")
        #expect(String(reflecting: s) == "SecretBytes(4 bytes)")
        let empty = SecretBytes(copying: [UInt8]())
        #expect(empty.count == 0)
        #expect(empty.withUnsafeBytes { $0.count } == 0)
    }

    @Test func secretBytesInitializedInPlace() throws {
        let s = SecretBytes(count: 3) { buf in
            for i in 0..<buf.count { buf[i] = UInt8(i + 10) }
        }
        #expect(s.withUnsafeBytes { Array($0) } == [10, 11, 12])
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            _ = try SecretBytes(count: 8) { _ in throw Boom() }
        }
    }

    @Test func randomBytes() throws {
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(try SecureRandom.bytes(0) == [])
        #expect(try SecureRandom.bytes(SecureRandom.maxCount).count == SecureRandom.maxCount)
    }

    @Test func randomBytesRejectsBadCounts() {
        #expect(thrownStatus { try SecureRandom.bytes(-1) } == "X402S_ERR_INVALID_ARGUMENT")
        #expect(thrownStatus { try SecureRandom.bytes(SecureRandom.maxCount + 1) } == "X402S_ERR_INPUT_TOO_LARGE")
        #expect(thrownStatus { try SecureRandom.bytes(Int.max) } == "X402S_ERR_INPUT_TOO_LARGE")
    }

    @Test func backendIsIdempotentAndConcurrent() async throws {
        try Backend.ensureInitialized()
        try Backend.ensureInitialized()
        let first = Int(bitPattern: try Backend.secp256k1Context())
        #expect(first != 0)
        let contexts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { (try? Backend.secp256k1Context()).map { Int(bitPattern: $0) } ?? 0 } }
            var all: [Int] = []
            for await c in group { all.append(c) }
            return all
        }
        #expect(contexts.allSatisfy { $0 == first })
    }
}
