/// A Solana address: 32 bytes, written in base58 (Bitcoin alphabet).
///
/// Ordering is byte-wise lexicographic, the order of Rust's `Pubkey` (and so of the
/// `BTreeMap` that `MessageV0::try_compile` uses to sort accounts).
public struct SolanaPublicKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    /// The number of bytes of a public key.
    public static let byteCount = 32
    /// The longest base58 text of 32 bytes.
    public static let maxBase58Length = 44

    /// Wraps 32 raw bytes.
    /// - Throws: `.solanaInvalidPublicKey` unless exactly 32 bytes are given.
    public init(bytes: some Collection<UInt8>) throws(X402SError) {
        guard bytes.count == SolanaPublicKey.byteCount else {
            throw X402SError(.solanaInvalidPublicKey, "a Solana public key is 32 bytes, got \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// Parses base58 text of exactly 32 bytes.
    /// - Throws: `.solanaInvalidPublicKey` for text longer than 44 characters, characters outside
    ///   the base58 alphabet, or a decoded length other than 32.
    public init(base58: String) throws(X402SError) {
        guard base58.utf8.count <= SolanaPublicKey.maxBase58Length else {
            throw X402SError(.solanaInvalidPublicKey, "base58 public key longer than 44 characters")
        }
        do {
            self.bytes = try Base58.decode32(base58)
        } catch {
            throw X402SError(.solanaInvalidPublicKey, "not base58 text of 32 bytes")
        }
    }

    /// For compile-time constants only: the caller guarantees 32 bytes.
    init(constant bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The base58 text of the key.
    public var base58: String { Base58.encode(bytes) }

    /// The base58 text of the key.
    public var description: String { base58 }

    /// Byte-wise lexicographic order.
    public static func < (a: SolanaPublicKey, b: SolanaPublicKey) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    /// Whether the key decompresses to an Ed25519 curve point (see ``isOnCurve(_:)``).
    public var isOnCurve: Bool { Curve25519.isOnCurve(bytes) }

    /// Whether 32 bytes decompress to an Ed25519 curve point, with the exact semantics of
    /// curve25519-dalek's `CompressedEdwardsY::decompress().is_some()` (Solana's
    /// `bytes_are_curve_point`): the top bit is ignored, y is taken mod p, and
    /// (y^2 - 1)/(d*y^2 + 1) must be a square. Any length other than 32 gives `false`.
    public static func isOnCurve(_ bytes: some Collection<UInt8>) -> Bool {
        Curve25519.isOnCurve(bytes)
    }

    // MARK: Well-known program ids

    /// SPL Token program, `TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`.
    public static let tokenProgram = SolanaPublicKey(constant: [
        0x06, 0xdd, 0xf6, 0xe1, 0xd7, 0x65, 0xa1, 0x93, 0xd9, 0xcb, 0xe1, 0x46, 0xce, 0xeb, 0x79, 0xac,
        0x1c, 0xb4, 0x85, 0xed, 0x5f, 0x5b, 0x37, 0x91, 0x3a, 0x8c, 0xf5, 0x85, 0x7e, 0xff, 0x00, 0xa9,
    ])
    /// SPL Token-2022 program, `TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`.
    public static let token2022Program = SolanaPublicKey(constant: [
        0x06, 0xdd, 0xf6, 0xe1, 0xee, 0x75, 0x8f, 0xde, 0x18, 0x42, 0x5d, 0xbc, 0xe4, 0x6c, 0xcd, 0xda,
        0xb6, 0x1a, 0xfc, 0x4d, 0x83, 0xb9, 0x0d, 0x27, 0xfe, 0xbd, 0xf9, 0x28, 0xd8, 0xa1, 0x8b, 0xfc,
    ])
    /// Compute Budget program, `ComputeBudget111111111111111111111111111111`.
    public static let computeBudgetProgram = SolanaPublicKey(constant: [
        0x03, 0x06, 0x46, 0x6f, 0xe5, 0x21, 0x17, 0x32, 0xff, 0xec, 0xad, 0xba, 0x72, 0xc3, 0x9b, 0xe7,
        0xbc, 0x8c, 0xe5, 0xbb, 0xc5, 0xf7, 0x12, 0x6b, 0x2c, 0x43, 0x9b, 0x3a, 0x40, 0x00, 0x00, 0x00,
    ])
    /// SPL Memo program (v2), `MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr`.
    public static let memoProgram = SolanaPublicKey(constant: [
        0x05, 0x4a, 0x53, 0x5a, 0x99, 0x29, 0x21, 0x06, 0x4d, 0x24, 0xe8, 0x71, 0x60, 0xda, 0x38, 0x7c,
        0x7c, 0x35, 0xb5, 0xdd, 0xbc, 0x92, 0xbb, 0x81, 0xe4, 0x1f, 0xa8, 0x40, 0x41, 0x05, 0x44, 0x8d,
    ])
    /// Lighthouse (wallet assertion) program, `L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95`.
    public static let lighthouseProgram = SolanaPublicKey(constant: [
        0x04, 0xdf, 0xad, 0x79, 0x62, 0xff, 0xb1, 0xdd, 0x92, 0x5d, 0x0a, 0x9f, 0xb5, 0xe6, 0xd0, 0x0c,
        0xe6, 0x19, 0x5b, 0xa8, 0xbb, 0x3a, 0x91, 0xfd, 0x07, 0xef, 0x98, 0x60, 0xc5, 0xe9, 0x7b, 0xb8,
    ])
    /// Associated Token Account program, `ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL`.
    public static let associatedTokenProgram = SolanaPublicKey(constant: [
        0x8c, 0x97, 0x25, 0x8f, 0x4e, 0x24, 0x89, 0xf1, 0xbb, 0x3d, 0x10, 0x29, 0x14, 0x8e, 0x0d, 0x83,
        0x0b, 0x5a, 0x13, 0x99, 0xda, 0xff, 0x10, 0x84, 0x04, 0x8e, 0x7b, 0xd8, 0xdb, 0xe9, 0xf8, 0x59,
    ])
    /// System program, `11111111111111111111111111111111` (32 zero bytes).
    public static let systemProgram = SolanaPublicKey(constant: [UInt8](repeating: 0, count: 32))
}

// MARK: - Program-derived addresses

extension SolanaPublicKey {
    /// Most seeds `createProgramAddress` accepts (the bump seed included).
    public static let maxSeeds = 16
    /// Longest seed, in bytes.
    public static let maxSeedLength = 32
    private static let pdaMarker = Array("ProgramDerivedAddress".utf8)

    /// `sha256(seed_0 || ... || seed_n || programId || "ProgramDerivedAddress")`, which must be
    /// off the curve (Solana's `create_program_address`).
    /// - Throws: `.invalidArgument` for more than 16 seeds or a seed over 32 bytes;
    ///   `.solanaNoProgramAddress` when the hash is a curve point.
    public static func createProgramAddress(
        seeds: [[UInt8]], programId: SolanaPublicKey
    ) throws(X402SError) -> SolanaPublicKey {
        try checkSeeds(seeds, limit: maxSeeds)
        guard let address = programAddressCandidate(seeds: seeds, bump: nil, programId: programId) else {
            throw X402SError(.solanaNoProgramAddress, "the seeds hash to a point on the curve")
        }
        return address
    }

    /// The canonical program-derived address: the first bump from 255 down to 1 whose
    /// address is off the curve, exactly as Solana's `try_find_program_address` (whose loop
    /// `for _ in 0..u8::MAX` never tries bump 0).
    /// - Parameter seeds: at most 15 seeds (the bump is the 16th), each at most 32 bytes.
    /// - Throws: `.invalidArgument` for too many or too long seeds; `.solanaNoProgramAddress`
    ///   when every bump gives a curve point (probability about 2^-255).
    public static func findProgramAddress(
        seeds: [[UInt8]], programId: SolanaPublicKey
    ) throws(X402SError) -> (address: SolanaPublicKey, bump: UInt8) {
        try checkSeeds(seeds, limit: maxSeeds - 1)
        var bump: UInt8 = 255
        while bump >= 1 {
            if let address = programAddressCandidate(seeds: seeds, bump: bump, programId: programId) {
                return (address, bump)
            }
            bump -= 1
        }
        throw X402SError(.solanaNoProgramAddress, "no bump seed gives an off-curve address")
    }

    /// The associated token account of `owner` for `mint`:
    /// `findProgramAddress([owner, tokenProgram, mint], ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL)`.
    /// - Throws: `.solanaNoProgramAddress` in the (practically impossible) case that no bump works.
    public static func associatedTokenAddress(
        owner: SolanaPublicKey, mint: SolanaPublicKey, tokenProgram: SolanaPublicKey = .tokenProgram
    ) throws(X402SError) -> SolanaPublicKey {
        try findProgramAddress(
            seeds: [owner.bytes, tokenProgram.bytes, mint.bytes], programId: .associatedTokenProgram
        ).address
    }

    private static func checkSeeds(_ seeds: [[UInt8]], limit: Int) throws(X402SError) {
        guard seeds.count <= limit else {
            throw X402SError(.invalidArgument, "at most \(limit) seeds are allowed here, got \(seeds.count)")
        }
        for (i, seed) in seeds.enumerated() where seed.count > maxSeedLength {
            throw X402SError(.invalidArgument, "seed \(i) is longer than 32 bytes")
        }
    }

    private static func programAddressCandidate(
        seeds: [[UInt8]], bump: UInt8?, programId: SolanaPublicKey
    ) -> SolanaPublicKey? {
        var parts = seeds
        if let bump { parts.append([bump]) }
        parts.append(programId.bytes)
        parts.append(pdaMarker)
        let hash = SHA256.hash(parts: parts)
        if Curve25519.isOnCurve(hash) { return nil }
        return SolanaPublicKey(constant: hash)
    }
}
