#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three hashes of an EIP-712 typed-data document.
public struct EIP712Hashes: Sendable, Equatable {
    /// `hashStruct(EIP712Domain, domain)` (32 bytes).
    public let domainSeparator: [UInt8]
    /// `hashStruct(primaryType, message)` (32 bytes).
    public let structHash: [UInt8]
    /// `keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash)`: the digest that is signed (32 bytes).
    public let digest: [UInt8]

    /// Creates the triple.
    public init(domainSeparator: [UInt8], structHash: [UInt8], digest: [UInt8]) {
        self.domainSeparator = domainSeparator
        self.structHash = structHash
        self.digest = digest
    }
}

/// EIP-712 typed structured data hashing (`eth_signTypedData_v4` semantics).
///
/// Output is byte-identical to eth_account 0.14 `encode_typed_data(full_message=...)` for
/// every document accepted here. This implementation accepts a strict, unambiguous subset
/// of what eth_account accepts:
///
/// **Document.** An object with `types` (object), `primaryType` (string), `domain` (object)
/// and `message` (object); a missing or mis-shaped part is ``X402SStatus/eip712InvalidDocument``.
/// `primaryType` must be a struct in `types` (else ``X402SStatus/eip712UnknownType``) and, as
/// eth_account requires, the one struct (other than `EIP712Domain`) that no other struct
/// references (else ``X402SStatus/eip712InvalidDocument``).
///
/// **Types.** Each struct is an array of `{"name": ..., "type": ...}` objects. Struct and
/// field names must be identifiers (`[A-Za-z_$][A-Za-z0-9_$]*`), field names unique within
/// a struct, and struct names must not be atomic type names (all `.eip712InvalidDocument`).
/// Field types are `bool`, `address`, `string`, `bytes`, `bytes1`...`bytes32`,
/// `uint8`...`uint256` and `int8`...`int256` in steps of 8, a struct name, or any of these
/// followed by array suffixes `[]` / `[n]` (n >= 1, no leading zeros), e.g. `uint256[][2]`.
/// Anything else (including eth_account's `uint`/`int` aliases) is
/// ``X402SStatus/eip712UnknownType``. Any cycle among struct types, even one a dynamic array
/// could terminate, is ``X402SStatus/eip712CyclicType``. Dependencies are encoded primary
/// first, then the others sorted by name (code point order).
///
/// **Domain.** Keys must be a subset of `name` (string), `version` (string), `chainId`
/// (uint256), `verifyingContract` (address), `salt` (bytes32). Without `types.EIP712Domain`
/// the domain type is derived from the keys present, in that canonical order (as eth_account
/// and viem do). With `types.EIP712Domain`, it must list exactly the domain's keys, with
/// those types, in canonical order (eth_account ignores the listed order and types while
/// MetaMask honours them; other documents are rejected so both agree).
///
/// **Values** (wrong JSON kind: ``X402SStatus/eip712InvalidValue``; missing or `null` field:
/// ``X402SStatus/eip712MissingField``; fields not declared in the type are rejected as
/// `.eip712InvalidValue`, where eth_account silently ignores them):
/// - `uintN`/`intN`: a JSON integer (no fraction or exponent), a decimal string (`-?[0-9]+`)
///   or a `0x` hex string (>= 1 digit, never negative). Out of range (including >= 2^256):
///   ``X402SStatus/eip712ValueOutOfRange``. `intN` is encoded in two's complement.
/// - `address`: a `0x` + 40 hex digit string, either case; the EIP-55 checksum is not
///   checked (the hash does not depend on case; eth_account does not check it either).
///   Other hex lengths are `.eip712ValueOutOfRange`.
/// - `bool`: JSON `true`/`false` only (eth_account also treats strings and numbers by
///   Python truthiness; that is rejected here).
/// - `string`: a JSON string, hashed as its UTF-8 bytes.
/// - `bytes`: a `0x` string with an even number of hex digits (`"0x"` is empty).
/// - `bytesN`: same, at most N bytes, right-padded with zeros to 32 bytes exactly as
///   eth_account/eth_abi do for shorter values; more than N bytes is `.eip712ValueOutOfRange`.
/// - arrays: a JSON array; a fixed-size array must have exactly n elements (eth_account
///   does not check; rejected here as `.eip712InvalidValue`).
/// - structs: a JSON object.
/// Hex is always lowercase-`0x`-prefixed (eth_account reads `"0X12"` as text for `bytes`).
///
/// **Caching.** Parsed `types` tables (with their type hashes) and domain separators are
/// kept in small process-wide most-recently-used caches, keyed by exact structural equality
/// of the `types` value / `domain` object, so repeated documents (the same token, chain and
/// struct on every payment) skip that work. The caches are bounded (16 tables, 32 domains,
/// small entries only), thread-safe, and hold only successfully validated inputs.
public enum EIP712 {
    /// Hashes a full typed-data document given as UTF-8 JSON.
    ///
    /// JSON errors are reported with the JSON statuses (``X402SStatus/invalidJSON`` etc.) under
    /// the default ``JSONLimits``.
    public static func hash(json: UnsafeRawBufferPointer) throws(X402SError) -> EIP712Hashes {
        try hash(JSONValue.parse(json))
    }

    /// Hashes a full typed-data document given as UTF-8 JSON bytes.
    public static func hash(json: [UInt8]) throws(X402SError) -> EIP712Hashes {
        try hash(JSONValue.parse(json))
    }

