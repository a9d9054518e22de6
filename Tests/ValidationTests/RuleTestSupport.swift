import JSON
import Testing

@testable import Validation

/// A `testRule`-style harness (after Spectral's): one rule, one effective connection, the
/// violations it must report as `(severity, JSON pointer)` pairs, in order.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let name: String
    /// The effective `options` (defaults already filled, as the judge hands them over).
    let options: String
    /// The stored `options` for a PATCH; `nil` judges a create.
    var stored: String?
    var tenant: TenantSettings
    /// Top-level members besides `name`, `strategy` and `options`, as JSON members text.
    var topLevel: String?
    var strategy: String
    let expected: [ExpectedViolation]
    /// The message the first violation must carry, for Auth0's verbatim messages.
    var message: String?

    init(
        _ rule: String, _ name: String, options: String, stored: String? = nil, tenant: TenantSettings = .fresh,
        topLevel: String? = nil, strategy: String = "auth0", expect expected: [ExpectedViolation],
        message: String? = nil
    ) {
        self.rule = rule
        self.name = name
        self.options = options
        self.stored = stored
        self.tenant = tenant
        self.topLevel = topLevel
        self.strategy = strategy
        self.expected = expected
        self.message = message
    }

    var testDescription: String {
        "\(rule): \(name)"
    }

    /// Passes when the rule reports nothing.
    var isPassingCase: Bool {
        expected.isEmpty
    }
}

/// What a violation must look like, without its message.
struct ExpectedViolation: Sendable, Equatable, CustomStringConvertible {
    let severity: Severity
    let pointer: String

    static func error(_ pointer: String) -> ExpectedViolation {
        ExpectedViolation(severity: .error, pointer: pointer)
    }

    static func warning(_ pointer: String) -> ExpectedViolation {
        ExpectedViolation(severity: .warning, pointer: pointer)
    }

    var description: String {
        "\(severity.rawValue) \(pointer)"
    }
}

/// Parses a JSON object literal written in a test.
func ruleTestObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
    let value = try JSONParser.parse(text)
    return try #require(value.objectValue, "not a JSON object: \(text)", sourceLocation: sourceLocation)
}

/// A connection around effective `options`: `{"name":"conn","strategy":…,"options":…}`.
func ruleTestConnectionText(options: String, strategy: String = "auth0", topLevel: String? = nil) -> String {
    var text = #"{"name":"conn","strategy":"\#(strategy)","options":\#(options)"#
    if let topLevel { text += "," + topLevel }
    return text + "}"
}

/// The context a rule sees for effective `options` (and stored `options` on a PATCH).
func ruleTestContext(
    options: String, stored: String? = nil, tenant: TenantSettings = .fresh, strategy: String = "auth0",
    topLevel: String? = nil
) throws -> RuleContext {
    let connection = try ruleTestObject(ruleTestConnectionText(options: options, strategy: strategy, topLevel: topLevel))
    let storedConnection = try stored.map { storedOptions in
        try ruleTestObject(#"{"id":"con_Xk2M9q0aB3cD4eF5","name":"conn","strategy":"auth0","options":\#(storedOptions)}"#)
    }
    return RuleContext(connection: connection, stored: storedConnection, tenant: tenant)
}

/// The rule of `RuleSet.auth0` with this id.
func ruleNamed(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Rule {
    try #require(RuleSet.auth0.first { $0.id == id }, "no rule \(id)", sourceLocation: sourceLocation)
}

/// Runs one case's rule on its own and checks ids, severities, pointers and order.
func testRule(_ testCase: RuleCase) throws {
    let rule = try ruleNamed(testCase.rule)
    let context = try ruleTestContext(
        options: testCase.options, stored: testCase.stored, tenant: testCase.tenant, strategy: testCase.strategy,
        topLevel: testCase.topLevel
    )
    let violations = rule.check(context)
    #expect(violations.map { ExpectedViolation(severity: $0.severity, pointer: $0.path.jsonPointer) } == testCase.expected)
    for violation in violations {
        #expect(violation.rule == testCase.rule)
        #expect(!violation.message.isEmpty)
    }
    if let message = testCase.message {
        #expect(violations.first?.message == message)
    }
}

/// `"authentication_methods":{…}` as the judge fills it, plus the
/// `disable_self_service_change_password: true` a disabled password brings (RULES.md "Typed
/// options"), as JSON members text.
func effectiveMethods(password: Bool = true, passkey: Bool = false, emailOTP: Bool = false, phoneOTP: Bool = false) -> String {
    let passwordObject =
        password
        ? #"{"enabled":true,"api_behavior":"required","signup_behavior":"allow"}"#
        : #"{"enabled":false,"api_behavior":"optional","signup_behavior":"block"}"#
    var text =
        #""authentication_methods":{"password":\#(passwordObject),"passkey":{"enabled":\#(passkey)},"#
        + #""email_otp":{"enabled":\#(emailOTP)},"phone_otp":{"enabled":\#(phoneOTP)}}"#
    if !password { text += #","disable_self_service_change_password":true"# }
    return text
}

/// Effective email attribute members text with the stored defaults (`unique`, `verification_method`).
func effectiveEmail(
    active: Bool = true, unique: Bool = true, verification: String = "link", verifyOnSignup: Bool = false,
    status: String = "required", extraIdentifier: String = ""
) -> String {
    #""email":{"identifier":{"active":\#(active)\#(extraIdentifier)},"unique":\#(unique),"#
        + #""verification_method":"\#(verification)","profile_required":true,"#
        + #""signup":{"status":"\#(status)","verification":{"active":\#(verifyOnSignup)}}}"#
}
