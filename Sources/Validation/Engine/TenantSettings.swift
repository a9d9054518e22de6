/// What the engine needs to know about the tenant: the settings some rules depend on
/// (`GET /prompts`), and whether the tenant still manages enabled clients the old way.
public struct TenantSettings: Sendable, Hashable {
    /// `nil` when unknown (`lint` without `--tenant`): tenant-dependent rules then report
    /// warnings instead of errors.
    public var identifierFirst: Bool?
    /// Auth0's migration toggle "Legacy Management of Connection's Enabled Clients": when on,
    /// a PATCH may carry `enabled_clients`; when off (every tenant created since Auth0 removed
    /// the field on 2026-07-13) it is not a property of the PATCH body (API.md).
    public var legacyEnabledClients: Bool

    public init(identifierFirst: Bool?, legacyEnabledClients: Bool = false) {
        self.identifierFirst = identifierFirst
        self.legacyEnabledClients = legacyEnabledClients
    }

    /// A fresh Auth0 tenant: Identifier First is off.
    public static let fresh = TenantSettings(identifierFirst: false)
    /// Nothing known about the tenant.
    public static let unknown = TenantSettings(identifierFirst: nil)
}
