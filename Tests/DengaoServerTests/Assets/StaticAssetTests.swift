import DengaoZlib
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import DengaoServer

/// Public/ as a phone on a hall Wi-Fi gets it: one joined script per page, gzip, versioned URLs cached for a year,
/// pages revalidated with ETags — against the real Public/ folder and a real server on a loopback port.
@Suite struct StaticAssetTests {
    static let publicDirectory = repositoryRoot.appendingPathComponent("Public").path
    static let catalog = AssetCatalog.load(directory: publicDirectory, logger: Logger(label: "test"))

    @Test func everyPageRunsOneJoinedScriptFromAVersionedURL() throws {
        let pages = try FileManager.default.subpathsOfDirectory(atPath: Self.publicDirectory).filter {
            $0.hasSuffix(".html")
        }
        #expect(pages.count >= 17)
        let versioned = "/v/\(Self.catalog.version)/"
        for page in pages {
            let source = try String(contentsOfFile: Self.publicDirectory + "/" + page, encoding: .utf8)
            let served = String(buffer: try #require(Self.catalog.assets["/" + page]).body)
            for entry in AssetCatalog.moduleEntries(of: source) {
                let bundle = entry.replacingOccurrences(of: ".js", with: ".bundle.js")
                #expect(Self.catalog.assets["/" + bundle] != nil, "\(page): \(entry) was not joined")
                #expect(served.contains("src=\"\(versioned)\(bundle)\""), "\(page) does not load \(bundle)")
            }
            #expect(
                !served.contains("href=\"/css/") && !served.contains("src=\"/js/"), "\(page) keeps an unversioned URL")
        }
        // The language a phone does not use is not in its script; it is fetched only when chosen.
        let play = String(buffer: try #require(Self.catalog.assets["/js/play.bundle.js"]).body)
        #expect(play.contains("加入知识竞赛"))
        #expect(!play.contains("Join the quiz"))
        // And only the families of keys the page can ask for: the contest's, not the roster's or the reports'.
        #expect(play.contains("'play.pinTitle'") && play.contains("'contest.kind.") && play.contains("'lang.label'"))
        #expect(!play.contains("'roster.") && !play.contains("'bulletin.") && !play.contains("'accounts."))
        let roster = String(buffer: try #require(Self.catalog.assets["/js/roster.bundle.js"]).body)
        #expect(roster.contains("'roster.") && !roster.contains("'play.pinTitle'"))
        #expect(Self.catalog.assets["/js/lang/en.js"] != nil)
    }

    @Test func lookupsNameOnlyWhatIsInTheCatalog() {
        let catalog = Self.catalog
        #expect(catalog.lookup("/") == .asset(path: "/index.html", immutable: false))
        #expect(catalog.lookup("/invite/") == .asset(path: "/invite/index.html", immutable: false))
        #expect(catalog.lookup("/invite") == .redirect(to: "/invite/"))
        #expect(
            catalog.lookup("/v/\(catalog.version)/css/theme.css") == .asset(path: "/css/theme.css", immutable: true))
        #expect(catalog.lookup("/v/0123456789ab/css/theme.css") == .asset(path: "/css/theme.css", immutable: false))
        for path in [
            "/api/session", "/../Package.swift", "/js/../../Package.swift", "/v/x", "/css", "/nothing.html", "/healthz",
        ] {
            #expect(catalog.lookup(path) == nil, "\(path)")
        }
    }

    @Test func aDictionaryKeepsTheFamiliesThePageWrites() {
        let families = DictionaryTrim.families(
            in: [
                "t('play.title'); hasKey('contest.kind.' + kind); items.length; 3.5; 'Foo.bar'",
                "data-i18n=\"me.largeText\" data-i18n-attr=\"aria-label:nav.menu\"",
            ])
        #expect(families == ["play", "contest", "me", "nav"])
        let dictionary = """
            export default {
              'play.title': '标题',
              'roster.title': '名册',
              'plain': '无点',
              'contest.kind.buzz': '抢答',
            };
            """
        let bundle = try? ModuleBundler(sources: [
            "js/page.js": "import zh from './lang/zh.js';\nt('play.x'); t('contest.kind.' + k);\n",
            "js/lang/zh.js": dictionary,
        ])
        .bundle(entry: "js/page.js", trimmingDictionariesIn: "js/lang/")
        #expect(bundle?.contains("'play.title': '标题',") == true)
        #expect(bundle?.contains("'contest.kind.buzz'") == true)
        #expect(bundle?.contains("'plain'") == true)
        #expect(bundle?.contains("roster") == false)
        // An entry over two lines: the dictionary is kept whole rather than cut mid-entry.
        let long = "export default {\n  'roster.a':\n    'x',\n  'play.b': 'y',\n};\n"
        let whole = try? ModuleBundler(sources: [
            "js/page.js": "import zh from './lang/zh.js';\nt('play.b');\n", "js/lang/zh.js": long,
        ])
        .bundle(entry: "js/page.js", trimmingDictionariesIn: "js/lang/")
        #expect(whole?.contains("'roster.a':") == true)
    }

    @Test func aChangedFileChangesTheVersion() {
        let logger = Logger(label: "test")
        let one = AssetCatalog(
            files: [
                "a.html": Array("<script type=\"module\" src=\"/js/a.js\"></script>".utf8),
                "js/a.js": Array("export const a = 1;\n".utf8),
            ], logger: logger)
        let two = AssetCatalog(
            files: [
                "a.html": Array("<script type=\"module\" src=\"/js/a.js\"></script>".utf8),
                "js/a.js": Array("export const a = 2;\n".utf8),
            ], logger: logger)
        #expect(one.version != two.version)
        #expect(
            String(buffer: one.assets["/a.html"]!.body)
                == "<script type=\"module\" src=\"/v/\(one.version)/js/a.bundle.js\"></script>")
        #expect(one.assets["/a.html"]!.etag != two.assets["/a.html"]!.etag)
    }

