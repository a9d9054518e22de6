import Validation

/// What `lint --explain RULE` prints: what the rule checks, why, and a failing and a passing
/// example. The one place this text lives, so docs quote it rather than restate it
/// (`connections-api lint --explain RULE`, or `--list-rules` for the one-line summaries).
///
/// Each example of an engine rule is a complete body that the unit tests judge: the failing
/// one must raise the rule, the passing one must not.
public struct RuleExplanation: Sendable {
    public let id: String
    public let checks: String
    public let why: String
    public let failing: Example
    public let passing: Example

    /// A body (a POST, or a PATCH of `stored`), judged with `tenant`.
    public struct Example: Sendable {
        public let body: String
        public let stored: String?
        public let tenant: TenantSettings
        /// An example of a file (deploy CLI YAML, a Terraform configuration) rather than a body.
        public let isFile: Bool

        init(_ body: String, stored: String? = nil, tenant: TenantSettings = TenantSettings(identifierFirst: true)) {
            self.body = body
            self.stored = stored
            self.tenant = tenant
            self.isFile = false
        }

        private init(file: String) {
            body = file
            stored = nil
            tenant = TenantSettings(identifierFirst: true)
            isFile = true
        }

        /// A file's text.
        static func file(_ text: String) -> Example {
            Example(file: text)
        }

