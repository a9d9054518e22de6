import JSON

/// Rules 6–8: `options.attributes.email.unique`. Auth0 fixes uniqueness when the email
/// attribute is added, because users already stored could otherwise collide.
enum EmailUniquenessRules {
    /// Rule 6 (PATCH only). Auth0's message.
    static let emailUniqueAdded = Rule(
        id: "email-unique-added",
        severity: .error,
        summary: "an email attribute added by a PATCH must be unique",
        path: RulePath.attribute(.email, "unique"),
        message: "cannot add non-unique email attribute"
    ) { options in
        options.context.stored != nil && options.storedAttribute(.email) == nil
            && options.attribute(.email)?.unique == false
    }

    /// Rule 7 (PATCH only). Auth0's message.
    static let emailUniqueImmutable = Rule(
        id: "email-unique-immutable",
        severity: .error,
        summary: "a PATCH can't change options.attributes.email.unique",
        path: RulePath.attribute(.email, "unique"),
        message: "cannot patch unique property on email attribute"
    ) { options in
        guard let before = options.storedAttribute(.email), let email = options.attribute(.email) else { return false }
        return before.unique != email.unique
    }

    /// Rule 8.
    static let emailNonUniqueIdentifier = Rule(
        id: "email-non-unique-identifier",
        severity: .error,
        summary: "a non-unique email can't be an active identifier",
        path: RulePath.attribute(.email, "identifier", "active"),
        message: "options.attributes.email.identifier.active can't be true while options.attributes.email.unique "
            + "is false: set unique to true or deactivate the email identifier"
    ) { options in
        guard let email = options.attribute(.email) else { return false }
        return !email.unique && email.identifierActive
    }

}
