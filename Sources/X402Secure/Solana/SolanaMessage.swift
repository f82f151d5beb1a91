/// One account of an instruction, before compilation.
public struct SolanaAccountMeta: Hashable, Sendable {
    /// The account address.
    public var publicKey: SolanaPublicKey
    /// Whether the account must sign the transaction.
    public var isSigner: Bool
    /// Whether the instruction may write the account.
    public var isWritable: Bool

    /// Creates an account reference.
    public init(publicKey: SolanaPublicKey, isSigner: Bool, isWritable: Bool) {
        self.publicKey = publicKey
        self.isSigner = isSigner
        self.isWritable = isWritable
    }
}

/// An instruction before compilation: program, accounts and opaque data.
public struct SolanaInstruction: Hashable, Sendable {
    /// The program that runs the instruction.
    public var programId: SolanaPublicKey
    /// The accounts the instruction reads or writes, in the program's order.
    public var accounts: [SolanaAccountMeta]
    /// The instruction data.
    public var data: [UInt8]

    /// Creates an instruction.
    public init(programId: SolanaPublicKey, accounts: [SolanaAccountMeta], data: [UInt8]) {
        self.programId = programId
        self.accounts = accounts
        self.data = data
    }
}

/// The three counts that classify a message's static account keys.
public struct SolanaMessageHeader: Hashable, Sendable {
    /// Signatures required; the first this many account keys sign.
    public var numRequiredSignatures: UInt8
    /// Of the signers, how many (the last ones) are read-only.
    public var numReadonlySignedAccounts: UInt8
    /// Of the non-signers, how many (the last ones) are read-only.
    public var numReadonlyUnsignedAccounts: UInt8

    /// Creates a header.
    public init(numRequiredSignatures: UInt8, numReadonlySignedAccounts: UInt8, numReadonlyUnsignedAccounts: UInt8) {
        self.numRequiredSignatures = numRequiredSignatures
        self.numReadonlySignedAccounts = numReadonlySignedAccounts
        self.numReadonlyUnsignedAccounts = numReadonlyUnsignedAccounts
    }
}

/// An instruction inside a message: indices into the account list.
public struct SolanaCompiledInstruction: Hashable, Sendable {
    /// Index of the program id among the static account keys.
    public var programIdIndex: UInt8
    /// Indices of the accounts (static keys first, then keys loaded from lookup tables).
    public var accounts: [UInt8]
    /// The instruction data.
    public var data: [UInt8]

    /// Creates a compiled instruction.
    public init(programIdIndex: UInt8, accounts: [UInt8], data: [UInt8]) {
        self.programIdIndex = programIdIndex
        self.accounts = accounts
        self.data = data
    }
}

/// A v0 address-table lookup: which entries of an on-chain table the message loads.
public struct SolanaAddressTableLookup: Hashable, Sendable {
    /// The lookup table account.
    public var accountKey: SolanaPublicKey
    /// Table indices loaded as writable accounts.
    public var writableIndexes: [UInt8]
    /// Table indices loaded as read-only accounts.
    public var readonlyIndexes: [UInt8]

    /// Creates a lookup.
    public init(accountKey: SolanaPublicKey, writableIndexes: [UInt8], readonlyIndexes: [UInt8]) {
        self.accountKey = accountKey
        self.writableIndexes = writableIndexes
        self.readonlyIndexes = readonlyIndexes
    }
}

/// The message format: legacy (no prefix byte) or versioned v0 (prefix 0x80).
public enum SolanaMessageVersion: Hashable, Sendable {
    /// The original format, without address-table lookups.
    case legacy
    /// Version 0, prefixed with 0x80, with address-table lookups.
    case v0
}

/// A Solana transaction message (legacy or v0), as serialized on the wire and signed.
public struct SolanaMessage: Hashable, Sendable {
    /// Legacy or v0.
    public var version: SolanaMessageVersion
    /// The account classification counts.
    public var header: SolanaMessageHeader
    /// The static account keys: writable signers, read-only signers, writable non-signers,
    /// read-only non-signers.
    public var accountKeys: [SolanaPublicKey]
    /// The recent blockhash (32 bytes).
    public var recentBlockhash: [UInt8]
    /// The compiled instructions.
    public var instructions: [SolanaCompiledInstruction]
    /// Address-table lookups (always empty for legacy messages).
    public var addressTableLookups: [SolanaAddressTableLookup]

