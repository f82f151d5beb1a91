#!/usr/bin/env python3
"""Writes Sources/X402Secure/Keccak.swift: Keccak-256 with the Keccak-f[1600] permutation
unrolled two rounds per loop iteration over 25 lanes held in locals.

The rotation offsets and round constants are derived here from the Keccak specification
(rho walk and the rc LFSR), not typed in. Run: python3 scripts/gen_keccak_swift.py
"""
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "Sources/X402Secure/Keccak.swift"


def rho_offsets():
    r = [[0] * 5 for _ in range(5)]
    x, y = 1, 0
    for t in range(24):
        r[x][y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    return r


def round_constants():
    def rc_bit(t):
        if t % 255 == 0:
            return 1
        R = 1
        for _ in range(t % 255):
            R <<= 1
            if R & 0x100:
                R ^= 0x171
        return R & 1
    out = []
    for i in range(24):
        c = 0
        for j in range(7):
            if rc_bit(j + 7 * i):
                c |= 1 << ((1 << j) - 1)
        out.append(c)
    return out


R = rho_offsets()
RC = round_constants()
assert RC[0] == 1 and RC[23] == 0x8000000080008008


def lane(p, x, y):
    return f"{p}{y}{x}"


def rotl(expr, n):
    if n == 0:
        return expr
    return f"rotl({expr}, {n})"


# Lane complementing (the "bebigokimisa" transform of the Keccak team's implementation
# notes, section 2.2): the state keeps lanes 1, 2, 8, 12, 17 and 20 complemented, which
# lets chi use AND/OR forms with about one NOT per plane instead of five. Complements
# commute with XOR and rotation, so the status of every intermediate value is known here,
# at generation time; the stored state is complemented on those lanes between calls.
COMPLEMENTED = {1, 2, 8, 12, 17, 20}
NOT_COUNT = [0]


def round_code(src, dst, rc_expr, ind):
    lines = []
    sA = lambda x, y: 1 if (x + 5 * y) in COMPLEMENTED else 0
    sC = [sum(sA(x, y) for y in range(5)) % 2 for x in range(5)]
    sD = [sC[(x + 4) % 5] ^ sC[(x + 1) % 5] for x in range(5)]
    for x in range(5):
        lines.append(f"let c{x} = " + " ^ ".join(lane(src, x, y) for y in range(5)))
    for x in range(5):
        lines.append(f"let d{x} = c{(x + 4) % 5} ^ rotl(c{(x + 1) % 5}, 1)")
    for Y in range(5):
        names, status = [], []
        for X in range(5):
            y = X
            x = (3 * (Y - 3 * X)) % 5
            assert (y, (2 * x + 3 * y) % 5) == (X, Y)
            b = f"b{Y}{X}"
            names.append(b)
            status.append(sA(x, y) ^ sD[x])
            lines.append(f"let {b} = " + rotl(f"({lane(src, x, y)} ^ d{x})", R[x][y]))
        # chi over stored values: B1' = B1 ^ s1 etc. With X = ~B1 and Y = B2, the
        # output E' = E ^ t is b0' ^ u ^ (X & Y), u = s0 ^ t, which can be written as
        #   b0' ^ (X & Y)  or  ~b0' ^ (~X | ~Y)   when u = 0,
        #   b0' ^ (~X | ~Y)  or  ~b0' ^ (X & Y)   when u = 1.
        # X, ~X, Y, ~Y are b1'/b2' or their NOTs; pick the forms that need the fewest
        # distinct NOTs in the plane (each NOT is computed once and shared).
        def operand(b, needs_not):
            return (f"n{b}", {b}) if needs_not else (b, set())
        options = []
        for X in range(5):
            b0, b1, b2 = names[X], names[(X + 1) % 5], names[(X + 2) % 5]
            s0, s1, s2 = status[X], status[(X + 1) % 5], status[(X + 2) % 5]
            u = s0 ^ sA(X, Y)
            x_, nx = operand(b1, s1 == 0)      # X = ~B1
            y_, ny = operand(b2, s2 == 1)      # Y = B2
            xc, nxc = operand(b1, s1 == 1)     # ~X = B1
            yc, nyc = operand(b2, s2 == 0)     # ~Y = ~B2
            and_form, and_negs = f"({x_} & {y_})", nx | ny
            or_form, or_negs = f"({xc} | {yc})", nxc | nyc
            if u == 0:
                options.append([(f"{b0} ^ {and_form}", and_negs), (f"n{b0} ^ {or_form}", or_negs | {b0})])
            else:
                options.append([(f"{b0} ^ {or_form}", or_negs), (f"n{b0} ^ {and_form}", and_negs | {b0})])
        best = None
        for mask in range(32):
            chosen = [options[X][(mask >> X) & 1] for X in range(5)]
            negs = set().union(*(c[1] for c in chosen))
            if best is None or len(negs) < len(best[1]):
                best = (chosen, negs)
        chosen, negated = best
        exprs = []
        for X in range(5):
            e = chosen[X][0]
            if X == 0 and Y == 0:
                e += f" ^ {rc_expr}"
            exprs.append(f"{lane(dst, X, Y)} = {e}")
        for b in sorted(negated):
            lines.append(f"let n{b} = ~{b}")
        NOT_COUNT[0] += len(negated)
        lines.extend(exprs)
    return "\n".join(ind + l for l in lines)


lanes_a = [lane("a", x, y) for y in range(5) for x in range(5)]  # index x + 5y
lanes_e = [lane("e", x, y) for y in range(5) for x in range(5)]
I8 = " " * 8
I12 = " " * 12

out_lines = "\n".join(
    f"{I12}out.storeBytes(of: ({'~' if i in COMPLEMENTED else ''}s.{lanes_a[i]}).littleEndian, toByteOffset: {8 * i}, as: UInt64.self)"
    for i in range(4))
rc_lines = ",\n".join(
    "        " + ", ".join(f"0x{c:016X}" for c in RC[i:i + 4]) for i in range(0, 24, 4))

load_lines = "\n".join(f"{' ' * 20}s.{lanes_a[i]} ^= lane(p, {8 * i})" for i in range(17))
final_lines = "\n".join(f"{I12}s.{lanes_a[i]} ^= lane(block, {8 * i})" for i in range(17))

swift = f'''// Generated by scripts/gen_keccak_swift.py; edit the generator, not this file.

/// Keccak-256 as used by Ethereum: Keccak-f[1600], rate 136 bytes, original Keccak
/// padding (`0x01 ... 0x80`). This is NOT SHA3-256 (FIPS 202 pads with `0x06`):
/// keccak256("") = `c5d24601...5d85a470`, sha3_256("") = `a7ffc6f8...80f8434a`.
///
/// The permutation keeps the 25 lanes in locals and runs two unrolled rounds per loop
/// iteration, with lane complementing (fewer NOTs in chi); lanes are loaded little-endian
/// straight from the input. No call allocates
/// on the heap except the ones that return a new `[UInt8]`.
public enum Keccak256 {{
    /// Size of a digest in bytes.
    public static let byteCount = 32

    /// Rate (block size) of Keccak-256 in bytes.
    static let rate = 136

    /// Round constants of Keccak-f[1600] (iota step).
    static let roundConstants: [UInt64] = [
{rc_lines},
    ]

    /// The 25 lanes; lane (x, y) is `a<y><x>`. Lanes {sorted(COMPLEMENTED)} are stored
    /// complemented (lane-complementing transform), so a fresh state has them all-ones.
    struct State {{
        var {", ".join(lanes_a[:13])}: UInt64
        var {", ".join(lanes_a[13:])}: UInt64

        @inline(__always)
        init() {{
            {"; ".join(f"{n} = {'~0' if i in COMPLEMENTED else '0'}" for i, n in enumerate(lanes_a) if i < 13)}
            {"; ".join(f"{n} = {'~0' if i in COMPLEMENTED else '0'}" for i, n in enumerate(lanes_a) if i >= 13)}
        }}

        /// Keccak-f[1600]: 24 rounds, two per iteration (a -> e, then e -> a).
        @inline(__always)
        mutating func permute(_ rc: UnsafePointer<UInt64>) {{
            var {", ".join(f"{n} = {n}" for n in lanes_a[:13])}
            var {", ".join(f"{n} = {n}" for n in lanes_a[13:])}
            var {", ".join(f"{n}: UInt64 = 0" for n in lanes_e[:13])}
            var {", ".join(f"{n}: UInt64 = 0" for n in lanes_e[13:])}
            var round = 0
            while round < 24 {{
                do {{
{round_code("a", "e", "rc[round]", " " * 20)}
                }}
                do {{
{round_code("e", "a", "rc[round + 1]", " " * 20)}
                }}
                round += 2
            }}
            {"; ".join(f"self.{n} = {n}" for n in lanes_a[:13])}
            {"; ".join(f"self.{n} = {n}" for n in lanes_a[13:])}
        }}
    }}

    @inline(__always)
    static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {{
        (x &<< n) | (x &>> (64 &- n))
    }}

    @inline(__always)
    static func lane(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {{
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }}

    /// Keccak-256 of `data`, written as 32 bytes to `out`, without allocating.
    ///
    /// - Parameters:
    ///   - data: the message (may be empty, with or without a base address).
    ///   - out: at least 32 writable bytes; any alignment.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {{
        roundConstants.withUnsafeBufferPointer {{ rcBuf in
            guard let rc = rcBuf.baseAddress else {{ return }}
            var s = State()
            var remaining = data.count
            if var p = data.baseAddress {{
                while remaining >= rate {{
{load_lines}
                    s.permute(rc)
                    p += rate
                    remaining -= rate
                }}
                absorbFinal(&s, p, remaining, rc)
            }} else {{
                absorbFinal(&s, nil, 0, rc)
            }}
{out_lines}
        }}
    }}

    /// Pads the last `count` (< 136) bytes at `p` into one block, absorbs it and permutes.
    @inline(__always)
    static func absorbFinal(_ s: inout State, _ p: UnsafeRawPointer?, _ count: Int, _ rc: UnsafePointer<UInt64>) {{
        withUnsafeTemporaryAllocation(byteCount: rate, alignment: 8) {{ buf in
            guard let block = buf.baseAddress else {{ return }}
            block.initializeMemory(as: UInt8.self, repeating: 0, count: rate)
            if let p, count > 0 {{
                block.copyMemory(from: p, byteCount: count)
            }}
            block.storeBytes(of: 0x01, toByteOffset: count, as: UInt8.self)
            let last = block.load(fromByteOffset: rate - 1, as: UInt8.self)
            block.storeBytes(of: last | 0x80, toByteOffset: rate - 1, as: UInt8.self)
            let blk = UnsafeRawPointer(block)
{final_lines.replace("lane(block,", "lane(blk,")}
            s.permute(rc)
        }}
    }}

    /// Keccak-256 of `data`.
    ///
    /// - Parameter data: the message (may be empty).
    /// - Returns: the 32-byte digest.
    public static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8] {{
        [UInt8](unsafeUninitializedCapacity: byteCount) {{ buf, initialized in
            if let base = buf.baseAddress {{
                hash(data, into: UnsafeMutableRawPointer(base))
                initialized = byteCount
            }} else {{
                initialized = 0
            }}
        }}
    }}

    /// Keccak-256 of a byte array.
    ///
    /// - Parameter data: the message (may be empty).
    /// - Returns: the 32-byte digest.
    public static func hash(_ data: [UInt8]) -> [UInt8] {{
        data.withUnsafeBytes {{ hash($0) }}
    }}

    /// Keccak-256 of the UTF-8 bytes of `string`.
    ///
    /// - Parameter string: the text to hash.
    /// - Returns: the 32-byte digest.
    public static func hash(utf8 string: String) -> [UInt8] {{
        var s = string
        return s.withUTF8 {{ hash(UnsafeRawBufferPointer($0)) }}
    }}
}}
'''
OUT.write_text(swift)
print(f"wrote {OUT}; NOTs per two rounds: {NOT_COUNT[0]}")
