import Hummingbird

/// The request context of every route: the place where the session and the signed-in account will live once
/// access control arrives, so routes need not change when it does.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bank files are uploaded whole; 100k questions of XLSX are about 10 MiB, so this leaves ample room.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