    /// Hashes a full typed-data document `{types, primaryType, domain, message}`.
    public static func hash(_ document: JSONValue) throws(X402SError) -> EIP712Hashes {
        guard case .object(let doc) = document else {
            throw X402SError(.eip712InvalidDocument, "typed data must be a JSON object")
        }
        guard let typesV = doc["types"] else { throw X402SError(.eip712InvalidDocument, "typed data has no 'types'") }
        guard let primaryV = doc["primaryType"] else {
            throw X402SError(.eip712InvalidDocument, "typed data has no 'primaryType'")
        }
        guard let domainV = doc["domain"] else { throw X402SError(.eip712InvalidDocument, "typed data has no 'domain'") }
        guard let messageV = doc["message"] else { throw X402SError(.eip712InvalidDocument, "typed data has no 'message'") }
        guard case .string(let primary) = primaryV else {
            throw X402SError(.eip712InvalidDocument, "'primaryType' must be a string")
        }
        guard case .object(let domain) = domainV else {
            throw X402SError(.eip712InvalidDocument, "'domain' must be an object")
        }
        guard case .object = messageV else {
            throw X402SError(.eip712InvalidDocument, "'message' must be an object")
        }
        let table = try TypeTable.cached(typesV, forDocument: true)
        guard let p = table.index(of: primary) else {
            throw X402SError(.eip712UnknownType, "primaryType \(hint(primary)) is not defined in 'types'")
        }
        try table.checkUniqueRoot(primary: p)
        let ds = try domainSeparatorHash(domain, declaredMask: table.domainDeclaration)
        var enc = Encoder(table: table)
        let sh = try enc.hashStruct(p, messageV, depth: 0)
        return EIP712Hashes(domainSeparator: ds, structHash: sh, digest: digest(ds, sh))
    }

    /// The `encodeType` string of `primaryType`: `Name(type name,...)` followed by its
    /// struct dependencies sorted by name. `types` is the `types` object of a document
    /// (it may include `EIP712Domain`).
    public static func encodeType(_ primaryType: String, types: JSONValue) throws(X402SError) -> String {
        let table = try TypeTable.cached(types, forDocument: false)
        guard let p = table.index(of: primaryType) else {
            throw X402SError(.eip712UnknownType, "type \(hint(primaryType)) is not defined in 'types'")
        }
        return String(decoding: table.encodeType(p), as: UTF8.self)
    }

    /// `keccak256(encodeType(primaryType))`.
    public static func typeHash(_ primaryType: String, types: JSONValue) throws(X402SError) -> [UInt8] {
        let table = try TypeTable.cached(types, forDocument: false)
        guard let p = table.index(of: primaryType) else {
            throw X402SError(.eip712UnknownType, "type \(hint(primaryType)) is not defined in 'types'")
        }
        return table.typeHash(p)
    }

    /// `hashStruct(type, value)` = `keccak256(typeHash ‖ encodeData(value))` for a struct
    /// defined in `types` (which may include `EIP712Domain`, hashed like any struct).
    public static func hashStruct(type: String, value: JSONValue, types: JSONValue) throws(X402SError) -> [UInt8] {
        let table = try TypeTable.cached(types, forDocument: false)
        guard let p = table.index(of: type) else {
            throw X402SError(.eip712UnknownType, "type \(hint(type)) is not defined in 'types'")
        }
        var enc = Encoder(table: table)
        return try enc.hashStruct(p, value, depth: 0)
    }

    /// The domain separator of a `domain` object, with the domain type derived from its keys
    /// (canonical order `name, version, chainId, verifyingContract, salt`).
    public static func domainSeparator(_ domain: JSONValue) throws(X402SError) -> [UInt8] {
        guard case .object(let d) = domain else {
            throw X402SError(.eip712InvalidDocument, "'domain' must be an object")
        }
        return try domainSeparatorHash(d, declaredMask: nil)
    }

    /// `keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash)`.
    ///
    /// - Throws: ``X402SStatus/invalidLength`` unless both inputs are 32 bytes.
    public static func digest(domainSeparator: [UInt8], structHash: [UInt8]) throws(X402SError) -> [UInt8] {
        guard domainSeparator.count == 32, structHash.count == 32 else {
            throw X402SError(.invalidLength, "domainSeparator and structHash must be 32 bytes each")
        }
        return digest(domainSeparator, structHash)
    }

    // MARK: - Internals

    static func digest(_ ds: [UInt8], _ sh: [UInt8]) -> [UInt8] {
        var buf = [UInt8](repeatElement(0, count: 66))
        buf[0] = 0x19
        buf[1] = 0x01
        buf.withUnsafeMutableBufferPointer { b in
            for i in 0..<Swift.min(32, ds.count) { b[2 + i] = ds[i] }
            for i in 0..<Swift.min(32, sh.count) { b[34 + i] = sh[i] }
        }
        return Keccak256.hash(buf)
    }

    /// Short, printable excerpt of caller text for error messages.
    static func hint(_ s: String) -> String {
        var out = "'"
        var n = 0
        for u in s.unicodeScalars {
            if n >= 48 { out += "..."; break }
            if u.value < 0x20 || u.value == 0x7F { out += "?" } else { out.unicodeScalars.append(u) }
            n += 1
        }
        return out + "'"
    }

    /// The five domain fields in canonical order, with their types.
    static let domainFields: [(name: String, type: String, kind: Atomic)] = [
        ("name", "string", .string), ("version", "string", .string), ("chainId", "uint256", .uint(256)),
        ("verifyingContract", "address", .address), ("salt", "bytes32", .fixedBytes(32)),
    ]

    /// Index (0...4) of a canonical domain field name, by exact bytes.
    static func domainFieldIndex(_ key: String) -> Int? {
        withUTF8Bytes(key) { u in
            @inline(__always) func eq(_ lit: StaticString) -> Bool { literalMatches(lit, u, prefixOnly: false) }
            if eq("name") { return 0 }
            if eq("version") { return 1 }
            if eq("chainId") { return 2 }
            if eq("verifyingContract") { return 3 }
            if eq("salt") { return 4 }
            return nil
        }
    }

    static let domainKinds: [Atomic] = [.string, .string, .uint(256), .address, .fixedBytes(32)]
    static let domainNames: [String] = ["name", "version", "chainId", "verifyingContract", "salt"]

