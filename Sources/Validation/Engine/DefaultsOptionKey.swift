/// The `auth0` option keys that default filling reads or writes.
enum DefaultsOptionKey: Int, CaseIterable, Sendable {
    case attributes, passwordOptions, bruteForceProtection, strategyVersion, mfa, passwordPolicy
    case passkeyOptions, authenticationMethods, disableSelfServiceChangePassword

    var name: String {
        Self.names[rawValue]
    }

    static let names = [
        "attributes", "password_options", "brute_force_protection", "strategy_version", "mfa", "passwordPolicy",
        "passkey_options", "authentication_methods", "disable_self_service_change_password",
    ]

    static let table = KeyTable(names)

    /// The key named `name`, if it is one of these.
    static func named(_ name: String) -> DefaultsOptionKey? {
        table.position(of: name).flatMap(DefaultsOptionKey.init(rawValue:))
    }
}
