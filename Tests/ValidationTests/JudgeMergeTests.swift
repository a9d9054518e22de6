import JSON
import Testing

@testable import Validation

/// The PATCH merge (API.md, PATCH /connections/{id}).
@Suite("Judge: PATCH merge")
struct JudgeMergeTests {
    private let tenant = TenantSettings(identifierFirst: true)

    private func update(_ text: String, stored: JSONObject = JudgeFixtures.storedDatabase) -> Judgement {
        ConnectionJudge.judgeUpdate(JudgeFixtures.parse(text), stored: stored, tenant: tenant)
    }

    @Test("keys not sent keep their stored values; id stays first")
    func keepsUnsent() throws {
        let connection = try #require(update(#"{"display_name":"Hello"}"#).connection)
        #expect(connection.keys.first == "id")
        #expect(connection["display_name"] == .string("Hello"))
        #expect(connection["options"] == JudgeFixtures.storedDatabase["options"])
        #expect(connection["name"] == .string("Users"))
    }

    @Test("options are replaced wholesale; three auth0 keys are kept when omitted")
    func optionsReplaced() throws {
        var stored = JudgeFixtures.storedDatabase
        var storedOptions = JudgeFixtures.options(stored)
        storedOptions["brute_force_protection"] = .bool(false)
        storedOptions["custom_key"] = .string("old")
        stored["options"] = .object(storedOptions)

        let connection = try #require(update(#"{"options":{"import_mode":true}}"#, stored: stored).connection)
        let options = JudgeFixtures.options(connection)
        #expect(options["import_mode"] == .bool(true))
        #expect(options["brute_force_protection"] == .bool(false))
        #expect(options["authentication_methods"] == storedOptions["authentication_methods"])
        #expect(options["passkey_options"] == storedOptions["passkey_options"])
        for gone in ["mfa", "strategy_version", "passwordPolicy", "custom_key"] { #expect(options[gone] == nil, "\(gone)") }
    }

    @Test("a sent authentication_methods is filled as on create")
    func sentMethodsFilled() {
        let options = JudgeFixtures.options(update(#"{"options":{"authentication_methods":{"passkey":{"enabled":false}}}}"#).connection)
        #expect(
            options["authentication_methods"]?["password"]
                == JudgeFixtures.parse(#"{"enabled":false,"api_behavior":"optional","signup_behavior":"block"}"#))
        #expect(options["authentication_methods"]?["email_otp"] == .object(["enabled": .bool(false)]))
        #expect(options["disable_self_service_change_password"] == .bool(true))
    }

    @Test("attributes.email defaults apply on PATCH")
    func emailDefaults() {
        let options = JudgeFixtures.options(update(#"{"options":{"attributes":{"email":{"identifier":{"active":true}}}}}"#).connection)
        #expect(options["attributes"]?["email"]?["unique"] == .bool(true))
        #expect(options["attributes"]?["email"]?["verification_method"] == .string("link"))
    }

    @Test("metadata, realms and (on a legacy tenant) enabled_clients are replaced; empty realms become [name]")
    func topLevelReplace() throws {
        var stored = JudgeFixtures.storedDatabase
        stored["metadata"] = .object(["a": .string("1")])
        stored["enabled_clients"] = .array([.string("c1")])
        let legacy = TenantSettings(identifierFirst: true, legacyEnabledClients: true)
        func update(_ text: String) -> Judgement {
            ConnectionJudge.judgeUpdate(JudgeFixtures.parse(text), stored: stored, tenant: legacy)
        }
        let connection = try #require(update(#"{"metadata":{"b":"2"},"realms":[],"enabled_clients":["z","y"]}"#).connection)
        #expect(connection["metadata"] == .object(["b": .string("2")]))
        #expect(connection["realms"] == .array([.string("Users")]))
        #expect(connection["enabled_clients"] == .array([.string("y"), .string("z")]))
        let unchanged = try #require(update(#"{"enabled_clients":null}"#).connection)
        #expect(unchanged["enabled_clients"] == .array([.string("c1")]))
    }

    @Test(
        "a tenant created today has no enabled_clients on PATCH, whatever its value",
        arguments: [#"["c2"]"#, "[]", "null", #""c2""#])
    func enabledClientsIsNotAPatchProperty(_ value: String) throws {
        var stored = JudgeFixtures.storedDatabase
        stored["enabled_clients"] = .array([.string("c1")])
        let judgement = update(#"{"display_name":"x","enabled_clients":\#(value)}"#, stored: stored)
        #expect(judgement.connection == nil)
        #expect(judgement.violations.map(\.rule) == ["schema"])
        #expect(judgement.firstError?.message == "Payload validation error: 'Additional properties not allowed: enabled_clients'.")
        #expect(judgement.firstError?.path == [])
        // A create may still name the initial clients.
        let created = ConnectionJudge.judgeCreate(
            JudgeFixtures.parse(#"{"name":"a","strategy":"auth0","enabled_clients":["b","a","b"]}"#), tenant: tenant)
        #expect(created.connection?["enabled_clients"] == .array([.string("a"), .string("b")]))
    }

    @Test("the stored connection is passed to the rules")
    func storedReachesRules() {
        let judgement = update(
            #"{"options":{"attributes":{"email":{"identifier":{"active":false},"unique":false},"username":{"identifier":{"active":true}}}}}"#
        )
        #expect(judgement.firstError?.message == "cannot add non-unique email attribute")
    }

    @Test("other strategies: options replaced with no defaults")
    func otherStrategy() throws {
        let stored: JSONObject = [
            "id": .string("con_BBBBBBBBBBBBBBBB"), "name": .string("g"), "strategy": .string("google-oauth2"),
            "options": .object(["scope": .array([])]), "enabled_clients": .array([]),
            "is_domain_connection": .bool(false), "realms": .array([.string("g")]),
        ]
        let connection = try #require(update(#"{"options":{"email":true}}"#, stored: stored).connection)
        #expect(connection["options"] == .object(["email": .bool(true)]))
        let nulled = try #require(update(#"{"options":null}"#, stored: stored).connection)
        #expect(nulled["options"] == .object([:]))
    }
}
