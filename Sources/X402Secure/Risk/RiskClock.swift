#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock helpers of the risk layer. Every function that needs "now" takes the time
/// as a parameter whose default reads this clock, so tests and vectors can pin it.
public enum RiskClock {
    /// The current Unix time in seconds with sub-second precision (Python `time.time()`).
    public static func nowSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The current Unix time in whole seconds.
    public static func nowUnix() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec)
    }

    /// The current Unix time in microseconds.
    public static func nowMicros() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) &* 1_000_000 &+ Int64(t.tv_nsec / 1000)
    }

    /// Microseconds of 0001-01-01T00:00:00Z and of 10000-01-01T00:00:00Z relative to the
    /// Unix epoch: the range Python's `datetime` can represent.
    static let minMicros: Int64 = -62_135_596_800 * 1_000_000
    static let maxMicros: Int64 = 253_402_300_800 * 1_000_000 - 1

    /// Formats a UTC instant exactly as Python `datetime.fromtimestamp(t, timezone.utc)
    /// .isoformat()` does: `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, the fraction written
    /// only when the microseconds are not zero. This is the `completed_at` of 0.1.4
    /// agent traces.
    ///
    /// - Parameter micros: microseconds since the Unix epoch (years 1...9999).
    /// - Throws: ``X402SStatus/invalidArgument`` outside years 1...9999.
    public static func isoformatUTC(micros: Int64) throws(X402SError) -> String {
        guard micros >= minMicros, micros <= maxMicros else {
            throw X402SError(.invalidArgument, "time is outside the years 1...9999")
        }
        let (secs, us) = floorDiv(micros, 1_000_000)
        let (days, sod) = floorDiv(secs, 86_400)
        let (y, m, d) = civil(fromDays: days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(sod / 3600, 2) + ":" + pad(sod / 60 % 60, 2) + ":" + pad(sod % 60, 2)
        if us != 0 { s += "." + pad(us, 6) }
        return s + "+00:00"
    }

    /// The current time in the ``isoformatUTC(micros:)`` form.
    public static func isoformatNow() -> String {
        (try? isoformatUTC(micros: nowMicros())) ?? "1970-01-01T00:00:00+00:00"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` into Unix seconds (the
    /// fraction is dropped, rounding down); nil for anything else.
    public static func parseISO8601(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ i: Int, _ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            return v
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue }
        guard b.count >= 20, let y = num(0, 4), at(4, "-"), let mo = num(5, 2), at(7, "-"), let d = num(8, 2),
            at(10, "T") || at(10, "t"), let h = num(11, 2), at(13, ":"), let mi = num(14, 2), at(16, ":"),
            let s = num(17, 2)
        else { return nil }
        var i = 19
        if at(i, ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        if at(i, "Z") || at(i, "z") {
            i += 1
        } else if at(i, "+") || at(i, "-") {
            let sign: Int64 = at(i, "-") ? -1 : 1
            guard let oh = num(i + 1, 2), at(i + 3, ":"), let om = num(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let mdays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard i == b.count, y >= 1, mo >= 1, mo <= 12, d >= 1, d <= mdays[Int(mo - 1)], h < 24, mi < 60, s < 60 else {
            return nil
        }
        return days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Python `repr(float)` of a finite double (shortest round-trip digits, exponent form
    /// only below 1e-4 or from 1e16 on), as JSON number text; `nil` for NaN or infinity.
    static func pythonFloatText(_ d: Double) -> String? {
        guard d.isFinite else { return nil }
        let s = d.description
        // Swift switches to exponent form from 2^53 on, Python only from 1e16 on.
        guard let e = s.firstIndex(of: "e"), s[s.index(after: e)...] == "+15" else { return s }
        var mant = String(s[..<e])
        var neg = false
        if mant.hasPrefix("-") { neg = true; mant.removeFirst() }
        let parts = mant.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts.first.map(String.init) ?? ""
        let frac = parts.count > 1 ? String(parts[1]) : ""
        let digits = intPart + frac
        let intDigits = intPart.count + 15
        let whole = digits.count >= intDigits
            ? String(digits.prefix(intDigits))
            : digits + String(repeating: "0", count: intDigits - digits.count)
        var rest = digits.count > intDigits ? String(digits.dropFirst(intDigits)) : ""
        if rest.isEmpty { rest = "0" }
        return (neg ? "-" : "") + whole + "." + rest
    }
}
