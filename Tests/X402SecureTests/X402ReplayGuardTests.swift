import Foundation
import Testing
@testable import X402Secure

@Suite struct X402ReplayGuardTests {
    @Test func insertsOnceUntilExpiry() {
        let g = X402ReplayGuard(capacity: 10)
        #expect(g.checkAndInsert(key: [1], expiresAt: 100, now: 50))
        #expect(!g.checkAndInsert(key: [1], expiresAt: 100, now: 99))
        #expect(g.contains(key: [1], now: 99))
        #expect(!g.contains(key: [1], now: 100))
        // Expired: accepted again (the chain itself rejects an expired authorization).
        #expect(g.checkAndInsert(key: [1], expiresAt: 200, now: 100))
        #expect(g.count == 1)
    }

    @Test func capacityEvictsExpiredFirstThenClosestToExpiry() {
        let g = X402ReplayGuard(capacity: 3)
        #expect(g.checkAndInsert(key: [1], expiresAt: 10, now: 0))
        #expect(g.checkAndInsert(key: [2], expiresAt: 500, now: 0))
        #expect(g.checkAndInsert(key: [3], expiresAt: 300, now: 0))
        // Full; [1] has expired at now = 20: it goes first.
        #expect(g.checkAndInsert(key: [4], expiresAt: 400, now: 20))
        #expect(g.count == 3)
        #expect(!g.contains(key: [1], now: 20) && g.contains(key: [2], now: 20))
        // Full with nothing expired: the entry closest to expiry ([3], 300) is evicted.
        #expect(g.checkAndInsert(key: [5], expiresAt: 600, now: 30))
        #expect(g.count == 3)
        #expect(!g.contains(key: [3], now: 30))
        #expect(g.contains(key: [2], now: 30) && g.contains(key: [4], now: 30) && g.contains(key: [5], now: 30))
        g.purgeExpired(now: 450)
        #expect(g.count == 2)
        g.removeAll()
        #expect(g.count == 0)
    }

    @Test func heapStaysBoundedUnderReinsertion() {
        let g = X402ReplayGuard(capacity: 4)
        for t in 0..<10_000 as Range<UInt64> {
            _ = g.checkAndInsert(key: [UInt8(t % 3)], expiresAt: t + 1, now: t)
        }
        #expect(g.count <= 4)
    }

    @Test func evmAndSolanaKeys() {
        let g = X402ReplayGuard()
        let nonce = "0x" + String(repeating: "ab", count: 32)
        #expect(g.checkAndInsert(chainId: 8453, asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                                 payer: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", nonce: nonce, expiresAt: 100, now: 0))
        // Same authorization written differently (case, no 0x): still a replay.
        #expect(!g.checkAndInsert(chainId: 8453, asset: "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913",
                                  payer: "0x1A642F0E3C3AF545E7ACBD38B07251B3990914F1", nonce: String(nonce.dropFirst(2)).uppercased(),
                                  expiresAt: 100, now: 1))
        // Another chain is another key.
        #expect(g.checkAndInsert(chainId: 1, asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                                 payer: "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", nonce: nonce, expiresAt: 100, now: 0))
        let h = [UInt8](repeating: 7, count: 32)
        #expect(g.checkAndInsert(solanaMessageHash: h, now: 1000))
        #expect(!g.checkAndInsert(solanaMessageHash: h, now: 1119))
        #expect(g.checkAndInsert(solanaMessageHash: h, now: 1120))
        #expect(g.checkAndInsert(solanaMessageHash: h, now: UInt64.max - 1))
    }

    /// Many threads insert the same keys: each key is accepted exactly once.
    @Test func threadSafeExactlyOnce() async {
        let g = X402ReplayGuard(capacity: 100_000)
        let accepted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var n = 0
                    for k in 0..<2_000 {
                        if g.checkAndInsert(key: [UInt8(k & 0xff), UInt8(k >> 8)], expiresAt: 1_000, now: 0) { n += 1 }
                    }
                    return n
                }
            }
            var total = 0
            for await n in group { total += n }
            return total
        }
        #expect(accepted == 2_000)
        #expect(g.count == 2_000)
    }
}
