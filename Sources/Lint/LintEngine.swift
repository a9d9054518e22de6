import Validation

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
    ///
    /// The connections of an array or a list response are judged one by one while the file
    /// is parsed, so one connection's tree is held at a time: a file of 50,000 no longer
    /// builds (and then frees) a tree of all of them.
    public func lint(file: String, bytes: [UInt8]) -> [LintFinding] {
        do {
            return try findings(file: file, bytes: bytes)
        } catch {
            return [
                LintFinding(
                    file: file, line: error.position.line, column: error.position.column, rule: Self.syntaxRule,
                    severity: .error, path: [], message: "Invalid JSON: \(error.reason)")
            ]
        }
    }

    private func findings(file: String, bytes: [UInt8]) throws(JSONSyntaxError) -> [LintFinding] {
        // CLI.md: with `--current` the whole file is one PATCH body.
        if current != nil {
            return findings(ofConnection: try JSONParser.parse(bytes), file: file, bytes: bytes)
        }
        // Findings of entries judged before a syntax fault are dropped with the throw.
        var streamed: [LintFinding] = []
        var locator = FindingLocator(bytes: bytes)
        let document = try JSONParser.parse(bytes, streamingElementsOf: "connections") { path, element, range in
            let entry = LintDocument.Entry(path: path, value: element)
            for violation in judge(entry) {
                let position = locator.position(of: violation.path, inEntryAt: range)
                streamed.append(finding(violation, in: entry, file: file, at: position))
            }
        }
        switch LintDocument.kind(of: document) {
        case .array, .listResponse:
            return streamed
        case .connection:
            // One connection; if it has a `connections` array, that array's elements were
            // streamed away as entries, so the document is parsed again, whole.
            let whole = document["connections"]?.arrayValue == nil ? document : try JSONParser.parse(bytes)
            return findings(ofConnection: whole, file: file, bytes: bytes)
        }
    }

    /// The findings of a file that is one connection, `document`.
    private func findings(ofConnection document: JSONValue, file: String, bytes: [UInt8]) -> [LintFinding] {
        let entry = LintDocument.Entry(path: [], value: document)
        // The value starts at the first byte that is not JSON whitespace (RFC 8259 §2).
        let start = bytes.firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } ?? bytes.count
        var locator = FindingLocator(bytes: bytes)
        return judge(entry).map { violation in
            finding(violation, in: entry, file: file, at: locator.position(of: violation.path, inEntryAt: start..<bytes.count))
        }
    }

    private func finding(
        _ violation: Violation, in entry: LintDocument.Entry, file: String, at position: SourcePosition
    ) -> LintFinding {
        LintFinding(
            file: file, line: position.line, column: position.column, rule: violation.rule,
            severity: violation.severity, path: entry.path + violation.path, message: violation.message)
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