        /// A POST body for a database connection with these options.
        static func options(_ options: String, tenant: TenantSettings = TenantSettings(identifierFirst: true)) -> Example {
            Example(#"{"name": "users", "strategy": "auth0", "options": \#(options)}"#, tenant: tenant)
        }

        /// A PATCH of a stored database connection with these options.
        static func patch(options: String, storedOptions: String) -> Example {
            Example(
                #"{"options": \#(options)}"#,
                stored: #"{"id": "con_1", "name": "users", "strategy": "auth0", "options": \#(storedOptions)}"#)
        }
    }

    /// The explanation of `id`, when there is one.
    public static func named(_ id: String) -> RuleExplanation? {
        all.first { $0.id == id }
    }

    /// The text `--explain` prints.
    public var text: String {
        var text = "\(id)\n\nWhat it checks: \(checks)\n\nWhy: \(why)\n\n"
        text += "Fails:\n\(Self.indented(failing))\n\nPasses:\n\(Self.indented(passing))\n"
        return text
    }

    private static func indented(_ example: Example) -> String {
        var lines: [String] = []
        if let stored = example.stored { lines.append("  stored connection (--current): \(stored)") }
        if example.tenant.identifierFirst == false { lines.append("  tenant: identifier_first false (--tenant)") }
        if example.isFile {
            lines.append("  " + example.body.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
        } else {
            lines.append("  \(example.stored == nil ? "POST" : "PATCH") body: \(example.body)")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - The table

    /// A passwordless database connection that every rule accepts (README, step 2).
    static let passwordless = #"""
        {"attributes": {"email": {"identifier": {"active": true, "default_method": "email_otp"}, "verification_method": "otp", "signup": {"status": "required", "verification": {"active": true}}}}, "authentication_methods": {"password": {"enabled": false}, "email_otp": {"enabled": true}}}
        """#
    static let emailIdentifier = #"{"email": {"identifier": {"active": true}}}"#
    static let identifierFirstOff = TenantSettings(identifierFirst: false)

    /// Passwordless options with `password`'s members replaced.
    private static func passwordlessPassword(_ password: String, extra: String = "") -> String {
        #"""
        {"attributes": {"email": {"identifier": {"active": true, "default_method": "email_otp"}, "verification_method": "otp", "signup": {"status": "required", "verification": {"active": true}}}}, "authentication_methods": {"password": \#(password), "email_otp": {"enabled": true}}\#(extra)}
        """#
    }

    /// Passwordless options with the email attribute's members replaced.
    private static func passwordlessEmail(_ email: String) -> String {
        #"""
        {"attributes": {"email": \#(email)}, "authentication_methods": {"password": {"enabled": false}, "email_otp": {"enabled": true}}}
        """#
    }

    public static let all: [RuleExplanation] = builtIn + engineRules + inputRules

    static let builtIn: [RuleExplanation] = [
        RuleExplanation(
            id: Rule.jsonSyntax.id,
            checks: "The file is JSON as RFC 8259 defines it, with no duplicate keys and nesting of at most 64 levels.",
            why: "The API refuses such a body before judging anything; the finding points at the first fault.",
            failing: Example(#"{"name": "users", "strategy": "auth0",}"#),
            passing: Example(#"{"name": "users", "strategy": "auth0"}"#)),
        RuleExplanation(
            id: Rule.schema.id,
            checks:
                "Every key the connection sends is one the Management API knows for its strategy, with a value of the right type and range.",
            why:
                "The API answers 400 `Payload validation error` for the first such problem. lint reports them all, and still judges the rules on what the schema accepts.",
            failing: .options(#"{"brute_force_protection": "yes"}"#),
            passing: .options(#"{"brute_force_protection": true}"#)),
    ]

    static let engineRules: [RuleExplanation] = [
        RuleExplanation(
            id: "attributes-requires-username",
            checks: "A connection with `options.attributes` does not also set `options.requires_username: true`.",
            why: "Flexible identifiers (`attributes`) replace the legacy username switch; Auth0 refuses both at once.",
            failing: .options(#"{"attributes": \#(emailIdentifier), "requires_username": true}"#),
            passing: .options(#"{"attributes": \#(emailIdentifier)}"#)),
        RuleExplanation(
            id: "attributes-legacy-validation",
            checks: "A connection with `options.attributes` sends no `options.validation` (other than null).",
            why: "Username length limits move to `attributes.username.validation`; Auth0 refuses the legacy field beside attributes.",
            failing: .options(#"{"attributes": \#(emailIdentifier), "validation": {"username": {"min": 1, "max": 15}}}"#),
            passing: .options(#"{"attributes": \#(emailIdentifier)}"#)),
        RuleExplanation(
            id: "attributes-active-identifier",
            checks: "When `options.attributes` is present, at least one attribute has `identifier.active: true`.",
            why: "Without an active identifier nobody can name themselves at login.",
            failing: .options(#"{"attributes": {"email": {"identifier": {"active": false}}}}"#),
            passing: .options(#"{"attributes": \#(emailIdentifier)}"#)),
        RuleExplanation(
            id: "attribute-required-on-signup",
            checks: "An attribute with `profile_required: true` is not `signup.status: \"inactive\"`.",
            why: "A profile that requires the attribute could never be completed if sign-up never asks for it.",
            failing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "profile_required": true, "signup": {"status": "inactive"}}}}"#),
            passing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "profile_required": true, "signup": {"status": "required"}}}}"#)
        ),
        RuleExplanation(
            id: "attribute-optional-on-signup",
            checks: "An attribute with `profile_required: true` is not `signup.status: \"optional\"` (a warning).",
            why: "Users can skip an optional field at sign-up, so the profile the connection requires may be missing.",
            failing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "profile_required": true, "signup": {"status": "optional"}}}}"#),
            passing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "profile_required": true, "signup": {"status": "required"}}}}"#)
        ),
        RuleExplanation(
            id: "email-unique-added",
            checks: "An update does not add an email attribute with `unique: false` to a connection that had none.",
            why: "Existing users were created with unique emails; Auth0 refuses to add a non-unique email attribute afterwards.",
            failing: .patch(
                options: #"{"attributes": {"email": {"unique": false}, "username": {"identifier": {"active": true}}}}"#,
                storedOptions: #"{"attributes": {"username": {"identifier": {"active": true}}}}"#),
            passing: .patch(
                options: #"{"attributes": {"email": {"unique": true}, "username": {"identifier": {"active": true}}}}"#,
                storedOptions: #"{"attributes": {"username": {"identifier": {"active": true}}}}"#)),
        RuleExplanation(
            id: "email-unique-immutable",
            checks: "An update keeps `attributes.email.unique` as stored (absent counts as true).",
            why:
                "Uniqueness is fixed when the email attribute is created; Auth0 answers `cannot patch unique property on email attribute`.",
            failing: .patch(
                options: #"{"attributes": {"email": {"identifier": {"active": true}, "unique": false}}}"#,
                storedOptions: #"{"attributes": \#(emailIdentifier)}"#),
            passing: .patch(
                options: #"{"attributes": \#(emailIdentifier)}"#, storedOptions: #"{"attributes": \#(emailIdentifier)}"#)),
        RuleExplanation(
            id: "email-non-unique-identifier",
            checks: "An email attribute with `unique: false` is not an active identifier.",
            why: "A login by email must find one user; with duplicates allowed it cannot.",
            failing: .options(#"{"attributes": {"email": {"identifier": {"active": true}, "unique": false}}}"#),
            passing: .options(#"{"attributes": {"email": {"identifier": {"active": true}, "unique": true}}}"#)),
        RuleExplanation(
            id: "otp-requires-attributes",
            checks: "Enabling `email_otp` or `phone_otp`, or disabling password, needs `options.attributes`.",
            why: "Passwordless methods are defined per identifier, which only flexible identifiers describe.",
            failing: .options(#"{"authentication_methods": {"email_otp": {"enabled": true}}}"#),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "password-disable-requires-otp",
            checks: "Password is disabled only when `email_otp` or `phone_otp` is enabled.",
            why: "Without a password and without a one-time code, no user could sign in.",
            failing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"password": {"enabled": false}}}"#),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "passkey-requires-alternative",
            checks: "Passkeys are enabled only beside password, `email_otp` or `phone_otp`.",
            why: "A user must be able to sign up and recover without a passkey; passkey-only is not supported.",
            failing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"password": {"enabled": false}, "passkey": {"enabled": true}}}"#
            ),
            passing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"password": {"enabled": true}, "passkey": {"enabled": true}}}"#
            )),
        RuleExplanation(
            id: "username-requires-password",
            checks: "An active username identifier comes with password enabled.",
            why: "One-time codes go to an email or a phone; a username has nowhere to send them.",
            failing: .options(
                #"{"attributes": {"username": {"identifier": {"active": true}}}, "authentication_methods": {"password": {"enabled": false}, "email_otp": {"enabled": true}}}"#
            ),
            passing: .options(
                #"{"attributes": {"username": {"identifier": {"active": true}}}, "authentication_methods": {"password": {"enabled": true}}}"#
            )),
        RuleExplanation(
            id: "otp-signup-verification",
            checks: "Without password, an email or phone identifier that users sign up with has `signup.verification.active: true`.",
            why: "The one-time code is the only proof a passwordless user owns the address.",
            failing: .options(
                passwordlessEmail(
                    #"{"identifier": {"active": true}, "verification_method": "otp", "signup": {"status": "required", "verification": {"active": false}}}"#
                )),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "email-otp-verification-method",
            checks: "Without password, an active email identifier is verified by `otp`, not `link`.",
            why: "A passwordless sign-up proves the address with the code it sends, not a link.",
            failing: .options(
                passwordlessEmail(
                    #"{"identifier": {"active": true}, "verification_method": "link", "signup": {"status": "required", "verification": {"active": true}}}"#
                )),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "password-disabled-api-behavior",
            checks: "With password disabled, `password.api_behavior` is not `required`.",
            why: "The API must accept users who have no password.",
            failing: .options(passwordlessPassword(#"{"enabled": false, "api_behavior": "required"}"#)),
            passing: .options(passwordlessPassword(#"{"enabled": false, "api_behavior": "optional"}"#))),
        RuleExplanation(
            id: "password-disabled-signup-behavior",
            checks: "With password disabled, `password.signup_behavior` is not `allow`.",
            why: "Sign-up must not ask for a password the connection does not use.",
            failing: .options(passwordlessPassword(#"{"enabled": false, "signup_behavior": "allow"}"#)),
            passing: .options(passwordlessPassword(#"{"enabled": false, "signup_behavior": "block"}"#))),
        RuleExplanation(
            id: "signup-block-api-behavior",
            checks: "Password enabled with `signup_behavior: block` has `api_behavior: optional`.",
            why: "Users who signed up without a password must still be creatable through the API.",
            failing: .options(
                #"{"authentication_methods": {"password": {"enabled": true, "signup_behavior": "block", "api_behavior": "required"}}}"#),
            passing: .options(
                #"{"authentication_methods": {"password": {"enabled": true, "signup_behavior": "block", "api_behavior": "optional"}}}"#)),
        RuleExplanation(
            id: "password-disabled-self-service",
            checks: "With password disabled, `disable_self_service_change_password` is not `false`.",
            why: "Users without a password have no password to change.",
            failing: .options(
                passwordlessPassword(#"{"enabled": false}"#, extra: #", "disable_self_service_change_password": false"#)),
            passing: .options(
                passwordlessPassword(#"{"enabled": false}"#, extra: #", "disable_self_service_change_password": true"#))),
        RuleExplanation(
            id: "default-method-enabled",
            checks: "An active identifier's `default_method` names a method that is enabled.",
            why: "Login would offer first a method the connection has switched off.",
            failing: .options(
                passwordlessEmail(
                    #"{"identifier": {"active": true, "default_method": "password"}, "verification_method": "otp", "signup": {"status": "required", "verification": {"active": true}}}"#
                )),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "default-method-inactive-identifier",
            checks: "`default_method` is set only on active identifiers (a warning).",
            why: "On an inactive identifier it has no effect, which usually means a mistake.",
            failing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}}, "phone_number": {"identifier": {"active": false, "default_method": "password"}}}}"#
            ),
            passing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}}, "phone_number": {"identifier": {"active": false}}}}"#)),
        RuleExplanation(
            id: "login-reachable",
            checks:
                "Some active identifier has an enabled first factor (email: password or email_otp; phone_number: password or phone_otp; username: password).",
            why: "Otherwise nobody could log in.",
            failing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"password": {"enabled": false}, "phone_otp": {"enabled": true}}}"#
            ),
            passing: .options(passwordless)),
        RuleExplanation(
            id: "otp-method-unreachable",
            checks: "An enabled `email_otp` (`phone_otp`) has `email` (`phone_number`) as an active identifier (a warning).",
            why: "A one-time code method no identifier leads to cannot be used by anyone.",
            failing: .options(#"{"attributes": \#(emailIdentifier), "authentication_methods": {"phone_otp": {"enabled": true}}}"#),
            passing: .options(#"{"attributes": \#(emailIdentifier)}"#)),
        RuleExplanation(
            id: "identifier-first-email-verification",
            checks: "Email verification by `otp` needs the tenant's Identifier First (`--tenant`; a warning without it).",
            why: "Auth0 supports OTP email verification only with the Identifier First login flow.",
            failing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "verification_method": "otp"}}}"#, tenant: identifierFirstOff),
            passing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "verification_method": "link"}}}"#, tenant: identifierFirstOff)),
        RuleExplanation(
            id: "identifier-first-passkey",
            checks: "Passkeys need the tenant's Identifier First (`--tenant`; a warning without it).",
            why: "Auth0 offers passkeys only in the Identifier First login flow.",
            failing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"passkey": {"enabled": true}}}"#,
                tenant: identifierFirstOff),
            passing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"passkey": {"enabled": false}}}"#,
                tenant: identifierFirstOff)),
        RuleExplanation(
            id: "identifier-first-otp",
            checks: "Email or phone OTP needs the tenant's Identifier First (`--tenant`; a warning without it).",
            why: "Auth0 offers one-time codes on database connections only in the Identifier First login flow.",
            failing: .options(
                #"{"attributes": \#(emailIdentifier), "authentication_methods": {"email_otp": {"enabled": true}}}"#,
                tenant: identifierFirstOff),
            passing: .options(#"{"attributes": \#(emailIdentifier)}"#, tenant: identifierFirstOff)),
        RuleExplanation(
            id: "passkey-legacy-username",
            checks: "Passkeys on a connection without `attributes` do not come with `requires_username: true`.",
            why: "Passkeys need flexible identifiers, or no required username.",
            failing: .options(#"{"requires_username": true, "authentication_methods": {"passkey": {"enabled": true}}}"#),
            passing: .options(#"{"requires_username": false, "authentication_methods": {"passkey": {"enabled": true}}}"#)),
        RuleExplanation(
            id: "username-length-range",
            checks: "`attributes.username.validation.min_length` is not above `max_length`.",
            why: "No username could satisfy both.",
            failing: .options(
                #"{"attributes": {"username": {"identifier": {"active": true}, "validation": {"min_length": 10, "max_length": 5}}}}"#),
            passing: .options(
                #"{"attributes": {"username": {"identifier": {"active": true}, "validation": {"min_length": 1, "max_length": 15}}}}"#)),
        RuleExplanation(
            id: "password-policy-mixed",
            checks:
                "`password_options` is not sent with the legacy policy fields (`passwordPolicy`, `password_complexity_options`, `password_history`, `password_no_personal_info`, `password_dictionary`).",
            why: "The two policy models cannot both be in force; Auth0 refuses the mix.",
            failing: .options(#"{"password_options": {"complexity": {"min_length": 12}}, "passwordPolicy": "good"}"#),
            passing: .options(#"{"password_options": {"complexity": {"min_length": 12}}}"#)),
        RuleExplanation(
            id: "character-type-rule",
            checks: "`character_type_rule: three_of_four` comes with all four `character_types`.",
            why: "Three of four is only meaningful when all four types are required.",
            failing: .options(
                #"{"password_options": {"complexity": {"character_types": ["uppercase", "lowercase"], "character_type_rule": "three_of_four"}}}"#
            ),
            passing: .options(
                #"{"password_options": {"complexity": {"character_types": ["uppercase", "lowercase", "number", "special"], "character_type_rule": "three_of_four"}}}"#
            )),
        RuleExplanation(
            id: "phone-otp-provider",
            checks: "Enabling `phone_otp` reminds that the tenant needs a phone provider (a warning).",
            why: "Without a configured SMS or voice provider the codes are never delivered.",
            failing: .options(
                #"{"attributes": {"phone_number": {"identifier": {"active": true}}}, "authentication_methods": {"phone_otp": {"enabled": true}}}"#
            ),
            passing: .options(#"{"attributes": {"phone_number": {"identifier": {"active": true}}}}"#)),
        RuleExplanation(
            id: "signup-unreachable",
            checks: "Unless `disable_signup` is true, some active identifier is not `signup.status: inactive` (a warning).",
            why: "Sign-up would ask for no identifier, so it could never complete.",
            failing: .options(#"{"attributes": {"email": {"identifier": {"active": true}, "signup": {"status": "inactive"}}}}"#),
            passing: .options(
                #"{"attributes": {"email": {"identifier": {"active": true}, "signup": {"status": "inactive"}}}, "disable_signup": true}"#)),
        RuleExplanation(
            id: "cross-app-access-unsupported",
            checks: "A database connection does not send `cross_app_access_requesting_app`.",
            why: "Cross App Access is not supported for database connections; Auth0 answers `operation_not_supported`.",
            failing: Example(
                #"{"name": "users", "strategy": "auth0", "cross_app_access_requesting_app": {"active": true}}"#),
            passing: Example(#"{"name": "users", "strategy": "auth0"}"#)),
        RuleExplanation(
            id: "non-unique-email-keeps-attributes",
            checks: "An update of a connection whose email attribute is `unique: false` keeps `attributes`.",
            why: "Dropping attributes would make email unique again over users who share an email.",
            failing: .patch(
                options: #"{}"#,
                storedOptions: #"{"attributes": {"email": {"unique": false}, "username": {"identifier": {"active": true}}}}"#),
            passing: .patch(
                options: #"{"attributes": {"email": {"unique": false}, "username": {"identifier": {"active": true}}}}"#,
                storedOptions: #"{"attributes": {"email": {"unique": false}, "username": {"identifier": {"active": true}}}}"#)),
        RuleExplanation(
            id: "script-context-irreversible",
            checks: "An update keeps `enable_script_context: true` once it is on (absent counts as false).",
            why: "Custom scripts written for the script context would break if it were switched off.",
            failing: .patch(options: #"{}"#, storedOptions: #"{"enable_script_context": true}"#),
            passing: .patch(options: #"{"enable_script_context": true}"#, storedOptions: #"{"enable_script_context": true}"#)),
        RuleExplanation(
            id: "configuration-keys-erased",
            checks:
                "An update that replaces `options` keeps the keys of the stored `options.configuration` (a warning; values are never shown).",
            why: "`options` is replaced wholesale, so a configuration left out is erased, secrets and all.",
            failing: .patch(options: #"{}"#, storedOptions: #"{"configuration": {"API_KEY": "secret"}}"#),
            passing: .patch(
                options: #"{"configuration": {"API_KEY": "secret"}}"#, storedOptions: #"{"configuration": {"API_KEY": "secret"}}"#)),
    ]

    /// Findings about the input files themselves, which come before any connection is judged.
    static let inputRules: [RuleExplanation] = [
        RuleExplanation(
            id: DeployCLIReader.yamlSyntaxRule.id,
            checks:
                "A deploy CLI YAML file is one YAML 1.2 document that lint's reader takes: block and flow collections, plain, quoted and block scalars, comments.",
            why:
                "Anchors, aliases, tags and several documents are refused rather than misread, so a finding is never about a value the file does not hold.",
            failing: .file("databases:\n  - &users\n    name: users"),
            passing: .file("databases:\n  - name: users")),
        RuleExplanation(
            id: DeployCLIReader.formatRule.id,
            checks: "tenant.yaml is a mapping; its `databases` and `connections` are lists; `prompts.identifier_first` is true or false.",
            why: "The deploy CLI would refuse the file, or read something else than it seems to say.",
            failing: .file("databases:\n  name: users"),
            passing: .file("databases:\n  - name: users")),
        RuleExplanation(
            id: KeywordReplacement.unresolvedRule.id,
            checks: "Every `@@KEY@@` and `##KEY##` in a deploy CLI file has a mapping (`--keywords`, or AUTH0_KEYWORD_REPLACE_MAPPINGS).",
            why: "The deploy CLI leaves an unmapped keyword in place, and the tenant gets the literal text.",
            failing: .file("databases:\n  - name: users-##ENV##"),
            passing: .file("databases:\n  - name: users-##ENV##\n# with --keywords mappings.json holding {\"ENV\": \"prod\"}")),
        RuleExplanation(
            id: TerraformPlanReader.unknownRule.id,
            checks: "A resource whose configuration sets values that Terraform knows only at apply (one warning per resource).",
            why: "Those values are judged as absent, so a rule they would break cannot be seen until apply.",
            failing: .file(#"options { attributes { email { unique = random_string.x.result != "" } } }"#),
            passing: .file("options { attributes { email { unique = true } } }")),
    ]
}