    /// The 0x80 prefix of a v0 message.
    public static let v0Prefix: UInt8 = 0x80
    /// Solana's largest transaction on the wire (`PACKET_DATA_SIZE`).
    public static let maxTransactionSize = 1232

    /// Creates a message from its parts (no validation; ``sanitize()`` and ``serialize()`` check).
    public init(
        version: SolanaMessageVersion, header: SolanaMessageHeader, accountKeys: [SolanaPublicKey],
        recentBlockhash: [UInt8], instructions: [SolanaCompiledInstruction],
        addressTableLookups: [SolanaAddressTableLookup] = []
    ) {
        self.version = version
        self.header = header
        self.accountKeys = accountKeys
        self.recentBlockhash = recentBlockhash
        self.instructions = instructions
        self.addressTableLookups = addressTableLookups
    }

    // MARK: Compile

    /// Compiles instructions into a v0 message without lookup tables, with the account order of
    /// solana-sdk's `MessageV0::try_compile` (`CompiledKeys`): the payer first, then writable
    /// signers, read-only signers, writable non-signers, read-only non-signers, each group in
    /// byte order of the keys; signer/writable flags of repeated keys are OR-ed; program ids are
    /// included as they are referenced.
    /// - Throws: `.invalidLength` if `recentBlockhash` is not 32 bytes; `.invalidArgument` if
    ///   more than 256 accounts (or 255 signers, or 255 read-only non-signers) are referenced;
    ///   `.inputTooLarge` if an instruction has more than 65535 accounts or data bytes.
    public static func compileV0(
        payer: SolanaPublicKey, instructions: [SolanaInstruction], recentBlockhash: [UInt8]
    ) throws(X402SError) -> SolanaMessage {
        guard recentBlockhash.count == 32 else {
            throw X402SError(.invalidLength, "the recent blockhash is 32 bytes, got \(recentBlockhash.count)")
        }
        var flags: [SolanaPublicKey: (signer: Bool, writable: Bool)] = [:]
        for ix in instructions {
            guard ix.accounts.count <= 0xffff, ix.data.count <= 0xffff else {
                throw X402SError(.inputTooLarge, "an instruction has more than 65535 accounts or data bytes")
            }
            if flags[ix.programId] == nil { flags[ix.programId] = (false, false) }
            for meta in ix.accounts {
                let old = flags[meta.publicKey] ?? (false, false)
                flags[meta.publicKey] = (old.signer || meta.isSigner, old.writable || meta.isWritable)
            }
        }
        flags.removeValue(forKey: payer)
        let sorted = flags.keys.sorted()
        func group(signer: Bool, writable: Bool) -> [SolanaPublicKey] {
            sorted.filter { k in flags[k].map { $0.signer == signer && $0.writable == writable } ?? false }
        }
        let writableSigners = [payer] + group(signer: true, writable: true)
        let readonlySigners = group(signer: true, writable: false)
        let writableNonSigners = group(signer: false, writable: true)
        let readonlyNonSigners = group(signer: false, writable: false)
        let keys = writableSigners + readonlySigners + writableNonSigners + readonlyNonSigners
        guard keys.count <= 256, writableSigners.count + readonlySigners.count <= 255,
            readonlyNonSigners.count <= 255
        else {
            throw X402SError(.invalidArgument, "a message can reference at most 256 accounts (255 signers), got \(keys.count)")
        }
        var index: [SolanaPublicKey: UInt8] = [:]
        for (i, k) in keys.enumerated() { index[k] = UInt8(truncatingIfNeeded: i) }
        var compiled: [SolanaCompiledInstruction] = []
        compiled.reserveCapacity(instructions.count)
        for ix in instructions {
            guard let p = index[ix.programId] else {
                throw X402SError(.internal, "program id missing from the compiled keys")
            }
            var accounts: [UInt8] = []
            accounts.reserveCapacity(ix.accounts.count)
            for meta in ix.accounts {
                guard let a = index[meta.publicKey] else {
                    throw X402SError(.internal, "account missing from the compiled keys")
                }
                accounts.append(a)
            }
            compiled.append(SolanaCompiledInstruction(programIdIndex: p, accounts: accounts, data: ix.data))
        }
        let header = SolanaMessageHeader(
            numRequiredSignatures: UInt8(truncatingIfNeeded: writableSigners.count + readonlySigners.count),
            numReadonlySignedAccounts: UInt8(truncatingIfNeeded: readonlySigners.count),
            numReadonlyUnsignedAccounts: UInt8(truncatingIfNeeded: readonlyNonSigners.count))
        return SolanaMessage(
            version: .v0, header: header, accountKeys: keys, recentBlockhash: recentBlockhash,
            instructions: compiled, addressTableLookups: [])
    }

