import Foundation

/// Turns the bytes of a text file into a string: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.
///
/// GB18030 is what Excel and Notepad in China write by default; it is tried only when the bytes are not valid
/// UTF-8, because valid UTF-8 is almost never also meaningful GB18030 text.
public enum TextDecoding {
    /// Foundation's GB 18030-2000 encoding (CoreFoundation's `kCFStringEncodingGB_18030_2000` bridged to
    /// `String.Encoding`); swift-corelibs-foundation implements it in both directions, 4-byte sequences included.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// The text of `data`, or a located error if it is not text in a supported encoding.
    ///
    /// `allowTruncatedEnd` drops an incomplete final sequence, for sniffing a prefix of a file.
    public static func decode(_ data: Data, allowTruncatedEnd: Bool = false) throws(ImportFailure) -> String {
        var decoded: String
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = utf8(data.dropFirst(3), allowTruncatedEnd) else {
                throw notText("BOM 之后不是有效的 UTF-8", "invalid UTF-8 after the BOM")
            }
            decoded = text
        } else if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw notText("不是有效的 UTF-16", "invalid UTF-16")
            }
            decoded = text
        } else if let text = utf8(data, allowTruncatedEnd) {
            decoded = text
        } else if let text = String(data: data, encoding: gb18030)
            ?? (allowTruncatedEnd ? String(data: data.dropLast(), encoding: gb18030) : nil)
        {
            decoded = text
        } else {
            throw notText("既不是 UTF-8 也不是 GB18030 编码的文字", "the file is neither UTF-8 nor GB18030 text")
        }
        // Over the contiguous bytes: `utf8.firstIndex(of:)` walks the view generically, 3 % of a 100k-row CSV import.
        if let nul = decoded.withUTF8({ $0.firstIndex(of: 0) }) {
            let line = decoded.utf8.prefix(nul).count(where: { $0 == 0x0A }) + 1
            throw ImportFailure(.line(line), "文字文件里有二进制数据（NUL 字节） (binary data (a NUL byte) in a text file)")
        }
        return decoded
    }

    private static func utf8(_ bytes: Data, _ allowTruncatedEnd: Bool) -> String? {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        guard allowTruncatedEnd else { return nil }
        // A prefix may end inside a multi-byte sequence: up to three trailing bytes may be cut.
        for cut in 1...3 where bytes.count > cut {
            if let text = String(validating: bytes.dropLast(cut), as: UTF8.self) { return text }
        }
        return nil
    }

    private static func notText(_ chinese: String, _ why: String) -> ImportFailure {
        ImportFailure(.file, "文件无法当作文字读取：\(chinese) (not readable as text: \(why))")
    }
}
