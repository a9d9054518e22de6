import JSON

/// What a rule may look at: the effective connection (what would be stored, defaults
/// filled), the stored connection for a PATCH, and the tenant settings.
public struct RuleContext: Sendable {
    /// The effective connection: top-level keys with `options` after default filling.
    public let connection: JSONObject
    /// The stored connection when judging a PATCH; `nil` on create.
    public let stored: JSONObject?
    public let tenant: TenantSettings

    public init(connection: JSONObject, stored: JSONObject?, tenant: TenantSettings) {
        self.connection = connection
        self.stored = stored
        self.tenant = tenant
    }

    /// `connection.options`, or an empty object.
    public var options: JSONObject {
        connection["options"]?.objectValue ?? JSONObject()
    }
}