    /// `declaredMask`: bit i set when `types.EIP712Domain` lists canonical field i (already
    /// checked to be in canonical order); `nil` when the document has no declaration.
    static func domainSeparatorHash(_ domain: JSONObject, declaredMask: Int?) throws(X402SError) -> [UInt8] {
        // Which canonical fields are present (keys are unique); reject unknown keys.
        var mask = 0
        var slot = [Int](repeatElement(-1, count: 5))  // member index of field i
        for (k, m) in domain.members.enumerated() {
            guard let i = domainFieldIndex(m.key) else {
                throw X402SError(.eip712InvalidDocument, "unknown domain field \(hint(m.key)) (allowed: name, version, chainId, verifyingContract, salt)")
            }
            mask |= 1 << i
            slot[i] = k
        }
        if let declaredMask, declaredMask != mask {
            throw X402SError(.eip712InvalidDocument, "types.EIP712Domain must list exactly the domain's fields in canonical order (name, version, chainId, verifyingContract, salt)")
        }
        // Domains repeat (one per token and chain): look the separator up by exact content.
        if let hit = DomainCache.lookup(domain) { return hit }
        let ds = try computeDomainSeparator(domain, mask: mask, slot: slot)
        DomainCache.store(domain, ds)
        return ds
    }

    static func computeDomainSeparator(_ domain: JSONObject, mask: Int, slot: [Int]) throws(X402SError) -> [UInt8] {
        var buf = [UInt8](repeatElement(0, count: 32 * (1 + mask.nonzeroBitCount)))
        Encoder.copyWord(domainTypeHashes[mask & 31], into: &buf, at: 0)
        var off = 32
        let members = domain.members
        for i in 0..<5 where slot[i] >= 0 {
            let v = members[slot[i]].value
            if case .null = v { throw X402SError(.eip712MissingField, "domain field \(domainNames[i]) is null") }
            try Encoder.encodeAtomic(domainKinds[i], v, into: &buf, at: off, field: domainNames[i])
            off += 32
        }
        return Keccak256.hash(buf)
    }

    /// Process-wide cache of domain separators: the most recently used domain objects
    /// (compared by exact structural equality, so `8453` and `"8453"` are different entries)
    /// with their separators. Bounded in entries and in the size of what it keeps;
    /// thread-safe. Only successfully hashed domains are stored.
    enum DomainCache {
        static let maxEntries = 32
        static let maxValueBytes = 256

        struct Entry {
            let domain: JSONObject
            let separator: [UInt8]
        }

        static let storage = Locked<[Entry]>([])

        static func lookup(_ domain: JSONObject) -> [UInt8]? {
            storage.withLock { entries -> [UInt8]? in
                for (i, e) in entries.enumerated() where e.domain == domain {
                    if i > 0 {
                        let hit = entries.remove(at: i)
                        entries.insert(hit, at: 0)
                    }
                    return e.separator
                }
                return nil
            }
        }

        static func store(_ domain: JSONObject, _ separator: [UInt8]) {
            for m in domain.members {
                switch m.value {
                case .string(let t), .number(let t): if t.utf8.count > maxValueBytes { return }
                default: return
                }
            }
            storage.withLock { entries in
                entries.insert(Entry(domain: domain, separator: separator), at: 0)
                if entries.count > maxEntries { entries.removeLast() }
            }
        }
    }

    /// Type hashes of the 32 possible domain types, computed on first use.
    static let domainTypeHashes: [[UInt8]] = (0..<32).map { mask in
        var s = "EIP712Domain("
        var first = true
        for (i, f) in domainFields.enumerated() where mask & (1 << i) != 0 {
            if !first { s += "," }
            first = false
            s += f.type + " " + f.name
        }
        s += ")"
        return Keccak256.hash(Array(s.utf8))
    }


    // MARK: Types

    /// An atomic (non-struct, non-array) EIP-712 type.
    enum Atomic: Equatable, Sendable {
        case uint(Int)  // bits
        case int(Int)
        case address
        case bool
        case string
        case bytes
        case fixedBytes(Int)

        /// Parses an atomic type name; `nil` if it is not one.
        static func parse(_ s: String) -> Atomic? {
            withUTF8Bytes(s) { parse($0) }
        }

        /// Parses an atomic type name from its UTF-8 bytes.
        static func parse(_ u: UnsafeBufferPointer<UInt8>) -> Atomic? {
            let n = u.count
            guard n >= 3 else { return nil }
            @inline(__always) func eq(_ lit: StaticString) -> Bool { literalMatches(lit, u, prefixOnly: false) }
            /// Decimal suffix from `from`: 1-3 digits, no leading zero.
            @inline(__always) func suffix(_ from: Int) -> Int? {
                guard from < n, n - from <= 3, u[from] != 0x30 else { return nil }
                var v = 0
                for i in from..<n {
                    let c = u[i]
                    guard c >= 0x30 && c <= 0x39 else { return nil }
                    v = v * 10 + Int(c - 0x30)
                }
                return v
            }
            @inline(__always) func hasPrefix(_ lit: StaticString) -> Bool { literalMatches(lit, u, prefixOnly: true) }
            switch u[0] {
            case UInt8(ascii: "a"):
                return eq("address") ? .address : nil
            case UInt8(ascii: "s"):
                return eq("string") ? .string : nil
            case UInt8(ascii: "u"):
                if hasPrefix("uint"), let b = suffix(4), b >= 8, b <= 256, b % 8 == 0 { return .uint(b) }
                return nil
            case UInt8(ascii: "i"):
                if hasPrefix("int"), let b = suffix(3), b >= 8, b <= 256, b % 8 == 0 { return .int(b) }
                return nil
            case UInt8(ascii: "b"):
                if eq("bool") { return .bool }
                if eq("bytes") { return .bytes }
                if hasPrefix("bytes"), let k = suffix(5), k >= 1, k <= 32 { return .fixedBytes(k) }
                return nil
            default:
                return nil
            }
        }
    }

