import Foundation
import Testing

@testable import DengaoCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

// Expected values come from ISO/IEC 18004:2015 (tables cited by number), not from running the encoder. The
// symbols themselves are checked by `SymbolReader` below, which reads a symbol back the way the standard describes
// a reader doing it; Tests/conformance/qr_roundtrip.py adds ZBar as a fully independent reader.

@Suite struct QRCodeTests {
    // MARK: Reed–Solomon

    @Test func generatorPolynomialForTenCodewords() {
        // Annex A lists generator polynomials by the α exponents of their coefficients, highest power first.
        let exponents = ReedSolomon.generator(degree: 10).map { GF256.log[Int($0)] }
        #expect(exponents == [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45])
    }

    @Test func annexIExampleErrorCorrection() {
        // Annex I: "01234567" at 1-M, sixteen data codewords and the ten error correction codewords they get.
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
        ]
        let expected: [UInt8] = [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55]
        #expect(ReedSolomon.errorCorrection(for: data, degree: 10) == expected)
    }

    @Test(arguments: [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30])
    func codewordsAreDivisibleByTheGenerator(degree: Int) {
        // A block is a multiple of the generator exactly when it vanishes at the generator's roots α⁰…α^(degree−1);
        // evaluating there checks the division without dividing.
        var random = SplitMix64(seed: UInt64(degree))
        let data = (0..<(40 + degree)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let block = data + ReedSolomon.errorCorrection(for: data, degree: degree)
        #expect(syndromes(of: block, count: degree).allSatisfy { $0 == 0 })
        var corrupted = block
        corrupted[3] ^= 0x40
        #expect(!syndromes(of: corrupted, count: degree).allSatisfy { $0 == 0 })
    }

    // MARK: Format and version information

    /// Annex C, Table C.1: the format information after masking with 101010000010010, masks 0 to 7 per level.
    static let formatInformation: [QRErrorCorrection: [String]] = [
        .low: [
            "111011111000100", "111001011110011", "111110110101010", "111100010011101",
            "110011000101111", "110001100011000", "110110001000001", "110100101110110",
        ],
        .medium: [
            "101010000010010", "101000100100101", "101111001111100", "101101101001011",
            "100010111111001", "100000011001110", "100111110010111", "100101010100000",
        ],
        .quartile: [
            "011010101011111", "011000001101000", "011111100110001", "011101000000110",
            "010010010110100", "010000110000011", "010111011011010", "010101111101101",
        ],
        .high: [
            "001011010001001", "001001110111110", "001110011100111", "001100111010000",
            "000011101100010", "000001001010101", "000110100001100", "000100000111011",
        ],
    ]

    @Test func formatInformationForAllLevelsAndMasks() {
        for level in QRErrorCorrection.allCases {
            for mask in 0..<8 {
                #expect(
                    binary(QRMatrixBuilder.formatBits(level: level, mask: mask), width: 15)
                        == Self.formatInformation[level]![mask], "\(level.rawValue) mask \(mask)")
            }
        }
    }

    @Test func formatInformationIsDrawnInBothPlaces() throws {
        for level in QRErrorCorrection.allCases {
            for mask in 0..<8 {
                let code = try QRCode(
                    bytes: Array("Dengao".utf8), level: level, minimumVersion: 1, declaresUTF8: false, mask: mask)
                let reader = SymbolReader(code)
                #expect(reader.formatCopies.first == Self.formatInformation[level]![mask])
                #expect(reader.formatCopies.second == Self.formatInformation[level]![mask])
                #expect(code.mask == mask && code.errorCorrection == level)
            }
        }
    }

    @Test func versionInformation() {
        // Annex D, Table D.1.
        #expect(binary(QRMatrixBuilder.versionBits(version: 7), width: 18) == "000111110010010100")
        #expect(binary(QRMatrixBuilder.versionBits(version: 8), width: 18) == "001000010110111100")
        #expect(binary(QRMatrixBuilder.versionBits(version: 40), width: 18) == "101000110001101001")
        for version in 7...40 {
            let bits = QRMatrixBuilder.versionBits(version: version)
            #expect(bits >> 12 == version)
            #expect(polynomialRemainder(bits, dividingBy: 0x1F25) == 0, "BCH(18,6) codeword for version \(version)")
        }
    }

    @Test(arguments: [7, 8, 40])
    func versionInformationIsDrawnInBothPlaces(version: Int) throws {
        let code = try QRCode(encoding: "v", errorCorrection: .low, minimumVersion: version)
        let reader = SymbolReader(code)
        let expected = [7: "000111110010010100", 8: "001000010110111100", 40: "101000110001101001"][version]
        #expect(reader.versionCopies.bottomLeft == expected)
        #expect(reader.versionCopies.topRight == expected)
    }

    // MARK: Function patterns

    @Test(arguments: 1...40)
    func findersSeparatorsTimingAndDarkModule(version: Int) throws {
        let code = try QRCode(encoding: "Dengao", errorCorrection: .medium, minimumVersion: version)
        let size = 17 + 4 * version
        #expect(code.size == size)
        for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(code.isDark(x: left + dx, y: top + dy) == (ring != 2), "finder at \(left),\(top)")
                }
            }
        }
        for i in 0..<8 {
            // The separators: a light L around each finder, on its sides facing the symbol.
            #expect(!code.isDark(x: 7, y: i) && !code.isDark(x: i, y: 7))
            #expect(!code.isDark(x: size - 8, y: i) && !code.isDark(x: size - 1 - i, y: 7))
            #expect(!code.isDark(x: 7, y: size - 1 - i) && !code.isDark(x: i, y: size - 8))
        }
        for i in 8..<(size - 8) {
            #expect(code.isDark(x: i, y: 6) == (i % 2 == 0), "row 6 timing at \(i)")
            #expect(code.isDark(x: 6, y: i) == (i % 2 == 0), "column 6 timing at \(i)")
        }
        #expect(code.isDark(x: 8, y: size - 8), "the dark module")
    }

    /// Annex E, Table E.1: row and column coordinates of the alignment pattern centres for versions 2 to 40.
    static let alignmentCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
        [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78],
        [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90], [6, 28, 50, 72, 94], [6, 26, 50, 74, 98],
        [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110], [6, 30, 58, 86, 114],
        [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    @Test(arguments: 1...40)
    func alignmentPatterns(version: Int) throws {
        let centers = Self.alignmentCenters[version - 1]
        #expect(QRVersionTable.alignmentCenters(version: version) == centers)
        let code = try QRCode(encoding: "Dengao", errorCorrection: .high, minimumVersion: version)
        for y in centers {
            for x in centers where !SymbolReader.isInFinderCorner(x: x, y: y, size: code.size) {
                for dy in -2...2 {
                    for dx in -2...2 {
                        let ring = max(abs(dx), abs(dy))
                        #expect(code.isDark(x: x + dx, y: y + dy) == (ring != 1), "alignment at \(x),\(y)")
                    }
                }
            }
        }
    }

    /// Table 1: total codewords per version, and the remainder bits left over in the data region.
    static let totalCodewords = [
        26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733, 815, 901, 991, 1085, 1156, 1258,
        1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185, 2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362, 3532, 3706,
    ]
    static func remainderBits(version: Int) -> Int {
        switch version {
        case 2...6: 7
        case 14...20, 28...34: 3
        case 21...27: 4
        default: 0
        }
    }

    @Test(arguments: 1...40)
    func dataRegionHoldsTheTotalCodewords(version: Int) throws {
        let code = try QRCode(encoding: "x", errorCorrection: .low, minimumVersion: version)
        let modules = SymbolReader(code).dataModuleCount
        #expect(modules / 8 == Self.totalCodewords[version - 1])
        #expect(modules % 8 == Self.remainderBits(version: version))
        #expect(QRVersionTable.totalCodewords(version: version) == Self.totalCodewords[version - 1])
    }

    // MARK: Versions and capacity

    /// Table 7: the byte mode data capacity of each version, as (L, M, Q, H).
    static let byteCapacity: [(Int, Int, Int, Int)] = [
        (17, 14, 11, 7), (32, 26, 20, 14), (53, 42, 32, 24), (78, 62, 46, 34), (106, 84, 60, 44),
        (134, 106, 74, 58), (154, 122, 86, 64), (192, 152, 108, 84), (230, 180, 130, 98), (271, 213, 151, 119),
        (321, 251, 177, 137), (367, 287, 203, 155), (425, 331, 241, 177), (458, 362, 258, 194),
        (520, 412, 292, 220), (586, 450, 322, 250), (644, 504, 364, 280), (718, 560, 394, 310),
        (792, 624, 442, 338), (858, 666, 482, 382), (929, 711, 509, 403), (1003, 779, 565, 439),
        (1091, 857, 611, 461), (1171, 911, 661, 511), (1273, 997, 715, 535), (1367, 1059, 751, 593),
        (1465, 1125, 805, 625), (1528, 1190, 868, 658), (1628, 1264, 908, 698), (1732, 1370, 982, 742),
        (1840, 1452, 1030, 790), (1952, 1538, 1112, 842), (2068, 1628, 1168, 898), (2188, 1722, 1228, 958),
        (2303, 1809, 1283, 983), (2431, 1911, 1351, 1051), (2563, 1989, 1423, 1093), (2699, 2099, 1499, 1139),
        (2809, 2213, 1579, 1219), (2953, 2331, 1663, 1273),
    ]

    static func capacity(version: Int, level: QRErrorCorrection) -> Int {
        let row = byteCapacity[version - 1]
        return [row.0, row.1, row.2, row.3][level.tableIndex]
    }

    @Test(arguments: QRErrorCorrection.allCases)
    func longestTextForEachVersionAndOneByteMore(level: QRErrorCorrection) throws {
        for version in 1...40 {
            let capacity = Self.capacity(version: version, level: level)
            #expect(
                try QRCode.version(forByteCount: capacity, level: level, minimumVersion: 1, withECI: false) == version)
            if version < 40 {
                #expect(
                    try QRCode.version(forByteCount: capacity + 1, level: level, minimumVersion: 1, withECI: false)
                        == version + 1)
            }
        }
    }

    @Test(arguments: QRErrorCorrection.allCases, [1, 9, 10, 26, 27, 40])
    func fullSymbolsAtTheCapacityRead(level: QRErrorCorrection, version: Int) throws {
        // Versions 9 and 10 straddle the change of the byte count field from 8 to 16 bits.
        let capacity = Self.capacity(version: version, level: level)
        var random = SplitMix64(seed: UInt64(version * 4 + level.tableIndex))
        let bytes = (0..<capacity).map { _ in UInt8.random(in: 0...255, using: &random) }
        let code = try QRCode(encoding: bytes, errorCorrection: level)
        #expect(code.version == version)
        let content = try SymbolReader(code).read()
        #expect(content.level == level && content.mask == code.mask)
        #expect(content.eci == nil)
        #expect(content.bytes == bytes)
        if version < 40 {
            #expect(try QRCode(encoding: bytes + [0x21], errorCorrection: level).version == version + 1)
        }
    }

    @Test func tooLongIsAnError() {
        #expect(throws: QRCodeError.tooLong(byteCount: 2954, maximum: 2953)) {
            try QRCode(encoding: String(repeating: "a", count: 2954), errorCorrection: .low)
        }
        #expect(throws: QRCodeError.tooLong(byteCount: 1274, maximum: 1273)) {
            try QRCode(encoding: [UInt8](repeating: 0, count: 1274), errorCorrection: .high)
        }
        // Non-ASCII text spends 12 bits on its ECI header, one byte of version 40-L's capacity.
        #expect(throws: QRCodeError.tooLong(byteCount: 2955, maximum: 2952)) {
            try QRCode(encoding: String(repeating: "登", count: 985), errorCorrection: .low)
        }
    }

    @Test func minimumVersion() throws {
        let code = try QRCode(encoding: "a", errorCorrection: .quartile, minimumVersion: 12)
        #expect(code.version == 12 && code.size == 65)
        #expect(try SymbolReader(code).read().bytes == Array("a".utf8))
        #expect(throws: QRCodeError.invalidMinimumVersion(0)) { try QRCode(encoding: "a", minimumVersion: 0) }
        #expect(throws: QRCodeError.invalidMinimumVersion(41)) { try QRCode(encoding: "a", minimumVersion: 41) }
    }

    // MARK: Text

    /// An invitation link as the server makes them: a 32-byte random token in base64url, 43 characters.
    static let inviteURL = "https://dengao.example/invite#2QqdkWxW93ttWnaJxzkL-fJQ3repXVP1OEv0zHy0RE8"

    @Test(arguments: QRErrorCorrection.allCases)
    func chineseTextIsUTF8WithItsECI(level: QRErrorCorrection) throws {
        let text = "登高答题：中共一大于1921年召开。党史 " + Self.inviteURL
        let content = try SymbolReader(QRCode(encoding: text, errorCorrection: level)).read()
        #expect(content.eci == 26, "ECI 000026 is UTF-8")
        #expect(content.bytes == Array(text.utf8))
        #expect(String(decoding: content.bytes, as: UTF8.self) == text)
    }

    @Test func onlyNonASCIITextDeclaresUTF8() throws {
        #expect(try SymbolReader(QRCode(encoding: "https://dengao.example/")).read().eci == nil)
        #expect(try SymbolReader(QRCode(encoding: Array("登高".utf8))).read().eci == nil)
        // 1-M holds 14 bytes (Table 7); with the 12-bit ECI header, 13.
        #expect(try QRCode(encoding: "登高答题1", errorCorrection: .medium).version == 1)
        #expect(try QRCode(encoding: "登高答题12", errorCorrection: .medium).version == 2)
        #expect(try QRCode(encoding: "abcdefghijklmn", errorCorrection: .medium).version == 1)
    }

    // MARK: Masking

    @Test func penaltyRules() {
        // All light, 21×21: every row and column is one run of 21 (3 + 16 each, rule 1), every 2×2 is one colour
        // (20 × 20 blocks × 3, rule 2), nothing finder-like (rule 3), and 0 % dark is ten 5 % steps from half
        // (rule 4).
        let light = [Bool](repeating: false, count: 21 * 21)
        #expect(QRMatrixBuilder.penalty(light, size: 21) == 42 * 19 + 400 * 3 + 100)

        // A checkerboard has no runs, blocks or finder-like patterns, and 221 of 441 dark is within 5 % of half.
        let checkerboard = (0..<(21 * 21)).map { ($0 / 21 + $0 % 21) % 2 == 0 }
        #expect(QRMatrixBuilder.penalty(checkerboard, size: 21) == 0)

        // Eleven identical rows of 1 0 111 0 1 0000. Each row holds the finder-like pattern with four light
        // modules after it, and — the quiet zone counting as light — four before it: 2 × 40 per row. No row has
        // a run of five. Each column is one colour, a run of 11: 3 + 6. Five of the ten neighbouring pairs in the
        // row are one colour, so each of the ten row pairs has five one-colour 2×2 blocks. 55 of 121 dark is
        // 45 %, within 5 % of half.
        let row = [true, false, true, true, true, false, true, false, false, false, false]
        let striped = (0..<11).flatMap { _ in row }
        #expect(QRMatrixBuilder.penalty(striped, size: 11) == 11 * 80 + 11 * 9 + 10 * 5 * 3)
    }

    @Test func chosenMaskHasTheLowestPenalty() throws {
        let text = Array(Self.inviteURL.utf8)
        let chosen = try QRCode(encoding: text, errorCorrection: .quartile)
        let penalties = try (0..<8).map { mask in
            let code = try QRCode(bytes: text, level: .quartile, minimumVersion: 1, declaresUTF8: false, mask: mask)
            #expect(try SymbolReader(code).read().bytes == text, "mask \(mask)")
            let modules = (0..<(code.size * code.size)).map { code.isDark(x: $0 % code.size, y: $0 / code.size) }
            return QRMatrixBuilder.penalty(modules, size: code.size)
        }
        #expect(chosen.mask == penalties.firstIndex(of: penalties.min()!))
    }

    // MARK: Value semantics

    @Test func equalityAndBounds() throws {
        let code = try QRCode(encoding: "登高")
        #expect(code == (try QRCode(encoding: "登高")))
        #expect(code != (try QRCode(encoding: "登高", errorCorrection: .high)))
        #expect(code != (try QRCode(encoding: "登高", minimumVersion: 2)))
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: 0, y: code.size) && code.isDark(x: 0, y: 0))
    }

    // MARK: SVG

    @Test func svgIsWellFormedAndDrawsEveryDarkModule() throws {
        let code = try QRCode(encoding: "https://dengao.example/invite#abc", errorCorrection: .medium)
        let svg = code.svg(moduleSize: 5, quietZone: 4, darkColor: "#1a2b3c", lightColor: "\"white\" & <co>")
        let document = try SVGDocument(svg)
        let side = code.size + 8
        #expect(document.root == "svg")
        #expect(document.attributes("svg")?["viewBox"] == "0 0 \(side) \(side)")
        #expect(document.attributes("svg")?["width"] == "\(side * 5)")
        #expect(document.attributes("svg")?["shape-rendering"] == "crispEdges")
        #expect(document.attributes("rect")?["fill"] == "\"white\" & <co>")
        #expect(document.attributes("rect")?["width"] == "\(side)")
        #expect(document.attributes("path")?["fill"] == "#1a2b3c")
        #expect(document.elements == ["svg", "rect", "path"])
        #expect(!svg.contains("href"), "no external references")

        let painted = try paintedModules(document.attributes("path")?["d"] ?? "")
        var expected = Set<[Int]>()
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { expected.insert([x + 4, y + 4]) }
        }
        #expect(painted == expected)
        // Horizontal runs are merged: fewer subpaths than dark modules.
        #expect(svg.components(separatedBy: "M").count - 1 < expected.count)
    }
}

