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

/// A vector as a `Sendable` test argument. It keeps the vector's JSON text in its original
/// key order (parsed with our order-preserving `JSONValue`), so inputs such as `extra` keep the
/// order the official package produced.
struct X402Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let json: String
    var testDescription: String { name }

    /// The vector as an ordered `JSONValue`.
    var value: JSONValue { (try? JSONValue.parse(json)) ?? .null }
    /// The vector as Foundation objects (order lost; for reading scalars).
    var dict: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]) ?? [:]
    }
    var input: [String: Any] { dict["input"] as? [String: Any] ?? [:] }
    var expect: [String: Any] { dict["expect"] as? [String: Any] ?? [:] }
    var expectedError: String? { expect["error"] as? String }
    /// `input[key]` as an ordered `JSONValue` (`nil` when absent or `null`).
    func inputValue(_ key: String) -> JSONValue? {
        guard let v = value["input"]?[key], !v.isNull else { return nil }
        return v
    }

    static func all(_ file: String) -> [X402Vector] {
        let url = X402TestFiles.root.appendingPathComponent("test-vectors/\(file).json")
        guard let data = try? Data(contentsOf: url), let doc = try? JSONValue.parse([UInt8](data)),
              case .array(let vs)? = doc["vectors"] else { return [] }
        return vs.map { v in X402Vector(name: v["name"]?.stringValue ?? "?", json: v.serializedString()) }
    }
}

@Test func x402VectorFilesAreFound() {
    #expect(!X402Vector.all("x402_networks").isEmpty)
}

extension X402Vector {
    /// Semantic JSON equality between one of our values and a Foundation-parsed expectation.
    static func sameJSON(_ ours: JSONValue, _ expected: Any?) -> Bool {
        guard let expected,
              let a = try? JSONSerialization.jsonObject(with: Data(ours.serialized()), options: [.fragmentsAllowed]) as? NSObject,
              let b = expected as? NSObject
        else { return false }
        return a.isEqual(b)
    }

    /// A Foundation JSON value as our `JSONValue` (key order is that of `JSONSerialization`
    /// output with sorted keys, so use it only where order does not matter).
    static func jsonValue(_ any: Any) -> JSONValue {
        let data = (try? JSONSerialization.data(withJSONObject: any, options: [.fragmentsAllowed, .sortedKeys])) ?? Data()
        return (try? JSONValue.parse([UInt8](data))) ?? .null
    }
}

/// A JSON object literal as `JSONObject` (empty if `v` is not an object).
func O(_ v: JSONValue) -> JSONObject { v.objectValue ?? JSONObject() }
