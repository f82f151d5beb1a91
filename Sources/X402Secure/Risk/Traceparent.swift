/// A source of random bytes: returns exactly `count` bytes or throws.
///
/// Every risk-layer function that needs randomness takes one of these, defaulting to
/// ``SecureRandom/bytes(_:)`` (the system CSPRNG), so tests can pin ids.
public typealias RiskRandomSource = (Int) throws(X402SError) -> [UInt8]

/// Draws `count` bytes from `random`, checking the count.
func riskDraw(_ random: RiskRandomSource, _ count: Int) throws(X402SError) -> [UInt8] {
    let bytes = try random(count)
    guard bytes.count == count else {
        throw X402SError(.randomnessFailed, "the random source returned \(bytes.count) bytes instead of \(count)")
    }
    return bytes
}

/// A W3C Trace Context `traceparent` (version `00`): `00-<trace-id>-<parent-id>-<flags>`.
///
/// Parsing follows the x402-secure 0.1.4 gateway exactly: four `-`-separated fields,
/// version `00`, a 32-digit and a 16-digit **lowercase** hex id, neither all zeros, and
/// two lowercase hex digits of flags (any value). Ids are generated from a CSPRNG and are
/// never all zero.
public struct Traceparent: Sendable, Hashable, CustomStringConvertible {
    /// Size of a trace id in bytes.
    public static let traceIdByteCount = 16
    /// Size of a span (parent) id in bytes.
    public static let spanIdByteCount = 8
    /// The `sampled` trace flag.
    public static let sampledFlag: UInt8 = 0x01
    /// How many times generation redraws an all-zero id before giving up.
    static let maxDraws = 8

    /// The 16-byte trace id (not all zero).
    public let traceId: [UInt8]
    /// The 8-byte span id of the sender, called parent-id in the W3C grammar (not all zero).
    public let spanId: [UInt8]
    /// The trace flags byte (bit 0 = sampled; OpenTelemetry SDK 1.45 also sets bit 1).
    public let flags: UInt8

    /// Creates a traceparent from its parts.
    ///
    /// - Throws: ``X402SStatus/riskInvalidTraceparent`` when an id has the wrong size or
    ///   is all zeros.
    public init(traceId: [UInt8], spanId: [UInt8], flags: UInt8 = Traceparent.sampledFlag) throws(X402SError) {
        guard traceId.count == Self.traceIdByteCount else {
            throw X402SError(.riskInvalidTraceparent, "a trace id is 16 bytes")
        }
        guard spanId.count == Self.spanIdByteCount else {
            throw X402SError(.riskInvalidTraceparent, "a span id is 8 bytes")
        }
        guard traceId.contains(where: { $0 != 0 }) else {
            throw X402SError(.riskInvalidTraceparent, "trace id cannot be all zeros")
        }
        guard spanId.contains(where: { $0 != 0 }) else {
            throw X402SError(.riskInvalidTraceparent, "span id cannot be all zeros")
        }
        self.traceId = traceId
        self.spanId = spanId
        self.flags = flags
    }

    /// Parses a traceparent with the gateway's rules (see the type's documentation).
    ///
    /// - Throws: ``X402SStatus/riskInvalidTraceparent`` for any deviation.
    public init(parsing value: String) throws(X402SError) {
        let fields = value.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard fields.count == 4 else {
            throw X402SError(.riskInvalidTraceparent, "traceparent must have 4 '-'-separated fields")
        }
        guard fields[0].elementsEqual("00".utf8) else {
            throw X402SError(.riskInvalidTraceparent, "traceparent version must be 00")
        }
        guard let tid = Self.lowerHex(fields[1], count: 16) else {
            throw X402SError(.riskInvalidTraceparent, "trace id must be 32 lowercase hex digits")
        }
        guard let sid = Self.lowerHex(fields[2], count: 8) else {
            throw X402SError(.riskInvalidTraceparent, "span id must be 16 lowercase hex digits")
        }
        guard let fl = Self.lowerHex(fields[3], count: 1) else {
            throw X402SError(.riskInvalidTraceparent, "flags must be 2 lowercase hex digits")
        }
        try self.init(traceId: tid, spanId: sid, flags: fl[0])
    }

    /// Decodes exactly `count` bytes of lowercase hex, or nil.
    static func lowerHex(_ s: Substring.UTF8View.SubSequence, count: Int) -> [UInt8]? {
        guard s.count == count * 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var hi: UInt8 = 0
        var odd = false
        for c in s {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c &- 0x30
            case 0x61...0x66: v = c &- 0x57
            default: return nil
            }
            if odd { out.append(hi << 4 | v) } else { hi = v }
            odd.toggle()
        }
        return out
    }

    /// Starts a new trace: a random trace id and span id (each redrawn while all zero).
    ///
    /// Bytes are drawn in this order: 16 for the trace id, then 8 for the span id.
    /// - Parameters:
    ///   - flags: the trace flags (default `01`, sampled).
    ///   - random: the random source (default: the system CSPRNG).
    /// - Throws: ``X402SStatus/randomnessFailed`` if the source fails, returns the wrong
    ///   number of bytes, or returns only zeros 8 times in a row.
    public static func generate(
        flags: UInt8 = Traceparent.sampledFlag,
        random: RiskRandomSource = SecureRandom.bytes
    ) throws(X402SError) -> Traceparent {
        let t = try drawNonZero(random, traceIdByteCount)
        let s = try drawNonZero(random, spanIdByteCount)
        return try Traceparent(traceId: t, spanId: s, flags: flags)
    }

    /// Continues this trace: same trace id, a new random span id.
    ///
    /// - Parameters:
    ///   - flags: the trace flags; `nil` (the default) keeps this traceparent's flags.
    ///   - random: the random source (default: the system CSPRNG); 8 bytes are drawn.
    /// - Throws: ``X402SStatus/randomnessFailed`` as for ``generate(flags:random:)``.
    public func child(flags: UInt8? = nil, random: RiskRandomSource = SecureRandom.bytes) throws(X402SError) -> Traceparent {
        let s = try Self.drawNonZero(random, Self.spanIdByteCount)
        return try Traceparent(traceId: traceId, spanId: s, flags: flags ?? self.flags)
    }

    static func drawNonZero(_ random: RiskRandomSource, _ count: Int) throws(X402SError) -> [UInt8] {
        for _ in 0..<maxDraws {
            let b = try riskDraw(random, count)
            if b.contains(where: { $0 != 0 }) { return b }
        }
        throw X402SError(.randomnessFailed, "the random source returned only zero ids")
    }

    /// The trace id as 32 lowercase hex digits.
    public var traceIdHex: String { Hex.encode(traceId, prefix: false) }
    /// The span id as 16 lowercase hex digits.
    public var spanIdHex: String { Hex.encode(spanId, prefix: false) }
    /// The flags as 2 lowercase hex digits.
    public var flagsHex: String { Hex.encode([flags], prefix: false) }
    /// `true` when the sampled flag is set.
    public var isSampled: Bool { flags & Self.sampledFlag != 0 }

    /// The header form `00-<trace-id>-<span-id>-<flags>`.
    public var value: String { "00-\(traceIdHex)-\(spanIdHex)-\(flagsHex)" }

    /// Same as ``value``.
    public var description: String { value }

    /// `{"traceparent","traceId","spanId","flags"}` (all strings).
    public var json: JSONValue {
        .object(JSONObject([
            ("traceparent", .string(value)), ("traceId", .string(traceIdHex)),
            ("spanId", .string(spanIdHex)), ("flags", .string(flagsHex)),
        ]))
    }
}
