import JSON
import Testing

@testable import Validation

/// Default filling on create (API.md POST; RULES.md "Typed options").
@Suite("Judge: defaults on create")
struct JudgeDefaultsTests {
    private func create(_ text: String, tenant: TenantSettings = TenantSettings(identifierFirst: true)) -> Judgement {
        ConnectionJudge.judgeCreate(JudgeFixtures.parse(text), tenant: tenant)
    }

    @Test("a bare database connection gets every stored default, in canonical order")
    func bareDatabase() throws {
        let judgement = create(#"{"strategy":"auth0","name":"Users"}"#)
        #expect(judgement.isValid)
        let connection = try #require(judgement.connection)
        #expect(
            connection.keys == [
                "name", "strategy", "options", "enabled_clients", "is_domain_connection", "realms", "authentication",
                "connected_accounts",
            ])
        #expect(connection["realms"] == .array([.string("Users")]))
        #expect(connection["enabled_clients"] == .array([]))
        #expect(connection["is_domain_connection"] == .bool(false))
        #expect(connection["authentication"] == .object(["active": .bool(true)]))
        #expect(connection["connected_accounts"] == .object(["active": .bool(false)]))
        let expected = JudgeFixtures.parse(
            #"{"brute_force_protection":true,"strategy_version":2,"mfa":{"active":true,"return_enroll_settings":true},"passwordPolicy":"good","passkey_options":{"challenge_ui":"both","progressive_enrollment_enabled":true,"local_enrollment_enabled":true},"authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}}}"#
        )
        #expect(connection["options"] == expected)
    }

