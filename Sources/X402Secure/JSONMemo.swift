#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide memo of the `types` and `domain` members of top-level JSON objects (as in
/// EIP-712 documents), keyed by their exact bytes.
///
/// Applications sign many documents with the same `types` and `domain`; when the bytes of
/// such a value equal a value parsed before (at the same depth limit), the parser returns
/// that earlier value instead of parsing it again. The result is the same: the bytes were
/// a complete, valid JSON object then (an object is self-delimiting, and the whole input's
/// UTF-8 is checked before parsing), so they parse to an equal value now. The returned
/// value shares its storage with the earlier one, which also makes the equality checks of
/// the EIP-712 type-table and domain caches immediate. Bounded (8 entries of at most 4 KiB);
/// thread-safe.
enum JSONTypesMemo {
    static let maxEntries = 8
    static let maxBytes = 4096

    struct Entry {
        let bytes: [UInt8]
        let maxDepth: Int
        let value: JSONValue
    }

    static let storage = Locked<[Entry]>([])

    /// The memoised value whose bytes start at `p` (with `available` bytes readable), and
    /// its length in bytes.
    static func lookup(_ p: UnsafePointer<UInt8>, available: Int, maxDepth: Int) -> (JSONValue, Int)? {
        storage.withLock { entries -> (JSONValue, Int)? in
            for e in entries where e.maxDepth == maxDepth && e.bytes.count <= available {
                let same = e.bytes.withUnsafeBufferPointer { b -> Bool in
                    guard let base = b.baseAddress else { return false }
                    return memcmp(base, p, b.count) == 0
                }
                if same { return (e.value, e.bytes.count) }
            }
            return nil
        }
    }

    /// Remembers `value`, parsed from the `count` bytes at `p` (objects only).
    static func store(_ p: UnsafePointer<UInt8>, count: Int, maxDepth: Int, _ value: JSONValue) {
        guard count > 0, count <= maxBytes, case .object = value else { return }
        let bytes = Array(UnsafeBufferPointer(start: p, count: count))
        storage.withLock { entries in
            entries.insert(Entry(bytes: bytes, maxDepth: maxDepth, value: value), at: 0)
            if entries.count > maxEntries { entries.removeLast() }
        }
    }
}
