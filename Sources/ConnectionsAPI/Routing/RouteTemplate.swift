import HTTP
import HTTPTransport

/// A route as metrics name it (API.md "Operations": by template, never by id), so a label
/// never carries an id or a name. The transport counts routes by number (`rawValue`), 0 for
/// none, and knows nothing else of them.
public enum RouteTemplate: Int, Sendable, CaseIterable {
    /// No route: an unknown path, or a request refused before its path was read. Must stay 0.
    case unmatched
    case healthz
    case metrics
    case openAPI
    case oauthToken
    case prompts
    case connections
    case connection
    case connectionClients
    case connectionRevisions
    case connectionRevision
    case connectionRevisionRestore

    /// The `route` label.
    public var label: String {
        switch self {
        case .unmatched: return "-"
        case .healthz: return "/healthz"
        case .metrics: return "/metrics"
        case .openAPI: return "/openapi.json"
        case .oauthToken: return "/oauth/token"
        case .prompts: return "/api/v2/prompts"
        case .connections: return "/api/v2/connections"
        case .connection: return "/api/v2/connections/{id}"
        case .connectionClients: return "/api/v2/connections/{id}/clients"
        case .connectionRevisions: return "/api/v2/connections/{id}/revisions"
        case .connectionRevision: return "/api/v2/connections/{id}/revisions/{n}"
        case .connectionRevisionRestore: return "/api/v2/connections/{id}/revisions/{n}/restore"
        }
    }
}

extension Route {
    var template: RouteTemplate {
        switch self {
        case .healthz: return .healthz
        case .metrics: return .metrics
        case .openAPI: return .openAPI
        case .oauthToken: return .oauthToken
        case .prompts: return .prompts
        case .connections: return .connections
        case .connection: return .connection
        case .connectionClients: return .connectionClients
        case .connectionRevisions: return .connectionRevisions
        case .connectionRevision: return .connectionRevision
        case .connectionRevisionRestore: return .connectionRevisionRestore
        }
    }
}

extension RouteTemplate {
    /// Counters for these templates, one set per event loop. A request the transport refuses
    /// itself (a framing error, a timeout) is counted under its path's template.
    public static func metrics(loops: Int) -> HTTPMetrics {
        HTTPMetrics(loops: loops, routes: allCases.count) { path in
            (Route(path: path)?.template ?? .unmatched).rawValue
        }
    }
}

extension HTTPResponse {
    /// The template the request matched, for the transport's metrics (`metricsRoute`).
    var route: RouteTemplate? {
        get { metricsRoute.flatMap(RouteTemplate.init(rawValue:)) }
        set { metricsRoute = newValue?.rawValue }
    }
}
