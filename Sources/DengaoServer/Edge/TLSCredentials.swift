import Foundation
import HummingbirdTLS
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The server's certificate chain and private key (PEM files), re-readable while it runs.
///
/// HummingbirdTLS's `TLSChannel` builds one `NIOSSLContext` at start-up. Rather than replace it, the configuration
/// handed to it carries NIO SSL's `sslContextCallback`, which runs at every ClientHello and returns the chain and key
/// loaded last: a renewed certificate (SIGHUP, `CertificateReloadService`) applies to the next handshake, and live
/// connections keep the session they negotiated.
public final class TLSCredentials: Sendable {
    public let certificatePath: String
    public let keyPath: String
    private let loaded: NIOLockedValueBox<Loaded>

    /// One reading of the two files.
    private struct Loaded: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey
    }

    /// Reads both files; throws `TLSCredentialsError` with the reason when either cannot be used.
    public init(certificate: String, key: String) throws {
        certificatePath = certificate
        keyPath = key
        loaded = NIOLockedValueBox(try Self.read(certificate: certificate, key: key))
    }

    /// Reads the files again; on any problem the previous chain and key stay in use and the error is thrown.
    public func reload() throws {
        let fresh = try Self.read(certificate: certificatePath, key: keyPath)
        loaded.withLockedValue { $0 = fresh }
    }

    /// The leaf certificate now served, for logs: its serial number in hex.
    public var servedSerial: String {
        loaded.withLockedValue {
            $0.chain.first.map { Array($0.serialNumber).map { String(format: "%02x", $0) }.joined() } ?? ""
        }
    }

    /// What `TLSChannel` is built with: the start-up chain and key, and the callback that serves the latest ones.
    var serverConfiguration: TLSConfiguration {
        let (chain, key) = loaded.withLockedValue { ($0.chain, $0.key) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [loaded] _, promise in
            let current = loaded.withLockedValue { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = current.chain.map { .certificate($0) }
            override.privateKey = .privateKey(current.key)
            promise.succeed(override)
        }
        return configuration
    }

    private static func read(certificate: String, key: String) throws -> Loaded {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw TLSCredentialsError(
                "证书文件无法读取 (the certificate file cannot be read as PEM): \(certificate): \(error)")
        }
        guard !chain.isEmpty else {
            throw TLSCredentialsError("证书文件中没有证书 (no certificate in the file): \(certificate)")
        }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw TLSCredentialsError("私钥文件无法读取 (the key file cannot be read as PEM): \(key): \(error)")
        }
        // A context built from the pair fails when the key does not belong to the certificate: found here rather
        // than at the first handshake.
        do {
            _ = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey)))
        } catch {
            throw TLSCredentialsError(
                "证书与私钥不匹配 (the key does not match the certificate): \(certificate), \(key): \(error)")
        }
        return Loaded(chain: chain, key: privateKey)
    }
}

/// Why a certificate or key cannot be used, in the operator's words.
public struct TLSCredentialsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
