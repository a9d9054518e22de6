/// Rules 19–20: `identifier.default_method`, the method the login page offers first.
enum DefaultMethodRules {
    /// Rule 19.
    static let defaultMethodEnabled = Rule(
        id: "default-method-enabled",
        severity: .error,
        summary: "an active identifier's default_method must be an enabled method"
    ) { options, rule in
        var findings: [Violation] = []
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name), attribute.identifierActive, attribute.hasDefaultMethod
            else { continue }
            let a = name.rawValue
            let message: String
            if let method = attribute.defaultMethod {
                if options.isEnabled(method) { continue }
                let m = method.rawValue
                message =
                    "options.attributes.\(a).identifier.default_method is \(m) but "
                    + "options.authentication_methods.\(m).enabled is not true: enable \(m) or choose an enabled "
                    + "default_method"
            } else {
                // The schema admits only method names; past it, a value naming none can't be enabled.
                message =
                    "options.attributes.\(a).identifier.default_method names no authentication method: "
                    + "choose an enabled one"
            }
            findings.append(
                rule.violation(path: RulePath.attribute(name, "identifier", "default_method"), message: message)
            )
        }
        return findings
    }

    /// Rule 20.
    static let defaultMethodInactiveIdentifier = Rule(
        id: "default-method-inactive-identifier",
        severity: .warning,
        summary: "default_method has no effect on an inactive identifier"
    ) { options, rule in
        var findings: [Violation] = []
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name), !attribute.identifierActive, attribute.hasDefaultMethod
            else { continue }
            let a = name.rawValue
            findings.append(
                rule.violation(
                    path: RulePath.attribute(name, "identifier", "default_method"),
                    message: "options.attributes.\(a).identifier.default_method has no effect while "
                        + "options.attributes.\(a).identifier.active is not true: activate the identifier or remove "
                        + "default_method"
                )
            )
        }
        return findings
    }
}
