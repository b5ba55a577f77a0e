import Logging
import ServiceLifecycle
import UnixSignals

/// Re-reads the TLS certificate and key on SIGHUP (what `systemctl reload` and certbot's deploy hooks send), so a
/// renewed certificate is served without a restart and without dropping a single live connection.
struct CertificateReloadService: Service {
    let credentials: TLSCredentials
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try credentials.reload()
                logger.notice(
                    "TLS certificate reloaded",
                    metadata: [
                        "certificate": .string(credentials.certificatePath),
                        "serial": .string(credentials.servedSerial),
                    ])
            } catch {
                // The certificate served so far stays in use: a bad renewal must not take the site down.
                logger.error(
                    "TLS certificate not reloaded; the previous one is still served", metadata: ["error": "\(error)"])
            }
        }
    }
}
