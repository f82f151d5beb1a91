// Pointer and status glue shared by every exported function. No protocol logic lives here.
import CX402Secure
import X402Secure

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body`, turning a thrown `X402SError` into its status and filling `err`.
@inline(__always)
func ffiCall(
    _ err: UnsafeMutablePointer<x402s_error>?, _ body: () throws(X402SError) -> Void
) -> Int32 {
    do {
        try body()
        return 0
    } catch {
        fill(err, error)
        return error.status.rawValue
    }
}

/// Writes an error into the caller's struct: the code and a NUL-terminated message cut
/// at a UTF-8 boundary so it always fits the 252-byte field.
func fill(_ err: UnsafeMutablePointer<x402s_error>?, _ error: X402SError) {
    guard let err else { return }
    err.pointee.code = error.status.rawValue
    let capacity = MemoryLayout.size(ofValue: err.pointee.message)  // 252
    withUnsafeMutableBytes(of: &err.pointee.message) { raw in
        var utf8 = Array(error.message.utf8)
        if utf8.count > capacity - 1 {
            var cut = capacity - 1
            // Step back over UTF-8 continuation bytes so we never split a character.
            while cut > 0 && (utf8[cut] & 0xC0) == 0x80 { cut -= 1 }
            utf8.removeSubrange(cut...)
        }
        for i in 0..<raw.count { raw[i] = 0 }
        for (i, b) in utf8.enumerated() { raw[i] = b }
    }
}

/// A borrowed input buffer. NULL with length 0 is the empty input; NULL otherwise is an error.
@inline(__always)
func input(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString
) throws(X402SError) -> UnsafeRawBufferPointer {
    guard length >= 0 else {
        throw X402SError(.inputTooLarge, "\(name): length is out of range")
    }
    if length == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
    guard let pointer else {
        throw X402SError(.nullArgument, "\(name) is NULL")
    }
    return UnsafeRawBufferPointer(start: pointer, count: length)
}

/// A borrowed input that must be exactly `size` bytes.
@inline(__always)
func fixedInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ size: Int, _ name: StaticString
) throws(X402SError) -> UnsafeRawBufferPointer {
    // Header rule: NULL with length 0 is the empty input (so: wrong length), other NULLs are NULL_ARGUMENT.
    guard pointer != nil || length == 0 else { throw X402SError(.nullArgument, "\(name) is NULL") }
    guard length == size, let pointer else {
        throw X402SError(.invalidLength, "\(name) must be \(size) bytes")
    }
    return UnsafeRawBufferPointer(start: pointer, count: length)
}

/// A borrowed input that must be exactly `size` bytes, copied into an array.
@inline(__always)
func fixedBytes(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ size: Int, _ name: StaticString
) throws(X402SError) -> [UInt8] {
    Array(try fixedInput(pointer, length, size, name))
}

/// Text input: must be valid UTF-8 and at most `limit` bytes.
@inline(__always)
func textInput(
    _ pointer: UnsafePointer<UInt8>?, _ length: Int, _ name: StaticString,
    limit: Int = Int(X402S_MAX_DOCUMENT_BYTES)
) throws(X402SError) -> String {
    let raw = try input(pointer, length, name)
    guard raw.count <= limit else {
        throw X402SError(.inputTooLarge, "\(name) is larger than \(limit) bytes")
    }
    guard let text = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
        throw X402SError(.invalidUTF8, "\(name) is not valid UTF-8")
    }
    return text
}

/// Checks a fixed-size output buffer and copies `bytes` into it.
@inline(__always)
func writeFixed(
    _ bytes: [UInt8], _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int, _ name: StaticString
) throws(X402SError) {
    guard let out else { throw X402SError(.nullArgument, "\(name) is NULL") }
    guard capacity >= bytes.count else {
        throw X402SError(.bufferTooSmall, "\(name) needs \(bytes.count) bytes")
    }
    bytes.withUnsafeBufferPointer { src in
        guard let base = src.baseAddress else { return }
        out.update(from: base, count: src.count)
    }
}

/// Validates a fixed-size output buffer before work is done (so a bad binding fails fast).
@inline(__always)
func checkFixedOutput(
    _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int, _ size: Int, _ name: StaticString
) throws(X402SError) -> UnsafeMutablePointer<UInt8> {
    guard let out else { throw X402SError(.nullArgument, "\(name) is NULL") }
    guard capacity >= size else {
        throw X402SError(.bufferTooSmall, "\(name) needs \(size) bytes")
    }
    return out
}

/// Writes variable-size output. Sets `*outLen` to the size needed even when the buffer is
/// too small (then returns BUFFER_TOO_SMALL), so callers may size with (NULL, 0) first.
@inline(__always)
func writeVariable(
    _ bytes: [UInt8], _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
    _ outLen: UnsafeMutablePointer<Int>?, _ name: StaticString
) throws(X402SError) {
    guard let outLen else { throw X402SError(.nullArgument, "\(name)_len is NULL") }
    outLen.pointee = bytes.count
    guard capacity >= bytes.count else {
        throw X402SError(.bufferTooSmall, "\(name) needs \(bytes.count) bytes")
    }
    if bytes.isEmpty { return }
    guard let out else { throw X402SError(.nullArgument, "\(name) is NULL") }
    bytes.withUnsafeBufferPointer { src in
        guard let base = src.baseAddress else { return }
        out.update(from: base, count: src.count)
    }
}

/// Writes UTF-8 text as variable-size output (no NUL).
@inline(__always)
func writeText(
    _ text: String, _ out: UnsafeMutablePointer<UInt8>?, _ capacity: Int,
    _ outLen: UnsafeMutablePointer<Int>?, _ name: StaticString
) throws(X402SError) {
    try writeVariable(Array(text.utf8), out, capacity, outLen, name)
}

/// NUL-terminated names of every status, built once (thread-safely, as every Swift global)
/// from the core's one list and never freed. Immutable after initialisation.
struct StatusNameTable: @unchecked Sendable {
    let names: [Int32: UnsafePointer<CChar>]
}

let statusNames: StatusNameTable = {
    var table: [Int32: UnsafePointer<CChar>] = [:]
    for status in X402SStatus.allCases {
        if let copy = strdup(status.name) {
            table[status.rawValue] = UnsafePointer(copy)
        }
    }
    return StatusNameTable(names: table)
}()
