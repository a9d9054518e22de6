import JSON
import Testing
import Validation

@testable import Lint

@Suite struct TerraformPlanTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    @Test func theProviderSchemaBecomesTheAPIsJSON() throws {
        let values = try #require(
            try json(
                #"""
                {"name": "db", "strategy": "auth0", "display_name": "", "realms": [], "is_domain_connection": false,
                 "options": [{"password_policy": "good", "custom_scripts": {"login": "x"}, "strategy_version": 0,
                   "upstream_params": "{\"screen_hint\": {\"value\": \"signup\"}}", "client_id": "ignored",
                   "validation": [{"username": [{"min": null, "max": null}]}], "mfa": [],
                   "attributes": [{"email": [{"identifier": [{"active": true, "default_method": null}], "unique": false}],
                                   "username": []}]}]}
                """#
            ).objectValue)
        let translation = ProviderTranslation(values, schema: .connection)
        #expect(
            JSONValue.object(translation.body)
                == (try json(
                    #"""
                    {"name": "db", "strategy": "auth0", "is_domain_connection": false,
                     "options": {"passwordPolicy": "good", "customScripts": {"login": "x"},
                       "upstream_params": {"screen_hint": {"value": "signup"}},
                       "attributes": {"email": {"identifier": {"active": true}, "unique": false}}}}
                    """#)))
        #expect(
            translation.origin(of: [.key("options"), .key("passwordPolicy")])
                == [.key("options"), .index(0), .key("password_policy")])
        // An absent value is placed at its nearest sent ancestor, and named in the schema's terms.
        let verification: [PathSegment] = [
            .key("options"), .key("attributes"), .key("email"), .key("signup"), .key("verification"), .key("active"),
        ]
        #expect(
            translation.origin(of: verification) == [.key("options"), .index(0), .key("attributes"), .index(0), .key("email"), .index(0)])
        #expect(
            ProviderTranslation.schemaPath(of: verification, in: .connection).dottedPath
                == "options[0].attributes[0].email[0].signup[0].verification[0].active")
    }

    @Test func updatesArePatchesOfBeforeAndReplacementsArePosts() throws {
        let plan = #"""
            {"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [
              {"address": "auth0_prompt.p", "type": "auth0_prompt", "name": "p", "change": {"actions": ["no-op"], "after": {"identifier_first": true}}},
              {"address": "auth0_connection.a", "type": "auth0_connection", "name": "a", "change": {"actions": ["update"],
                "before": {"id": "con_1", "name": "a", "strategy": "auth0", "realms": ["a"], "options": [{"requires_username": true}]},
                "after": {"id": "con_1", "name": "a", "strategy": "auth0", "realms": ["a"], "options": [{"requires_username": false}]}}},
              {"address": "auth0_connection.b", "type": "auth0_connection", "name": "b", "change": {"actions": ["delete", "create"],
                "before": {"name": "b", "strategy": "auth0"}, "after": {"name": "b", "strategy": "auth0"}}},
              {"address": "auth0_connection.c", "type": "auth0_connection", "name": "c", "change": {"actions": ["delete"],
                "before": {"name": "c", "strategy": "auth0"}, "after": null}}
            ]}
            """#
        let input = TerraformPlanReader.read(file: "plan.json", bytes: Array(plan.utf8))
        #expect(input.tenant == TenantSettings(identifierFirst: true))
        #expect(input.subjects.map(\.address) == ["auth0_connection.a", "auth0_connection.b"])
        let update = input.subjects[0]
        #expect(update.body == (try json(#"{"options": {"requires_username": false}}"#)))
        #expect(
            update.stored
                == (try json(#"{"name": "a", "strategy": "auth0", "realms": ["a"], "options": {"requires_username": true}, "id": "con_1"}"#))
                .objectValue)
        #expect(input.subjects[1].stored == nil)
        #expect(input.subjects[1].body == (try json(#"{"name": "b", "strategy": "auth0"}"#)))
    }

    @Test func otherStrategiesSendNoOptions() throws {
        let values = try #require(try json(#"{"name": "g", "strategy": "google-oauth2", "options": [{"client_id": "x"}]}"#).objectValue)
        #expect(ProviderTranslation(values, schema: .otherStrategy).body == ["name": .string("g"), "strategy": .string("google-oauth2")])
    }

    @Test func aPlanThatIsNotJSONIsOneSyntaxFinding() {
        let input = TerraformPlanReader.read(file: "plan.json", bytes: Array(#"{"format_version": "1.2",}"#.utf8))
        #expect(input.findings.map(\.violation.rule) == ["json-syntax"])
        #expect(input.subjects.isEmpty)
    }

    @Test func inputKindsAreToldApart() {
        #expect(LintInputKind.detect(name: "t.yaml", bytes: []) == .deployCLI)
        #expect(LintInputKind.detect(name: "t.yml", bytes: []) == .deployCLI)
        #expect(
            LintInputKind.detect(name: "plan.json", bytes: Array(#" {"format_version":"1.2","terraform_version":"1.9.5"}"#.utf8))
                == .terraformPlan)
        #expect(LintInputKind.detect(name: "c.json", bytes: Array(#"{"name": "format_version", "strategy": "auth0"}"#.utf8)) == .api)
        #expect(LintInputKind.detect(name: "-", bytes: Array("[]".utf8)) == .api)
    }
}
