/// Lays a symbol out: function patterns, the codeword bits in their zigzag, one of the eight masks, and the format
/// and version information (ISO/IEC 18004:2015, 6.3 and 7.7–7.10). Coordinates are x = column, y = row, origin at
/// the top left.
struct QRMatrixBuilder: Sendable {
    let version: Int
    let size: Int
    /// Row-major, `true` = dark.
    private(set) var modules: [Bool]
    /// Modules the data must flow around and masking must leave alone.
    private var isFunction: [Bool]

    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns()
    }

    private mutating func setFunction(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: Function patterns

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            // Timing patterns first: the finder and alignment patterns overwrite the ends they share.
            setFunction(x: 6, y: i, dark: i % 2 == 0)
            setFunction(x: i, y: 6, dark: i % 2 == 0)
        }
        drawFinder(centerX: 3, centerY: 3)
        drawFinder(centerX: size - 4, centerY: 3)
        drawFinder(centerX: 3, centerY: size - 4)

        let centers = QRVersionTable.alignmentCenters(version: version)
        let last = centers.count - 1
        for (i, y) in centers.enumerated() {
            for (j, x) in centers.enumerated()
            where !(i == 0 && j == 0) && !(i == 0 && j == last) && !(i == last && j == 0) {
                drawAlignment(centerX: x, centerY: y)
            }
        }

        // Reserve the format areas now so the data skips them; their bits depend on the mask chosen later.
        drawFormatBits(0)
        drawVersionBits()
    }

    /// The 7×7 finder pattern with its light separator, clipped at the symbol's edges.
    private mutating func drawFinder(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx
                let y = centerY + dy
                guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    private mutating func drawAlignment(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x: centerX + dx, y: centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    // MARK: Format and version information

    /// The 15-bit format information for a level and mask: 5 data bits, 10 BCH(15,5) check bits from the generator
    /// x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1 (0x537), XORed with 101010000010010 so no combination is all light.
    static func formatBits(level: QRErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18-bit version information: 6 data bits and 12 BCH(18,6) check bits from the generator
    /// x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1 (0x1F25). Not masked.
    static func versionBits(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }

    /// Writes both copies of the format information; bit 14 (the most significant) is next to the top-left finder
    /// on row 8 and at the bottom of column 8.
    mutating func drawFormatBits(_ bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        // Around the top-left finder, skipping the timing patterns in row and column 6.
        for i in 0...5 { setFunction(x: 8, y: i, dark: bit(i)) }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for i in 9..<15 { setFunction(x: 14 - i, y: 8, dark: bit(i)) }
        // Split between the other two finders.
        for i in 0..<8 { setFunction(x: size - 1 - i, y: 8, dark: bit(i)) }
        for i in 8..<15 { setFunction(x: 8, y: size - 15 + i, dark: bit(i)) }
        // The module above the bottom-left copy is always dark.
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Both 6×3 version information blocks, from version 7 up: bit 0 in the corner nearest the origin.
    private mutating func drawVersionBits() {
        guard version >= 7 else { return }
        let bits = Self.versionBits(version: version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let long = i / 3
            let short = size - 11 + i % 3
            setFunction(x: long, y: short, dark: dark)  // bottom left
            setFunction(x: short, y: long, dark: dark)  // top right
        }
    }

    // MARK: Data

    /// Places the codewords in two-module columns from the bottom right, upwards then downwards, skipping the
    /// vertical timing pattern; modules left over after the last codeword are remainder bits and stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if index < bitCount {
                        modules[y * size + x] = (codewords[index >> 3] >> UInt8(7 - (index & 7))) & 1 == 1
                        index += 1
                    }
                }
            }
            right -= 2
        }
        precondition(index == bitCount, "\(codewords.count) codewords do not fit version \(version)")
    }

    // MARK: Masking

    /// Whether mask `pattern` inverts the module at row `y`, column `x` (Table 10).
    static func masks(pattern: Int, x: Int, y: Int) -> Bool {
        switch pattern {
        case 0: (y + x) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (y + x) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (y * x) % 2 + (y * x) % 3 == 0
        case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
        case 7: ((y + x) % 2 + (y * x) % 3) % 2 == 0
        default: preconditionFailure("mask \(pattern) is not 0...7")
        }
    }

    /// Inverts the data modules the mask selects; applying the same mask twice restores them.
    mutating func applyMask(_ pattern: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.masks(pattern: pattern, x: x, y: y) {
                modules[y * size + x].toggle()
            }
        }
    }

    /// Tries every mask with its format information and keeps the one with the lowest penalty (7.8.3); ties go to
    /// the lower mask number.
    mutating func applyBestMask(level: QRErrorCorrection) -> Int {
        var best = (mask: 0, penalty: Int.max)
        for mask in 0..<8 {
            var candidate = self
            candidate.applyMask(mask)
            candidate.drawFormatBits(Self.formatBits(level: level, mask: mask))
            let penalty = Self.penalty(candidate.modules, size: size)
            if penalty < best.penalty { best = (mask, penalty) }
        }
        applyMask(best.mask)
        drawFormatBits(Self.formatBits(level: level, mask: best.mask))
        return best.mask
    }

    // MARK: Penalty

    /// The four penalty rules of 7.8.3.1, scoring features that confuse readers: long runs of one colour (N1 = 3
    /// plus one per module beyond five), 2×2 blocks of one colour (N2 = 3 each), finder-like 1:1:3:1:1 patterns
    /// next to four light modules (N3 = 40 each), and imbalance of dark and light (N4 = 10 per 5 % from half).
    static func penalty(_ modules: [Bool], size: Int) -> Int {
        var score = 0
        for line in 0..<size {
            score += linePenalty(modules, start: line * size, step: 1, count: size)  // row
            score += linePenalty(modules, start: line, step: size, count: size)  // column
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let index = y * size + x
                let color = modules[index]
                if modules[index + 1] == color && modules[index + size] == color && modules[index + size + 1] == color {
                    score += 3
                }
            }
        }
        var dark = 0
        for module in modules where module { dark += 1 }
        let total = size * size
        // k = |dark% − 50| / 5 rounded down, kept in integers.
        score += 10 * (abs(20 * dark - 10 * total) / total)
        return score
    }

    /// Rules 1 and 3 along one row or column. A finder-like pattern is dark-light-dark×3-light-dark with four light
    /// modules before or after it, the quiet zone outside the symbol counting as light; the last eleven modules
    /// are kept as bits of `window` to compare with 00001011101 and 10111010000.
    private static func linePenalty(_ modules: [Bool], start: Int, step: Int, count: Int) -> Int {
        var score = 0
        var runLength = 0
        var previous = false
        var window = 0
        for position in -4..<(count + 4) {
            let inside = position >= 0 && position < count
            let dark = inside && modules[start + position * step]
            if inside {
                runLength = position > 0 && dark == previous ? runLength + 1 : 1
                if runLength == 5 { score += 3 } else if runLength > 5 { score += 1 }
                previous = dark
            }
            window = (window << 1 | (dark ? 1 : 0)) & 0x7FF
            if position >= 6 && (window == 0b000_0101_1101 || window == 0b101_1101_0000) { score += 40 }
        }
        return score
    }
}