    /// A field type: an atomic type or a struct (by index), with array dimensions
    /// (`dims[k]` = fixed length or `nil` for `[]`; the last entry is the outermost).
    struct FieldType: Sendable {
        enum Base: Sendable {
            case atomic(Atomic)
            case structure(Int)
        }
        let base: Base
        let dims: [Int?]
    }

    struct Field: Sendable {
        let name: String
        let typeText: String
        let type: FieldType
    }

    /// Parsed and validated `types` (a class so the encoder shares it without copying).
    /// Immutable once `init` returns (type hashes are computed eagerly), so instances are
    /// shared between threads through ``TableCache``.
    final class TypeTable: @unchecked Sendable {
        var names: [String] = []
        var fields: [[Field]] = []
        /// For documents: the canonical fields listed in `types.EIP712Domain` (bit mask), if present.
        var domainDeclaration: Int? = nil
        /// Index of `EIP712Domain` among `names`, if it is a struct here.
        var domainIndex: Int? = nil
        var typeHashes: [[UInt8]] = []
        var lookup: [JSONByteKey: Int]? = nil
        /// Struct indices referenced by each struct (directly, through any array depth), deduplicated.
        var refs: [[Int]] = []
        /// Structs not referenced by another struct.
        var roots: [Int] = []

        /// - Parameter forDocument: if true, `EIP712Domain` is validated as a domain
        ///   declaration and kept out of the struct table.
        init(_ typesV: JSONValue, forDocument: Bool) throws(X402SError) {
            guard case .object(let types) = typesV else {
                throw X402SError(.eip712InvalidDocument, "'types' must be an object")
            }
            // Pass 1: names.
            var raw: [(String, [JSONValue])] = []
            for m in types.members {
                guard case .array(let defs) = m.value else {
                    throw X402SError(.eip712InvalidDocument, "types.\(hint(m.key)) must be an array of {name, type}")
                }
                if forDocument && m.key == "EIP712Domain" {
                    domainDeclaration = try TypeTable.parseDomainDeclaration(defs)
                    continue
                }
                guard TypeTable.isIdentifier(m.key) else {
                    throw X402SError(.eip712InvalidDocument, "type name \(hint(m.key)) is not an identifier")
                }
                guard Atomic.parse(m.key) == nil else {
                    throw X402SError(.eip712InvalidDocument, "type name \(hint(m.key)) is an atomic type name")
                }
                raw.append((m.key, defs))
                names.append(m.key)
            }
            if names.count > 16 {
                var d: [JSONByteKey: Int] = [:]
                for (i, n) in names.enumerated() { d[JSONByteKey(n)] = i }
                lookup = d
            }
            if !forDocument { domainIndex = index(of: "EIP712Domain") }
            // Pass 2: fields.
            fields.reserveCapacity(raw.count)
            for (typeName, defs) in raw {
                var fs: [Field] = []
                fs.reserveCapacity(defs.count)
                var nameSet: Set<JSONByteKey>? = defs.count > 16 ? Set(minimumCapacity: defs.count) : nil
                for d in defs {
                    guard case .object(let o) = d, case .string(let fname)? = o["name"], case .string(let ftype)? = o["type"] else {
                        throw X402SError(.eip712InvalidDocument, "fields of \(hint(typeName)) must be objects with string 'name' and 'type'")
                    }
                    guard TypeTable.isIdentifier(fname) else {
                        throw X402SError(.eip712InvalidDocument, "field name \(hint(fname)) in \(hint(typeName)) is not an identifier")
                    }
                    if nameSet != nil {
                        if nameSet?.insert(JSONByteKey(fname)).inserted != true {
                            throw X402SError(.eip712InvalidDocument, "duplicate field \(hint(fname)) in \(hint(typeName))")
                        }
                    } else {
                        for f in fs where jsonBytesEqual(f.name, fname) {
                            throw X402SError(.eip712InvalidDocument, "duplicate field \(hint(fname)) in \(hint(typeName))")
                        }
                    }
                    fs.append(Field(name: fname, typeText: ftype, type: try parseFieldType(ftype)))
                }
                fields.append(fs)
            }
            refs.reserveCapacity(fields.count)
            for fs in fields {
                var r: [Int] = []
                var seen: Set<Int>? = fs.count > 16 ? Set() : nil
                for f in fs {
                    guard case .structure(let s) = f.type.base else { continue }
                    if seen != nil {
                        if seen?.insert(s).inserted == true { r.append(s) }
                    } else if !r.contains(s) {
                        r.append(s)
                    }
                }
                refs.append(r)
            }
            try checkAcyclic()
            var referenced = [Bool](repeatElement(false, count: names.count))
            for i in 0..<names.count {
                for r in refs[i] where r != i { referenced[r] = true }
            }
            roots = (0..<names.count).filter { !referenced[$0] }
            // Eager type hashes only for small tables: for a long chain of types every
            // encodeType is O(n), so hashing all of them would be O(n^2); large tables hash
            // lazily, per call, only the structs a value actually reaches.
            if names.count <= TypeTable.eagerHashLimit {
                typeHashes.reserveCapacity(names.count)
                for i in 0..<names.count { typeHashes.append(TypeHashCache.hash(of: encodeType(i))) }
            }
        }

        static let eagerHashLimit = 32

        /// A table for `typesV`, from the process-wide cache when the same `types` (same
        /// members, names and type strings, in order) were parsed before.
        static func cached(_ typesV: JSONValue, forDocument: Bool) throws(X402SError) -> TypeTable {
            if let t = TableCache.lookup(typesV, forDocument: forDocument) { return t }
            let t = try TypeTable(typesV, forDocument: forDocument)
            TableCache.store(typesV, forDocument: forDocument, t)
            return t
        }