    @Test("sent option keys keep their order and values; defaults follow")
    func sentOrderKept() {
        let judgement = create(
            #"{"name":"a","strategy":"auth0","options":{"zeta":1,"mfa":{"active":false},"brute_force_protection":false}}"#)
        let options = JudgeFixtures.options(judgement.connection)
        #expect(Array(options.keys.prefix(3)) == ["zeta", "mfa", "brute_force_protection"])
        #expect(options["mfa"] == .object(["active": .bool(false)]))
        #expect(options["brute_force_protection"] == .bool(false))
        #expect(options["strategy_version"] == .int(2))
    }

    @Test("passwordPolicy good is added only without password_options, which is deep-filled")
    func passwordOptionsDeepFill() {
        let options = JudgeFixtures.options(
            create(
                #"{"name":"a","strategy":"auth0","options":{"password_options":{"complexity":{"min_length":12},"history":{"active":true}}}}"#
            )
            .connection)
        #expect(options["passwordPolicy"] == nil)
        let expected = JudgeFixtures.parse(
            #"{"complexity":{"min_length":12,"character_types":[],"character_type_rule":"all","identical_characters":"allow","sequential_characters":"allow","max_length_exceeded":"error"},"history":{"active":true,"size":3},"dictionary":{"active":false,"custom":[],"default":"en_100k"},"profile_data":{"active":false,"blocked_fields":["name","username","nickname","email","phone_number","user_metadata.name","user_metadata.first","user_metadata.last"]}}"#
        )
        #expect(options["password_options"].map { JSONValue.sameValue($0, expected) } == true)
    }

    @Test("a sent passwordPolicy is kept")
    func sentPasswordPolicy() {
        let options = JudgeFixtures.options(create(#"{"name":"a","strategy":"auth0","options":{"passwordPolicy":"fair"}}"#).connection)
        #expect(options["passwordPolicy"] == .string("fair"))
    }

    @Test("sent authentication_methods: absent methods disabled, password behaviours filled")
    func authenticationMethodsFilled() {
        let options = JudgeFixtures.options(
            create(#"{"name":"a","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":true}}}}"#).connection)
        #expect(
            options["authentication_methods"]
                == JudgeFixtures.parse(
                    #"{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false},"email_otp":{"enabled":false},"phone_otp":{"enabled":false}}"#
                ))
        #expect(options["disable_self_service_change_password"] == nil)
    }

    @Test("a disabled password defaults to optional/block and disables self-service change")
    func disabledPassword() {
        let judgement = create(
            #"{"name":"a","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":false},"email_otp":{"enabled":true}},"attributes":{"email":{"identifier":{"active":true},"verification_method":"otp","signup":{"status":"required","verification":{"active":true}}}}}}"#
        )
        let options = JudgeFixtures.options(judgement.connection)
        #expect(
            options["authentication_methods"]?["password"]
                == JudgeFixtures.parse(#"{"enabled":false,"api_behavior":"optional","signup_behavior":"block"}"#))
        #expect(options["disable_self_service_change_password"] == .bool(true))
        #expect(judgement.isValid, "\(judgement.violations.map(\.message))")
    }

    @Test("a blocked sign-up makes the absent api_behavior optional")
    func blockedSignup() {
        let options = JudgeFixtures.options(
            create(
                #"{"name":"a","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":true,"signup_behavior":"block"}}}}"#
            )
            .connection)
        #expect(options["authentication_methods"]?["password"]?["api_behavior"] == .string("optional"))
    }

    @Test("attributes.email gets unique and verification_method; other attributes get nothing")
    func emailAttributeDefaults() {
        let options = JudgeFixtures.options(
            create(
                #"{"name":"a","strategy":"auth0","options":{"attributes":{"email":{"identifier":{"active":true}},"username":{"identifier":{"active":true}}}}}"#
            ).connection)
        #expect(
            options["attributes"]?["email"]
                == JudgeFixtures.parse(#"{"identifier":{"active":true},"unique":true,"verification_method":"link"}"#))
        #expect(options["attributes"]?["username"] == JudgeFixtures.parse(#"{"identifier":{"active":true}}"#))
        #expect(options["precedence"] == nil)
        #expect(options["requires_username"] == nil)
    }

    @Test("display_name and show_as_button only when sent; realms and clients normalised")
    func topLevel() throws {
        let plain = try #require(create(#"{"name":"a","strategy":"auth0"}"#).connection)
        #expect(plain["display_name"] == nil && plain["show_as_button"] == nil && plain["metadata"] == nil)
        let full = try #require(
            create(
                #"{"show_as_button":true,"realms":[],"enabled_clients":["b","a","b"],"display_name":"A","metadata":{"k":null},"name":"a","strategy":"auth0"}"#
            ).connection)
        #expect(
            full.keys == [
                "name", "display_name", "strategy", "options", "enabled_clients", "is_domain_connection", "show_as_button",
                "realms", "metadata", "authentication", "connected_accounts",
            ])
        #expect(full["realms"] == .array([.string("a")]))
        #expect(full["enabled_clients"] == .array([.string("a"), .string("b")]))
        #expect(full["metadata"] == .object(["k": .null]))
    }

    @Test("other strategies: no option defaults, options stored as sent or empty")
    func otherStrategies() throws {
        let connection = try #require(create(#"{"name":"s","strategy":"sms"}"#).connection)
        #expect(connection["options"] == .object([:]))
        #expect(connection["authentication"] == .object(["active": .bool(true)]))
    }

    @Test("rule violations are appended after defaults, only for auth0")
    func rulesRun() throws {
        let body =
            #"{"name":"a","strategy":"auth0","options":{"requires_username":true,"attributes":{"email":{"identifier":{"active":true}}}}}"#
        let judgement = create(body)
        #expect(judgement.firstError?.message == "Cannot set both options.attributes and options.requires_username")
        #expect(judgement.connection != nil)
        let requesting = create(#"{"name":"a","strategy":"auth0","cross_app_access_requesting_app":{"active":true}}"#)
        #expect(requesting.firstError?.errorCode == "operation_not_supported")
        let oidc = create(#"{"name":"a","strategy":"oidc","cross_app_access_requesting_app":{"active":true}}"#)
        #expect(oidc.isValid)
    }
}
