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
    init?(path: String) {
        switch path {
        case "/healthz": self = .healthz
        case "/oauth/token": self = .oauthToken
        case "/api/v2/prompts": self = .prompts
        case "/api/v2/connections": self = .connections
        default:
            let prefix = "/api/v2/connections/"
            guard path.hasPrefix(prefix) else { return nil }
            let rest = path.dropFirst(prefix.count)
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            guard let first = parts.first, !first.isEmpty else { return nil }
            switch parts.count {
            case 1: self = .connection(id: String(first))
            case 2 where parts[1] == "clients": self = .connectionClients(id: String(first))
            default: return nil
            }
        }
    }
}
