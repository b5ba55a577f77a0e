import Crypto
import Foundation
import Logging
import NIOCore
import Synchronization

/// Public/ as it is served: every file read once at startup, each page's modules joined into one script, the
/// pages' script and style URLs versioned, and every text file gzipped, so serving one is a dictionary lookup.
///
/// Versioned URLs (`/v/VERSION/js/play.bundle.js`) may be cached for a year: VERSION is a hash of the whole
/// directory, so any change to any file gives every page new URLs. Pages themselves are always revalidated
/// (`no-cache` with an ETag): a repeat visit costs one small 304 for the page and nothing for its scripts and styles.
struct AssetCatalog: Sendable {
    /// One file as sent.
    struct Asset: Sendable {
        let body: ByteBuffer
        /// The gzip encoding, when it is smaller.
        let gzipped: ByteBuffer?
        let contentType: String
        /// Strong, quoted; the gzip encoding's is this with "-gz" before the closing quote.
        let etag: String

        var gzipETag: String { String(etag.dropLast()) + "-gz\"" }
    }

    /// What a path names.
    enum Lookup: Equatable {
        case asset(path: String, immutable: Bool)
        /// A directory asked for without its slash: the browser is sent to `path/` so the page's relative links work.
        case redirect(to: String)
    }

    static let versionPrefix = "/v/"
    /// The language dictionaries, each page's copy cut to the keys it uses (`DictionaryTrim`).
    static let dictionaryFolder = "js/lang/"

    /// A hash of every file's path and bytes as served, pages aside (they name the version).
    let version: String
    /// By URL path ("/js/play.js", "/index.html", "/v/…" paths excluded).
    let assets: [String: Asset]

    /// The catalog of `directory`, built on first use and kept for the process: a server builds it once at start,
    /// and the test suite's hundreds of servers share one (building it is about 0.5 s of a debug build's CPU).
    static func shared(directory: String, logger: Logger) -> AssetCatalog {
        builtCatalogs.withLock { built in
            if let catalog = built[directory] { return catalog }
            let catalog = load(directory: directory, logger: logger)
            built[directory] = catalog
            return catalog
        }
    }

    private static let builtCatalogs = Mutex<[String: AssetCatalog]>([:])

    /// Reads every file under `directory` (dot files left out). A file that cannot be read is left out and logged; a
    /// missing directory gives an empty catalog (an API-only server), also logged.
    static func load(directory: String, logger: Logger) -> AssetCatalog {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        var files: [String: [UInt8]] = [:]
        let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        if walker == nil {
            logger.warning("no public directory: pages are not served", metadata: ["path": .string(directory)])
        }
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count).drop { $0 == "/" })
            do {
                files[relative] = [UInt8](try Data(contentsOf: url))
            } catch {
                logger.error(
                    "a public file cannot be read and is not served",
                    metadata: ["path": .string(relative), "error": "\(error)"])
            }
        }
        return AssetCatalog(files: files, logger: logger)
    }

    /// `files` by path relative to the public directory ("js/play.js").
    init(files: [String: [UInt8]], logger: Logger) {
        var served = files
        let scripts = files.filter { $0.key.hasSuffix(".js") }.mapValues { String(decoding: $0, as: UTF8.self) }
        let bundler = ModuleBundler(sources: scripts)
        let pages = files.filter { $0.key.hasSuffix(".html") }.mapValues { String(decoding: $0, as: UTF8.self) }
        var startedBy: [String: [String]] = [:]
        for (path, page) in pages {
            for entry in Self.moduleEntries(of: page) { startedBy[entry, default: []].append(path) }
        }
        var joined: [String: String] = [:]
        for (entry, starters) in startedBy {
            do {
                let bundlePath = String(entry.dropLast(".js".count)) + ".bundle.js"
                let bundle = try bundler.bundle(
                    entry: entry, trimmingDictionariesIn: Self.dictionaryFolder,
                    pageText: starters.map { pages[$0]! }.joined())
                served[bundlePath] = Array(bundle.utf8)
                joined[entry] = bundlePath
            } catch {
                // The pages still work from the separate modules, one wave of requests per level of imports.
                logger.warning("\(starters.sorted().joined(separator: ", ")): scripts served unjoined: \(error)")
            }
        }
        // The version covers what is sent under it (the joined scripts included), so a new server that joins or
        // cuts differently gives new URLs even when Public/ is unchanged.
        var digest = SHA256()
        for path in served.keys.sorted() where !path.hasSuffix(".html") {
            digest.update(data: Array(path.utf8) + [0])
            digest.update(data: served[path]!)
        }
        version = Self.hex(digest.finalize()).prefix(12).lowercased()
        let versioned = Self.versionPrefix + version + "/"
        for (path, var page) in pages {
            for (entry, bundlePath) in joined {
                page = page.replacingOccurrences(of: "src=\"/\(entry)\"", with: "src=\"\(versioned)\(bundlePath)\"")
            }
            served[path] = Array(Self.versionAssetURLs(in: page, prefix: versioned).utf8)
        }
        assets = served.reduce(into: [:]) { assets, file in
            assets["/" + file.key] = Self.asset(file.value, path: file.key)
        }
    }

    /// What a request path names, or nil when it names nothing here.
    func lookup(_ requestPath: String) -> Lookup? {
        var path = requestPath
        var immutable = false
        if path.hasPrefix(Self.versionPrefix) {
            let rest = path.dropFirst(Self.versionPrefix.count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            // An old version (a page cached from before a restart) gets today's file, revalidated rather than kept.
            immutable = rest[..<slash] == version
            path = String(rest[slash...])
        }
        if path.hasSuffix("/") { path += "index.html" }
        if assets[path] != nil { return .asset(path: path, immutable: immutable) }
        if assets[path + "/index.html"] != nil { return .redirect(to: path + "/") }
        return nil
    }

    // MARK: - Building

    /// The module scripts a page starts: `<script type="module" src="/js/x.js">` → "js/x.js".
    static func moduleEntries(of page: String) -> [String] {
        page.split(separator: "<script").compactMap { tag -> String? in
            let head = tag.prefix { $0 != ">" }
            guard head.contains("type=\"module\""), let start = head.range(of: "src=\"/") else { return nil }
            let path = head[start.upperBound...].prefix { $0 != "\"" }
            return path.hasSuffix(".js") ? String(path) : nil
        }
    }

    /// `href="/css/…"` and `src="/js/…"` → under the version prefix ("/v/VERSION/").
    static func versionAssetURLs(in page: String, prefix: String) -> String {
        page.replacingOccurrences(of: "href=\"/css/", with: "href=\"\(prefix)css/")
            .replacingOccurrences(of: "src=\"/js/", with: "src=\"\(prefix)js/")
    }

    private static func asset(_ bytes: [UInt8], path: String) -> Asset {
        let type = contentType(of: path)
        let compressible = type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("image/svg")
        let gzipped = compressible ? Gzip.compress(bytes).flatMap { $0.count < bytes.count ? $0 : nil } : nil
        return Asset(
            body: ByteBuffer(bytes: bytes), gzipped: gzipped.map { ByteBuffer(bytes: $0) }, contentType: type,
            etag: "\"" + hex(SHA256.hash(data: bytes)).prefix(20) + "\"")
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
