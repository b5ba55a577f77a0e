/// A sequence of bits appended most significant first, the order in which QR data is written into codewords.
struct QRBitBuffer: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bits: Int) {
        precondition(bits >= 0 && bits <= 31 && value >> bits == 0, "\(value) does not fit in \(bits) bits")
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }

    mutating func append(contentsOf data: [UInt8]) {
        if count % 8 == 0 {
            bytes += data
            count += 8 * data.count
        } else {
            for byte in data { append(Int(byte), bits: 8) }
        }
    }
}
