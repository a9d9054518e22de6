/// Rules 28–29: the password policy, legacy (`passwordPolicy` and its `password_*` siblings)
/// or current (`password_options`).
enum PasswordPolicyRules {
    /// Rule 28.
    static let passwordPolicyMixed = Rule(
        id: "password-policy-mixed",
        severity: .error,
        summary: "password_options can't be combined with the legacy password policy fields"
    ) { options, rule in
        guard options.passwordOptions != nil, options.legacyPasswordFieldMask != 0 else { return [] }
        var conflicting: [String] = []
        for field in LegacyPasswordField.messageOrder where options.legacyPasswordFieldMask & field.bit != 0 {
            conflicting.append("options." + field.rawValue)
        }
        return [
            rule.violation(
                path: RulePath.options("password_options"),
                message: "options.password_options can't be combined with the legacy "
                    + conflicting.joined(separator: ", ")
                    + ": remove the legacy fields or password_options"
            )
        ]
    }

    /// Rule 29.
    static let characterTypeRule = Rule(
        id: "character-type-rule",
        severity: .error,
        summary: "character_type_rule three_of_four needs all four character_types"
    ) { options, rule in
        guard let complexity = options.passwordOptions?["complexity"]?.objectValue,
            complexity["character_type_rule"]?.stringValue == "three_of_four"
        else { return [] }
        let types = complexity["character_types"]?.arrayValue ?? []
        let hasAll = ["uppercase", "lowercase", "number", "special"].allSatisfy { type in
            types.contains(.string(type))
        }
        guard !hasAll else { return [] }
        return [
            rule.violation(
                path: RulePath.options("password_options", "complexity", "character_type_rule"),
                message: "options.password_options.complexity.character_type_rule three_of_four needs all four "
                    + "character_types (uppercase, lowercase, number, special): add the missing types or set "
                    + "character_type_rule to all"
            )
        ]
    }
}