    // MARK: Serialize

    /// The wire bytes of the message, which are also the bytes every signer signs
    /// (v0: starting with 0x80).
    /// - Throws: `.invalidLength` if the blockhash is not 32 bytes; `.invalidArgument` if a
    ///   legacy message has lookups or a list is longer than 65535.
    public func serialize() throws(X402SError) -> [UInt8] {
        guard recentBlockhash.count == 32 else {
            throw X402SError(.invalidLength, "the recent blockhash is 32 bytes, got \(recentBlockhash.count)")
        }
        if version == .legacy && !addressTableLookups.isEmpty {
            throw X402SError(.invalidArgument, "a legacy message cannot have address-table lookups")
        }
        func checkCount(_ n: Int) throws(X402SError) {
            guard n <= 0xffff else { throw X402SError(.invalidArgument, "a message list is longer than 65535") }
        }
        var out: [UInt8] = []
        out.reserveCapacity(64 + accountKeys.count * 32 + instructions.count * 16)
        if version == .v0 { out.append(SolanaMessage.v0Prefix) }
        out.append(header.numRequiredSignatures)
        out.append(header.numReadonlySignedAccounts)
        out.append(header.numReadonlyUnsignedAccounts)
        try checkCount(accountKeys.count)
        CompactU16.encode(accountKeys.count, into: &out)
        for k in accountKeys { out.append(contentsOf: k.bytes) }
        out.append(contentsOf: recentBlockhash)
        try checkCount(instructions.count)
        CompactU16.encode(instructions.count, into: &out)
        for ix in instructions {
            out.append(ix.programIdIndex)
            try checkCount(ix.accounts.count)
            CompactU16.encode(ix.accounts.count, into: &out)
            out.append(contentsOf: ix.accounts)
            try checkCount(ix.data.count)
            CompactU16.encode(ix.data.count, into: &out)
            out.append(contentsOf: ix.data)
        }
        if version == .v0 {
            try checkCount(addressTableLookups.count)
            CompactU16.encode(addressTableLookups.count, into: &out)
            for l in addressTableLookups {
                out.append(contentsOf: l.accountKey.bytes)
                try checkCount(l.writableIndexes.count)
                CompactU16.encode(l.writableIndexes.count, into: &out)
                out.append(contentsOf: l.writableIndexes)
                try checkCount(l.readonlyIndexes.count)
                CompactU16.encode(l.readonlyIndexes.count, into: &out)
                out.append(contentsOf: l.readonlyIndexes)
            }
        }
        return out
    }

    // MARK: Parse

    /// Parses exactly one serialized message; trailing bytes are rejected.
    /// - Throws: `.solanaInvalidTransaction` (truncation, bad compact-u16, unknown version,
    ///   trailing bytes).
    public init(bytes: [UInt8]) throws(X402SError) {
        var reader = SolanaByteReader(bytes)
        try self.init(reader: &reader)
        guard reader.isAtEnd else {
            throw X402SError(.solanaInvalidTransaction, "\(reader.remaining) trailing bytes after the message")
        }
    }

