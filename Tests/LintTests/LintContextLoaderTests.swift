import Testing
import Validation

@testable import Lint

@Suite struct LintContextLoaderTests {
    @Test func tenantSettingsComeFromIdentifierFirst() throws {
        let prompts = #"{"universal_login_experience":"new","identifier_first":true,"webauthn_platform_first_factor":false}"#
        #expect(try LintContextLoader.tenant(from: Array(prompts.utf8)) == TenantSettings(identifierFirst: true))
        #expect(try LintContextLoader.tenant(from: Array(#"{"identifier_first":false}"#.utf8)) == .fresh)
        #expect(try LintContextLoader.tenant(from: Array("{}".utf8)) == .unknown)
    }

    @Test(arguments: [
        ("{\"identifier_first\":\"yes\"}", "identifier_first must be true or false, not string"),
        ("[]", "expected a GET /prompts response (a JSON object), found array"),
        ("{", "invalid JSON: Expected a string key at line 1, column 2"),
    ])
    func unusableTenantFiles(text: String, message: String) {
        #expect(throws: LintInputError(message)) { try LintContextLoader.tenant(from: Array(text.utf8)) }
    }

    @Test func storedConnectionMustBeAnObject() throws {
        let stored = try LintContextLoader.storedConnection(from: Array(#"{"id":"con_Xk2M9q0aB3cD4eF5","name":"a"}"#.utf8))
        #expect(stored["id"] == .string("con_Xk2M9q0aB3cD4eF5"))
        #expect(throws: LintInputError("expected a GET /connections/{id} response (a JSON object), found array")) {
            try LintContextLoader.storedConnection(from: Array("[{}]".utf8))
        }
    }
}
