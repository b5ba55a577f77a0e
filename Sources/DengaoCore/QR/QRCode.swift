/// Why a QR code could not be made.
public enum QRCodeError: Error, Equatable, Sendable {
    /// The data needs more than the largest symbol (version 40) holds at this error correction level.
    case tooLong(byteCount: Int, maximum: Int)
    /// The minimum version asked for is outside 1...40.
    case invalidMinimumVersion(Int)
}

/// A QR Code model 2 symbol (ISO/IEC 18004) holding one byte-mode segment: the smallest version that fits the
/// data, at or above `minimumVersion`, with the mask that scores the lowest penalty.
///
/// Text is encoded as UTF-8. Byte mode means ISO 8859-1 unless an ECI header says otherwise, so text with any
/// non-ASCII character is preceded by ECI 26 (UTF-8); without it readers guess, and ZBar reads short Chinese text
/// such as "党史" as Shift JIS. ASCII text reads the same in every character set and gets no header, keeping the
/// capacities of the standard's tables. Raw bytes never get one.
public struct QRCode: Sendable, Equatable {
    /// 1...40; the symbol is `17 + 4 × version` modules on a side.
    public let version: Int
    public let errorCorrection: QRErrorCorrection
    /// The data mask pattern, 0...7.
    public let mask: Int
    /// Row-major, `true` = dark.
    private let modules: [Bool]

    public var size: Int { 17 + 4 * version }

    public init(encoding text: String, errorCorrection: QRErrorCorrection = .medium, minimumVersion: Int = 1)
        throws(QRCodeError)
    {
        let bytes = Array(text.utf8)
        try self.init(
            bytes: bytes, level: errorCorrection, minimumVersion: minimumVersion,
            declaresUTF8: !bytes.allSatisfy { $0 < 0x80 }, mask: nil)
    }

    public init(encoding bytes: [UInt8], errorCorrection: QRErrorCorrection = .medium, minimumVersion: Int = 1)
        throws(QRCodeError)
    {
        try self.init(
            bytes: bytes, level: errorCorrection, minimumVersion: minimumVersion, declaresUTF8: false, mask: nil)
    }

    /// `declaresUTF8` adds the ECI 26 header; `mask` forces a mask pattern instead of choosing the lowest
    /// penalty, so tests can pin the format bits.
    init(bytes: [UInt8], level: QRErrorCorrection, minimumVersion: Int, declaresUTF8: Bool, mask forcedMask: Int?)
        throws(QRCodeError)
    {
        let version = try Self.version(
            forByteCount: bytes.count, level: level, minimumVersion: minimumVersion, withECI: declaresUTF8)
        let data = Self.dataCodewords(bytes, version: version, level: level, eci: declaresUTF8 ? 26 : nil)
        var builder = QRMatrixBuilder(version: version)
        builder.placeCodewords(Self.interleavedCodewords(data, version: version, level: level))
        if let forcedMask {
            builder.applyMask(forcedMask)
            builder.drawFormatBits(QRMatrixBuilder.formatBits(level: level, mask: forcedMask))
            mask = forcedMask
        } else {
            mask = builder.applyBestMask(level: level)
        }
        self.version = version
        errorCorrection = level
        modules = builder.modules
    }

    /// Whether the module at column `x`, row `y` is dark; everything outside the symbol is light quiet zone.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    // MARK: Encoding steps

    /// The smallest version from `minimumVersion` up whose byte-mode capacity holds `byteCount` bytes.
    static func version(forByteCount byteCount: Int, level: QRErrorCorrection, minimumVersion: Int, withECI: Bool)
        throws(QRCodeError) -> Int
    {
        guard QRVersionTable.versions.contains(minimumVersion) else {
            throw .invalidMinimumVersion(minimumVersion)
        }
        for version in minimumVersion...QRVersionTable.versions.upperBound
        where QRVersionTable.byteCapacity(version: version, level: level, withECI: withECI) >= byteCount {
            return version
        }
        let largest = QRVersionTable.versions.upperBound
        throw .tooLong(
            byteCount: byteCount,
            maximum: QRVersionTable.byteCapacity(version: largest, level: level, withECI: withECI))
    }

    /// An optional ECI header (mode 0111 and the designator), mode indicator 0100 (byte), the count, the bytes, a
    /// terminator of up to four zero bits, zero bits to the next codeword, then the pad codewords 11101100 and
    /// 00010001 alternately until the data capacity is full (7.4).
    static func dataCodewords(_ bytes: [UInt8], version: Int, level: QRErrorCorrection, eci: Int?) -> [UInt8] {
        let capacityBits = QRVersionTable.dataCodewords(version: version, level: level) * 8
        var buffer = QRBitBuffer()
        if let eci {
            precondition((0..<128).contains(eci), "ECI designators from 128 up take more than one byte")
            buffer.append(0b0111, bits: 4)
            buffer.append(eci, bits: 8)
        }
        buffer.append(0b0100, bits: 4)
        buffer.append(bytes.count, bits: QRVersionTable.byteCountBits(version: version))
        buffer.append(contentsOf: bytes)
        buffer.append(0, bits: min(4, capacityBits - buffer.count))
        buffer.append(0, bits: (8 - buffer.count % 8) % 8)
        var codewords = buffer.bytes
        for padIndex in 0..<(capacityBits / 8 - codewords.count) {
            codewords.append(padIndex % 2 == 0 ? 0xEC : 0x11)
        }
        return codewords
    }

    /// Splits the data into the version's blocks — the later blocks one codeword longer when the data does not
    /// divide evenly — appends each block's Reed–Solomon codewords, and interleaves: the first data codeword of
    /// every block, then the second, …, then the error correction codewords the same way (7.6).
    static func interleavedCodewords(_ data: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        let blockCount = QRVersionTable.blockCount(version: version, level: level)
        let eccLength = QRVersionTable.eccCodewordsPerBlock(version: version, level: level)
        let shortLength = data.count / blockCount
        let shortBlocks = blockCount - data.count % blockCount

        var blocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<(start + length)])
            blocks.append(block)
            eccBlocks.append(ReedSolomon.errorCorrection(for: block, degree: eccLength))
            start += length
        }

        var result: [UInt8] = []
        result.reserveCapacity(data.count + blockCount * eccLength)
        for index in 0...shortLength {
            for block in blocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<eccLength {
            for ecc in eccBlocks { result.append(ecc[index]) }
        }
        return result
    }
}
