import JSON

/// Rules 33–35: what a PATCH may not take away from the stored connection. A PATCH replaces
/// `options` wholesale (API.md), so leaving a key out of the new `options` removes it; these
/// rules compare the result with what is stored, as rules 6 and 7 do.
enum StoredOptionsRules {
    /// Rule 33 (PATCH only). Auth0 documents that a connection with non-unique emails can't
    /// drop its attributes: its users could no longer be told apart by email.
    static let nonUniqueEmailKeepsAttributes = Rule(
        id: "non-unique-email-keeps-attributes",
        severity: .error,
        summary: "a connection whose email attribute is not unique must keep options.attributes",
        path: RulePath.options("attributes"),
        message: "options.attributes can't be removed while the stored options.attributes.email.unique is false: "
            + "send options.attributes again, with the email attribute"
    ) { options in
        !options.hasAttributes && options.storedAttribute(.email)?.unique == false
    }

    /// Rule 34 (PATCH only). Auth0 documents `enable_script_context` as irreversible; an
    /// absent value counts as `false`, so new `options` without it would turn it off.
    static let scriptContextIrreversible = Rule(
        id: "script-context-irreversible",
        severity: .error,
        summary: "options.enable_script_context can't be turned off once on",
        path: RulePath.options("enable_script_context"),
        message: "options.enable_script_context can't be turned off once it is on: "
            + "send enable_script_context true with the new options"
    ) { options in
        options.storedOptions?["enable_script_context"]?.boolValue == true && options.options["enable_script_context"]?.boolValue != true
    }

    /// Rule 35 (PATCH only), a warning. Auth0's Terraform provider refuses such a PATCH
    /// (`checkForUnmanagedConfigurationSecrets`): configuration values are secrets that can't
    /// be read back, so a key the new `options.configuration` lacks is lost for good. Names
    /// the keys, never their values.
    static let configurationKeysErased = Rule(
        id: "configuration-keys-erased",
        severity: .warning,
        summary: "a PATCH erases stored options.configuration keys it does not send"
    ) { options, rule in
        guard let before = options.storedOptions?["configuration"]?.objectValue, !before.isEmpty
        else { return [] }
        let after = options.options["configuration"]?.objectValue ?? JSONObject()
        let erased = before.keys.filter { !after.contains($0) }
        guard !erased.isEmpty else { return [] }
        return [
            rule.violation(
                path: RulePath.options("configuration"),
                message: "options.configuration loses \(erased.joined(separator: ", ")): options are replaced wholesale, "
                    + "so send \(erased.count == 1 ? "this key" : "these keys") again to keep \(erased.count == 1 ? "it" : "them")"
            )
        ]
    }

}
