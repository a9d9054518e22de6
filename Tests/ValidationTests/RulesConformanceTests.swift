import Testing

@testable import Validation

/// The rules against Auth0's recorded answers (`conformance/recordings.json`, strategy `auth0`).
/// Each effective connection is built by hand from the recorded request, with the API.md
/// defaults applied, so these tests need neither the judge nor the recordings file.
@Suite("Rules against recorded Auth0 answers")
struct RulesConformanceTests {
    /// The recording tenants had Identifier First on (conformance README).
    static let recordingTenant = TenantSettings(identifierFirst: true)

    /// API.md POST defaults for options that send none of these keys.
    static let defaults = #"""
        "brute_force_protection":true,"strategy_version":2,"mfa":{"active":true,"return_enroll_settings":true},
        "passwordPolicy":"good",
        "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true},
        "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}
        """#

    struct Rejected: Sendable, CustomTestStringConvertible {
        let scenario: String
        let connection: String
        var stored: String?
        let message: String
        var errorCode = "invalid_body"
        var testDescription: String { scenario }
    }

    static let rejected: [Rejected] = [
        Rejected(
            scenario: "terraform TestAccConnectionAddEmailAttributeNonUnique #5 PATCH",
            connection: #"""
                {"name":"Acceptance-Test-Connection-TestAccConnectionAddEmailAttributeNonUnique","strategy":"auth0",
                 "options":{"brute_force_protection":true,
                   "attributes":{"email":{"identifier":{"active":false},"profile_required":true,
                       "signup":{"status":"required","verification":{"active":false}},"verification_method":"link","unique":false},
                     "username":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"required"},
                       "validation":{"min_length":3,"max_length":20,"allowed_types":{"email":false,"phone_number":false}}}},
                   "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}},
                   "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}}}
                """#,
            stored: #"""
                {"id":"con_uIrULNiUbnVc6YQK","name":"Acceptance-Test-Connection-TestAccConnectionAddEmailAttributeNonUnique",
                 "strategy":"auth0","options":{"mfa":{"active":true,"return_enroll_settings":true},"brute_force_protection":true,
                   "password_options":{"complexity":{"character_type_rule":"all","identical_characters":"allow",
                     "sequential_characters":"allow","max_length_exceeded":"error","min_length":15,"character_types":[]}},
                   "strategy_version":2,
                   "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}},
                   "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}}}
                """#,
            message: "cannot add non-unique email attribute"),
        Rejected(
            scenario: "terraform TestAccConnectionCrossAppAccessRequestingAppNegative #0 POST",
            connection: #"""
                {"name":"Acceptance-Test-XAA-Negative-TestAccConnectionCrossAppAccessRequestingAppNegative","strategy":"auth0",
                 "cross_app_access_requesting_app":{"active":true},"options":{\#(defaults)}}
                """#,
            message: "Cross App Access Requesting App is not supported for this connection.",
            errorCode: "operation_not_supported"),
        Rejected(
            scenario: "go-auth0 attribute required in profile but inactive on signup #0 POST",
            connection: #"""
                {"name":"Test-Auth0-Connection-Attribute-Inactive-On-Signup-1777519532","strategy":"auth0",
                 "options":{"precedence":["username","email","phone_number"],
                   "attributes":{"phone_number":{"identifier":{"active":true},"profile_required":true,
                     "signup":{"status":"inactive","verification":{"active":false}}}},\#(defaults)}}
                """#,
            message: "attribute phone_number must also be required on signup"),
        Rejected(
            scenario: "go-auth0 requires_username and attributes together #0 POST",
            connection: #"""
                {"name":"Test-Auth0-Connection-Invalid-1777519532","strategy":"auth0",
                 "options":{"requires_username":true,"precedence":["username","email","phone_number"],
                   "attributes":{"email":{"identifier":{"active":true},"profile_required":true,
                     "signup":{"status":"required","verification":{"active":false}},"unique":true,"verification_method":"link"}},
                   \#(defaults)}}
                """#,
            message: "Cannot set both options.attributes and options.requires_username"),
        Rejected(
            scenario: "go-auth0 validation and attributes together #0 POST",
            connection: #"""
                {"name":"Test-Auth0-Connection-Attributes-And-Validation-1777519532","strategy":"auth0",
                 "options":{"validation":{"username":{"max":5,"min":1}},"precedence":["username","email","phone_number"],
                   "attributes":{"email":{"identifier":{"active":true},"profile_required":true,
                       "signup":{"status":"required","verification":{"active":false}},"unique":true,"verification_method":"link"},
                     "username":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"required"}}},
                   \#(defaults)}}
                """#,
            message: "Cannot set both options.attributes and options.validation"),
        Rejected(
            scenario: "go-auth0 no attribute is active #0 POST",
            connection: #"""
                {"name":"Test-Auth0-Connection-No-Active-Attributes-1777519532","strategy":"auth0",
                 "options":{"precedence":["username","email","phone_number"],
                   "attributes":{"email":{"identifier":{"active":false},"profile_required":true,
                       "signup":{"status":"required","verification":{"active":false}},"unique":true,"verification_method":"link"},
                     "username":{"identifier":{"active":false},"profile_required":true,"signup":{"status":"required"}},
                     "phone_number":{"identifier":{"active":false},"profile_required":true,
                       "signup":{"status":"required","verification":{"active":false}}}},
                   \#(defaults)}}
                """#,
            message: "attributes must contain one active identifier"),
    ]

    @Test("a rejected request's recorded message is the first error", arguments: rejected)
    func rejectedRequest(_ recorded: Rejected) throws {
        for tenant in [Self.recordingTenant, .fresh, .unknown] {
            let context = RuleContext(
                connection: try ruleTestObject(recorded.connection),
                stored: try recorded.stored.map { try ruleTestObject($0) },
                tenant: tenant)
            let judgement = Judgement(violations: RuleSet.evaluate(context), connection: context.connection)
            let first = try #require(judgement.firstError)
            #expect(first.message == recorded.message)
            #expect(first.errorCode == recorded.errorCode)
        }
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        let scenario: String
        let options: String
        var stored: String?
        var testDescription: String { scenario }
    }

    /// Effective connections of requests Auth0 accepted, covering the option families the
    /// recordings exercise. They must break no rule (warnings are allowed).
    static let accepted: [Accepted] = [
        Accepted(
            scenario: "terraform TestAccConnection #0 POST: every legacy option",
            options: #"""
                {"mfa":{"active":true,"return_enroll_settings":true},"validation":{"username":{"max":40,"min":10}},
                 "passwordPolicy":"fair","password_history":{"enable":true,"size":5},"password_no_personal_info":{"enable":true},
                 "password_dictionary":{"dictionary":["1234","admin","password"],"enable":true},
                 "password_complexity_options":{"min_length":6},"enabledDatabaseCustomization":false,
                 "brute_force_protection":true,"import_mode":false,"disable_signup":false,"requires_username":true,
                 "customScripts":{"get_user":"myFunction"},"configuration":{"foo":"bar"},"strategy_version":2,
                 "non_persistent_attrs":["gender","hair_color"],"upstream_params":{"screen_name":{"alias":"login_hint"}},
                 "disable_self_service_change_password":false,
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},
                   "passkey":{"enabled":false},"email_otp":{"enabled":false},"phone_otp":{"enabled":false}},
                 "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}}
                """#),
        Accepted(
            scenario: "terraform TestAccConnectionOptionsAttrPhoneNumber #0 POST: both OTP methods beside password",
            options: #"""
                {"brute_force_protection":true,"requires_username":false,
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},
                   "passkey":{"enabled":false},"email_otp":{"enabled":true},"phone_otp":{"enabled":true}},
                 "precedence":["username","email","phone_number"],
                 "attributes":{"phone_number":{"identifier":{"active":true,"default_method":"password"},"profile_required":true,
                   "signup":{"status":"required","verification":{"active":false}}}},
                 \#(passwordPolicyAndFriends)}
                """#),
        Accepted(
            scenario: "terraform TestAccConnectionOptionsAttrUserName #0 POST: username identifier",
            options: #"""
                {"brute_force_protection":true,"requires_username":false,
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},
                   "passkey":{"enabled":false},"email_otp":{"enabled":true},"phone_otp":{"enabled":true}},
                 "precedence":["username","email","phone_number"],
                 "attributes":{"username":{"identifier":{"active":true,"default_method":"password"},"profile_required":true,
                   "signup":{"status":"required"},"validation":{"min_length":1,"max_length":3,"allowed_types":{"email":true,"phone_number":false}}}},
                 \#(passwordPolicyAndFriends)}
                """#),
        Accepted(
            scenario: "terraform TestAccConnectionAddEmailAttributeUnique #5 PATCH: adds a unique email",
            options: #"""
                {"brute_force_protection":true,
                 "attributes":{"email":{"identifier":{"active":false},"profile_required":true,
                     "signup":{"status":"required","verification":{"active":false}},"verification_method":"link","unique":true},
                   "username":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"required"},
                     "validation":{"min_length":3,"max_length":20,"allowed_types":{"email":false,"phone_number":false}}}},
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}},
                 "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}}
                """#,
            stored: #"""
                {"brute_force_protection":true,"strategy_version":2,
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}}
                """#),
        Accepted(
            scenario: "go-auth0 PasswordOptions complexity #0 POST: three_of_four with all four types",
            options: #"""
                {"password_options":{"complexity":{"min_length":12,"character_types":["uppercase","lowercase","number","special"],
                   "character_type_rule":"three_of_four","identical_characters":"block","sequential_characters":"block",
                   "max_length_exceeded":"error"},
                   "dictionary":{"active":false,"custom":[],"default":"en_100k"},"history":{"active":false,"size":3},
                   "profile_data":{"active":false,"blocked_fields":["name","username"]}},
                 "brute_force_protection":true,"strategy_version":2,"mfa":{"active":true,"return_enroll_settings":true},
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}}
                """#),
        Accepted(
            scenario: "deploy-cli should-deploy #3 POST: legacy policy, no password_options sent",
            options: #"""
                {"mfa":{"active":true,"return_enroll_settings":true},"import_mode":false,"disable_signup":false,
                 "passwordPolicy":"low","password_history":{"size":5,"enable":false},"strategy_version":2,
                 "requires_username":true,"password_dictionary":{"enable":true,"dictionary":[]},
                 "brute_force_protection":true,"password_no_personal_info":{"enable":true},
                 "password_complexity_options":{"min_length":8},"enabledDatabaseCustomization":true,
                 "disable_self_service_change_password":false,
                 "authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}},
                 "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}}
                """#),
        Accepted(
            scenario: "terraform TestAccOrganization #0 POST: stored without authentication_methods",
            options: #"""
                {"mfa":{"active":true,"return_enroll_settings":true},"passwordPolicy":"good","strategy_version":2,
                "brute_force_protection":true}
                """#),
    ]

    static let passwordPolicyAndFriends = #"""
        "mfa":{"active":true,"return_enroll_settings":true},"passwordPolicy":"good","strategy_version":2,
        "passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true}
        """#

    @Test("an accepted request breaks no rule", arguments: accepted)
    func acceptedRequest(_ recorded: Accepted) throws {
        let context = try ruleTestContext(options: recorded.options, stored: recorded.stored, tenant: Self.recordingTenant)
        let errors = RuleSet.evaluate(context).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.rule))")
    }
}
