import DengaoZlib
import Foundation

/// One XLSX part as the `InputStream` that `XMLParser(stream:)` pulls from, inflated a chunk at a time as the parser
/// asks: the part is never held whole, however large it inflates. Every chunk is counted against the file's budget
/// and the part's compression ratio, passed through the prolog and UTF-8 checks (`PrologGate`), and at the end
/// checked against the entry's CRC. The first refusal ends the stream; `failure` says why.
final class ZIPEntryStream: InputStream {
    private let data: Data
    private let range: Range<Int>
    private let entry: ZIPDirectory.Entry
    private let budget: InflationBudget
    private let ratioLimit: Int
    private let path: String

    /// zlib keeps a pointer to its stream and checks it on every call, so the stream lives at one address.
    private let zlib = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var inflating = false
    private var streamEnded = false
    private var consumed = 0
    private var inflated = 0
    private var checksum: uLong = crc32(0, nil, 0)
    private var prolog = PrologGate()
    private var pending = Data()
    private var ended = false
    /// Why the part was refused, once it was.
    private(set) var failure: ImportFailure?

    static let chunkSize = 64 * 1024

    init(data: Data, range: Range<Int>, entry: ZIPDirectory.Entry, budget: InflationBudget, ratioLimit: Int) {
        self.data = data
        self.range = range
        self.entry = entry
        self.budget = budget
        self.ratioLimit = ratioLimit
        path = entry.path
        zlib.initialize(to: z_stream())
        super.init(data: Data())
    }

    deinit {
        if inflating { inflateEnd(zlib) }
        zlib.deinitialize(count: 1)
        zlib.deallocate()
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { !ended }
    override var streamStatus: Stream.Status { ended ? .atEnd : .open }
    override var streamError: Error? { nil }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        while pending.isEmpty {
            guard !ended else { return 0 }
            switch nextChunk() {
            case .success(let chunk): pending = chunk
            case .failure(let refusal):
                failure = refusal
                ended = true
                return -1
            }
        }
        let count = min(length, pending.count)
        pending.copyBytes(to: buffer, count: count)
        pending = count == pending.count ? Data() : pending.subdata(in: pending.startIndex + count..<pending.endIndex)
        return count
    }

    /// The next bytes for the parser (empty at the end of the part, or while the prolog is still held back).
    private func nextChunk() -> Result<Data, ImportFailure> {
        let output: Data
        switch entry.method {
        case 0: output = storedChunk()
        case 8:
            switch inflatedChunk() {
            case .success(let chunk): output = chunk
            case .failure(let failure): return .failure(failure)
            }
        default:
            return .failure(refusal("uses compression method \(entry.method); XLSX parts are stored or deflated"))
        }
        if output.isEmpty {
            ended = true
            if case .failure(let reason) = prolog.finish() { return .failure(refusal(reason.reason)) }
            guard inflated == entry.uncompressedSize, UInt32(truncatingIfNeeded: checksum) == entry.crc32 else {
                return .failure(
                    ImportFailure(
                        .file,
                        "工作簿的 \(path) 部分已损坏：大小或校验和不符 "
                            + "(the workbook part \(path) is damaged: its size or checksum does not match)"))
            }
            return .success(Data())
        }
        inflated += output.count
        checksum = output.withUnsafeBytes { crc32(checksum, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        // The declared size can lie; the count of inflated bytes cannot.
        guard budget.spend(output.count) else { return .failure(budget.exceeded(path)) }
        guard inflated <= ratioLimit else { return .failure(XLSXPackage.bomb(path)) }
        switch prolog.admit(output) {
        case .success(let admitted): return .success(admitted)
        case .failure(let reason): return .failure(refusal(reason.reason))
        }
    }

    private func storedChunk() -> Data {
        let count = min(Self.chunkSize, range.count - consumed)
        defer { consumed += count }
        let start = data.startIndex + range.lowerBound + consumed
        return data.subdata(in: start..<start + count)
    }

    /// Inflates until a chunk of output is ready or the stream ends. Every round consumes input or produces output,
    /// or the part is refused: a stream that ends early or is corrupt is never a loop.
    private func inflatedChunk() -> Result<Data, ImportFailure> {
        guard !streamEnded else { return .success(Data()) }
        if !inflating {
            guard inflateInit2_(zlib, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                return .failure(refusal("cannot be inflated"))
            }
            inflating = true
        }
        var output = Data(count: Self.chunkSize)
        var produced = 0
        while produced < Self.chunkSize && !streamEnded {
            let available = min(Self.chunkSize, range.count - consumed)
            let (status, used, written) = data.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { out in
                    let zlib = self.zlib
                    zlib.pointee.next_in = UnsafeMutablePointer(
                        mutating: input.bindMemory(to: Bytef.self).baseAddress! + range.lowerBound + consumed)
                    zlib.pointee.avail_in = uInt(available)
                    zlib.pointee.next_out = out.bindMemory(to: Bytef.self).baseAddress! + produced
                    zlib.pointee.avail_out = uInt(Self.chunkSize - produced)
                    let status = inflate(zlib, Z_NO_FLUSH)
                    let used = available - Int(zlib.pointee.avail_in)
                    let written = Self.chunkSize - produced - Int(zlib.pointee.avail_out)
                    // The buffers are only valid inside these closures; the next round passes them again.
                    zlib.pointee.next_in = nil
                    zlib.pointee.next_out = nil
                    return (status, used, written)
                }
            }
            consumed += used
            produced += written
            if status == Z_STREAM_END {
                streamEnded = true
            } else if (status == Z_OK || status == Z_BUF_ERROR) && (used > 0 || written > 0) {
                continue
            } else if (status == Z_OK || status == Z_BUF_ERROR) && available == 0 {
                return .failure(
                    ImportFailure(
                        .file,
                        "工作簿的 \(path) 部分已损坏：压缩数据不完整 "
                            + "(the workbook part \(path) is damaged: its compressed data ends early)"))
            } else {
                return .failure(
                    ImportFailure(
                        .file,
                        "工作簿的 \(path) 部分已损坏：压缩数据有误 "
                            + "(the workbook part \(path) is damaged: its compressed data is corrupt)"))
            }
        }
        output.count = produced
        return .success(output)
    }

    private func refusal(_ reason: String) -> ImportFailure {
        ImportFailure(.file, "工作簿的 \(path) 部分格式不对，无法导入 (the workbook part \(path) \(reason); refused)")
    }
}
