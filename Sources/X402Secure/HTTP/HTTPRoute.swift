/// The canonical route of an HTTP request: the (method, path) a seller looks its price up
/// with, computed the same way by every front door (Node and Python middleware, the seller
/// entry point, Swift apps). The rules are in `docs/ROUTES.md` and the header; in short:
///
/// - **Method**: an RFC 9110 token of at most 64 bytes, upper-cased (routers such as
///   Express compare methods case-insensitively); `HEAD` is priced as `GET`.
/// - **Target**: origin-form (`/path?query`) or absolute-form (`scheme://authority/path`,
///   any scheme, whose path is used; an empty path is `/`). Empty, asterisk-form (`*`),
///   authority-form (`host:443`) and anything else are refused. The raw target must be
///   printable ASCII without a backslash; the query and fragment are dropped; a path that
///   starts with `//` is refused (URL parsers read it as an authority).
/// - **Percent-decoding**: every `%XX` is decoded; a malformed escape, an encoded `/`, `\`,
///   `?`, `#`, NUL or control character, a double encoding (`%25` followed by a decodable
///   escape), bytes that are not UTF-8, or a path ending with encoded white space (which
///   URL parsers trim when handed decoded text) are refused.
/// - **Segments** (after decoding, so `%2e` is a dot): `.` and `..` are resolved as RFC 3986
///   does; `..` above the root is refused, and so is `..` right after an empty segment
///   (`/a//..` is `/a/` to RFC 3986 and `/` to a reader that merges slashes first); empty
///   segments (duplicate slashes) are then merged.
/// - **Options**: without `strictTrailingSlash` one trailing slash is dropped (`/a/` is
///   `/a`); without `caseSensitive` the path is lower-cased (Unicode default mapping).
///   These mirror Express's router defaults (`strict: false`, `caseSensitive: false`).
///
/// Fail closed: every spelling a router could map to a priced handler canonicalises to the
/// priced route, or is refused. Canonicalising may price a spelling the application would
/// answer 404 (for example `/api/%6Darket-data` in Express); it never leaves one free.
public struct HTTPRoute: Sendable, Hashable, CustomStringConvertible {
    /// Canonicalisation options (the bits of `X402S_HTTP_ROUTE_*`).
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Keep the case of the path (default: lower-cased, as Express's `caseSensitive: false`).
        public static let caseSensitive = Options(rawValue: 1)
        /// Keep a trailing slash significant (default: dropped, as Express's `strict: false`).
        public static let strictTrailingSlash = Options(rawValue: 2)
        /// Every defined bit.
        public static let all: Options = [.caseSensitive, .strictTrailingSlash]
    }

    /// The longest request-target (and route key) accepted, in bytes.
    public static let maxTargetBytes = 16384
    /// The longest method token accepted, in bytes.
    public static let maxMethodBytes = 64

    /// The canonical method: upper-case; `HEAD` becomes `GET`.
    public let method: String
    /// The canonical path: decoded, dot segments resolved, slashes merged, options applied.
    public let path: String

    public var description: String { "\(method) \(path)" }

    /// Canonicalises a request's method and raw request-target (see the type's documentation).
    ///
    /// - Throws: ``X402SStatus/httpInvalidMethod``, ``X402SStatus/httpInvalidTarget``,
    ///   ``X402SStatus/httpInvalidEncoding``, ``X402SStatus/httpPathTraversal``,
    ///   ``X402SStatus/inputTooLarge`` (a target over ``maxTargetBytes``).
    public init(method: String, target: String, options: Options = []) throws(X402SError) {
        self.method = try HTTPRoute.canonicalMethod(method)
        self.path = try HTTPRoute.canonicalPath(target: Array(target.utf8), options: options)
    }

    /// The canonical form of a method token: upper-cased, `HEAD` as `GET`.
    ///
    /// - Throws: ``X402SStatus/httpInvalidMethod`` for an empty, over-long or non-token method.
    public static func canonicalMethod(_ method: String) throws(X402SError) -> String {
        let upper = try methodToken(method)
        return upper == "HEAD" ? "GET" : upper
    }