    @Test func aPageThatCannotBeJoinedKeepsItsModules() {
        let catalog = AssetCatalog(
            files: [
                "a.html": Array("<script type=\"module\" src=\"/js/a.js\"></script>".utf8),
                "js/a.js": Array("export let a = 1;\n".utf8),
            ],
            logger: Logger(label: "test"))
        #expect(catalog.assets["/js/a.bundle.js"] == nil)
        #expect(
            String(buffer: catalog.assets["/a.html"]!.body)
                == "<script type=\"module\" src=\"/v/\(catalog.version)/js/a.js\"></script>")
    }

    @Test func theServerSendsGzipETagsAndCachePolicies() async throws {
        let catalog = Self.catalog
        try await withLiveApp { client in
            // A page: gzip when asked, revalidated every time.
            let page = try await client.execute(
                uri: "/play.html", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]
            ) { $0 }
            #expect(page.status == .ok)
            #expect(page.headers[.contentEncoding] == "gzip")
            #expect(page.headers[.vary] == "Accept-Encoding")
            #expect(page.headers[.cacheControl] == "no-cache")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let etag = try #require(page.headers[.eTag])
            #expect(try gunzip(page.body) == Array(buffer: catalog.assets["/play.html"]!.body))
            #expect(page.body.readableBytes < catalog.assets["/play.html"]!.body.readableBytes / 2)

            // The same page again: 304 with no body.
            let again = try await client.execute(
                uri: "/play.html", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag]
            ) { $0 }
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == etag)

            // A client without gzip gets the file as it is, with the other encoding's ETag.
            let plain = try await client.execute(uri: "/js/dom.js", method: .get) { $0 }
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.eTag] != nil && plain.headers[.eTag] != etag)
            #expect(
                Array(buffer: plain.body)
                    == Array(try Data(contentsOf: URL(fileURLWithPath: Self.publicDirectory + "/js/dom.js"))))
            #expect(plain.headers[.contentType] == "text/javascript; charset=utf-8")

            // `q=0` refuses gzip.
            let refused = try await client.execute(
                uri: "/js/dom.js", method: .get, headers: [.acceptEncoding: "gzip;q=0, identity"]
            ) { $0 }
            #expect(refused.headers[.contentEncoding] == nil)

            // A versioned URL is kept for a year; an old version's is revalidated.
            let versioned = try await client.execute(
                uri: "/v/\(catalog.version)/js/play.bundle.js", method: .get, headers: [.acceptEncoding: "gzip"]
            ) { $0 }
            #expect(versioned.status == .ok)
            #expect(versioned.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(try gunzip(versioned.body) == Array(buffer: catalog.assets["/js/play.bundle.js"]!.body))
            let old = try await client.execute(uri: "/v/000000000000/js/play.bundle.js", method: .get) { $0 }
            #expect(old.headers[.cacheControl] == "no-cache")

            // HEAD: the headers, no body.
            let head = try await client.execute(
                uri: "/css/theme.css", method: .head, headers: [.acceptEncoding: "gzip"]
            ) { $0 }
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentEncoding] == "gzip")

            // A folder without its slash is sent to it; the routes still answer what is not a file.
            let folder = try await client.execute(uri: "/invite?x=1", method: .get) { $0 }
            #expect(folder.status == .movedPermanently)
            #expect(folder.headers[.location] == "/invite/?x=1")
            let health = try await client.execute(uri: "/healthz", method: .get) { $0 }
            #expect(health.status == .ok)
            let missing = try await client.execute(uri: "/nothing.js", method: .get) { $0 }
            #expect(missing.status == .notFound)
            let traversal = try await client.execute(uri: "/js/%2e%2e/%2e%2e/Package.swift", method: .get) { $0 }
            #expect(traversal.status == .notFound)
            let post = try await client.execute(uri: "/play.html", method: .post) { $0 }
            #expect(post.status != .ok)
        }
    }
}

/// zlib's inflate of a gzip body (windowBits 15 + 16), as a browser would.
func gunzip(_ buffer: ByteBuffer) throws -> [UInt8] {
    var input = Array(buffer: buffer)
    var stream = z_stream()
    guard inflateInit2_(&stream, MAX_WBITS + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw GunzipFailure()
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var status: Int32 = Z_OK
    try input.withUnsafeMutableBufferPointer { source in
        stream.next_in = source.baseAddress
        stream.avail_in = uInt(source.count)
        while status != Z_STREAM_END {
            status = chunk.withUnsafeMutableBufferPointer { target in
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            guard status == Z_OK || status == Z_STREAM_END else { throw GunzipFailure() }
            output += chunk[0..<(chunk.count - Int(stream.avail_out))]
        }
    }
    return output
}

struct GunzipFailure: Error {}
