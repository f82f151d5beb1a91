import Foundation
import Testing
@testable import X402Secure

/// Helpers shared by the X402*Tests files: locating and reading vector files.
enum X402TestFiles {
    /// The repository root, found by walking up from this file (no symlinks, works on any OS).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return url
    }()

    static func object(at url: URL) -> [String: Any] {
        guard let d = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: d) as? [String: Any]) ?? [:]
    }

    /// The `vectors` array of `test-vectors/<name>.json`.
    static func vectors(_ name: String) -> [[String: Any]] {
        let o = object(at: root.appendingPathComponent("test-vectors/\(name).json"))
        return o["vectors"] as? [[String: Any]] ?? []
    }
}

/// A vector as a `Sendable` test argument (its JSON text), so `@Test(arguments:)` can take it.
struct X402Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let json: String
    var testDescription: String { name }

    var dict: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
    }
    var input: [String: Any] { dict["input"] as? [String: Any] ?? [:] }
    var expect: [String: Any] { dict["expect"] as? [String: Any] ?? [:] }
    var expectedError: String? { expect["error"] as? String }

    static func all(_ file: String) -> [X402Vector] {
        X402TestFiles.vectors(file).map { v in
            let data = (try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys])) ?? Data()
            return X402Vector(name: v["name"] as? String ?? "?", json: String(decoding: data, as: UTF8.self))
        }
    }
}

@Test func x402VectorFilesAreFound() {
    #expect(!X402Vector.all("x402_networks").isEmpty)
}
