/// Arithmetic in GF(2⁸) as QR codes use it: elements are bytes, addition is XOR, and multiplication is modulo the
/// primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), whose root α = 2 generates every non-zero element.
enum GF256 {
    /// `exp[i]` is αⁱ; doubled in length so a product's exponent sum needs no reduction modulo 255.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// `log[x]` is the i with αⁱ = x; `log[0]` is meaningless and never read.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(exp[index])] = index }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

/// Reed–Solomon error correction codewords for one QR block (ISO/IEC 18004:2015, 7.5.2).
enum ReedSolomon {
    /// The generator polynomial (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients from the highest power down,
    /// the leading 1 included.
    static func generator(degree: Int) -> [UInt8] {
        var polynomial: [UInt8] = [1]
        for root in 0..<degree {
            var next = polynomial + [0]
            for (index, coefficient) in polynomial.enumerated() {
                next[index + 1] ^= GF256.multiply(coefficient, GF256.exp[root])
            }
            polynomial = next
        }
        return polynomial
    }

    /// The remainder of data·x^degree divided by the generator: the codewords that make the whole block divisible
    /// by it, which is what lets a decoder locate and correct errors.
    static func errorCorrection(for data: [UInt8], degree: Int) -> [UInt8] {
        let divisor = generator(degree: degree).dropFirst()
        var remainder = [UInt8](repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for (index, coefficient) in divisor.enumerated() {
                remainder[index] ^= GF256.multiply(coefficient, factor)
            }
        }
        return remainder
    }
}
