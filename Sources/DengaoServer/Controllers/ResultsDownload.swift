import DengaoCore
import Foundation
import Hummingbird

/// A results download as contests and campaigns offer it: `?format=xlsx` (the default: every sheet in one
/// workbook) or `?format=csv&sheet=NAME` (one sheet). Read and checked before the sheets are computed.
struct ResultsDownload {
    let csv: Bool
    let sheet: String
    let sheetIndex: Int

    /// `sheetNames` in the order the sheets come in; the first is the CSV default.
    init(_ request: Request, sheetNames: [String]) throws {
        let format = request.uri.queryParameters.get("format") ?? "xlsx"
        let sheet = request.uri.queryParameters.get("sheet") ?? sheetNames[0]
        guard let index = sheetNames.firstIndex(of: sheet), ["xlsx", "csv"].contains(format) else {
            let sheets = sheetNames.joined(separator: "、")
            throw APIError.badRequest(
                "格式须为 xlsx 或 csv，表须为 \(sheets) 之一 (format is xlsx or csv; sheet is one of \(sheets))")
        }
        csv = format == "csv"
        self.sheet = sheet
        sheetIndex = index
    }

    /// The file, named `base.xlsx` or `base-SHEET.csv`.
    func response(_ sheets: [Spreadsheet.Sheet], fileBase base: String) -> Response {
        let data = csv ? Spreadsheet.csv(sheets[sheetIndex]) : Spreadsheet.xlsx(sheets)
        let name = base + (csv ? "-\(sheet).csv" : ".xlsx")
        return Response(
            status: .ok,
            headers: [
                .contentType: csv
                    ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
