import DengaoCore
import Foundation
import Logging

/// The sample banks shipped in QuestionBanks/, imported so a newcomer sees Dengao working at once.
enum SampleBanks {
    static let extensions: Set<String> = ["xlsx", "csv", "json", "gift", "txt", "aiken"]

    /// Imports every sample file whose bank (named after the file) does not exist yet; returns the names imported.
    static func importMissing(from directory: String, into storage: any Storage, logger: Logger) async throws
        -> [String]
    {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            logger.warning("no sample banks folder", metadata: ["path": .string(directory)])
            return []
        }
        let existing = Set(try await storage.banks().map(\.name))
        var imported: [String] = []
        for file in files.sorted() where extensions.contains((file as NSString).pathExtension.lowercased()) {
            let name = (file as NSString).deletingPathExtension
            guard !existing.contains(name) else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(file)))
            do {
                let bank = try BankImporter.parse(data, fileName: file)
                _ = try await storage.importBank(
                    named: name, questions: bank.questions, format: bank.format, sourceName: file)
                imported.append(name)
            } catch let failure as ImportFailure {
                logger.error("sample bank \(file) not imported:\n\(failure)")
            }
        }
        return imported
    }
}