    /// A method token upper-cased (HEAD kept).
    static func methodToken(_ method: String) throws(X402SError) -> String {
        let b = Array(method.utf8)
        guard !b.isEmpty else { throw X402SError(.httpInvalidMethod, "the method is empty") }
        guard b.count <= maxMethodBytes else {
            throw X402SError(.httpInvalidMethod, "the method is longer than \(maxMethodBytes) bytes")
        }
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        for c in b {
            guard isTokenChar(c) else {
                throw X402SError(.httpInvalidMethod, "the method is not an HTTP token (RFC 9110 tchar only)")
            }
            out.append(c >= 0x61 && c <= 0x7A ? c - 0x20 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical path of a raw request-target (see the type's documentation).
    public static func canonicalPath(target: [UInt8], options: Options = []) throws(X402SError) -> String {
        guard options.isSubset(of: .all) else {
            throw X402SError(.invalidArgument, "unknown route option bits")
        }
        guard !target.isEmpty else {
            throw X402SError(.httpInvalidTarget, "the request-target is empty")
        }
        guard target.count <= maxTargetBytes else {
            throw X402SError(.inputTooLarge, "the request-target is longer than \(maxTargetBytes) bytes")
        }
        for c in target {
            guard c > 0x20 && c < 0x7F else {
                throw X402SError(.httpInvalidTarget, "the request-target contains a space, a control character or a non-ASCII byte")
            }
            guard c != 0x5C else {
                throw X402SError(.httpInvalidTarget, "the request-target contains a backslash (read as '/' by WHATWG URL parsers)")
            }
        }
        let raw = try rawPath(target)
        guard !raw.starts(with: [0x2F, 0x2F]) else {
            throw X402SError(.httpInvalidTarget, "the path starts with '//' (URL parsers read it as an authority)")
        }
        let decoded = try percentDecode(raw)
        return try resolve(decoded, options: options)
    }

    // MARK: - steps

    /// The raw path of an origin-form or absolute-form target, without query and fragment.
    static func rawPath(_ t: [UInt8]) throws(X402SError) -> ArraySlice<UInt8> {
        guard let first = t.first else {
            throw X402SError(.httpInvalidTarget, "the request-target is empty")
        }
        if t.count == 1 && first == 0x2A {
            throw X402SError(.httpInvalidTarget, "asterisk-form ('*') names no resource")
        }
        var start = 0
        if first != 0x2F {
            // absolute-form: scheme "://" authority path-abempty [ "?" query ]
            guard let afterScheme = schemeEnd(t) else {
                throw X402SError(.httpInvalidTarget, "the request-target is neither origin-form ('/path') nor absolute-form ('scheme://host/path')")
            }
            var i = afterScheme
            while i < t.count, t[i] != 0x2F, t[i] != 0x3F, t[i] != 0x23 {
                guard isAuthorityChar(t[i]) else {
                    throw X402SError(.httpInvalidTarget, "the authority of an absolute-form target has a character URL parsers disagree on (only letters, digits and -._~!$&()*+,=:@[] are accepted)")
                }
                i += 1
            }
            guard i > afterScheme else {
                throw X402SError(.httpInvalidTarget, "an absolute-form target has an empty authority")
            }
            start = i
        }
        var end = start
        while end < t.count, t[end] != 0x3F, t[end] != 0x23 { end += 1 }
        if end == start { return [0x2F][...] }  // "http://h", "http://h?q": the path is "/"
        return t[start..<end]
    }

    /// Index just after `scheme "://"`, or nil when `t` does not start with one.
    static func schemeEnd(_ t: [UInt8]) -> Int? {
        guard let first = t.first, isAlpha(first) else { return nil }
        var i = 1
        while i < t.count, isAlpha(t[i]) || isDigit(t[i]) || t[i] == 0x2B || t[i] == 0x2D || t[i] == 0x2E { i += 1 }
        guard t.count - i >= 3, t[i] == 0x3A, t[i + 1] == 0x2F, t[i + 2] == 0x2F else { return nil }
        return i + 3
    }

    /// Percent-decodes a raw path, refusing what a second reader could see differently.
    static func percentDecode(_ raw: ArraySlice<UInt8>) throws(X402SError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let c = raw[i]
            guard c == 0x25 else {
                out.append(c)
                i += 1
                continue
            }
            guard raw.endIndex - i >= 3, let h = Hex.nibble(raw[i + 1]), let l = Hex.nibble(raw[i + 2]) else {
                throw X402SError(.httpInvalidEncoding, "the path has a '%' that is not followed by two hex digits")
            }
            let b = h << 4 | l
            switch b {
            case 0x00..<0x20, 0x7F:
                throw X402SError(.httpInvalidEncoding, "the path encodes a NUL or control character")
            case 0x2F:
                throw X402SError(.httpInvalidEncoding, "the path encodes a '/' (%2F); routers disagree on whether it separates segments")
            case 0x5C:
                throw X402SError(.httpInvalidEncoding, "the path encodes a backslash (%5C)")
            case 0x3F, 0x23:
                throw X402SError(.httpInvalidEncoding, "the path encodes a '?' or '#' (%3F, %23)")
            default:
                out.append(b)
            }
            i += 3
        }
        // Double encoding: a decoded '%' that starts another valid escape ("%252e" -> "%2e").
        var j = 0
        while j + 2 < out.count {
            if out[j] == 0x25, Hex.nibble(out[j + 1]) != nil, Hex.nibble(out[j + 2]) != nil {
                throw X402SError(.httpInvalidEncoding, "the path is percent-encoded twice (%25 followed by an escape)")
            }
            j += 1
        }
        guard String(validating: out, as: UTF8.self) != nil else {
            throw X402SError(.httpInvalidEncoding, "the decoded path is not valid UTF-8")
        }
        return out
    }

    /// Resolves dot segments, merges empty segments and applies the options.
    static func resolve(_ decoded: [UInt8], options: Options) throws(X402SError) -> String {
        // decoded starts with '/': the segments after it.
        let segments = decoded.split(separator: 0x2F, omittingEmptySubsequences: false).dropFirst()
        var kept: [ArraySlice<UInt8>] = []
        kept.reserveCapacity(segments.count)
        var trailingSlash = false
        for (n, seg) in segments.enumerated() {
            let last = n == segments.count - 1
            if seg.count == 1 && seg.first == 0x2E {  // "."
                if last { trailingSlash = true }
                continue
            }
            if seg.count == 2 && seg.first == 0x2E && seg.last == 0x2E {  // ".."
                guard let top = kept.popLast() else {
                    throw X402SError(.httpPathTraversal, "a '..' segment climbs above the root")
                }
                guard !top.isEmpty else {
                    throw X402SError(.httpPathTraversal, "a '..' segment follows an empty segment ('//..' is read two ways)")
                }
                if last { trailingSlash = true }
                continue
            }
            if last && seg.isEmpty { trailingSlash = true }
            kept.append(seg)
        }
        var out: [UInt8] = [0x2F]
        var first = true
        for seg in kept where !seg.isEmpty {
            if !first { out.append(0x2F) }
            out.append(contentsOf: seg)
            first = false
        }
        if trailingSlash && options.contains(.strictTrailingSlash) && !first { out.append(0x2F) }
        let path = String(decoding: out, as: UTF8.self)
        if let last = path.unicodeScalars.last, isTrimmedSpace(last) {
            throw X402SError(.httpInvalidEncoding, "the path ends with encoded white space (trimmed by URL parsers that read decoded text)")
        }
        return options.contains(.caseSensitive) ? path : path.lowercased()
    }

    // MARK: - character classes

    /// White space that JavaScript's `trim()`, WHATWG URL and legacy `url.parse` remove from
    /// the ends of a URL (controls are refused before this is asked).
    static func isTrimmedSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// RFC 9110 tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static func isTokenChar(_ c: UInt8) -> Bool {
        if isAlpha(c) || isDigit(c) { return true }
        switch c {
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// Authority characters: RFC 3986's unreserved, ":", "@", "[", "]" and the sub-delims
    /// except "'" and ";", and no percent-encoding: Node's legacy `url.parse` (Express 4's
    /// fallback) ends the host at "%", "'" or ";" and reads what follows as the path.
    static func isAuthorityChar(_ c: UInt8) -> Bool {
        if isAlpha(c) || isDigit(c) { return true }
        switch c {
        case 0x2D, 0x2E, 0x5F, 0x7E,  // - . _ ~
             0x21, 0x24, 0x26, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3D,  // ! $ & ( ) * + , =
             0x3A, 0x40, 0x5B, 0x5D:  // : @ [ ]
            return true
        default: return false
        }
    }
}

/// A seller's route key: `"METHOD /path"` (that method), `"/path"` (every method), with a
/// final `/*` protecting the whole subtree (`"GET /api/*"` covers `/api` and everything
/// under `/api/`). The path is canonicalised by the rules of ``HTTPRoute`` with the same
/// options as the requests it is matched against, so `"GET /API/Data/"` and
/// `"GET /api/data"` are one key under the default options.
///
/// Refused (``X402SStatus/httpInvalidRouteKey``, with the reason): a key that is not
/// `[METHOD SP] /path[/*]`, a `HEAD` key (HEAD is priced as GET), a query or fragment,
/// router pattern syntax that would make the seller believe a pattern is priced while only
/// its literal text is (`*` other than the final `/*`, `(`, `)`, `+`, a segment starting with
/// `:` as in `/users/:id`), and any path the request rules refuse.
public struct HTTPRouteKey: Sendable, Hashable, CustomStringConvertible {
    /// The canonical method, or nil for every method.
    public let method: String?
    /// The canonical path (for a prefix key: the subtree's root, without the `/*`).
    public let path: String
    /// Whether the key covers the subtree under `path`.
    public let prefix: Bool

    /// The canonical key text: `"GET /api/data"`, `"/api/*"`, `"/*"`.
    public var description: String {
        let p = prefix ? (path == "/" ? "/*" : path + "/*") : path
        return method.map { "\($0) \(p)" } ?? p
    }

    /// Parses and canonicalises a route key (see the type's documentation).
    public init(parsing key: String, options: HTTPRoute.Options = []) throws(X402SError) {
        guard options.isSubset(of: .all) else {
            throw X402SError(.invalidArgument, "unknown route option bits")
        }
        let b = Array(key.utf8)
        guard b.count <= HTTPRoute.maxTargetBytes else {
            throw X402SError(.inputTooLarge, "the route key is longer than \(HTTPRoute.maxTargetBytes) bytes")
        }
        var pathBytes = b[...]
        var method: String? = nil
        if b.first != 0x2F {
            guard let space = b.firstIndex(of: 0x20) else {
                throw X402SError(.httpInvalidRouteKey, "a route key is \"METHOD /path\" or \"/path\"")
            }
            let token: String
            do {
                token = try HTTPRoute.methodToken(String(decoding: b[..<space], as: UTF8.self))
            } catch {
                throw X402SError(.httpInvalidRouteKey, "route key: \(error.message)")
            }
            guard token != "HEAD" else {
                throw X402SError(.httpInvalidRouteKey, "HEAD is priced as GET: use a GET key")
            }
            method = token
            pathBytes = b[(space + 1)...]
        }
        guard pathBytes.first == 0x2F else {
            throw X402SError(.httpInvalidRouteKey, "a route key is \"METHOD /path\" or \"/path\" (one space, a path starting with '/')")
        }
        var isPrefix = false
        if pathBytes.count >= 2, pathBytes.last == 0x2A, pathBytes[pathBytes.endIndex - 2] == 0x2F {
            isPrefix = true
            pathBytes = pathBytes.count == 2 ? [0x2F][...] : pathBytes.dropLast(2)
        }
        var segmentStart = true
        for c in pathBytes {
            switch c {
            case 0x3F, 0x23:
                throw X402SError(.httpInvalidRouteKey, "a route key has no query or fragment")
            case 0x2A, 0x28, 0x29, 0x2B:
                throw X402SError(.httpInvalidRouteKey, "route patterns ('*', '(', ')', '+') are not supported: list the paths or protect a prefix with a final '/*'")
            case 0x3A where segmentStart:
                throw X402SError(.httpInvalidRouteKey, "route parameters (':name') are not supported: protect a prefix with a final '/*'")
            default:
                break
            }
            segmentStart = c == 0x2F
        }
        do {
            path = try HTTPRoute.canonicalPath(target: Array(pathBytes), options: options)
        } catch {
            throw X402SError(.httpInvalidRouteKey, "route key: \(error.message)")
        }
        self.method = method
        self.prefix = isPrefix
    }

    /// Whether this key covers a canonical route (same options): the method matches (or
    /// the key has none) and the path is the key's path or, for a prefix key, under it.
    public func matches(_ route: HTTPRoute) -> Bool {
        if let m = method, m != route.method { return false }
        return covers(path: route.path)
    }

    /// Whether this key's path covers a canonical path (method not considered). Paths are
    /// compared byte for byte (UTF-8), as the bindings do.
    public func covers(path other: String) -> Bool {
        if other.utf8.elementsEqual(path.utf8) { return true }
        guard prefix else { return false }
        if path == "/" { return true }
        let o = Array(other.utf8)
        let p = Array(path.utf8)
        return o.count > p.count && o[p.count] == 0x2F && o.starts(with: p)
    }
}

/// The outcome of looking a request up in an ``HTTPRouteTable``.
public struct HTTPRouteMatch: Sendable, Hashable {
    /// The request's canonical route.
    public let route: HTTPRoute
    /// The index of the matching key in the table, or nil.
    public let index: Int?
    /// When nothing matched but keys of other methods cover the path: the methods to
    /// list in `Allow` (sorted; `HEAD` added with `GET`). Answer 405, never serve free.
    public let allow: [String]

    /// Whether the path is priced for other methods only (answer 405 with ``allow``).
    public var methodNotAllowed: Bool { index == nil && !allow.isEmpty }
}

/// A seller's priced routes, matched on canonical routes by the rule every front door
/// applies (the bindings implement the same rule; `test-vectors/http_route.json` pins it):
///
/// 1. Keys covering the request's path with its method or no method are candidates: an
///    exact key before any prefix key, a longer prefix before a shorter one, and at the
///    same path a key naming the method before a method-less one.
/// 2. No candidate, but keys of other methods cover the path: method not allowed (405 with
///    `Allow`), so a handler that ignores the method never serves a priced path free.
/// 3. Otherwise the request is not priced.
///
/// Two keys with the same canonical text are refused at creation.
public struct HTTPRouteTable: Sendable {
    /// The canonical keys, in the order given.
    public let keys: [HTTPRouteKey]
    /// The options applied to keys and requests alike.
    public let options: HTTPRoute.Options

    /// Canonicalises every key (see ``HTTPRouteKey``).
    ///
    /// - Throws: ``X402SStatus/httpInvalidRouteKey`` for a malformed key or two keys that
    ///   are the same route; ``X402SStatus/invalidArgument`` for unknown option bits.
    public init(keys: [String], options: HTTPRoute.Options = []) throws(X402SError) {
        var parsed: [HTTPRouteKey] = []
        parsed.reserveCapacity(keys.count)
        var seen = Set<String>()
        for k in keys {
            let key = try HTTPRouteKey(parsing: k, options: options)
            guard seen.insert(key.description).inserted else {
                throw X402SError(.httpInvalidRouteKey, "two route keys are the same route once canonical")
            }
            parsed.append(key)
        }
        self.keys = parsed
        self.options = options
    }

    /// Canonicalises a request and looks it up.
    ///
    /// - Throws: the refusals of ``HTTPRoute/init(method:target:options:)`` (answer 400).
    public func match(method: String, target: String) throws(X402SError) -> HTTPRouteMatch {
        let route = try HTTPRoute(method: method, target: target, options: options)
        return match(route)
    }

    /// Looks a canonical route up.
    public func match(_ route: HTTPRoute) -> HTTPRouteMatch {
        var best: Int? = nil
        var others = Set<String>()
        for (i, k) in keys.enumerated() where k.covers(path: route.path) {
            guard k.method == nil || k.method == route.method else {
                if let m = k.method { others.insert(m) }
                continue
            }
            guard let b = best else { best = i; continue }
            if HTTPRouteTable.precedes(k, keys[b]) { best = i }
        }
        if best != nil { return HTTPRouteMatch(route: route, index: best, allow: []) }
        if others.contains("GET") { others.insert("HEAD") }
        return HTTPRouteMatch(route: route, index: nil, allow: others.sorted())
    }

    /// Whether candidate `a` wins over candidate `b` (both cover the same request path).
    static func precedes(_ a: HTTPRouteKey, _ b: HTTPRouteKey) -> Bool {
        if a.prefix != b.prefix { return !a.prefix }
        if a.path.utf8.count != b.path.utf8.count { return a.path.utf8.count > b.path.utf8.count }
        return a.method != nil && b.method == nil
    }
}
