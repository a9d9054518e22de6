import HTTP

/// The resources this service serves, matched from the request path alone.
enum Route: Sendable, Equatable {
    case healthz
    case metrics
    case openAPI
    case oauthToken
    case prompts
    case connections
    case connection(id: String)
    case connectionClients(id: String)
    case connectionRevisions(id: String)
    case connectionRevision(id: String, number: String)
    case connectionRevisionRestore(id: String, number: String)

    /// API.md: a known path with another method is a 405 listing these.
    var allowedMethods: [HTTPMethod] {
        switch self {
        case .healthz: return Self.getHead
        case .metrics, .openAPI: return Self.getOnly
        case .oauthToken: return Self.postOnly
        case .prompts: return Self.getPatch
        case .connections: return Self.getPost
        case .connection: return Self.getPatchDelete
        case .connectionClients: return Self.getPatch
        case .connectionRevisions, .connectionRevision: return Self.getOnly
        case .connectionRevisionRestore: return Self.postOnly
        }
    }

    // Made once: every request reads its route's methods (an array built per request cost
    // ~350 instructions, callgrind).
    private static let getOnly: [HTTPMethod] = [.get]
    private static let getHead: [HTTPMethod] = [.get, .head]
    private static let postOnly: [HTTPMethod] = [.post]
    private static let getPatch: [HTTPMethod] = [.get, .patch]
    private static let getPost: [HTTPMethod] = [.get, .post]
    private static let getPatchDelete: [HTTPMethod] = [.get, .patch, .delete]

    /// Matches a request path (without its query). Ids are matched as any segment here and
    /// checked for the `con_` format later, after authentication (API.md order of checks).
    /// Works on the UTF-8 bytes: this runs on every request (String pattern matching cost
    /// more than the rest of a GET together, measured with callgrind).
    init?(path: String) {
        var path = path
        guard let route = path.withUTF8({ Route.match(bytes: $0) }) else { return nil }
        self = route
    }

    private static let connectionsPrefix = Array("/api/v2/connections".utf8)
    private static let clientsSuffix = Array("/clients".utf8)
    private static let revisionsSegment = Array("/revisions".utf8)
    private static let restoreSuffix = Array("/restore".utf8)

    private static func match(bytes: UnsafeBufferPointer<UInt8>) -> Route? {
        if bytes.starts(with: connectionsPrefix) {
            let rest = UnsafeBufferPointer(rebasing: bytes[connectionsPrefix.count...])
            if rest.isEmpty { return .connections }
            guard rest[0] == UInt8(ascii: "/") else { return nil }
            let segment = UnsafeBufferPointer(rebasing: rest[1...])
            guard let slash = segment.firstIndex(of: UInt8(ascii: "/")) else {
                return segment.isEmpty ? nil : .connection(id: String(decoding: segment, as: UTF8.self))
            }
            guard slash > 0 else { return nil }
            let id = String(decoding: UnsafeBufferPointer(rebasing: segment[..<slash]), as: UTF8.self)
            let tail = UnsafeBufferPointer(rebasing: segment[slash...])
            if tail.elementsEqual(clientsSuffix) { return .connectionClients(id: id) }
            return matchRevisions(tail, id: id)
        }
        if bytes.elementsEqual("/api/v2/prompts".utf8) { return .prompts }
        if bytes.elementsEqual("/healthz".utf8) { return .healthz }
        if bytes.elementsEqual("/metrics".utf8) { return .metrics }
        if bytes.elementsEqual("/openapi.json".utf8) { return .openAPI }
        if bytes.elementsEqual("/oauth/token".utf8) { return .oauthToken }
        return nil
    }

    /// `/revisions`, `/revisions/{n}`, `/revisions/{n}/restore` after a connection id.
    private static func matchRevisions(_ tail: UnsafeBufferPointer<UInt8>, id: String) -> Route? {
        guard tail.starts(with: revisionsSegment) else { return nil }
        let rest = UnsafeBufferPointer(rebasing: tail[revisionsSegment.count...])
        if rest.isEmpty { return .connectionRevisions(id: id) }
        guard rest[0] == UInt8(ascii: "/") else { return nil }
        let numbered = UnsafeBufferPointer(rebasing: rest[1...])
        guard let slash = numbered.firstIndex(of: UInt8(ascii: "/")) else {
            return numbered.isEmpty ? nil : .connectionRevision(id: id, number: String(decoding: numbered, as: UTF8.self))
        }
        guard slash > 0, numbered[slash...].elementsEqual(restoreSuffix) else { return nil }
        let number = String(decoding: UnsafeBufferPointer(rebasing: numbered[..<slash]), as: UTF8.self)
        return .connectionRevisionRestore(id: id, number: number)
    }
}
