import Validation

/// The tenant's `/prompts` settings. A fresh tenant has Identifier First off, as on Auth0.
struct PromptSettings: Sendable, Equatable {
    var universalLoginExperience = "new"
    var identifierFirst = false
    var webauthnPlatformFirstFactor = false

    init() {}

    /// Reads a stored document; unknown or mistyped members keep their defaults.
    init(json: JSONObject) {
        if let value = json["universal_login_experience"]?.stringValue { universalLoginExperience = value }
        if let value = json["identifier_first"]?.boolValue { identifierFirst = value }
        if let value = json["webauthn_platform_first_factor"]?.boolValue { webauthnPlatformFirstFactor = value }
    }

    var json: JSONValue {
        .object([
            "universal_login_experience": .string(universalLoginExperience),
            "identifier_first": .bool(identifierFirst),
            "webauthn_platform_first_factor": .bool(webauthnPlatformFirstFactor),
        ])
    }
}
