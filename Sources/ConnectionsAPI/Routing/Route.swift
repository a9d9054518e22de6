/// The resources this service serves, matched from the request path alone.
enum Route: Sendable, Equatable {
    case healthz
    case oauthToken
    case prompts
    case connections
    case connection(id: String)
    case connectionClients(id: String)

    /// API.md: a known path with another method is a 405 listing these.
    var allowedMethods: [HTTPMethod] {
        switch self {
        case .healthz: return [.get]
        case .oauthToken: return [.post]
        case .prompts: return [.get, .patch]
        case .connections: return [.get, .post]
        case .connection: return [.get, .patch, .delete]
        case .connectionClients: return [.get, .patch]
        }
    }

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

    private static func match(bytes: UnsafeBufferPointer<UInt8>) -> Route? {
        if bytes.starts(with: connectionsPrefix) {
            let rest = UnsafeBufferPointer(rebasing: bytes[connectionsPrefix.count...])
            if rest.isEmpty { return .connections }
            guard rest[0] == UInt8(ascii: "/") else { return nil }
            let segment = UnsafeBufferPointer(rebasing: rest[1...])
            guard let slash = segment.firstIndex(of: UInt8(ascii: "/")) else {
                return segment.isEmpty ? nil : .connection(id: String(decoding: segment, as: UTF8.self))
            }
            guard slash > 0, segment[slash...].elementsEqual(clientsSuffix) else { return nil }
            return .connectionClients(id: String(decoding: UnsafeBufferPointer(rebasing: segment[..<slash]), as: UTF8.self))
        }
        if bytes.elementsEqual("/api/v2/prompts".utf8) { return .prompts }
        if bytes.elementsEqual("/healthz".utf8) { return .healthz }
        if bytes.elementsEqual("/oauth/token".utf8) { return .oauthToken }
        return nil
    }
}