// MARK: - Helpers

private func binary(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 2)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// The remainder of one GF(2) polynomial divided by another, both as bit patterns.
private func polynomialRemainder(_ value: Int, dividingBy divisor: Int) -> Int {
    var value = value
    let degree = divisor.bitWidth - divisor.leadingZeroBitCount - 1
    while value != 0 && value.bitWidth - value.leadingZeroBitCount - 1 >= degree {
        value ^= divisor << (value.bitWidth - value.leadingZeroBitCount - 1 - degree)
    }
    return value
}

/// The block as a polynomial (first codeword highest) evaluated at α⁰…α^(count−1), by Horner's rule.
private func syndromes(of block: [UInt8], count: Int) -> [UInt8] {
    (0..<count).map { power in
        block.reduce(UInt8(0)) { GF256.multiply($0, GF256.exp[power]) ^ $1 }
    }
}

/// A reproducible generator, so a failing case is the same case on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reads a symbol back as ISO/IEC 18004 section 12 describes: format information, the function pattern regions
/// to skip, the data bits in their zigzag with the mask undone, de-interleaving, Reed–Solomon syndromes, and the
/// segments. Positions and mask formulas are written out from the standard's figures and Table 10.
private struct SymbolReader {
    struct ReadError: Error, CustomStringConvertible { let description: String }