    /// Parses a message at the reader's position (deserialization only, as `bincode` does;
    /// see ``sanitize()`` for the structural rules).
    init(reader: inout SolanaByteReader) throws(X402SError) {
        let first = try reader.readByte("message header")
        let numRequired: UInt8
        if first & 0x80 != 0 {
            guard first & 0x7f == 0 else {
                throw X402SError(.solanaInvalidTransaction, "unsupported message version \(first & 0x7f)")
            }
            version = .v0
            numRequired = try reader.readByte("message header")
        } else {
            version = .legacy
            numRequired = first
        }
        header = SolanaMessageHeader(
            numRequiredSignatures: numRequired,
            numReadonlySignedAccounts: try reader.readByte("message header"),
            numReadonlyUnsignedAccounts: try reader.readByte("message header"))
        let keyCount = try reader.readCompactU16("account key count")
        accountKeys = try reader.readArray(count: keyCount, itemSize: 32, "account keys") { r throws(X402SError) in
            SolanaPublicKey(constant: try r.readBytes(32, "account key"))
        }
        recentBlockhash = try reader.readBytes(32, "recent blockhash")
        let ixCount = try reader.readCompactU16("instruction count")
        // An instruction is at least 3 bytes: program index, two empty lengths.
        instructions = try reader.readArray(count: ixCount, itemSize: 3, "instructions") { r throws(X402SError) in
            let program = try r.readByte("program id index")
            let n = try r.readCompactU16("instruction account count")
            let accounts = try r.readBytes(n, "instruction accounts")
            let d = try r.readCompactU16("instruction data length")
            let data = try r.readBytes(d, "instruction data")
            return SolanaCompiledInstruction(programIdIndex: program, accounts: accounts, data: data)
        }
        if version == .v0 {
            let lookupCount = try reader.readCompactU16("address table lookup count")
            // A lookup is at least 34 bytes: key and two empty lengths.
            addressTableLookups = try reader.readArray(count: lookupCount, itemSize: 34, "address table lookups") {
                r throws(X402SError) in
                let key = SolanaPublicKey(constant: try r.readBytes(32, "lookup table key"))
                let w = try r.readCompactU16("writable index count")
                let writable = try r.readBytes(w, "writable indexes")
                let ro = try r.readCompactU16("readonly index count")
                let readonly = try r.readBytes(ro, "readonly indexes")
                return SolanaAddressTableLookup(accountKey: key, writableIndexes: writable, readonlyIndexes: readonly)
            }
        } else {
            addressTableLookups = []
        }
    }

    // MARK: Sanitize

    /// The number of accounts the lookups load.
    public var numLookupAccounts: Int {
        addressTableLookups.reduce(0) { $0 + $1.writableIndexes.count + $1.readonlyIndexes.count }
    }

    /// Solana's `Message::sanitize` / `v0::Message::sanitize`: at least one writable signer,
    /// header counts within the static keys, every lookup loads an account, at most 256
    /// accounts in all (v0), every program id a static key other than the fee payer, every
    /// account index in range.
    /// - Throws: `.solanaInvalidTransaction` naming the rule that failed.
    public func sanitize() throws(X402SError) {
        func fail(_ m: String) -> X402SError { X402SError(.solanaInvalidTransaction, m) }
        let staticCount = accountKeys.count
        guard Int(header.numRequiredSignatures) + Int(header.numReadonlyUnsignedAccounts) <= staticCount else {
            throw fail("the header counts more accounts than the message has")
        }
        guard header.numReadonlySignedAccounts < header.numRequiredSignatures else {
            throw fail("the message has no writable signer (fee payer)")
        }
        guard recentBlockhash.count == 32 else { throw fail("the recent blockhash is not 32 bytes") }
        if version == .legacy && !addressTableLookups.isEmpty {
            throw fail("a legacy message cannot have address-table lookups")
        }
        for l in addressTableLookups where l.writableIndexes.isEmpty && l.readonlyIndexes.isEmpty {
            throw fail("an address-table lookup loads no account")
        }
        let total = staticCount + numLookupAccounts
        guard staticCount > 0 else { throw fail("the message has no account keys") }
        // v0 only, as in Solana: legacy sanitize has no such bound (indices are u8 anyway).
        if version == .v0 && total > 256 { throw fail("the message references more than 256 accounts") }
        for ix in instructions {
            guard Int(ix.programIdIndex) < staticCount, ix.programIdIndex != 0 else {
                throw fail("an instruction's program id index is out of range or is the fee payer")
            }
            for a in ix.accounts where Int(a) >= total {
                throw fail("an instruction's account index is out of range")
            }
        }
    }
}
