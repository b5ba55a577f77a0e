import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `dengao serve` options from the environment and a `--config` file, run as a real process.
@Suite struct ServeSettingsTests {
    private let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("dengao")
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            bind(socket, UnsafeRawPointer($0).assumingMemoryBound(to: sockaddr.self), length)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            getsockname(socket, UnsafeMutableRawPointer($0).assumingMemoryBound(to: sockaddr.self), &length)
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func healthy(_ port: Int) async -> Bool {
        guard let url = URL(string: "http://127.0.0.1:\(port)/healthz") else { return false }
        // A short probe: URLSession's default of 60 s let one unanswered probe of a busy machine outlast the wait.
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// The command line beats the environment, which beats the file; the file's other settings apply.
    @Test func theCommandLineBeatsTheEnvironmentWhichBeatsTheFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-settings-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (filePort, environmentPort, commandPort) = (try freePort(), try freePort(), try freePort())
        let config = directory.appendingPathComponent("dengao.json")
        try Data(
            #"{"port": \#(filePort), "public-url": "https://from-the-file.example", "trusted-proxy": ["127.0.0.9"]}"#
                .utf8
        ).write(to: config)

        func serve(_ arguments: [String], environment: [String: String]) throws -> (ChildProcess, URL) {
            let log = directory.appendingPathComponent("serve-\(UUID()).log")
            let process = try ChildProcess.start(
                executable.path,
                ["serve"] + arguments + [
                    "--data", directory.appendingPathComponent("data-\(UUID())").path, "--samples",
                    repository.appendingPathComponent("QuestionBanks").path, "--public-directory",
                    repository.appendingPathComponent("Public").path,
                ], environment: environment, log: log.path)
            return (process, log)
        }
        /// Until the server answers on `port`, it exits, or 90 s pass (a full parallel test run on two cores
        /// has taken a fresh server more than 30 s to start).
        func waitHealthy(_ port: Int, _ process: ChildProcess) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline, process.isRunning {
                if await healthy(port) { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        let (fromEnvironment, log) = try serve(
            ["--config", config.path], environment: ["DENGAO_PORT": "\(environmentPort)"])
        defer { fromEnvironment.terminate() }
        #expect(
            try await waitHealthy(environmentPort, fromEnvironment),
            "the environment's port was not used: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(await !healthy(filePort))
        let logged = try String(contentsOf: log, encoding: .utf8)
        #expect(logged.contains("https://from-the-file.example/"), "the file's public URL was not used: \(logged)")
        fromEnvironment.terminate()

        let (fromCommandLine, commandLog) = try serve(
            ["--config", config.path, "--port", "\(commandPort)"], environment: ["DENGAO_PORT": "\(environmentPort)"])
        defer { fromCommandLine.terminate() }
        #expect(
            try await waitHealthy(commandPort, fromCommandLine),
            "the command line's port was not used: \((try? String(contentsOf: commandLog, encoding: .utf8)) ?? "")")
    }

    @Test(arguments: [
        (#"{"prot": 1}"#, [String: String](), "未知的选项 (unknown option in the configuration file): prot"),
        (#"[1, 2]"#, [:], "须为一个 JSON 对象"),
        (#"{"port": {"a": 1}}"#, [:], "port 的值须为文字、数字或真假"),
        (#"{}"#, ["DENGAO_DEMO": "maybe"], "demo 须为 true 或 false"),
        (#"{}"#, ["DENGAO_TRUSTED_PROXY": "127.0.0.1, proxy.example"], "proxy.example 不是 IP 地址 (is not an IP address)"),
    ])
    func aBadSettingIsRefusedWithItsReason(file: String, environment: [String: String], message: String) async throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("dengao-\(UUID()).json")
        try Data(file.utf8).write(to: config)
        defer { try? FileManager.default.removeItem(at: config) }
        let (status, _, text) = try await offCooperativeThreads {
            try ChildProcess.run(
                executable.path, ["serve", "--config", config.path, "--data", "/nonexistent/never-created"],
                environment: environment)
        }
        #expect(status == 64)
        #expect(text.contains(message), "\(text)")
    }

    @Test func everyDocumentedOptionHasAnEnvironmentName() async throws {
        let help = try await offCooperativeThreads {
            try ChildProcess.run(executable.path, ["serve", "--help"]).stdout
        }
        #expect(help.contains("DENGAO_MAX_CONNECTIONS_PER_ADDRESS"))
        #expect(help.contains("--config <file>"))
    }
}
