import Foundation
@testable import X402Secure

/// Reads `test-vectors/<area>.json` for the crypto tests.
enum CryptoVectors {
    struct Vector: @unchecked Sendable, CustomStringConvertible {
        let name: String
        let input: [String: Any]
        let intermediate: [String: Any]
        let expect: [String: Any]
        var description: String { name }

        /// The expected error status name, if this vector expects an error.
        var expectedError: String? { expect["error"] as? String }
    }

    /// The vectors of `test-vectors/<area>.json` (located by the shared `X402TestFiles`),
    /// after checking the file's schema tag.
    static func load(_ area: String) -> [Vector] {
        let doc = X402TestFiles.object(at: X402TestFiles.root.appendingPathComponent("test-vectors/\(area).json"))
        guard doc["schema"] as? String == "x402s.vectors.\(area)@1",
              let list = doc["vectors"] as? [[String: Any]]
        else { return [] }
        return list.map {
            Vector(name: $0["name"] as? String ?? "?",
                   input: $0["input"] as? [String: Any] ?? [:],
                   intermediate: $0["intermediate"] as? [String: Any] ?? [:],
                   expect: $0["expect"] as? [String: Any] ?? [:])
        }
    }

    /// Bytes from a "0x" hex string or a {"pattern": "0x..", "repeat": n} object.
    static func bytes(_ value: Any?) -> [UInt8] {
        if let s = value as? String { return (try? Hex.decode(s)) ?? [] }
        if let o = value as? [String: Any], let p = o["pattern"] as? String, let n = o["repeat"] as? Int {
            let unit = (try? Hex.decode(p)) ?? []
            var out: [UInt8] = []
            out.reserveCapacity(unit.count * n)
            for _ in 0..<n { out.append(contentsOf: unit) }
            return out
        }
        return []
    }

    /// Text from a string or a {"pattern": "...", "repeat": n} object.
    static func text(_ value: Any?) -> String {
        if let s = value as? String { return s }
        if let o = value as? [String: Any], let p = o["pattern"] as? String, let n = o["repeat"] as? Int {
            return String(repeating: p, count: n)
        }
        return ""
    }

    static func hex(_ b: [UInt8]) -> String { Hex.encode(b) }
}

/// Runs `body` and returns the status name it threw, or nil if it returned normally.
func thrownStatus<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as X402SError {
        return error.status.name
    } catch {
        return "not an X402SError: \(error)"
    }
}
