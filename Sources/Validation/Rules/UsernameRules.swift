import JSON

/// Rules 26–27: username settings, legacy (`requires_username`) and flexible
/// (`attributes.username.validation`).
enum UsernameRules {
    /// Rule 26.
    static let passkeyLegacyUsername = Rule(
        id: "passkey-legacy-username",
        severity: .error,
        summary: "passkeys need flexible identifiers or no required username",
        path: RulePath.options("requires_username"),
        message: "options.requires_username can't be true when options.authentication_methods.passkey is "
            + "enabled without options.attributes: move identifiers to options.attributes or set "
            + "requires_username to false"
    ) { options in
        options.isEnabled(.passkey) && !options.hasAttributes && options.requiresUsername
    }

    /// Rule 27.
    static let usernameLengthRange = Rule(
        id: "username-length-range",
        severity: .error,
        summary: "username validation min_length can't exceed max_length"
    ) { options, rule in
        // Read here rather than on `EffectiveOptions`: no other rule needs it.
        guard options.username != nil,
            let validation = options.options["attributes"]?["username"]?["validation"]?.objectValue,
            let min = validation["min_length"]?.numberValue,
            let max = validation["max_length"]?.numberValue,
            exceeds(min, max)
        else { return [] }
        return [
            rule.violation(
                path: RulePath.attribute(.username, "validation", "min_length"),
                message: "options.attributes.username.validation.min_length (\(min)) exceeds max_length (\(max)): "
                    + "lower min_length or raise max_length"
            )
        ]
    }

    /// `lhs > rhs`, exactly for integers (the usual case) and approximately otherwise: the
    /// schema types these as numbers within 1–128, where a `Double` is exact enough.
    private static func exceeds(_ lhs: JSONNumber, _ rhs: JSONNumber) -> Bool {
        if let l = lhs.intValue, let r = rhs.intValue { return l > r }
        guard let l = lhs.doubleValue, let r = rhs.doubleValue else { return false }
        return l > r
    }
}
