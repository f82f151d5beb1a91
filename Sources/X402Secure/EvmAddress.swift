/// A 20-byte Ethereum (EVM) account address.
///
/// Parsing accepts `0x` followed by 40 hex digits that are all lowercase or all
/// uppercase, or mixed case that is a valid EIP-55 checksum. Two addresses are equal
/// when their bytes are equal, whatever case they were written in.
public struct EvmAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    /// Size of an address in bytes.
    public static let byteCount = 20

    /// Creates an address from its 20 bytes.
    ///
    /// - Parameter bytes: exactly 20 bytes.
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidAddress`` if `bytes` is not 20 bytes long.
    public init(bytes: [UInt8]) throws(X402SError) {
        guard bytes.count == Self.byteCount else {
            throw X402SError(.invalidAddress, "an EVM address is 20 bytes")
        }
        self.bytes = bytes
    }

    /// Internal initialiser for bytes whose length the caller has already checked.
    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses `0x` + 40 hex digits.
    ///
    /// - Parameter string: the address text. All-lowercase and all-uppercase digits are
    ///   accepted without a checksum; mixed case must match EIP-55 exactly.
    /// - Throws: ``X402SError`` with ``X402SStatus/invalidAddress`` if the text is not `0x`
    ///   plus 40 hex digits or its mixed-case checksum is wrong.
    public init(string: String) throws(X402SError) {
        var s = string
        let parsed: Result<[UInt8], X402SError> = s.withUTF8 { utf8 in
            guard utf8.count == 42, utf8[0] == 0x30, utf8[1] == 0x78 else {
                return .failure(X402SError(.invalidAddress, "an EVM address is 0x followed by 40 hex digits"))
            }
            var hasLower = false
            var hasUpper = false
            for i in 2..<42 {
                let c = utf8[i]
                if c >= 0x61 && c <= 0x66 { hasLower = true }
                if c >= 0x41 && c <= 0x46 { hasUpper = true }
            }
            guard case .success(let bytes) = Hex.decodeBuffer(UnsafeRawBufferPointer(utf8), requirePrefix: true) else {
                return .failure(X402SError(.invalidAddress, "an EVM address is 0x followed by 40 hex digits"))
            }
            if hasLower && hasUpper {
                let expected = EvmAddress.checksumText(bytes)
                var same = true
                expected.withUnsafeBytes { e in
                    for i in 0..<42 where e[i] != utf8[i] { same = false }
                }
                if !same {
                    return .failure(X402SError(.invalidAddress, "EVM address has a wrong EIP-55 checksum"))
                }
            }
            return .success(bytes)
        }
        self.bytes = try parsed.get()
    }

    /// The EIP-55 mixed-case checksummed form, e.g. `0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed`.
    public var checksummed: String {
        let text = Self.checksumText(bytes)
        return String(decoding: text, as: UTF8.self)
    }

    /// The all-lowercase form with `0x` prefix.
    public var lowercased: String { Hex.encode(bytes) }

    /// Same as ``checksummed``.
    public var description: String { checksummed }

    /// `0x` + 40 digits, letters uppercased where the keccak-256 of the lowercase hex
    /// (without `0x`) has a nibble >= 8 (EIP-55).
    static func checksumText(_ bytes: [UInt8]) -> [UInt8] {
        var text = [UInt8](repeating: 0, count: 42)
        text[0] = 0x30
        text[1] = 0x78
        for i in 0..<Swift.min(bytes.count, 20) {
            text[2 + 2 * i] = Hex.digit(bytes[i] >> 4)
            text[3 + 2 * i] = Hex.digit(bytes[i] & 0x0f)
        }
        let hash = text.withUnsafeBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: $0[2..<42])) }
        for i in 0..<40 {
            let h = hash[i / 2]
            let nibble = i % 2 == 0 ? h >> 4 : h & 0x0f
            let c = text[2 + i]
            if nibble >= 8 && c >= 0x61 { text[2 + i] = c &- 0x20 }
        }
        return text
    }
}
