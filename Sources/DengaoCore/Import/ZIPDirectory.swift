import Foundation

/// The entries of an uploaded ZIP container (an XLSX file), read from its central directory with every offset and
/// length checked against the data.
///
/// Written here rather than read with ZIPFoundation (which still writes Dengao's exports): its in-memory reader,
/// given damaged or hostile uploads, was found by `Fuzz/` to stop the process (a trap when an offset points past
/// the end, upstream weichsel/ZIPFoundation#394), to keep a whole upload in memory for good (when the end record
/// is missing it throws without closing its memory file), and to spin forever reading past the end of a truncated
/// deflate stream (its inflate loop ignores the entry's size). A reader of a container one already holds in memory
/// is a few checked reads; the inflating is zlib's (`ZIPEntryStream`).
struct ZIPDirectory {
    struct Entry {
        var path: String
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// Why a container cannot be read, e.g. "its central directory lies past the end of the file".
    struct Damage: Error {
        var reason: String
    }

    private let data: Data
    /// The first entry of each path, as ZIP readers conventionally resolve duplicates.
    let entries: [String: Entry]

    init(_ data: Data, maximumEntries: Int) throws(Damage) {
        self.data = data
        entries = try data.withUnsafeBytes { raw in
            Self.readDirectory(raw.bindMemory(to: UInt8.self), maximumEntries: maximumEntries)
        }.get()
    }

    private static func readDirectory(
        _ bytes: UnsafeBufferPointer<UInt8>, maximumEntries: Int
    ) -> Result<[String: Entry], Damage> {
        let count = bytes.count
        func uint16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func uint32(_ at: Int) -> Int { uint16(at) | uint16(at + 2) << 16 }
        func hasSignature(_ at: Int, _ value: Int) -> Bool { at >= 0 && at + 4 <= count && uint32(at) == value }
        func damage(_ reason: String) -> Result<[String: Entry], Damage> { .failure(Damage(reason: reason)) }

        // The end record is the last 22 bytes but for a comment of up to 65,535 bytes.
        guard count >= 22,
            let end = stride(from: count - 22, through: max(0, count - 22 - 0xFFFF), by: -1).first(where: {
                hasSignature($0, 0x0605_4B50) && $0 + 22 + uint16($0 + 20) <= count
            })
        else { return damage("its end-of-directory record is missing") }
        if hasSignature(end - 20, 0x0706_4B50) {
            return damage("it is a ZIP64 container, which an XLSX bank never needs")
        }
        guard uint16(end + 4) == 0, uint16(end + 6) == 0 else { return damage("it spans several disks") }
        let entryCount = uint16(end + 10)
        let directoryStart = uint32(end + 16)
        let directoryEnd = directoryStart + uint32(end + 12)
        guard directoryEnd <= end else { return damage("its central directory lies past the end of the file") }
        guard entryCount <= maximumEntries else {
            return damage("it has more than \(ImportLimits.grouped(maximumEntries)) entries")
        }

        var entries: [String: Entry] = [:]
        var position = directoryStart
        for _ in 0..<entryCount {
            guard position + 46 <= directoryEnd, hasSignature(position, 0x0201_4B50) else {
                return damage("its central directory is cut short")
            }
            let nameLength = uint16(position + 28)
            let variable = nameLength + uint16(position + 30) + uint16(position + 32)
            guard position + 46 + variable <= directoryEnd else { return damage("its central directory is cut short") }
            let entry = Entry(
                path: String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[(position + 46)..<(position + 46 + nameLength)]),
                    as: UTF8.self),
                flags: UInt16(uint16(position + 8)), method: UInt16(uint16(position + 10)),
                crc32: UInt32(uint32(position + 16)),
                compressedSize: uint32(position + 20), uncompressedSize: uint32(position + 24),
                localHeaderOffset: uint32(position + 42))
            // 0xFFFFFFFF points to a ZIP64 extra field for the real value.
            guard ![entry.compressedSize, entry.uncompressedSize, entry.localHeaderOffset].contains(0xFFFF_FFFF) else {
                return damage("it is a ZIP64 container, which an XLSX bank never needs")
            }
            if entries[entry.path] == nil { entries[entry.path] = entry }
            position += 46 + variable
        }
        return .success(entries)
    }

    /// Where `entry`'s stored (compressed) bytes are in the data, from its local header.
    func storedRange(of entry: Entry) throws(Damage) -> Range<Int> {
        let start = entry.localHeaderOffset
        guard start + 30 <= data.count else {
            throw Damage(reason: "the entry \(entry.path) lies past the end of the file")
        }
        let header = data[data.startIndex + start..<data.startIndex + start + 30]
        func uint16(_ at: Int) -> Int {
            Int(header[header.startIndex + at]) | Int(header[header.startIndex + at + 1]) << 8
        }
        guard header.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw Damage(reason: "the entry \(entry.path) has no local header where the directory says")
        }
        let dataStart = start + 30 + uint16(26) + uint16(28)
        guard dataStart + entry.compressedSize <= data.count else {
            throw Damage(reason: "the entry \(entry.path) runs past the end of the file")
        }
        return dataStart..<dataStart + entry.compressedSize
    }
}