        /// Bit mask of the canonical fields listed in `types.EIP712Domain`; they must carry
        /// their canonical types, appear once each and in canonical order.
        static func parseDomainDeclaration(_ defs: [JSONValue]) throws(X402SError) -> Int {
            var mask = 0
            var last = -1
            for d in defs {
                guard case .object(let o) = d, case .string(let fname)? = o["name"], case .string(let ftype)? = o["type"] else {
                    throw X402SError(.eip712InvalidDocument, "fields of EIP712Domain must be objects with string 'name' and 'type'")
                }
                guard let i = EIP712.domainFieldIndex(fname) else {
                    throw X402SError(.eip712InvalidDocument, "unknown EIP712Domain field \(hint(fname))")
                }
                guard jsonBytesEqual(EIP712.domainFields[i].type, ftype) else {
                    throw X402SError(.eip712InvalidDocument, "EIP712Domain field \(EIP712.domainNames[i]) must have type \(EIP712.domainFields[i].type)")
                }
                guard i > last else {
                    throw X402SError(.eip712InvalidDocument, "types.EIP712Domain must list its fields once each in canonical order (name, version, chainId, verifyingContract, salt)")
                }
                last = i
                mask |= 1 << i
            }
            return mask
        }

        static func isIdentifier(_ s: String) -> Bool {
            withUTF8Bytes(s) { u in
                guard let first = u.first else { return false }
                @inline(__always) func alpha(_ c: UInt8) -> Bool {
                    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x24
                }
                guard alpha(first) else { return false }
                for c in u.dropFirst() where !(alpha(c) || (c >= 0x30 && c <= 0x39)) { return false }
                return true
            }
        }

        func index(of name: String) -> Int? {
            if let lookup { return lookup[JSONByteKey(name)] }
            for (i, n) in names.enumerated() where jsonBytesEqual(n, name) { return i }
            return nil
        }

        func parseFieldType(_ text: String) throws(X402SError) -> FieldType {
            // Parse "base" + ("[" digits? "]")* without allocating for the common no-array case.
            let parsed: (base: Int, dims: [Int?], atomic: Atomic?)? = withUTF8Bytes(text) { u in
                let n = u.count
                var open = 0
                while open < n && u[open] != UInt8(ascii: "[") { open += 1 }
                var dims: [Int?] = []
                var i = open
                while i < n {
                    guard u[i] == UInt8(ascii: "[") else { return nil }
                    i += 1
                    var len = 0
                    var digits = 0
                    while i < n, u[i] >= 0x30, u[i] <= 0x39 {
                        if digits == 0 && u[i] == 0x30 { return nil }  // [0], [01]
                        guard digits < 9 else { return nil }
                        len = len * 10 + Int(u[i] - 0x30)
                        digits += 1
                        i += 1
                    }
                    guard i < n, u[i] == UInt8(ascii: "]") else { return nil }
                    i += 1
                    dims.append(digits == 0 ? nil : len)
                }
                return (open, dims, Atomic.parse(UnsafeBufferPointer(rebasing: u[0..<open])))
            }
            guard let p = parsed else {
                throw X402SError(.eip712UnknownType, "malformed type \(hint(text)) (array lengths must be positive without leading zeros)")
            }
            if let a = p.atomic { return FieldType(base: .atomic(a), dims: p.dims) }
            let baseName = p.dims.isEmpty ? text : String(decoding: Array(text.utf8.prefix(p.base)), as: UTF8.self)
            if let s = index(of: baseName) { return FieldType(base: .structure(s), dims: p.dims) }
            throw X402SError(.eip712UnknownType, "unknown type \(hint(text))")
        }

        /// Struct indices referenced by struct `i` (directly, through any array depth).
        @inline(__always)
        func references(_ i: Int) -> [Int] { refs[i] }

        /// Iterative DFS; any back edge is a cycle.
        func checkAcyclic() throws(X402SError) {
            var color = [UInt8](repeatElement(0, count: names.count))  // 0 new, 1 on stack, 2 done
            for root in 0..<names.count where color[root] == 0 {
                var stack: [(node: Int, next: Int, refs: [Int])] = [(root, 0, references(root))]
                color[root] = 1
                while let top = stack.last {
                    if top.next < top.refs.count {
                        let child = top.refs[top.next]
                        stack[stack.count - 1].next += 1
                        if color[child] == 1 {
                            throw X402SError(.eip712CyclicType, "struct type \(hint(names[child])) references itself (directly or indirectly)")
                        }
                        if color[child] == 0 {
                            color[child] = 1
                            stack.append((child, 0, references(child)))
                        }
                    } else {
                        color[top.node] = 2
                        stack.removeLast()
                    }
                }
            }
        }

        /// eth_account's rule: exactly one struct is not referenced by another struct, and it
        /// is the primary type.
        func checkUniqueRoot(primary: Int) throws(X402SError) {
            guard roots.count == 1, roots[0] == primary else {
                throw X402SError(.eip712InvalidDocument, "primaryType must be the only type not referenced by another type (as eth_account requires)")
            }
        }

        /// `encodeType` bytes of struct `i`.
        func encodeType(_ i: Int) -> [UInt8] {
            // Collect dependencies (graph is acyclic), sorted by name.
            var deps: [Int] = []
            if !refs[i].isEmpty {
                var seen = [Bool](repeatElement(false, count: names.count))
                var stack = [i]
                seen[i] = true
                while let n = stack.popLast() {
                    for r in refs[n] where !seen[r] {
                        seen[r] = true
                        deps.append(r)
                        stack.append(r)
                    }
                }
                deps.sort { jsonCodePointLess(names[$0], names[$1]) }
            }
            var out: [UInt8] = []
            out.reserveCapacity(128 * (deps.count + 1))
            appendStruct(i, to: &out)
            for d in deps { appendStruct(d, to: &out) }
            return out
        }

        /// Appends `Name(type name,...)` of struct `t`.
        func appendStruct(_ t: Int, to out: inout [UInt8]) {
            TypeTable.append(names[t], to: &out)
            out.append(UInt8(ascii: "("))
            var first = true
            for f in fields[t] {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                TypeTable.append(f.typeText, to: &out)
                out.append(0x20)
                TypeTable.append(f.name, to: &out)
            }
            out.append(UInt8(ascii: ")"))
        }

