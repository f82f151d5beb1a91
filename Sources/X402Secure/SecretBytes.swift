internal import CSodium

/// Secret bytes (private keys, seeds) kept in one heap buffer that is wiped with
/// `sodium_memzero` when the object goes away.
///
/// The contents are never printed: `description` shows only the length. Copying the
/// reference does not copy the secret. Read it only inside ``withUnsafeBytes(_:)`` and
/// do not let the pointer escape.
public final class SecretBytes: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: UnsafeMutableRawBufferPointer

    /// Copies `bytes` into a new secret buffer.
    ///
    /// - Parameter bytes: the secret; the caller stays responsible for wiping its own copy.
    public init(copying bytes: some Collection<UInt8>) {
        let n = bytes.count
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(n, 1), alignment: 16)
        var i = 0
        for b in bytes {
            if i >= n { break }
            storage[i] = b
            i += 1
        }
        count = i
    }

    /// Creates a zero-filled secret of `count` bytes and lets `body` fill it in place,
    /// so the secret never exists outside this buffer.
    init(count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let n = Swift.max(count, 0)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(n, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]))
        } catch {
            sodium_memzero(buffer.baseAddress, buffer.count)
            buffer.deallocate()
            throw error
        }
        storage = buffer
        self.count = n
    }

    deinit {
        sodium_memzero(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// Number of secret bytes.
    public let count: Int

    /// Calls `body` with a read-only view of the secret.
    ///
    /// - Parameter body: receives the `count` secret bytes; the pointer is valid only during the call.
    /// - Returns: what `body` returns.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// `SecretBytes(<count> bytes)`; never the contents.
    public var description: String { "SecretBytes(\(count) bytes)" }

    /// Same as ``description``; never the contents.
    public var debugDescription: String { description }
}

/// Overwrites a temporary array that held secret material with zeros (`sodium_memzero`,
/// which the optimiser cannot drop).
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buf in
        if let base = buf.baseAddress, buf.count > 0 {
            sodium_memzero(base, buf.count)
        }
    }
}
