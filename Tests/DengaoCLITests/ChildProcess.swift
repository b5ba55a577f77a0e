import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for the CLI tests, started with `posix_spawn`.
///
/// Not Foundation's `Process`: on Linux its `run()` lists /proc/self/fd to find what to close in the child and copies
/// each directory entry whole, reading past the end of glibc's buffer (swift-corelibs-foundation#5472, fixed after
/// this toolchain's Foundation). With the hundreds of sockets a full parallel test run holds, that crashed the whole
/// test process (SIGSEGV in `Process.run()`, twice in one day). Here the child closes every descriptor above the
/// standard three with `posix_spawn_file_actions_addclosefrom_np`, which lists nothing, and the pipes are made
/// close-on-exec (and closed from 3 up in the child anyway), so no test's pipe end leaks into another test's child.
final class ChildProcess: Sendable {
    let pid: pid_t
    /// The wait status once reaped.
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: pid_t) { self.pid = pid }

    /// Runs `executable` to its end with `input` on its standard input; both outputs are read to their end at once
    /// (reading one after the other would stall a child that fills the other's pipe).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String = ""
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let (stdinRead, stdinWrite) = try pipe()
        let (stdoutRead, stdoutWrite) = try pipe()
        let (stderrRead, stderrWrite) = try pipe()
        let child: ChildProcess
        do {
            child = try spawn(
                executable, arguments, environment: environment,
                standard: { actions in
                    posix_spawn_file_actions_adddup2(&actions, stdinRead, 0)
                    posix_spawn_file_actions_adddup2(&actions, stdoutWrite, 1)
                    posix_spawn_file_actions_adddup2(&actions, stderrWrite, 2)
                })
        } catch {
            for fd in [stdinRead, stdinWrite, stdoutRead, stdoutWrite, stderrRead, stderrWrite] { close(fd) }
            throw error
        }
        for fd in [stdinRead, stdoutWrite, stderrWrite] { close(fd) }
        var bytes = Array(input.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes {
                write(stdinWrite, $0.baseAddress! + written, $0.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            written += count
        }
        bytes = []
        close(stdinWrite)
        let (stdout, stderr) = readBoth(stdoutRead, stderrRead)
        close(stdoutRead)
        close(stderrRead)
        return (child.wait(), String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `executable` with its standard input from /dev/null and both outputs appended to `log`.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], log: String
    ) throws -> ChildProcess {
        try spawn(
            executable, arguments, environment: environment,
            standard: { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            })
    }

    /// Whether the child has not exited yet (reaping it if it has).
    var isRunning: Bool {
        reaped.withLock { reaped in
            if reaped != nil { return false }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return true }
            reaped = status
            return false
        }
    }

    func terminate() {
        if isRunning { kill(pid, SIGTERM) }
    }

    /// Waits for the child to exit: its exit code, or 128 + the signal that ended it.
    @discardableResult
    func wait() -> Int32 {
        let status = reaped.withLock { reaped -> Int32 in
            if let reaped { return reaped }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = status
            return status
        }
        // The wait status's layout (<sys/wait.h>): the low seven bits are the signal, 0 for a normal exit.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String],
        standard: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        standard(&actions)
        guard Self.addCloseFrom(&actions, 3) == 0 else { throw POSIXError(.EINVAL) }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return ChildProcess(pid: pid)
    }

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not declare (it is
    /// behind `_GNU_SOURCE`), looked up by name with its C signature.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 =
        {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { fatalError("glibc without posix_spawn_file_actions_addclosefrom_np (2.34 or later is needed)") }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    /// A pipe whose ends are closed on exec: the child gets them only as its standard descriptors.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Reads two descriptors to their ends together.
    private static func readBoth(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open.contains(true) {
            var polled = [first, second].enumerated().map { index, fd in
                pollfd(fd: open[index] ? fd : -1, events: Int16(POLLIN), revents: 0)
            }
            if poll(&polled, 2, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<2 where open[index] && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(polled[index].fd, $0.baseAddress!, $0.count) }
                if count > 0 {
                    outputs[index] += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    open[index] = false
                }
            }
        }
        return (outputs[0], outputs[1])
    }
}
