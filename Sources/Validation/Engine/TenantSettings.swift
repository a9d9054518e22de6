/// The tenant settings some rules depend on (`GET /prompts`).
public struct TenantSettings: Sendable, Hashable {
    /// `nil` when unknown (`lint` without `--tenant`): tenant-dependent rules then report
    /// warnings instead of errors.
    public var identifierFirst: Bool?

    public init(identifierFirst: Bool?) {
        self.identifierFirst = identifierFirst
    }

    /// A fresh Auth0 tenant: Identifier First is off.
    public static let fresh = TenantSettings(identifierFirst: false)
    /// Nothing known about the tenant.
    public static let unknown = TenantSettings(identifierFirst: nil)
}
