import JSON
import Testing

@testable import Validation

/// Table tests of the schema stage: each body produces exactly the Auth0-worded message
/// first, with rule `schema`, severity error, errorCode `invalid_body` and the JSON
/// pointer of the offending value.
@Suite("Schema messages")
struct SchemaMessageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let body: String
        let message: String
        let pointer: String
        var testDescription: String { body }
    }

    static let nameDescription =
        "The name of the connection. Must start and end with an alphanumeric character and can only contain alphanumeric characters and '-'. Max length 128"
    static let realmsDescription =
        "Defines the realms for which the connection will be used (ie: email domains). If the array is empty or the property is not specified, the connection name will be added as realm."

    static let createCases: [Case] = [
        Case(
            body: #"{"name":"a","strategy":"auth0","foo":1}"#,
            message: "Payload validation error: 'Additional properties not allowed: foo'.", pointer: ""),
        Case(
            body: #"{"name":"a","strategy":"auth0","foo":1,"id":"x"}"#,
            message: "Payload validation error: 'Additional properties not allowed: foo,id'.", pointer: ""),
        Case(
            body: #"{"strategy":"auth0"}"#,
            message: "Payload validation error: 'Missing required property: name'.", pointer: ""),
        Case(
            body: #"{"name":"a"}"#,
            message: "Payload validation error: 'Missing required property: strategy'.", pointer: ""),
        Case(
            body: #"{"name":5,"strategy":"auth0"}"#,
            message: "Payload validation error: 'Expected type string but found type integer' on property name (\(nameDescription)).",
            pointer: "/name"),
        Case(
            body: #"{"name":"bad name","strategy":"auth0"}"#,
            message:
                "Payload validation error: 'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: bad name' on property name (\(nameDescription)).",
            pointer: "/name"),
        Case(
            body: #"{"name":"-a","strategy":"auth0"}"#,
            message:
                "Payload validation error: 'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: -a' on property name (\(nameDescription)).",
            pointer: "/name"),
        Case(
            body: #"{"name":"a--b","strategy":"auth0"}"#,
            message:
                "Payload validation error: 'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: a--b' on property name (\(nameDescription)).",
            pointer: "/name"),
        Case(
            body: #"{"name":"\#(String(repeating: "a", count: 129))","strategy":"auth0"}"#,
            message: "Payload validation error: 'String is too long (129 chars), maximum 128' on property name (\(nameDescription)).",
            pointer: "/name"),
        Case(
            body: #"{"name":"a","strategy":"foo"}"#,
            message:
                "Payload validation error: 'No enum match for: \"foo\"' on property strategy (The identity provider identifier for the connection).",
            pointer: "/strategy"),
        Case(
            body: #"{"name":"a","strategy":"auth0","display_name":""}"#,
            message:
                "Payload validation error: 'String is too short (0 chars), minimum 1' on property display_name (Connection name used in the new universal login experience).",
            pointer: "/display_name"),
        Case(
            body: #"{"name":"a","strategy":"auth0","realms":["a","b","c","d","e","f","g","h","i","j","k"]}"#,
            message: "Payload validation error: 'Array is too long (11), maximum 10' on property realms (\(realmsDescription)).",
            pointer: "/realms"),
        Case(
            body: #"{"name":"a","strategy":"auth0","realms":["a","b","c",4]}"#,
            message:
                "Payload validation error: 'Expected type string but found type integer' on property realms[3] (The realm where this connection belongs).",
            pointer: "/realms/3"),
        Case(
            body: #"{"name":"a","strategy":"auth0","enabled_clients":"x"}"#,
            message:
                "Payload validation error: 'Expected type array but found type string' on property enabled_clients (Use of this property is NOT RECOMMENDED. Use the PATCH /v2/connections/{id}/clients endpoint to enable the connection for a set of clients.).",
            pointer: "/enabled_clients"),
        Case(
            body:
                #"{"name":"a","strategy":"auth0","metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1","j":"1","k":"1"}}"#,
            message:
                "Payload validation error: 'Too many properties defined (11), maximum 10' on property metadata (Metadata associated with the connection in the form of an object with string values (max 255 chars).  Maximum of 10 metadata properties allowed.).",
            pointer: "/metadata"),
        Case(
            body: #"{"name":"a","strategy":"auth0","metadata":{"team":1}}"#,
            message:
                "Payload validation error: 'Expected type string,null but found type integer' on property metadata.team (A metadata value: a string of at most 255 characters, or null).",
            pointer: "/metadata/team"),
        Case(
            body: #"{"name":"a","strategy":"auth0","metadata":{"team":"\#(String(repeating: "x", count: 256))"}}"#,
            message:
                "Payload validation error: 'String is too long (256 chars), maximum 255' on property metadata.team (A metadata value: a string of at most 255 characters, or null).",
            pointer: "/metadata/team"),
        Case(
            body: #"{"name":"a","strategy":"auth0","authentication":{}}"#,
            message:
                "Payload validation error: 'Missing required property: active' on property authentication (Configure the purpose of a connection to be used for authentication during login.).",
            pointer: "/authentication"),
        Case(
            body: #"{"name":"a","strategy":"auth0","connected_accounts":{"active":true,"x":1}}"#,
            message:
                "Payload validation error: 'Additional properties not allowed: x' on property connected_accounts (Configure the purpose of a connection to be used for connected accounts and Token Vault.).",
            pointer: "/connected_accounts"),
        Case(
            body: #"{"name":"a","strategy":"auth0","is_domain_connection":"yes"}"#,
            message:
                "Payload validation error: 'Expected type boolean but found type string' on property is_domain_connection (<code>true</code> promotes to a domain-level connection so that third-party applications can use it. <code>false</code> does not promote the connection, so only first-party applications with the connection enabled can use it. (Defaults to <code>false</code>.)).",
            pointer: "/is_domain_connection"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":[]}"#,
            message:
                "Payload validation error: 'Expected type object but found type array' on property options (The connection's options (depend on the connection strategy)).",
            pointer: "/options"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"attributes":{"email":{"signup":{"status":"maybe"}}}}}"#,
            message:
                "Payload validation error: 'No enum match for: \"maybe\"' on property options.attributes.email.signup.status (Whether sign-up asks for the attribute: required, optional or inactive).",
            pointer: "/options/attributes/email/signup/status"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"attributes":{"email":{"unique":true,"colour":"red"}}}}"#,
            message:
                "Payload validation error: 'Additional properties not allowed: colour' on property options.attributes.email (Configuration for the email attribute for users.).",
            pointer: "/options/attributes/email"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"attributes":{}}}"#,
            message:
                "Payload validation error: 'Too few properties defined (0), minimum 1' on property options.attributes (Attribute configuration).",
            pointer: "/options/attributes"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"precedence":["email","email","username"]}}"#,
            message:
                "Payload validation error: 'Array items are not unique (indexes 0 and 1)' on property options.precedence (Order of precedence for attribute types. If the property is not specified, the default precedence of attributes will be used.).",
            pointer: "/options/precedence"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"precedence":["email","username"]}}"#,
            message:
                "Payload validation error: 'Array is too short (2), minimum 3' on property options.precedence (Order of precedence for attribute types. If the property is not specified, the default precedence of attributes will be used.).",
            pointer: "/options/precedence"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"password_options":{"complexity":{"min_length":0}}}}"#,
            message:
                "Payload validation error: 'Value 0 is less than minimum 1' on property options.password_options.complexity.min_length (Minimum password length required (1-72 characters)).",
            pointer: "/options/password_options/complexity/min_length"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"password_options":{"complexity":{"min_length":73}}}}"#,
            message:
                "Payload validation error: 'Value 73 is greater than maximum 72' on property options.password_options.complexity.min_length (Minimum password length required (1-72 characters)).",
            pointer: "/options/password_options/complexity/min_length"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"password_options":{"complexity":{"min_length":1.5}}}}"#,
            message:
                "Payload validation error: 'Expected type integer but found type number' on property options.password_options.complexity.min_length (Minimum password length required (1-72 characters)).",
            pointer: "/options/password_options/complexity/min_length"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"attributes":{"username":{"validation":{"max_length":200}}}}}"#,
            message:
                "Payload validation error: 'Value 200 is greater than maximum 128' on property options.attributes.username.validation.max_length (Maximum allowed length).",
            pointer: "/options/attributes/username/validation/max_length"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"passwordPolicy":"strong"}}"#,
            message:
                "Payload validation error: 'No enum match for: \"strong\"' on property options.passwordPolicy (Password strength level).",
            pointer: "/options/passwordPolicy"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"password_history":{"size":5}}}"#,
            message:
                "Payload validation error: 'Missing required property: enable' on property options.password_history (Options for password history policy).",
            pointer: "/options/password_history"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":"yes"}}}}"#,
            message:
                "Payload validation error: 'Expected type boolean but found type string' on property options.authentication_methods.password.enabled (Determines whether passwords are enabled).",
            pointer: "/options/authentication_methods/password/enabled"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"authentication_methods":{"sms":{"enabled":true}}}}"#,
            message:
                "Payload validation error: 'Additional properties not allowed: sms' on property options.authentication_methods (Options for enabling authentication methods.).",
            pointer: "/options/authentication_methods"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"passkey_options":{"challenge_ui":"popup"}}}"#,
            message:
                "Payload validation error: 'No enum match for: \"popup\"' on property options.passkey_options.challenge_ui (Controls the UI used to challenge the user for their passkey.).",
            pointer: "/options/passkey_options/challenge_ui"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"customScripts":{"login":""}}}"#,
            message:
                "Payload validation error: 'String is too short (0 chars), minimum 1' on property options.customScripts.login (A custom database script).",
            pointer: "/options/customScripts/login"),
        Case(
            body:
                #"{"name":"a","strategy":"auth0","options":{"password_dictionary":{"enable":true,"dictionary":["\#(String(repeating: "p", count: 51))"]}}}"#,
            message:
                "Payload validation error: 'String is too long (51 chars), maximum 50' on property options.password_dictionary.dictionary[0] (Custom Password Dictionary entry. 50 characters max.).",
            pointer: "/options/password_dictionary/dictionary/0"),
        Case(
            body:
                #"{"name":"a","strategy":"auth0","options":{"password_options":{"profile_data":{"blocked_fields":["a","b","c","d","e","f","g","h","i","j","k","l","m"]}}}}"#,
            message:
                "Payload validation error: 'Array is too long (13), maximum 12' on property options.password_options.profile_data.blocked_fields (Blocked profile fields. An array of up to 12 entries.).",
            pointer: "/options/password_options/profile_data/blocked_fields"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"mfa":{"active":1}}}"#,
            message:
                "Payload validation error: 'Expected type boolean but found type integer' on property options.mfa.active (Whether MFA is active for the connection).",
            pointer: "/options/mfa/active"),
        Case(
            body: #"{"name":"a","strategy":"auth0","options":{"validation":{"username":{"min":0,"max":10}}}}"#,
            message:
                "Payload validation error: 'Value 0 is less than minimum 1' on property options.validation.username.min (Minimum username length).",
            pointer: "/options/validation/username/min"),
    ]

    @Test("create bodies", arguments: createCases)
    func createMessage(_ testCase: Case) throws {
        let body = try JSONParser.parse(testCase.body)
        let judgement = ConnectionJudge.judgeCreate(body, tenant: .fresh)
        let first = try #require(judgement.firstError)
        #expect(first.message == testCase.message)
        #expect(first.path.jsonPointer == testCase.pointer)
        #expect(first.rule == "schema")
        #expect(first.severity == .error)
        #expect(first.errorCode == "invalid_body")
        #expect(judgement.connection == nil)
    }

    static let updateCases: [Case] = [
        Case(
            body: #"{"strategy":"auth0","name":"x"}"#,
            message: "Payload validation error: 'Additional properties not allowed: strategy,name'.", pointer: ""),
        Case(
            body: #"{"id":"con_x","display_name":"x"}"#,
            message: "Payload validation error: 'Additional properties not allowed: id'.", pointer: ""),
        Case(body: "{}", message: "Payload validation error: 'Too few properties defined (0), minimum 1'.", pointer: ""),
        Case(
            body: #"{"display_name":"\#(String(repeating: "d", count: 129))"}"#,
            message:
                "Payload validation error: 'String is too long (129 chars), maximum 128' on property display_name (The connection name used in the new universal login experience. If display_name is not included in the request, the field will be overwritten with the name value.).",
            pointer: "/display_name"),
        Case(
            body: #"{"options":{"attributes":{"phone_number":{"identifier":{"default_method":"email_otp"}}}}}"#,
            message:
                "Payload validation error: 'No enum match for: \"email_otp\"' on property options.attributes.phone_number.identifier.default_method (Default authentication method for phone_number identifier).",
            pointer: "/options/attributes/phone_number/identifier/default_method"),
    ]

    @Test("update bodies", arguments: updateCases)
    func updateMessage(_ testCase: Case) throws {
        let body = try JSONParser.parse(testCase.body)
        let judgement = ConnectionJudge.judgeUpdate(body, stored: JudgeFixtures.storedDatabase, tenant: .fresh)
        let first = try #require(judgement.firstError)
        #expect(first.message == testCase.message)
        #expect(first.path.jsonPointer == testCase.pointer)
        #expect(first.rule == "schema")
        #expect(judgement.connection == nil)
    }

    @Test("every schema problem is reported, in document order")
    func reportsAll() throws {
        let body = try JSONParser.parse(
            #"{"name":"a b","strategy":"auth0","realms":[1],"options":{"mfa":{"active":"x"},"brute_force_protection":"no"}}"#)
        let judgement = ConnectionJudge.judgeCreate(body, tenant: .fresh)
        #expect(
            judgement.violations.map(\.path.jsonPointer) == [
                "/name", "/realms/0", "/options/mfa/active", "/options/brute_force_protection",
            ])
        #expect(judgement.violations.allSatisfy { $0.rule == "schema" })
    }

    @Test("uniqueItems is searched up to 16 items or maxItems; longer arrays are only too long")
    func uniquenessOfLongArrays() throws {
        func details(_ items: [String]) throws -> [String] {
            let body = try JSONParser.parse(
                #"{"name":"a","strategy":"auth0","options":{"precedence":[\#(items.joined(separator: ","))]}}"#)
            return ConnectionJudge.judgeCreate(body, tenant: .fresh).violations.map(\.message)
        }
        let four = try details([#""email""#, #""email""#, #""username""#, #""phone_number""#])
        #expect(four.count == 2 && four[0].contains("Array is too long (4), maximum 3"))
        #expect(four[1].contains("Array items are not unique (indexes 0 and 1)"))
        // Past 16 items the quadratic search is skipped (API.md "CPU budget"): still rejected.
        let long = try details(Array(repeating: #""email""#, count: 17))
        #expect(long.count == 1 && long[0].contains("Array is too long (17), maximum 3"))
    }

    @Test("past 100 problems the rest are counted, not listed; the first error stays the first")
    func longListsAreCut() throws {
        let items = Array(repeating: "0", count: 250).joined(separator: ",")
        let body = try JSONParser.parse(#"{"strategy":"auth0","enabled_clients":[\#(items)]}"#)
        let violations = ConnectionJudge.judgeCreate(body, tenant: .fresh).violations
        #expect(violations.count == SchemaValidator.maxListed + 1)
        #expect(violations.first?.message == "Payload validation error: 'Missing required property: name'.")
        #expect(violations[99].path.jsonPointer == "/enabled_clients/98")
        #expect(violations.last?.message == "Payload validation error: '151 more schema errors not listed'.")
        #expect(violations.last?.path == [] && violations.last?.rule == "schema")
        let few = try JSONParser.parse(#"{"name":"a","strategy":"auth0","enabled_clients":[0,1]}"#)
        #expect(ConnectionJudge.judgeCreate(few, tenant: .fresh).violations.count == 2)
    }

    @Test("a body that is not an object is a top-level type error")
    func notAnObject() throws {
        let judgement = ConnectionJudge.judgeCreate(.array([]), tenant: .fresh)
        #expect(judgement.firstError?.message == "Payload validation error: 'Expected type object but found type array'.")
        #expect(judgement.connection == nil)
    }

    @Test("lengths count code points and print UTF-16 units, as z-schema does")
    func lengthCounting() throws {
        // 128 emoji are 128 code points (allowed) and 256 UTF-16 units.
        let allowed = try JSONParser.parse(#"{"name":"a","strategy":"email","display_name":"\#(String(repeating: "😀", count: 128))"}"#)
        #expect(ConnectionJudge.judgeCreate(allowed, tenant: .fresh).isValid)
        let tooLong = try JSONParser.parse(#"{"name":"a","strategy":"email","display_name":"\#(String(repeating: "😀", count: 129))"}"#)
        #expect(
            ConnectionJudge.judgeCreate(tooLong, tenant: .fresh).firstError?.message.contains("String is too long (258 chars), maximum 128")
                == true)
    }

    @Test("integers are typed by value: 1.0 and 2e1 are integers")
    func integralNumbers() throws {
        for literal in ["1.0", "2e1", "150e-1"] {
            let body = try JSONParser.parse(
                #"{"name":"a","strategy":"auth0","options":{"password_options":{"complexity":{"min_length":\#(literal)}}}}"#)
            #expect(ConnectionJudge.judgeCreate(body, tenant: .fresh).isValid, "\(literal)")
        }
        for literal in ["1.5", "15e-1"] {
            #expect(!JSONNumber(literal: literal).isIntegral, "\(literal)")
        }
    }

    @Test("nullable OAS options accept null")
    func nullableOptions() throws {
        let body = try JSONParser.parse(
            #"{"name":"a","strategy":"auth0","options":{"passwordPolicy":null,"validation":null,"non_persistent_attrs":null,"configuration":null}}"#
        )
        #expect(ConnectionJudge.judgeCreate(body, tenant: .fresh).isValid)
    }

    @Test("other strategies keep options free-form")
    func freeFormOptions() throws {
        let body = try JSONParser.parse(
            #"{"name":"g","strategy":"google-oauth2","options":{"attributes":5,"mfa":"x","scope":["email"]}}"#)
        let judgement = ConnectionJudge.judgeCreate(body, tenant: .fresh)
        #expect(judgement.violations.isEmpty)
        #expect(
            judgement.connection?["options"] == .object(["attributes": .int(5), "mfa": .string("x"), "scope": .array([.string("email")])]))
    }
}
