import Foundation

/// Reads a bank from the bytes of a file in any supported format: the one entry point for the CLI and the API.
public enum BankImporter {
    /// The largest file accepted; a 100k-question XLSX bank is around 20 MiB.
    public static let maximumFileSize = ImportLimits.fileBytes

    /// Parses `data`, detecting the format from `fileName` and the content unless `format` is given.
    ///
    /// Throws an `ImportFailure` listing every located error; never partially succeeds.
    public static func parse(
        _ data: Data, fileName: String? = nil, format: BankFormat? = nil
    ) throws(ImportFailure) -> ParsedBank {
        guard data.count <= maximumFileSize else {
            throw ImportFailure(
                .file,
                "文件有 \(data.count / 1024 / 1024) MiB，上限 \(maximumFileSize / 1024 / 1024) MiB "
                    + "(the file is \(data.count / 1024 / 1024) MiB; the limit is \(maximumFileSize / 1024 / 1024) MiB)"
            )
        }
        guard !data.isEmpty else { throw ImportFailure(.file, "文件是空的 (the file is empty)") }
        switch format ?? BankFormat.detect(fileName: fileName, content: data) {
        case .xlsx: return try XLSXBankReader.read(data)
        case .csv: return try CSVBankReader.read(data)
        case .json: return try JSONBankReader.read(data)
        case .gift: return try GIFTBankReader.read(data)
        case .aiken: return try AikenBankReader.read(data)
        case .text: return try PlainTextBankReader.read(data)
        }
    }
}
