import Testing

@testable import Validation

/// RULES.md "Every rule needs a passing and a failing test": one table per family of rules,
/// each case judged by its rule alone (`testRule`).
@Suite("Rules table")
struct RulesTableTests {
    /// Password enabled (the create default, with the OTP methods written out).
    static let password = effectiveMethods()
    /// Password disabled, email_otp enabled.
    static let emailOTPOnly = effectiveMethods(password: false, emailOTP: true)
    /// An email identifier ready for passwordless sign-in.
    static let passwordlessEmail = effectiveEmail(
        verification: "otp", verifyOnSignup: true, extraIdentifier: #","default_method":"email_otp""#)

    static let attributeCases: [RuleCase] = [
        // 1
        RuleCase(
            "attributes-requires-username", "requires_username false is fine",
            options: #"{"requires_username":false,"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "attributes-requires-username", "requires_username null counts as absent",
            options: #"{"requires_username":null,"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "attributes-requires-username", "legacy requires_username without attributes",
            options: #"{"requires_username":true,\#(password)}"#, expect: []),
        RuleCase(
            "attributes-requires-username", "both",
            options: #"{"requires_username":true,"attributes":{\#(effectiveEmail())},\#(password)}"#,
            expect: [.error("/options/requires_username")],
            message: "Cannot set both options.attributes and options.requires_username"),
        // 2
        RuleCase(
            "attributes-legacy-validation", "validation null counts as absent",
            options: #"{"validation":null,"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "attributes-legacy-validation", "legacy validation without attributes",
            options: #"{"validation":{"username":{"min":1,"max":5}},\#(password)}"#, expect: []),
        RuleCase(
            "attributes-legacy-validation", "both",
            options: #"{"validation":{"username":{"min":1,"max":5}},"attributes":{\#(effectiveEmail())},\#(password)}"#,
            expect: [.error("/options/validation")],
            message: "Cannot set both options.attributes and options.validation"),
        // 3
        RuleCase(
            "attributes-active-identifier", "email active",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "attributes-active-identifier", "no attributes at all",
            options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "attributes-active-identifier", "every identifier inactive",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false)),"username":{"identifier":{"active":false}},"phone_number":{"identifier":{"active":false}}},
                \#(password)}
                """#,
            expect: [.error("/options/attributes")], message: "attributes must contain one active identifier"),
        RuleCase(
            "attributes-active-identifier", "absent identifier.active counts as false",
            options: #"{"attributes":{"username":{"profile_required":true}},\#(password)}"#,
            expect: [.error("/options/attributes")]),
        // 4
        RuleCase(
            "attribute-required-on-signup", "required in profile and on sign-up",
            options: #"""
                {"attributes":{"phone_number":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"required"}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "attribute-required-on-signup", "inactive on sign-up but not required in the profile",
            options: #"""
                {"attributes":{"phone_number":{"identifier":{"active":true},"profile_required":false,"signup":{"status":"inactive"}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "attribute-required-on-signup", "absent signup.status counts as required",
            options: #"{"attributes":{"username":{"identifier":{"active":true},"profile_required":true}},\#(password)}"#,
            expect: []),
        RuleCase(
            "attribute-required-on-signup", "phone_number inactive on sign-up",
            options: #"""
                {"attributes":{"phone_number":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"inactive",
                "verification":{"active":false}}}},\#(password)}
                """#,
            expect: [.error("/options/attributes/phone_number/signup/status")],
            message: "attribute phone_number must also be required on signup"),
        RuleCase(
            "attribute-required-on-signup", "two attributes, reported in attribute order not document order",
            options: #"""
                {"attributes":{"username":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"inactive"}},
                \#(effectiveEmail(status: "inactive"))},\#(password)}
                """#,
            expect: [
                .error("/options/attributes/email/signup/status"), .error("/options/attributes/username/signup/status"),
            ],
            message: "attribute email must also be required on signup"),
        // 5
        RuleCase(
            "attribute-optional-on-signup", "required on sign-up",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "attribute-optional-on-signup", "optional on sign-up but not required in the profile",
            options: #"""
                {"attributes":{\#(effectiveEmail()),"username":{"identifier":{"active":false},"profile_required":false,
                "signup":{"status":"optional"}}},\#(password)}
                """#,
            expect: []),
        RuleCase(
            "attribute-optional-on-signup", "email optional on sign-up",
            options: #"{"attributes":{\#(effectiveEmail(status: "optional"))},\#(password)}"#,
            expect: [.warning("/options/attributes/email/signup/status")]),
    ]

    static let emailUniquenessCases: [RuleCase] = [
        // 6
        RuleCase(
            "email-unique-added", "a create may add a non-unique email",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "email-unique-added", "a PATCH adds a unique email",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, stored: #"{\#(password)}"#, expect: []),
        RuleCase(
            "email-unique-added", "a PATCH keeps a stored non-unique email",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            stored: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "email-unique-added", "a PATCH adds attributes with a non-unique email",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            stored: #"{\#(password)}"#,
            expect: [.error("/options/attributes/email/unique")], message: "cannot add non-unique email attribute"),
        RuleCase(
            "email-unique-added", "a PATCH adds a non-unique email beside a stored username",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            stored: #"{"attributes":{"username":{"identifier":{"active":true}}},\#(password)}"#,
            expect: [.error("/options/attributes/email/unique")]),
        // 7
        RuleCase(
            "email-unique-immutable", "a create has nothing to compare with",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "email-unique-immutable", "unchanged",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#,
            stored: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "email-unique-immutable", "stored unique absent counts as true",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#,
            stored: #"{"attributes":{"email":{"identifier":{"active":true}}},\#(password)}"#, expect: []),
        RuleCase(
            "email-unique-immutable", "the PATCH drops the email attribute",
            options: #"{"attributes":{"username":{"identifier":{"active":true}}},\#(password)}"#,
            stored: #"{"attributes":{\#(effectiveEmail(unique: false))},\#(password)}"#, expect: []),
        RuleCase(
            "email-unique-immutable", "true to false",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            stored: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#,
            expect: [.error("/options/attributes/email/unique")],
            message: "cannot patch unique property on email attribute"),
        RuleCase(
            "email-unique-immutable", "false to true",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#,
            stored: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            expect: [.error("/options/attributes/email/unique")]),
        RuleCase(
            "email-unique-immutable", "stored absent (true) to false",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            stored: #"{"attributes":{"email":{"identifier":{"active":true}}},\#(password)}"#,
            expect: [.error("/options/attributes/email/unique")]),
        // 8
        RuleCase(
            "email-non-unique-identifier", "non-unique email that is not an identifier",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "email-non-unique-identifier", "unique active email",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "email-non-unique-identifier", "non-unique active email",
            options: #"{"attributes":{\#(effectiveEmail(unique: false))},\#(password)}"#,
            expect: [.error("/options/attributes/email/identifier/active")]),
    ]

    static let passwordlessCases: [RuleCase] = [
        // 9
        RuleCase("otp-requires-attributes", "password only, no attributes", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "otp-requires-attributes", "no authentication_methods at all: a legacy password connection",
            options: #"{"brute_force_protection":true}"#, expect: []),
        RuleCase(
            "otp-requires-attributes", "email_otp with attributes",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "otp-requires-attributes", "email_otp without attributes",
            options: #"{\#(effectiveMethods(emailOTP: true))}"#, expect: [.error("/options/attributes")]),
        RuleCase(
            "otp-requires-attributes", "password disabled without attributes",
            options: #"{\#(effectiveMethods(password: false, passkey: true))}"#, expect: [.error("/options/attributes")]),
        // 10
        RuleCase("password-disable-requires-otp", "password enabled", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "password-disable-requires-otp", "password disabled, email_otp enabled",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "password-disable-requires-otp", "password disabled, passkey only",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(effectiveMethods(password: false, passkey: true))}"#,
            expect: [.error("/options/authentication_methods/password/enabled")]),
        RuleCase(
            "password-disable-requires-otp", "authentication_methods without password: absent enabled counts as false",
            options: #"{"attributes":{\#(effectiveEmail())},"authentication_methods":{"passkey":{"enabled":false}}}"#,
            expect: [.error("/options/authentication_methods/password/enabled")]),
        // 11
        RuleCase(
            "passkey-requires-alternative", "passkey with password",
            options: #"{\#(effectiveMethods(passkey: true))}"#, expect: []),
        RuleCase(
            "passkey-requires-alternative", "passkey with phone_otp",
            options: #"{\#(effectiveMethods(password: false, passkey: true, phoneOTP: true))}"#, expect: []),
        RuleCase(
            "passkey-requires-alternative", "passkey alone",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(effectiveMethods(password: false, passkey: true))}"#,
            expect: [.error("/options/authentication_methods/passkey/enabled")]),
        // 12
        RuleCase(
            "username-requires-password", "username identifier with password",
            options: #"{"attributes":{"username":{"identifier":{"active":true}}},\#(password)}"#, expect: []),
        RuleCase(
            "username-requires-password", "inactive username identifier without password",
            options: #"{"attributes":{\#(passwordlessEmail),"username":{"identifier":{"active":false}}},\#(emailOTPOnly)}"#,
            expect: []),
        RuleCase(
            "username-requires-password", "username identifier without password",
            options: #"{"attributes":{\#(passwordlessEmail),"username":{"identifier":{"active":true}}},\#(emailOTPOnly)}"#,
            expect: [.error("/options/attributes/username/identifier/active")]),
        // 13
        RuleCase(
            "otp-signup-verification", "password enabled needs no OTP verification",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "otp-signup-verification", "passwordless email verified on sign-up",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "otp-signup-verification", "phone_number inactive on sign-up",
            options: #"""
                {"attributes":{\#(passwordlessEmail),"phone_number":{"identifier":{"active":true},"signup":{"status":"inactive",
                "verification":{"active":false}}}},\#(effectiveMethods(password: false, emailOTP: true, phoneOTP: true))}
                """#,
            expect: []),
        RuleCase(
            "otp-signup-verification", "email not an identifier",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false)),"phone_number":{"identifier":{"active":true},
                "signup":{"status":"required","verification":{"active":true}}}},\#(effectiveMethods(password: false, phoneOTP: true))}
                """#,
            expect: []),
        RuleCase(
            "otp-signup-verification", "email not verified on sign-up",
            options: #"{"attributes":{\#(effectiveEmail(verification: "otp"))},\#(emailOTPOnly)}"#,
            expect: [.error("/options/attributes/email/signup/verification/active")]),
        RuleCase(
            "otp-signup-verification", "absent signup counts as required and unverified",
            options: #"""
                {"attributes":{"phone_number":{"identifier":{"active":true}}},\#(effectiveMethods(password: false, phoneOTP: true))}
                """#,
            expect: [.error("/options/attributes/phone_number/signup/verification/active")]),
        RuleCase(
            "otp-signup-verification", "both, in attribute order",
            options: #"""
                {"attributes":{"phone_number":{"identifier":{"active":true},"signup":{"status":"optional"}},\#(effectiveEmail(verification: "otp"))},
                \#(effectiveMethods(password: false, emailOTP: true, phoneOTP: true))}
                """#,
            expect: [
                .error("/options/attributes/email/signup/verification/active"),
                .error("/options/attributes/phone_number/signup/verification/active"),
            ]),
        // 14
        RuleCase(
            "email-otp-verification-method", "passwordless email verified by otp",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "email-otp-verification-method", "link with password",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "email-otp-verification-method", "link on an email that is not an identifier",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false)),"phone_number":{"identifier":{"active":true}}},
                \#(effectiveMethods(password: false, phoneOTP: true))}
                """#,
            expect: []),
        RuleCase(
            "email-otp-verification-method", "link without password",
            options: #"{"attributes":{\#(effectiveEmail(verifyOnSignup: true))},\#(emailOTPOnly)}"#,
            expect: [.error("/options/attributes/email/verification_method")]),
        RuleCase(
            "email-otp-verification-method", "absent verification_method counts as link",
            options: #"{"attributes":{"email":{"identifier":{"active":true},"signup":{"verification":{"active":true}}}},\#(emailOTPOnly)}"#,
            expect: [.error("/options/attributes/email/verification_method")]),
    ]

    static let passwordBehaviorCases: [RuleCase] = [
        // 15
        RuleCase(
            "password-disabled-api-behavior", "disabled with optional",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase("password-disabled-api-behavior", "enabled with required", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "password-disabled-api-behavior", "disabled with required",
            options: #"""
                {"attributes":{\#(passwordlessEmail)},"authentication_methods":{"password":{"enabled":false,"api_behavior":"required",
                "signup_behavior":"block"},"email_otp":{"enabled":true}}}
                """#,
            expect: [.error("/options/authentication_methods/password/api_behavior")]),
        // 16
        RuleCase(
            "password-disabled-signup-behavior", "disabled with block",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase("password-disabled-signup-behavior", "enabled with allow", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "password-disabled-signup-behavior", "disabled with allow",
            options: #"""
                {"attributes":{\#(passwordlessEmail)},"authentication_methods":{"password":{"enabled":false,"api_behavior":"optional",
                "signup_behavior":"allow"},"email_otp":{"enabled":true}}}
                """#,
            expect: [.error("/options/authentication_methods/password/signup_behavior")]),
        // 17
        RuleCase(
            "signup-block-api-behavior", "block with optional",
            options: #"{"authentication_methods":{"password":{"enabled":true,"api_behavior":"optional","signup_behavior":"block"}}}"#,
            expect: []),
        RuleCase("signup-block-api-behavior", "allow with required", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "signup-block-api-behavior", "a disabled password is rule 15's business",
            options: #"""
                {"attributes":{\#(passwordlessEmail)},"authentication_methods":{"password":{"enabled":false,"api_behavior":"required",
                "signup_behavior":"block"},"email_otp":{"enabled":true}}}
                """#,
            expect: []),
        RuleCase(
            "signup-block-api-behavior", "block with required",
            options: #"{"authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"block"}}}"#,
            expect: [.error("/options/authentication_methods/password/api_behavior")]),
        // 18
        RuleCase(
            "password-disabled-self-service", "disabled with self-service off",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "password-disabled-self-service", "enabled with self-service on",
            options: #"{"disable_self_service_change_password":false,\#(password)}"#, expect: []),
        RuleCase(
            "password-disabled-self-service", "disabled with self-service on",
            options: #"""
                {"attributes":{\#(passwordlessEmail)},"disable_self_service_change_password":false,"authentication_methods":{"password":{"enabled":false,
                "api_behavior":"optional","signup_behavior":"block"},"email_otp":{"enabled":true}}}
                """#,
            expect: [.error("/options/disable_self_service_change_password")]),
    ]

    static let identifierCases: [RuleCase] = [
        // 19
        RuleCase(
            "default-method-enabled", "email_otp default with email_otp enabled",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "default-method-enabled", "a default on an inactive identifier is rule 20's business",
            options: #"""
                {"attributes":{\#(effectiveEmail(active: false, extraIdentifier: #","default_method":"email_otp""#)),
                "username":{"identifier":{"active":true}}},\#(password)}
                """#,
            expect: []),
        RuleCase(
            "default-method-enabled", "email_otp default with email_otp disabled",
            options: #"{"attributes":{\#(effectiveEmail(extraIdentifier: #","default_method":"email_otp""#))},\#(password)}"#,
            expect: [.error("/options/attributes/email/identifier/default_method")]),
        RuleCase(
            "default-method-enabled", "password default with password disabled",
            options: #"""
                {"attributes":{\#(passwordlessEmail),"phone_number":{"identifier":{"active":true,"default_method":"password"},
                "signup":{"verification":{"active":true}}}},\#(effectiveMethods(password: false, emailOTP: true, phoneOTP: true))}
                """#,
            expect: [.error("/options/attributes/phone_number/identifier/default_method")]),
        // 20
        RuleCase(
            "default-method-inactive-identifier", "default on an active identifier",
            options: #"{"attributes":{"username":{"identifier":{"active":true,"default_method":"password"}}},\#(password)}"#,
            expect: []),
        RuleCase(
            "default-method-inactive-identifier", "inactive identifier without default",
            options: #"{"attributes":{\#(effectiveEmail()),"username":{"identifier":{"active":false}}},\#(password)}"#,
            expect: []),
        RuleCase(
            "default-method-inactive-identifier", "default on an inactive identifier",
            options: #"""
                {"attributes":{\#(effectiveEmail()),"username":{"identifier":{"active":false,"default_method":"password"}}},
                \#(password)}
                """#,
            expect: [.warning("/options/attributes/username/identifier/default_method")]),
        // 21
        RuleCase(
            "login-reachable", "email with password",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "login-reachable", "email with email_otp",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "login-reachable", "no active identifier is rule 3's business",
            options: #"{"attributes":{\#(effectiveEmail(active: false))},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "login-reachable", "email identifier with only phone_otp",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(effectiveMethods(password: false, phoneOTP: true))}"#,
            expect: [.error("/options/attributes")]),
        RuleCase(
            "login-reachable", "username identifier with only email_otp",
            options: #"{"attributes":{"username":{"identifier":{"active":true}}},\#(emailOTPOnly)}"#,
            expect: [.error("/options/attributes")]),
        // 22
        RuleCase(
            "otp-method-unreachable", "email_otp with an active email",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#, expect: []),
        RuleCase(
            "otp-method-unreachable", "without attributes rule 9 reports it",
            options: #"{\#(effectiveMethods(emailOTP: true))}"#, expect: []),
        RuleCase(
            "otp-method-unreachable", "email_otp with only phone_number active",
            options: #"{"attributes":{"phone_number":{"identifier":{"active":true}}},\#(effectiveMethods(emailOTP: true))}"#,
            expect: [.warning("/options/authentication_methods/email_otp/enabled")]),
        RuleCase(
            "otp-method-unreachable", "both with only username active",
            options: #"{"attributes":{"username":{"identifier":{"active":true}}},\#(effectiveMethods(emailOTP: true, phoneOTP: true))}"#,
            expect: [
                .warning("/options/authentication_methods/email_otp/enabled"),
                .warning("/options/authentication_methods/phone_otp/enabled"),
            ]),
    ]

    static let identifierFirstCases: [RuleCase] = [
        // 23
        RuleCase(
            "identifier-first-email-verification", "otp on an Identifier First tenant",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#,
            tenant: TenantSettings(identifierFirst: true), expect: []),
        RuleCase(
            "identifier-first-email-verification", "link without Identifier First",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "identifier-first-email-verification", "otp without Identifier First",
            options: #"{"attributes":{\#(effectiveEmail(verification: "otp"))},\#(password)}"#,
            expect: [.error("/options/attributes/email/verification_method")],
            message: "Email verification using otp is only compatible with Identifier First."),
        RuleCase(
            "identifier-first-email-verification", "otp with the tenant unknown",
            options: #"{"attributes":{\#(effectiveEmail(verification: "otp"))},\#(password)}"#, tenant: .unknown,
            expect: [.warning("/options/attributes/email/verification_method")]),
        // 24
        RuleCase(
            "identifier-first-passkey", "passkey on an Identifier First tenant",
            options: #"{\#(effectiveMethods(passkey: true))}"#, tenant: TenantSettings(identifierFirst: true),
            expect: []),
        RuleCase(
            "identifier-first-passkey", "no passkey without Identifier First",
            options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "identifier-first-passkey", "passkey without Identifier First",
            options: #"{\#(effectiveMethods(passkey: true))}"#,
            expect: [.error("/options/authentication_methods/passkey/enabled")],
            message: "Passkey authentication is only compatible with Identifier First."),
        RuleCase(
            "identifier-first-passkey", "passkey with the tenant unknown",
            options: #"{\#(effectiveMethods(passkey: true))}"#, tenant: .unknown,
            expect: [.warning("/options/authentication_methods/passkey/enabled")]),
        // 25
        RuleCase(
            "identifier-first-otp", "OTP on an Identifier First tenant",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(effectiveMethods(password: false, emailOTP: true, phoneOTP: true))}"#,
            tenant: TenantSettings(identifierFirst: true), expect: []),
        RuleCase(
            "identifier-first-otp", "no OTP without Identifier First",
            options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "identifier-first-otp", "email_otp without Identifier First",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(emailOTPOnly)}"#,
            expect: [.error("/options/authentication_methods/email_otp/enabled")],
            message: "Email OTP authentication is only compatible with Identifier First."),
        RuleCase(
            "identifier-first-otp", "phone_otp without Identifier First",
            options: #"{"attributes":{"phone_number":{"identifier":{"active":true}}},\#(effectiveMethods(phoneOTP: true))}"#,
            expect: [.error("/options/authentication_methods/phone_otp/enabled")],
            message: "Phone OTP authentication is only compatible with Identifier First."),
        RuleCase(
            "identifier-first-otp", "both with the tenant unknown",
            options: #"{"attributes":{\#(passwordlessEmail)},\#(effectiveMethods(password: false, emailOTP: true, phoneOTP: true))}"#,
            tenant: .unknown,
            expect: [
                .warning("/options/authentication_methods/email_otp/enabled"),
                .warning("/options/authentication_methods/phone_otp/enabled"),
            ]),
    ]

    static let otherCases: [RuleCase] = [
        // 26
        RuleCase(
            "passkey-legacy-username", "passkey without a required username",
            options: #"{"requires_username":false,\#(effectiveMethods(passkey: true))}"#, expect: []),
        RuleCase(
            "passkey-legacy-username", "with attributes it is rule 1's business",
            options: #"{"requires_username":true,"attributes":{\#(effectiveEmail())},\#(effectiveMethods(passkey: true))}"#,
            expect: []),
        RuleCase(
            "passkey-legacy-username", "required username without passkey",
            options: #"{"requires_username":true,\#(password)}"#, expect: []),
        RuleCase(
            "passkey-legacy-username", "passkey with a required legacy username",
            options: #"{"requires_username":true,\#(effectiveMethods(passkey: true))}"#,
            expect: [.error("/options/requires_username")]),
        // 27
        RuleCase(
            "username-length-range", "3 to 20",
            options: #"""
                {"attributes":{"username":{"identifier":{"active":true},"validation":{"min_length":3,"max_length":20}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "username-length-range", "equal bounds",
            options: #"""
                {"attributes":{"username":{"identifier":{"active":true},"validation":{"min_length":5,"max_length":5}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "username-length-range", "only min_length",
            options: #"{"attributes":{"username":{"identifier":{"active":true},"validation":{"min_length":100}}},\#(password)}"#,
            expect: []),
        RuleCase(
            "username-length-range", "min above max",
            options: #"""
                {"attributes":{"username":{"identifier":{"active":true},"validation":{"min_length":21,"max_length":20}}},
                \#(password)}
                """#,
            expect: [.error("/options/attributes/username/validation/min_length")]),
        // 28
        RuleCase(
            "password-policy-mixed", "password_options alone",
            options: #"{"password_options":{"history":{"active":true,"size":3}},\#(password)}"#, expect: []),
        RuleCase(
            "password-policy-mixed", "legacy fields alone",
            options: #"{"passwordPolicy":"fair","password_history":{"enable":true,"size":5},\#(password)}"#,
            expect: []),
        RuleCase(
            "password-policy-mixed", "password_options with passwordPolicy null",
            options: #"{"passwordPolicy":null,"password_options":{"history":{"active":true,"size":3}},\#(password)}"#,
            expect: []),
        RuleCase(
            "password-policy-mixed", "password_options with passwordPolicy",
            options: #"{"passwordPolicy":"good","password_options":{"history":{"active":true,"size":3}},\#(password)}"#,
            expect: [.error("/options/password_options")]),
        RuleCase(
            "password-policy-mixed", "password_options with password_history",
            options: #"{"password_history":{"enable":true,"size":5},"password_options":{"history":{"active":true,"size":3}},\#(password)}"#,
            expect: [.error("/options/password_options")]),
        // 29
        RuleCase(
            "character-type-rule", "three_of_four with all four types",
            options: #"""
                {"password_options":{"complexity":{"character_types":["uppercase","lowercase","number","special"],
                "character_type_rule":"three_of_four"}},\#(password)}
                """#,
            expect: []),
        RuleCase(
            "character-type-rule", "all with two types",
            options: #"""
                {"password_options":{"complexity":{"character_types":["uppercase","number"],"character_type_rule":"all"}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "character-type-rule", "three_of_four with three types",
            options: #"""
                {"password_options":{"complexity":{"character_types":["uppercase","lowercase","number"],"character_type_rule":"three_of_four"}},
                \#(password)}
                """#,
            expect: [.error("/options/password_options/complexity/character_type_rule")]),
        RuleCase(
            "character-type-rule", "three_of_four with the default empty types",
            options: #"""
                {"password_options":{"complexity":{"min_length":15,"character_types":[],"character_type_rule":"three_of_four"}},
                \#(password)}
                """#,
            expect: [.error("/options/password_options/complexity/character_type_rule")]),
        // 30
        RuleCase("phone-otp-provider", "phone_otp disabled", options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "phone-otp-provider", "phone_otp enabled",
            options: #"{"attributes":{"phone_number":{"identifier":{"active":true}}},\#(effectiveMethods(phoneOTP: true))}"#,
            expect: [.warning("/options/authentication_methods/phone_otp/enabled")]),
        // 31
        RuleCase(
            "signup-unreachable", "required on sign-up",
            options: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "signup-unreachable", "inactive but sign-ups disabled",
            options: #"""
                {"disable_signup":true,"attributes":{"username":{"identifier":{"active":true},"signup":{"status":"inactive"}}},
                \#(password)}
                """#,
            expect: []),
        RuleCase(
            "signup-unreachable", "one active identifier still signs up",
            options: #"""
                {"attributes":{\#(effectiveEmail(status: "optional")),"username":{"identifier":{"active":true},
                "signup":{"status":"inactive"}}},\#(password)}
                """#,
            expect: []),
        RuleCase(
            "signup-unreachable", "no active identifier is rule 3's business",
            options: #"{"attributes":{\#(effectiveEmail(active: false, status: "inactive"))},\#(password)}"#,
            expect: []),
        RuleCase(
            "signup-unreachable", "every active identifier inactive on sign-up",
            options: #"""
                {"disable_signup":false,"attributes":{\#(effectiveEmail(status: "inactive")),"username":{"identifier":{"active":true},
                "signup":{"status":"inactive"}}},\#(password)}
                """#,
            expect: [.warning("/options/attributes")]),
        // 32
        RuleCase(
            "cross-app-access-unsupported", "no cross app access", options: #"{\#(password)}"#,
            topLevel: #""cross_app_access_resource_app":{"active":true}"#, expect: []),
        RuleCase(
            "cross-app-access-unsupported", "another strategy",
            options: #"{}"#, topLevel: #""cross_app_access_requesting_app":{"active":true}"#, strategy: "oidc",
            expect: []),
        RuleCase(
            "cross-app-access-unsupported", "requesting app on auth0",
            options: #"{\#(password)}"#, topLevel: #""cross_app_access_requesting_app":{"active":true}"#,
            expect: [.error("/cross_app_access_requesting_app")],
            message: "Cross App Access Requesting App is not supported for this connection."),
    ]

    /// Rules 33–35: a PATCH judged against the stored options.
    static let storedOptionsCases: [RuleCase] = [
        // 33
        RuleCase(
            "non-unique-email-keeps-attributes", "a create without attributes",
            options: #"{\#(password)}"#, expect: []),
        RuleCase(
            "non-unique-email-keeps-attributes", "a PATCH keeps the non-unique email's attributes",
            options:
                #"{"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},\#(password)}"#,
            stored:
                #"{"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},\#(password)}"#,
            expect: []),
        RuleCase(
            "non-unique-email-keeps-attributes", "a PATCH drops the attributes of a unique email",
            options: #"{\#(password)}"#, stored: #"{"attributes":{\#(effectiveEmail())},\#(password)}"#, expect: []),
        RuleCase(
            "non-unique-email-keeps-attributes", "stored unique absent counts as true",
            options: #"{\#(password)}"#, stored: #"{"attributes":{"email":{"identifier":{"active":true}}},\#(password)}"#,
            expect: []),
        RuleCase(
            "non-unique-email-keeps-attributes", "a PATCH drops the attributes of a non-unique email",
            options: #"{\#(password)}"#,
            stored:
                #"{"attributes":{\#(effectiveEmail(active: false, unique: false)),"username":{"identifier":{"active":true}}},\#(password)}"#,
            expect: [.error("/options/attributes")]),
        // 34
        RuleCase(
            "script-context-irreversible", "a create with script context off",
            options: #"{"enable_script_context":false,\#(password)}"#, expect: []),
        RuleCase(
            "script-context-irreversible", "a PATCH turns it on",
            options: #"{"enable_script_context":true,\#(password)}"#, stored: #"{\#(password)}"#, expect: []),
        RuleCase(
            "script-context-irreversible", "a PATCH keeps it on",
            options: #"{"enable_script_context":true,\#(password)}"#, stored: #"{"enable_script_context":true,\#(password)}"#,
            expect: []),
        RuleCase(
            "script-context-irreversible", "a PATCH may leave it off",
            options: #"{\#(password)}"#, stored: #"{"enable_script_context":false,\#(password)}"#, expect: []),
        RuleCase(
            "script-context-irreversible", "a PATCH turns it off",
            options: #"{"enable_script_context":false,\#(password)}"#, stored: #"{"enable_script_context":true,\#(password)}"#,
            expect: [.error("/options/enable_script_context")]),
        RuleCase(
            "script-context-irreversible", "new options without it count as false",
            options: #"{\#(password)}"#, stored: #"{"enable_script_context":true,\#(password)}"#,
            expect: [.error("/options/enable_script_context")]),
        // 35
        RuleCase(
            "configuration-keys-erased", "a create with configuration",
            options: #"{"configuration":{"API_KEY":"k"},\#(password)}"#, expect: []),
        RuleCase(
            "configuration-keys-erased", "a PATCH sends every key again, with new values and one more",
            options: #"{"configuration":{"B":"2","A":"new","C":"3"},\#(password)}"#,
            stored: #"{"configuration":{"A":"1","B":"2"},\#(password)}"#, expect: []),
        RuleCase(
            "configuration-keys-erased", "an empty stored configuration",
            options: #"{\#(password)}"#, stored: #"{"configuration":{},\#(password)}"#, expect: []),
        RuleCase(
            "configuration-keys-erased", "a PATCH leaves one key out",
            options: #"{"configuration":{"A":"1"},\#(password)}"#,
            stored: #"{"configuration":{"A":"1","API_KEY":"secret-value"},\#(password)}"#,
            expect: [.warning("/options/configuration")],
            message: "options.configuration loses API_KEY: options are replaced wholesale, so send this key again to keep it"),
        RuleCase(
            "configuration-keys-erased", "new options without configuration",
            options: #"{\#(password)}"#, stored: #"{"configuration":{"A":"1","B":"2"},\#(password)}"#,
            expect: [.warning("/options/configuration")],
            message: "options.configuration loses A, B: options are replaced wholesale, so send these keys again to keep them"),
    ]

    static let allCases: [RuleCase] =
        attributeCases + emailUniquenessCases + passwordlessCases + passwordBehaviorCases + identifierCases
        + identifierFirstCases + otherCases + storedOptionsCases

    @Test(arguments: attributeCases)
    func attributes(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: emailUniquenessCases)
    func emailUniqueness(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: passwordlessCases)
    func passwordless(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: passwordBehaviorCases)
    func passwordBehavior(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: identifierCases)
    func identifiers(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: identifierFirstCases)
    func identifierFirst(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: otherCases)
    func usernamePolicyAndWarnings(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test(arguments: storedOptionsCases)
    func storedOptions(_ testCase: RuleCase) throws { try testRule(testCase) }

    @Test("every rule has a passing and a failing case")
    func everyRuleIsCoveredBothWays() {
        for rule in RuleSet.auth0 {
            let cases = Self.allCases.filter { $0.rule == rule.id }
            #expect(cases.contains { $0.isPassingCase }, "no passing case for \(rule.id)")
            #expect(cases.contains { !$0.isPassingCase }, "no failing case for \(rule.id)")
        }
        let known = Set(RuleSet.auth0.map(\.id))
        for testCase in Self.allCases {
            #expect(known.contains(testCase.rule), "unknown rule id \(testCase.rule)")
        }
    }

    @Test("failing cases report the rule's declared severity unless the tenant is unknown")
    func severities() throws {
        for testCase in Self.allCases where !testCase.isPassingCase && testCase.tenant != .unknown {
            let rule = try ruleNamed(testCase.rule)
            #expect(testCase.expected.allSatisfy { $0.severity == rule.severity }, "\(testCase.testDescription)")
        }
    }
}
