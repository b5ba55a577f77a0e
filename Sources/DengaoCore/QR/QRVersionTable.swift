/// The per-version structure of QR Code model 2 symbols (ISO/IEC 18004:2015, Tables 1 and 9 and Annex E).
enum QRVersionTable {
    static let versions = 1...40

    // Table 9, by level (L, M, Q, H) then version: each row lists versions 1–20, then 21–40.

    /// Error correction codewords in each block.
    private static let eccCodewordsPerBlock: [[Int]] = [
        [
            7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
            28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
            28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
            30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    /// Number of error correction blocks.
    private static let blockCounts: [[Int]] = [
        [
            1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
            8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
            23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
            25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]

    static func eccCodewordsPerBlock(version: Int, level: QRErrorCorrection) -> Int {
        eccCodewordsPerBlock[level.tableIndex][version - 1]
    }

    static func blockCount(version: Int, level: QRErrorCorrection) -> Int {
        blockCounts[level.tableIndex][version - 1]
    }

    /// Modules left for codewords once the function patterns, format and version information are drawn; not always
    /// a multiple of 8 — the leftover remainder bits stay light before masking.
    static func dataModuleCount(version: Int) -> Int {
        let size = 17 + 4 * version
        var count = size * size
        count -= 3 * 8 * 8  // three finder patterns with their separators
        count -= 2 * (size - 16)  // the two timing patterns between the separators
        count -= 2 * 15 + 1  // two copies of the format information and the dark module
        let alignments = alignmentCenters(version: version).count
        if alignments > 0 {
            let patterns = alignments * alignments - 3  // the three corners a finder pattern occupies
            count -= patterns * 25
            count += 2 * 5 * (alignments - 2)  // the timing patterns run through the middle alignment patterns
        }
        if version >= 7 { count -= 2 * 18 }
        return count
    }

    static func totalCodewords(version: Int) -> Int { dataModuleCount(version: version) / 8 }

    static func dataCodewords(version: Int, level: QRErrorCorrection) -> Int {
        totalCodewords(version: version)
            - eccCodewordsPerBlock(version: version, level: level) * blockCount(version: version, level: level)
    }

    /// Width of the byte-mode character count indicator (Table 3).
    static func byteCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Bits of an ECI header naming one character set: mode indicator 0111 and a one-byte designator (below 128).
    static let eciHeaderBits = 4 + 8

    /// The most bytes a byte-mode segment can carry in this version and level, after an ECI header if there is one.
    static func byteCapacity(version: Int, level: QRErrorCorrection, withECI: Bool = false) -> Int {
        let headerBits = (withECI ? eciHeaderBits : 0) + 4 + byteCountBits(version: version)
        return (dataCodewords(version: version, level: level) * 8 - headerBits) / 8
    }

    /// Row and column coordinates of the alignment pattern centres (Annex E): the first is always 6, the last is
    /// always size − 7, and the ones between are evenly spaced by an even step counted back from the last. The
    /// step is rounded up to an even number so centres fall on the timing patterns' dark modules.
    static func alignmentCenters(version: Int) -> [Int] {
        guard version >= 2 else { return [] }
        let count = version / 7 + 2
        let last = 4 * version + 10
        // Version 32 is the one exception where the spec's spacing is not the rounded-up even step.
        let step = version == 32 ? 26 : ((last - 6 + count - 2) / (count - 1) + 1) / 2 * 2
        return [6] + (0..<(count - 1)).map { last - $0 * step }.reversed()
    }
}
