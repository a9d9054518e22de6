import JSON

/// Builders for the `[PathSegment]` a violation points at. Paths are only built when a rule
/// fires, so these may allocate freely.
enum RulePath {
    /// `/options/<keys...>`
    static func options(_ keys: String...) -> [PathSegment] {
        [.key("options")] + keys.map { .key($0) }
    }

    /// `/options/attributes/<attribute>/<keys...>`
    static func attribute(_ attribute: AttributeName, _ keys: String...) -> [PathSegment] {
        [.key("options"), .key("attributes"), .key(attribute.rawValue)] + keys.map { .key($0) }
    }

    /// `/options/authentication_methods/<method>/<key>`
    static func method(_ method: AuthenticationMethod, _ key: String) -> [PathSegment] {
        [.key("options"), .key("authentication_methods"), .key(method.rawValue), .key(key)]
    }
}
