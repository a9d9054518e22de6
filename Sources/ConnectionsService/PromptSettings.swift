import JSON

/// The tenant's `/prompts` settings. A fresh tenant has Identifier First off, as on Auth0.
public struct PromptSettings: Sendable, Equatable {
    public var universalLoginExperience = "new"
    public var identifierFirst = false
    public var webauthnPlatformFirstFactor = false

    public init() {}

    /// Reads a stored document: `nil` unless each of the three members is there with its type
    /// (this service always writes all three).
    public init?(stored json: JSONObject) {
        guard let experience = json["universal_login_experience"]?.stringValue,
            let identifierFirst = json["identifier_first"]?.boolValue,
            let webauthn = json["webauthn_platform_first_factor"]?.boolValue
        else { return nil }
        universalLoginExperience = experience
        self.identifierFirst = identifierFirst
        webauthnPlatformFirstFactor = webauthn
    }

    public var json: JSONValue {
        .object([
            "universal_login_experience": .string(universalLoginExperience),
            "identifier_first": .bool(identifierFirst),
            "webauthn_platform_first_factor": .bool(webauthnPlatformFirstFactor),
        ])
    }
}
