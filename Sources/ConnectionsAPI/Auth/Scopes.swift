/// The Management API scopes this service knows (API.md, "Authentication and scopes"),
/// as a bit set so a per-request check is one AND.
struct Scopes: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    static let readConnections = Scopes(rawValue: 1 << 0)
    static let createConnections = Scopes(rawValue: 1 << 1)
    static let updateConnections = Scopes(rawValue: 1 << 2)
    static let deleteConnections = Scopes(rawValue: 1 << 3)
    static let readConnectionsOptions = Scopes(rawValue: 1 << 4)
    static let updateConnectionsOptions = Scopes(rawValue: 1 << 5)
    static let readPrompts = Scopes(rawValue: 1 << 6)
    static let updatePrompts = Scopes(rawValue: 1 << 7)

    static let all: Scopes = [
        .readConnections, .createConnections, .updateConnections, .deleteConnections,
        .readConnectionsOptions, .updateConnectionsOptions, .readPrompts, .updatePrompts,
    ]

    /// Scope names in the order Auth0 lists them.
    static let names: [(Scopes, String)] = [
        (.readConnections, "read:connections"),
        (.createConnections, "create:connections"),
        (.updateConnections, "update:connections"),
        (.deleteConnections, "delete:connections"),
        (.readConnectionsOptions, "read:connections_options"),
        (.updateConnectionsOptions, "update:connections_options"),
        (.readPrompts, "read:prompts"),
        (.updatePrompts, "update:prompts"),
    ]

    /// Parses a space- or comma-separated scope list; `nil` names the first unknown scope.
    static func parse(_ text: String) -> Result<Scopes, UnknownScope> {
        var scopes: Scopes = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            guard let match = names.first(where: { $0.1 == word }) else { return .failure(UnknownScope(name: String(word))) }
            scopes.insert(match.0)
        }
        return .success(scopes)
    }

    /// The space-separated names, as OAuth `scope` strings are written.
    var description: String {
        Scopes.names.filter { contains($0.0) }.map(\.1).joined(separator: " ")
    }

    struct UnknownScope: Error, Sendable {
        let name: String
    }
}
