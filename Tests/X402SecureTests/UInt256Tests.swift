import Foundation
import Testing
@testable import X402Secure

private let uint256Vectors = CryptoVectors.load("uint256")

@Test func uint256VectorFileLoaded() { #expect(uint256Vectors.count > 40) }

@Test(arguments: uint256Vectors)
func uint256Vector(_ v: CryptoVectors.Vector) throws {
    if let e = v.expectedError {
        do {
            if let d = v.input["decimal"] as? String { _ = try UInt256(decimal: d) } else { _ = try UInt256(hex: v.input["hex"] as? String ?? "") }
            Issue.record("\(v.name): expected \(e)")
        } catch { #expect(error.status.name == e, "\(v.name)") }
        return
    }
    let a = try UInt256(decimal: v.input["a"] as? String ?? "")
    let b = try UInt256(decimal: v.input["b"] as? String ?? "")
    let mText = v.input["m"] as? String ?? "0"
    let m = UInt64(mText) ?? 0
    #expect(a.decimalString == v.expect["decimal"] as? String)
    #expect(a.description == v.expect["decimal"] as? String)
    #expect(a.hexString == v.expect["hex"] as? String)
    #expect(try UInt256(hex: a.hexString) == a)
    let be = CryptoVectors.bytes(v.expect["bigEndian"])
    #expect(a.bigEndianBytes == be)
    #expect(try UInt256(bigEndian: be) == a)
    #expect(try UInt256(bigEndian: Array(be.drop { $0 == 0 })) == a)
    #expect(a.adding(b)?.decimalString == v.expect["add"] as? String)
    #expect(a.addingReportingOverflow(b).overflow == (v.expect["add"] is NSNull))
    #expect(a.subtracting(b)?.decimalString == v.expect["sub"] as? String)
    #expect(a.multiplied(byWord: m)?.decimalString == v.expect["mulSmall"] as? String)
    #expect(a.multiplied(by: b)?.decimalString == v.expect["mul"] as? String)
    if let qr = v.expect["divSmall"] as? [String] {
        let r = a.quotientAndRemainder(dividingBy: m)
        #expect(r?.quotient.decimalString == qr[0])
        #expect(r.map { String($0.remainder) } == qr[1])
    } else {
        #expect(a.quotientAndRemainder(dividingBy: m) == nil)
    }
    #expect((a < b) == ((a.subtracting(b)) == nil))
}

@Test func uint256Basics() throws {
    #expect(UInt256.max.decimalString == "115792089237316195423570985008687907853269984665640564039457584007913129639935")
    #expect(UInt256.max.adding(1) == nil)
    #expect(UInt256.zero.subtracting(1) == nil)
    #expect(UInt256.powerOfTen(77)?.decimalString == "1" + String(repeating: "0", count: 77))
    #expect(UInt256.powerOfTen(78) == nil)
    #expect(UInt256.powerOfTen(-1) == nil)
    #expect(UInt256(exactly: -1) == nil)
    #expect(UInt256(exactly: 5) == 5)
    #expect(UInt256(5).uint64Value == 5)
    #expect(UInt256.max.uint64Value == nil)
    #expect(UInt256.max.bitWidth == 256)
    #expect(UInt256.zero.bitWidth == 0)
    #expect(try UInt256(hex: "0XfF") == 255)
    #expect(try UInt256(hex: "ff") == 255)
    #expect(try UInt256(decimal: "000") == .zero)
    #expect(UInt256.zero.hexString == "0x0")
    do { _ = try UInt256(bigEndian: [UInt8](repeating: 1, count: 33)); Issue.record("33 bytes accepted") } catch {
        #expect(error.status == .invalidLength)
    }
    // dollars -> atomic units: 1234.56 * 10^6
    let dollars = try UInt256(decimal: "123456")
    #expect(dollars.multiplied(byWord: 10_000)?.decimalString == "1234560000")
}
