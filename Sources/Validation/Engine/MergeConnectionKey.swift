/// The top-level keys of a stored connection, in the canonical order API.md shows them.
enum MergeConnectionKey: Int, CaseIterable, Sendable {
    case id, name, displayName, strategy, options, enabledClients, isDomainConnection, showAsButton, realms
    case metadata, authentication, connectedAccounts, crossAppAccessRequestingApp, crossAppAccessResourceApp

    var name: String {
        Self.names[rawValue]
    }

    static let names = [
        "id", "name", "display_name", "strategy", "options", "enabled_clients", "is_domain_connection",
        "show_as_button", "realms", "metadata", "authentication", "connected_accounts",
        "cross_app_access_requesting_app", "cross_app_access_resource_app",
    ]

    static let table = KeyTable(names)

    /// The key named `name`, if it is one of these.
    static func named(_ name: String) -> MergeConnectionKey? {
        table.position(of: name).flatMap(MergeConnectionKey.init(rawValue:))
    }
}