        @inline(__always)
        static func append(_ s: String, to out: inout [UInt8]) {
            if let done: Void = s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) { return done }
            out.append(contentsOf: Array(s.utf8))
        }

        /// Type hash of struct `i` (precomputed for small tables, computed otherwise).
        func typeHash(_ i: Int) -> [UInt8] {
            if i >= 0 && i < typeHashes.count { return typeHashes[i] }
            return TypeHashCache.hash(of: encodeType(i))
        }
    }

    /// Process-wide cache of parsed `types` tables: the most recently used `types` values
    /// (compared by exact structural equality) with their tables. Bounded in entries and in
    /// the size of what it keeps; thread-safe.
    enum TableCache {
        static let maxEntries = 16
        /// Only small `types` are kept (x402 documents have a handful of fields).
        static let maxFields = 128
        static let maxNameBytes = 128

        struct Entry {
            let types: JSONValue
            let forDocument: Bool
            let table: TypeTable
        }

        static let storage = Locked<[Entry]>([])

        static func lookup(_ types: JSONValue, forDocument: Bool) -> TypeTable? {
            storage.withLock { entries -> TypeTable? in
                for (i, e) in entries.enumerated() where e.forDocument == forDocument && e.types == types {
                    if i > 0 {  // move to front
                        let hit = entries.remove(at: i)
                        entries.insert(hit, at: 0)
                    }
                    return e.table
                }
                return nil
            }
        }

        static func store(_ types: JSONValue, forDocument: Bool, _ t: TypeTable) {
            var fieldCount = 0
            for fs in t.fields {
                fieldCount += fs.count
                for f in fs where f.name.utf8.count > maxNameBytes || f.typeText.utf8.count > maxNameBytes { return }
            }
            guard fieldCount <= maxFields, t.names.allSatisfy({ $0.utf8.count <= maxNameBytes }) else { return }
            // The table ignores extra keys in field definitions; a value carrying them is not kept.
            guard case .object(let o) = types else { return }
            for m in o.members {
                guard case .array(let defs) = m.value else { return }
                for d in defs {
                    guard case .object(let od) = d, od.count == 2 else { return }
                }
            }
            storage.withLock { entries in
                entries.insert(Entry(types: types, forDocument: forDocument, table: t), at: 0)
                if entries.count > maxEntries { entries.removeLast() }
            }
        }
    }

    /// Process-wide cache of `keccak256(encodeType)` keyed by the encodeType bytes
    /// (bounded; thread-safe).
    enum TypeHashCache {
        static let maxEntries = 512
        static let storage = Locked<[Key: [UInt8]]>([:])

        /// encodeType bytes, hashed in one `combine(bytes:)` call.
        struct Key: Hashable {
            let bytes: [UInt8]
            func hash(into h: inout Hasher) {
                bytes.withUnsafeBytes { h.combine(bytes: $0) }
            }
        }

        /// Longer encodeType strings are hashed but not kept.
        static let maxKeyBytes = 2048

        static func hash(of encoded: [UInt8]) -> [UInt8] {
            guard encoded.count <= maxKeyBytes else { return Keccak256.hash(encoded) }
            let key = Key(bytes: encoded)
            if let h = storage.withLock({ $0[key] }) { return h }
            let h = Keccak256.hash(encoded)
            storage.withLock { d in
                if d.count < maxEntries { d[key] = h }
            }
            return h
        }
    }

    // MARK: Encoding

    struct Encoder {
        let table: TypeTable
        static let maxDepth = 128
        static let emptyKeccak: [UInt8] = Keccak256.hash([UInt8]())
        /// Type hashes computed during this call (large tables only).
        var memo: [Int: [UInt8]] = [:]

        init(table: TypeTable) { self.table = table }

        @inline(__always)
        mutating func typeHash(_ i: Int) -> [UInt8] {
            if i < table.typeHashes.count { return table.typeHashes[i] }
            if let h = memo[i] { return h }
            let h = table.typeHash(i)
            memo[i] = h
            return h
        }

        /// `hashStruct(struct i, value)`.
        mutating func hashStruct(_ i: Int, _ value: JSONValue, depth: Int) throws(X402SError) -> [UInt8] {
            guard depth <= Encoder.maxDepth else {
                throw X402SError(.eip712InvalidValue, "typed data nested deeper than \(Encoder.maxDepth) levels")
            }
            guard case .object(let obj) = value else {
                throw X402SError(.eip712InvalidValue, "value of struct type \(hint(table.names[i])) must be an object")
            }
            let fs = table.fields[i]
            var buf = [UInt8](repeatElement(0, count: 32 * (fs.count + 1)))
            let th = typeHash(i)
            Encoder.copyWord(th, into: &buf, at: 0)
            let members = obj.members
            // Index by key, built on the first out-of-order field of a large object (keeps
            // lookups linear overall instead of quadratic).
            var index: [JSONByteKey: Int]? = nil
            for (k, f) in fs.enumerated() {
                // Fast path: members in declaration order.
                var v: JSONValue? = nil
                if k < members.count, jsonBytesEqual(members[k].key, f.name) {
                    v = members[k].value
                } else if members.count <= 16 {
                    v = obj[f.name]
                } else {
                    if index == nil {
                        var d: [JSONByteKey: Int] = [:]
                        d.reserveCapacity(members.count)
                        for (j, m) in members.enumerated() { d[JSONByteKey(m.key)] = j }
                        index = d
                    }
                    if let j = index?[JSONByteKey(f.name)] { v = members[j].value }
                }
                guard let fv = v else {
                    throw X402SError(.eip712MissingField, "field \(hint(f.name)) of \(hint(table.names[i])) is missing")
                }
                if case .null = fv {
                    throw X402SError(.eip712MissingField, "field \(hint(f.name)) of \(hint(table.names[i])) is null")
                }
                let off = 32 * (k + 1)
                try encodeField(f.type, dimsCount: f.type.dims.count, fv, into: &buf, at: off, field: f.name, depth: depth + 1)
            }
            // Keys are unique and every declared field was found, so equal counts mean no extras.
            if members.count != fs.count {
                var declared = Set<JSONByteKey>(minimumCapacity: fs.count)
                for f in fs { declared.insert(JSONByteKey(f.name)) }
                for m in members where !declared.contains(JSONByteKey(m.key)) {
                    throw X402SError(.eip712InvalidValue, "field \(hint(m.key)) is not declared in \(hint(table.names[i]))")
                }
                throw X402SError(.eip712InvalidValue, "value of \(hint(table.names[i])) has fields not declared in the type")
            }
            return Keccak256.hash(buf)
        }

        /// Encodes a value of `type` restricted to its first `dimsCount` dimensions into the
        /// 32-byte word at `buf[off...]`.
        mutating func encodeField(_ type: FieldType, dimsCount: Int, _ value: JSONValue, into buf: inout [UInt8], at off: Int,
                                  field: String, depth: Int) throws(X402SError) {
            if case .null = value {
                throw X402SError(.eip712MissingField, "value for \(hint(field)) is null")
            }
            if dimsCount > 0 {
                guard depth <= Encoder.maxDepth else {
                    throw X402SError(.eip712InvalidValue, "typed data nested deeper than \(Encoder.maxDepth) levels")
                }
                guard case .array(let items) = value else {
                    throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must be an array")
                }
                if let n = type.dims[dimsCount - 1], n != items.count {
                    throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must have exactly \(n) elements")
                }
                let h: [UInt8]
                if items.isEmpty {
                    h = Encoder.emptyKeccak
                } else {
                    var inner = [UInt8](repeatElement(0, count: 32 * items.count))
                    for (j, item) in items.enumerated() {
                        try encodeField(type, dimsCount: dimsCount - 1, item, into: &inner, at: 32 * j, field: field, depth: depth + 1)
                    }
                    h = Keccak256.hash(inner)
                }
                Encoder.copyWord(h, into: &buf, at: off)
                return
            }
            switch type.base {
            case .structure(let s):
                let h = try hashStruct(s, value, depth: depth + 1)
                Encoder.copyWord(h, into: &buf, at: off)
            case .atomic(let a):
                try Encoder.encodeAtomic(a, value, into: &buf, at: off, field: field)
            }
        }

        @inline(__always)
        static func copyWord(_ h: [UInt8], into buf: inout [UInt8], at off: Int) {
            guard off >= 0, buf.count - off >= 32, h.count == 32 else { return }
            buf.withUnsafeMutableBufferPointer { b in
                for i in 0..<32 { b[off + i] = h[i] }
            }
        }

        /// Writes the 32-byte encoding of an atomic value into the zeroed word `buf[off..<off+32]`.
        static func encodeAtomic(_ a: Atomic, _ value: JSONValue, into buf: inout [UInt8], at off: Int, field: String) throws(X402SError) {
            guard off >= 0, buf.count - off >= 32 else {
                throw X402SError(.internal, "EIP-712 word offset out of range")
            }
            let r: Result<Void, X402SError> = buf.withUnsafeMutableBytes { b in
                do throws(X402SError) {
                    try encodeAtomic(a, value, into: b.baseAddress.map { $0 + off }, field: field)
                    return .success(())
                } catch { return .failure(error) }
            }
            try r.get()
        }

        /// Writes the 32-byte encoding of an atomic value at `p` (32 bytes of room, zeroed).
        static func encodeAtomic(_ a: Atomic, _ value: JSONValue, into p: UnsafeMutableRawPointer?, field: String) throws(X402SError) {
            guard let p else { return }
            switch a {
            case .bool:
                guard case .bool(let b) = value else {
                    throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must be true or false")
                }
                p.storeBytes(of: b ? 1 : 0, toByteOffset: 31, as: UInt8.self)
            case .string:
                guard case .string(let s) = value else {
                    throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must be a string")
                }
                var t = s
                let h = t.withUTF8 { Keccak256.hash(UnsafeRawBufferPointer($0)) }
                h.withUnsafeBytes { src in
                    if let sb = src.baseAddress { p.copyMemory(from: sb, byteCount: Swift.min(32, src.count)) }
                }
            case .bytes:
                let h: [UInt8] = try withHex(value, field: field) { (buf: UnsafeRawBufferPointer) -> [UInt8] in
                    var bytes = [UInt8](repeatElement(0, count: buf.count / 2))
                    decodeHex(buf, into: &bytes)
                    return Keccak256.hash(bytes)
                }
                h.withUnsafeBytes { src in
                    if let sb = src.baseAddress { p.copyMemory(from: sb, byteCount: Swift.min(32, src.count)) }
                }
            case .fixedBytes(let n):
                try withHex(value, field: field) { (buf: UnsafeRawBufferPointer) throws(X402SError) -> Void in
                    let len = buf.count / 2
                    guard len <= n else {
                        throw X402SError(.eip712ValueOutOfRange, "value for \(hint(field)) has \(len) bytes; bytes\(n) allows at most \(n)")
                    }
                    let out = UnsafeMutableRawBufferPointer(start: p, count: 32)
                    for i in 0..<len { out[i] = hexPair(buf[2 * i], buf[2 * i + 1]) }
                }
            case .address:
                try withHex(value, field: field) { (buf: UnsafeRawBufferPointer) throws(X402SError) -> Void in
                    guard buf.count == 40 else {
                        throw X402SError(.eip712ValueOutOfRange, "value for \(hint(field)) must be an address: 0x and 40 hex digits")
                    }
                    let out = UnsafeMutableRawBufferPointer(start: p, count: 32)
                    for i in 0..<20 { out[12 + i] = hexPair(buf[2 * i], buf[2 * i + 1]) }
                }
            case .uint(let bits), .int(let bits):
                let signed: Bool
                if case .int = a { signed = true } else { signed = false }
                let (neg, mag) = try integerValue(value, field: field)
                var word = mag
                if signed {
                    // Range: -2^(bits-1) <= v < 2^(bits-1).
                    let limitBits = bits - 1
                    if neg {
                        // mag <= 2^(bits-1)
                        let fits = mag.bitWidth <= limitBits || (mag.bitWidth == limitBits + 1 && isPowerOfTwo(mag))
                        guard fits else { throw outOfRange(field, a) }
                        word = UInt256.zero.subtractingReportingOverflow(mag).partialValue
                    } else {
                        guard mag.bitWidth <= limitBits else { throw outOfRange(field, a) }
                    }
                } else {
                    guard !neg || mag.isZero else { throw outOfRange(field, a) }
                    guard mag.bitWidth <= bits else { throw outOfRange(field, a) }
                }
                word.writeBigEndian(into: p)
            }
        }

        static func isPowerOfTwo(_ v: UInt256) -> Bool {
            let l = v.limbs
            return (l.0.nonzeroBitCount + l.1.nonzeroBitCount + l.2.nonzeroBitCount + l.3.nonzeroBitCount) == 1
        }

        static func outOfRange(_ field: String, _ a: Atomic) -> X402SError {
            let t: String
            switch a {
            case .uint(let b): t = "uint\(b)"
            case .int(let b): t = "int\(b)"
            default: t = "its type"
            }
            return X402SError(.eip712ValueOutOfRange, "value for \(hint(field)) is out of range for \(t)")
        }

        /// Integer value of a JSON integer, decimal string or `0x` hex string: (negative, magnitude).
        static func integerValue(_ value: JSONValue, field: String) throws(X402SError) -> (Bool, UInt256) {
            let text: String
            let isString: Bool
            switch value {
            case .number(let t): text = t; isString = false
            case .string(let s): text = s; isString = true
            default:
                throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must be an integer (number, decimal string or 0x hex string)")
            }
            var t = text
            let r: Result<(Bool, UInt256), X402SError> = t.withUTF8 { u in
                let n = u.count
                if isString && n >= 2 && u[0] == 0x30 && u[1] == 0x78 {
                    switch UInt256.parseHex(UnsafeBufferPointer(rebasing: u[2...])) {
                    case .ok(let v): return .success((false, v))
                    case .overflow: return .failure(X402SError(.eip712ValueOutOfRange, "value for \(hint(field)) does not fit in 256 bits"))
                    case .invalid: return .failure(X402SError(.eip712InvalidValue, "value for \(hint(field)) is not a valid 0x hex integer"))
                    }
                }
                var start = 0
                var neg = false
                if n > 0 && u[0] == UInt8(ascii: "-") {
                    neg = true
                    start = 1
                }
                switch UInt256.parseDecimal(UnsafeBufferPointer(rebasing: u[start...])) {
                case .ok(let v): return .success((neg, v))
                case .overflow: return .failure(X402SError(.eip712ValueOutOfRange, "value for \(hint(field)) does not fit in 256 bits"))
                case .invalid:
                    return .failure(X402SError(.eip712InvalidValue, isString
                        ? "value for \(hint(field)) is not a decimal or 0x hex integer string"
                        : "value for \(hint(field)) must be an integer (no fraction or exponent)"))
                }
            }
            return try r.get()
        }

        /// Validates a `0x` + even-length hex string and passes the digits (without `0x`).
        static func withHex<R>(_ value: JSONValue, field: String,
                               _ body: (UnsafeRawBufferPointer) throws(X402SError) -> R) throws(X402SError) -> R {
            guard case .string(let s) = value else {
                throw X402SError(.eip712InvalidValue, "value for \(hint(field)) must be a 0x hex string")
            }
            var t = s
            let r: Result<R, X402SError> = t.withUTF8 { u in
                guard u.count >= 2, u[0] == 0x30, u[1] == 0x78 else {
                    return .failure(X402SError(.eip712InvalidValue, "value for \(hint(field)) must start with 0x"))
                }
                let digits = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(u)[2...])
                guard digits.count % 2 == 0 else {
                    return .failure(X402SError(.eip712InvalidValue, "value for \(hint(field)) has an odd number of hex digits"))
                }
                for c in digits where hexNibble(c) == nil {
                    return .failure(X402SError(.eip712InvalidValue, "value for \(hint(field)) is not hex"))
                }
                do throws(X402SError) { return .success(try body(digits)) } catch { return .failure(error) }
            }
            return try r.get()
        }

        @inline(__always)
        static func hexNibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }

        /// Two already-validated hex digits to a byte.
        @inline(__always)
        static func hexPair(_ a: UInt8, _ b: UInt8) -> UInt8 {
            ((hexNibble(a) ?? 0) << 4) | (hexNibble(b) ?? 0)
        }

        static func decodeHex(_ digits: UnsafeRawBufferPointer, into out: inout [UInt8]) {
            let n = Swift.min(out.count, digits.count / 2)
            for i in 0..<n { out[i] = hexPair(digits[2 * i], digits[2 * i + 1]) }
        }
    }
}

/// Runs `body` over the UTF-8 bytes of `s` (contiguous for native strings; copied otherwise).
@inline(__always)
func withUTF8Bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    return Array(s.utf8).withUnsafeBufferPointer(body)
}

/// `u` equals (or, with `prefixOnly`, starts with) the ASCII literal `lit`.
@inline(__always)
func literalMatches(_ lit: StaticString, _ u: UnsafeBufferPointer<UInt8>, prefixOnly: Bool) -> Bool {
    let k = lit.utf8CodeUnitCount
    guard prefixOnly ? u.count >= k : u.count == k else { return false }
    guard k > 0 else { return true }
    guard let b = u.baseAddress else { return false }
    return memcmp(lit.utf8Start, b, k) == 0
}
