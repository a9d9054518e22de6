import Testing

@testable import Validation

/// `RuleSet.evaluate` as a whole: order, severities, tenant-dependent rules, PATCH context.
@Suite("Rule set")
struct RulesSetTests {
    /// What the judge stores for `{"name":"conn","strategy":"auth0"}` (API.md POST defaults).
    static let createDefaults = #"""
        {"brute_force_protection":true,"strategy_version":2,"mfa":{"active":true,"return_enroll_settings":true},
         "passwordPolicy":"good",
         "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true},
         "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}}
        """#

    /// Email-only passwordless sign-in, every rule satisfied on an Identifier First tenant.
    static let passwordlessEmail = #"""
        {"attributes":{"email":{"identifier":{"active":true,"default_method":"email_otp"},"unique":true,
           "verification_method":"otp","profile_required":true,"signup":{"status":"required","verification":{"active":true}}}},
         "authentication_methods":{"password":{"enabled":false,"api_behavior":"optional","signup_behavior":"block"},
           "passkey":{"enabled":true},"email_otp":{"enabled":true},"phone_otp":{"enabled":false}},
         "disable_self_service_change_password":true,"brute_force_protection":true}
        """#

    @Test("the rules, in RULES.md order")
    func ids() {
        #expect(
            RuleSet.auth0.map(\.id) == [
                "attributes-requires-username", "attributes-legacy-validation", "attributes-active-identifier",
                "attribute-required-on-signup", "attribute-optional-on-signup", "email-unique-added",
                "email-unique-immutable", "email-non-unique-identifier", "otp-requires-attributes",
                "password-disable-requires-otp", "passkey-requires-alternative", "username-requires-password",
                "otp-signup-verification", "email-otp-verification-method", "password-disabled-api-behavior",
                "password-disabled-signup-behavior", "signup-block-api-behavior", "password-disabled-self-service",
                "default-method-enabled", "default-method-inactive-identifier", "login-reachable",
                "otp-method-unreachable", "identifier-first-email-verification", "identifier-first-passkey",
                "identifier-first-otp", "passkey-legacy-username", "username-length-range", "password-policy-mixed",
                "character-type-rule", "phone-otp-provider", "signup-unreachable", "cross-app-access-unsupported",
                "non-unique-email-keeps-attributes", "script-context-irreversible", "configuration-keys-erased",
            ])
        let warnings = RuleSet.auth0.filter { $0.severity == .warning }.map(\.id)
        #expect(
            warnings == [
                "attribute-optional-on-signup", "default-method-inactive-identifier", "otp-method-unreachable",
                "phone-otp-provider", "signup-unreachable", "configuration-keys-erased",
            ])
        #expect(RuleSet.auth0.allSatisfy { !$0.summary.isEmpty })
    }

    @Test("a connection created with every default breaks no rule")
    func createDefaultsAreValid() throws {
        for tenant in [TenantSettings.fresh, .unknown, TenantSettings(identifierFirst: true)] {
            #expect(RuleSet.evaluate(try ruleTestContext(options: Self.createDefaults, tenant: tenant)).isEmpty)
        }
    }

    @Test("passwordless email with passkey is valid on an Identifier First tenant")
    func passwordlessIsValidWithIdentifierFirst() throws {
        let context = try ruleTestContext(options: Self.passwordlessEmail, tenant: TenantSettings(identifierFirst: true))
        #expect(RuleSet.evaluate(context).isEmpty)
    }

    @Test("tenant-dependent rules: errors without Identifier First, warnings when unknown, nothing with it")
    func tenantDependentRules() throws {
        let expectedRules = [
            "identifier-first-email-verification", "identifier-first-passkey", "identifier-first-otp",
        ]
        let expectedPointers = [
            "/options/attributes/email/verification_method", "/options/authentication_methods/passkey/enabled",
            "/options/authentication_methods/email_otp/enabled",
        ]

        let fresh = RuleSet.evaluate(try ruleTestContext(options: Self.passwordlessEmail, tenant: .fresh))
        #expect(fresh.map(\.rule) == expectedRules)
        #expect(fresh.map(\.path.jsonPointer) == expectedPointers)
        #expect(fresh.allSatisfy { $0.severity == .error })
        #expect(fresh.first?.message == "Email verification using otp is only compatible with Identifier First.")

        let unknown = RuleSet.evaluate(try ruleTestContext(options: Self.passwordlessEmail, tenant: .unknown))
        #expect(unknown.map(\.rule) == expectedRules)
        #expect(unknown.map(\.path.jsonPointer) == expectedPointers)
        #expect(unknown.allSatisfy { $0.severity == .warning })
        #expect(Judgement(violations: unknown, connection: nil).isValid)
    }

    @Test("violations are sorted by rule order, then attribute order, whatever the document order")
    func ordering() throws {
        let options = #"""
            {"requires_username":true,"validation":{"username":{"min":1,"max":5}},
             "attributes":{
               "username":{"identifier":{"active":false,"default_method":"password"},"profile_required":true,"signup":{"status":"inactive"}},
               "phone_number":{"identifier":{"active":false},"profile_required":true,"signup":{"status":"optional"}},
               "email":{"identifier":{"active":false},"unique":true,"verification_method":"link","profile_required":true,"signup":{"status":"inactive"}}},
             "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},
               "passkey":{"enabled":false},"email_otp":{"enabled":false},"phone_otp":{"enabled":true}}}
            """#
        let context = try ruleTestContext(options: options, tenant: .fresh)
        let violations = RuleSet.evaluate(context)
        let found = violations.map { "\($0.rule) \($0.severity.rawValue) \($0.path.jsonPointer)" }
        #expect(
            found == [
                "attributes-requires-username error /options/requires_username",
                "attributes-legacy-validation error /options/validation",
                "attributes-active-identifier error /options/attributes",
                "attribute-required-on-signup error /options/attributes/email/signup/status",
                "attribute-required-on-signup error /options/attributes/username/signup/status",
                "attribute-optional-on-signup warning /options/attributes/phone_number/signup/status",
                "default-method-inactive-identifier warning /options/attributes/username/identifier/default_method",
                "otp-method-unreachable warning /options/authentication_methods/phone_otp/enabled",
                "identifier-first-otp error /options/authentication_methods/phone_otp/enabled",
                "phone-otp-provider warning /options/authentication_methods/phone_otp/enabled",
            ])
        let judgement = Judgement(violations: violations, connection: context.connection)
        #expect(judgement.firstError?.message == "Cannot set both options.attributes and options.requires_username")
        #expect(judgement.firstError?.errorCode == "invalid_body")

        // Each rule's own `check` (which builds its view) agrees with `evaluate`'s shared view.
        let oneByOne = RuleSet.auth0.flatMap { $0.check(context) }
        #expect(oneByOne == violations)
    }

    @Test("a warning ahead of an error does not become the message")
    func firstErrorSkipsWarnings() throws {
        let options = #"""
            {"attributes":{"email":{"identifier":{"active":true},"unique":true,"verification_method":"link",
               "profile_required":true,"signup":{"status":"optional"}}},
             "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"block"}}}
            """#
        let violations = RuleSet.evaluate(try ruleTestContext(options: options))
        #expect(violations.map(\.rule) == ["attribute-optional-on-signup", "signup-block-api-behavior"])
        let first = try #require(Judgement(violations: violations, connection: nil).firstError)
        #expect(first.rule == "signup-block-api-behavior")
    }

    @Test("rule 32 answers operation_not_supported, every other rule invalid_body")
    func errorCodes() throws {
        let context = try ruleTestContext(
            options: #"{"requires_username":true,"attributes":{"username":{"identifier":{"active":true}}}}"#,
            topLevel: #""cross_app_access_requesting_app":{"active":true}"#)
        let violations = RuleSet.evaluate(context)
        #expect(violations.map(\.rule) == ["attributes-requires-username", "cross-app-access-unsupported"])
        #expect(violations.map(\.errorCode) == ["invalid_body", "operation_not_supported"])
    }

    @Test("PATCH-only rules 6 and 7 need the stored connection")
    func patchRules() throws {
        let nonUnique = #"""
            {"attributes":{"email":{"identifier":{"active":false},"unique":false,"verification_method":"link"},
               "username":{"identifier":{"active":true}}},
             "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}}
            """#
        let storedWithUniqueEmail = #"{"attributes":{"email":{"identifier":{"active":true},"unique":true}}}"#

        // Creating a non-unique email that is not an identifier is allowed.
        #expect(RuleSet.evaluate(try ruleTestContext(options: nonUnique)).isEmpty)

        let added = RuleSet.evaluate(try ruleTestContext(options: nonUnique, stored: Self.createDefaults))
        #expect(added.map(\.rule) == ["email-unique-added"])
        #expect(added.first?.message == "cannot add non-unique email attribute")

        let changed = RuleSet.evaluate(try ruleTestContext(options: nonUnique, stored: storedWithUniqueEmail))
        #expect(changed.map(\.rule) == ["email-unique-immutable"])
        #expect(changed.first?.path.jsonPointer == "/options/attributes/email/unique")
        #expect(changed.first?.message == "cannot patch unique property on email attribute")

        let kept = RuleSet.evaluate(try ruleTestContext(options: nonUnique, stored: nonUnique))
        #expect(kept.isEmpty)
    }

    @Test("messages of our own name the field and the fix in one sentence")
    func ownMessagesNameTheFix() throws {
        // Rules whose message is Auth0's verbatim text (RULES.md, quoted messages).
        let auth0Worded: Set<String> = [
            "attributes-requires-username", "attributes-legacy-validation", "attributes-active-identifier",
            "attribute-required-on-signup", "email-unique-added", "email-unique-immutable",
            "identifier-first-email-verification", "identifier-first-passkey", "identifier-first-otp",
            "cross-app-access-unsupported",
        ]
        var checked = Set<String>()
        for testCase in RulesTableTests.allCases where !testCase.isPassingCase && !auth0Worded.contains(testCase.rule) {
            let context = try ruleTestContext(
                options: testCase.options, stored: testCase.stored, tenant: testCase.tenant,
                strategy: testCase.strategy, topLevel: testCase.topLevel)
            for violation in try ruleNamed(testCase.rule).check(context) {
                checked.insert(violation.rule)
                #expect(violation.message.hasPrefix("options."), "\(violation.rule): \(violation.message)")
                #expect(violation.message.contains(": "), "\(violation.rule) names no fix: \(violation.message)")
                #expect(!violation.message.hasSuffix("."), "\(violation.rule): \(violation.message)")
            }
        }
        #expect(checked.count == RuleSet.auth0.count - auth0Worded.count)
    }
}