    struct Content {
        let level: QRErrorCorrection
        let mask: Int
        let eci: Int?
        let bytes: [UInt8]
    }

    let code: QRCode
    var size: Int { code.size }
    var version: Int { (size - 17) / 4 }

    init(_ code: QRCode) { self.code = code }

    private func bits(_ positions: [(Int, Int)]) -> String {
        String(positions.map { code.isDark(x: $0.0, y: $0.1) ? "1" : "0" })
    }

    /// The format information layout (7.9), most significant bit first: along row 8 then up column 8 by the
    /// top-left finder; up column 8 from the bottom, then along row 8 to the right edge.
    var formatCopies: (first: String, second: String) {
        let first =
            [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7)]
            + [(8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        let second = (0..<7).map { (8, size - 1 - $0) } + (0..<8).map { (size - 8 + $0, 8) }
        return (bits(first), bits(second))
    }

    /// The version information layout (7.10), most significant bit first: bit 0 is in the block's corner nearest
    /// the symbol's origin, and bits run across the block's three-module side before moving along its six-module
    /// side.
    var versionCopies: (bottomLeft: String, topRight: String) {
        let order = (0..<18).reversed()
        return (
            bits(order.map { ($0 / 3, size - 11 + $0 % 3) }),
            bits(order.map { (size - 11 + $0 % 3, $0 / 3) })
        )
    }

    static func isInFinderCorner(x: Int, y: Int, size: Int) -> Bool {
        (x < 9 && y < 9) || (x >= size - 8 && y < 9) || (x < 9 && y >= size - 8)
    }

    /// Finders with separators and format information, timing patterns, alignment patterns, version information.
    func isFunction(x: Int, y: Int) -> Bool {
        if Self.isInFinderCorner(x: x, y: y, size: size) || x == 6 || y == 6 { return true }
        let centers = QRCodeTests.alignmentCenters[version - 1]
        for cy in centers {
            for cx in centers where !Self.isInFinderCorner(x: cx, y: cy, size: size) {
                if abs(x - cx) <= 2 && abs(y - cy) <= 2 { return true }
            }
        }
        if version >= 7 {
            if x < 6 && (size - 11..<size - 8).contains(y) { return true }
            if y < 6 && (size - 11..<size - 8).contains(x) { return true }
        }
        return false
    }

    var dataModuleCount: Int {
        (0..<size).reduce(0) { count, y in count + (0..<size).filter { !isFunction(x: $0, y: y) }.count }
    }

    /// Table 10, with i the row and j the column.
    static func maskCondition(_ mask: Int, i: Int, j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i * j) % 3 + (i + j) % 2) % 2 == 0
        }
    }

    func read() throws -> Content {
        let (first, second) = formatCopies
        guard first == second else { throw ReadError(description: "format copies differ: \(first) \(second)") }
        var level: QRErrorCorrection?
        var mask = 0
        for (candidate, strings) in QRCodeTests.formatInformation {
            if let index = strings.firstIndex(of: first) { (level, mask) = (candidate, index) }
        }
        guard let level else { throw ReadError(description: "format information \(first) is not in Table C.1") }

        // Column pairs from the right edge, alternately upwards and downwards, the timing column skipped.
        var codewordBits: [Bool] = []
        var upward = true
        for right in stride(from: size - 1, to: 0, by: -2).map({ $0 <= 6 ? $0 - 1 : $0 }) {
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction(x: x, y: y) {
                    codewordBits.append(code.isDark(x: x, y: y) != Self.maskCondition(mask, i: y, j: x))
                }
            }
            upward.toggle()
        }
        let codewords = stride(from: 0, to: codewordBits.count - 7, by: 8).map { start in
            codewordBits[start..<(start + 8)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }

        let blockCount = QRVersionTable.blockCount(version: version, level: level)
        let eccLength = QRVersionTable.eccCodewordsPerBlock(version: version, level: level)
        let dataCount = codewords.count - blockCount * eccLength
        let shortBlocks = blockCount - dataCount % blockCount
        var blocks = (0..<blockCount).map { _ in [UInt8]() }
        var next = 0
        for index in 0...(dataCount / blockCount) {
            for block in 0..<blockCount where index < dataCount / blockCount || block >= shortBlocks {
                blocks[block].append(codewords[next])
                next += 1
            }
        }
        let data = blocks.flatMap { $0 }
        for _ in 0..<eccLength {
            for block in 0..<blockCount {
                blocks[block].append(codewords[next])
                next += 1
            }
        }
        for (index, block) in blocks.enumerated() {
            guard syndromes(of: block, count: eccLength).allSatisfy({ $0 == 0 }) else {
                throw ReadError(description: "block \(index) is not a Reed–Solomon codeword")
            }
        }

        var stream = BitStream(bytes: data)
        var eci: Int?
        var mode = stream.read(4)
        if mode == 0b0111 {
            eci = stream.read(8)
            mode = stream.read(4)
        }
        guard mode == 0b0100 else { throw ReadError(description: "mode \(mode) is not byte mode") }
        let count = stream.read(version <= 9 ? 8 : 16)
        let bytes = (0..<count).map { _ in UInt8(stream.read(8)) }
        // Terminator, zero bits to the codeword boundary, then alternating pad codewords (7.4.9 and 7.4.10).
        let terminator = min(4, data.count * 8 - stream.position)
        guard stream.read(terminator) == 0 else { throw ReadError(description: "no terminator") }
        guard stream.read((8 - stream.position % 8) % 8) == 0 else { throw ReadError(description: "bad bit padding") }
        for (index, pad) in data[(stream.position / 8)...].enumerated() where pad != (index % 2 == 0 ? 0xEC : 0x11) {
            throw ReadError(description: "pad codeword \(index) is \(pad)")
        }
        return Content(level: level, mask: mask, eci: eci, bytes: bytes)
    }
}

