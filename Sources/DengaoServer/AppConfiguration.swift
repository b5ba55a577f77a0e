/// Everything `buildApplication` needs to know; the CLI fills it from flags, tests from temporary directories.
public struct AppConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var dataDirectory: String
    /// Where the browser pages are served from.
    public var publicDirectory: String
    /// Sample banks imported into a fresh data directory, or on `--demo`.
    public var sampleBanksDirectory: String
    /// Import the sample banks that are missing even if the data directory is not new.
    public var seedDemo: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "data",
        publicDirectory: String = "Public", sampleBanksDirectory: String = "QuestionBanks", seedDemo: Bool = false
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.publicDirectory = publicDirectory
        self.sampleBanksDirectory = sampleBanksDirectory
        self.seedDemo = seedDemo
    }
}
