/// Turns a file's bytes into located findings, with the same engine the API runs
/// (`ConnectionJudge`). Pure: the command reads the files, the engine only judges them.
public struct LintEngine: Sendable {
    /// The rule of a file that is not JSON: the one finding the linter makes itself.
    public static let syntaxRule = "json-syntax"
    /// The engine's rule for schema problems, listed with the built-in rules.
    public static let schemaRule = "schema"

    public let tenant: TenantSettings
    /// The stored connection (a GET response) when each file is a PATCH body (`--current`).
    public let current: JSONObject?

    /// The verdicts; `ConnectionJudge`'s outside tests, which substitute their own to place
    /// findings at chosen paths.
    typealias CreateJudge = @Sendable (JSONValue, TenantSettings) -> Judgement
    typealias UpdateJudge = @Sendable (JSONValue, JSONObject, TenantSettings) -> Judgement
    private let judgeCreate: CreateJudge
    private let judgeUpdate: UpdateJudge

    public init(tenant: TenantSettings = .unknown, current: JSONObject? = nil) {
        self.init(
            tenant: tenant, current: current, judgeCreate: { ConnectionJudge.judgeCreate($0, tenant: $1) },
            judgeUpdate: { ConnectionJudge.judgeUpdate($0, stored: $1, tenant: $2) })
    }

    init(tenant: TenantSettings, current: JSONObject?, judgeCreate: @escaping CreateJudge, judgeUpdate: @escaping UpdateJudge) {
        self.tenant = tenant
        self.current = current
        self.judgeCreate = judgeCreate
        self.judgeUpdate = judgeUpdate
    }

    /// Judges one file. Never fails: a file that is not JSON is one `json-syntax` finding
    /// at the fault's position.
    public func lint(file: String, bytes: [UInt8]) -> [LintFinding] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return [
                LintFinding(
                    file: file, line: error.position.line, column: error.position.column, rule: Self.syntaxRule,
                    severity: .error, path: [], message: "Invalid JSON: \(error.reason)")
            ]
        }
        // CLI.md: with `--current` the whole file is one PATCH body.
        let kind = current == nil ? LintDocument.kind(of: document) : .connection
        let entries = current == nil ? LintDocument.entries(of: document) : [LintDocument.Entry(path: [], value: document)]

        var locator = FindingLocator(kind: kind, entries: entries, bytes: bytes)
        var findings: [LintFinding] = []
        for (index, entry) in entries.enumerated() {
            for violation in judge(entry) {
                let position = locator.position(ofEntry: index, path: violation.path)
                findings.append(
                    LintFinding(
                        file: file, line: position.line, column: position.column, rule: violation.rule,
                        severity: violation.severity, path: entry.path + violation.path, message: violation.message))
            }
        }
        return findings
    }

    /// The engine words its own schema error for an entry that is not an object, as the
    /// API's validator does for a body of the wrong type.
    private func judge(_ entry: LintDocument.Entry) -> [Violation] {
        if let current {
            return judgeUpdate(entry.value, current, tenant).violations
        }
        guard let connection = entry.value.objectValue else {
            return judgeCreate(entry.value, tenant).violations
        }
        return judgeCreate(.object(LintDocument.creationBody(from: connection)), tenant).violations
    }
}
