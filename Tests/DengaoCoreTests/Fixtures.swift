import Foundation

/// Reads a file from this target's Fixtures folder (excluded from the target, read from the source tree).
func fixture(_ name: String) throws -> Data {
    try Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name))
}