private struct BitStream {
    let bytes: [UInt8]
    var position = 0

    mutating func read(_ count: Int) -> Int {
        var value = 0
        for _ in 0..<count {
            let bit = position / 8 < bytes.count ? (bytes[position / 8] >> (7 - UInt8(position % 8))) & 1 : 0
            value = value << 1 | Int(bit)
            position += 1
        }
        return value
    }
}

/// The elements and attributes of an SVG document, as an XML parser sees them.
private final class SVGDocument: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    private var attributesByElement: [String: [String: String]] = [:]
    var root: String? { elements.first }

    init(_ text: String) throws {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? SymbolReader.ReadError(description: "not XML") }
    }

    func attributes(_ element: String) -> [String: String]? { attributesByElement[element] }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        elements.append(elementName)
        attributesByElement[elementName] = attributes
    }
}

/// The unit squares a path of `M x y h n v1 h-n z` rectangles covers.
private func paintedModules(_ path: String) throws -> Set<[Int]> {
    let pattern = try NSRegularExpression(pattern: #"M(\d+) (\d+)h(\d+)v1h-(\d+)z"#)
    let range = NSRange(path.startIndex..., in: path)
    var covered = Set<[Int]>()
    var matchedLength = 0
    for match in pattern.matches(in: path, range: range) {
        let number = { (group: Int) in Int((path as NSString).substring(with: match.range(at: group)))! }
        #expect(number(3) == number(4), "each run closes back to its start")
        for dx in 0..<number(3) { covered.insert([number(1) + dx, number(2)]) }
        matchedLength += match.range.length
    }
    #expect(matchedLength == range.length, "nothing in the path but runs")
    return covered
}
