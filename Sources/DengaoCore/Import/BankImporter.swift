import Foundation

/// Reads a bank from the bytes of a file in any supported format: the one entry point for the CLI and the API.
public enum BankImporter {
    /// The largest file accepted; a 100k-question XLSX bank is around 20 MiB.
    public static let maximumFileSize = ImportLimits.fileBytes

    /// Parses `data`, detecting the format from `fileName` and the content unless `format` is given.
    ///
    /// Throws an `ImportFailure` listing every located error; never partially succeeds. With `delivery`, a reader
    /// that can (CSV) hands over the leading questions in batches while it reads on; the returned bank holds every
    /// question either way, those delivered first.
    public static func parse(
        _ data: Data, fileName: String? = nil, format: BankFormat? = nil, delivery: QuestionDelivery? = nil
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
        case .csv: return try CSVBankReader.read(data, delivery: delivery)
        case .json: return try JSONBankReader.read(data)
        case .gift: return try GIFTBankReader.read(data)
        case .aiken: return try AikenBankReader.read(data)
        case .text: return try PlainTextBankReader.read(data)
        }
    }
}

/// Where a reader hands over questions before it has finished the file: a bank's leading questions, in order,
/// `batchSize` or more at a time, only while no error has been found. A failing file can still have delivered some,
/// so whoever stores them must do so inside a transaction that the parse's failure rolls back.
public struct QuestionDelivery: Sendable {
    /// How many questions a batch holds at least (the last questions come back in the parsed bank instead).
    public var batchSize: Int
    /// Takes one batch; returns false when the questions are no longer wanted, and the reader then stops.
    public var deliver: @Sendable ([Question]) -> Bool

    public init(batchSize: Int = 2_000, deliver: @escaping @Sendable ([Question]) -> Bool) {
        self.batchSize = batchSize
        self.deliver = deliver
    }
}
