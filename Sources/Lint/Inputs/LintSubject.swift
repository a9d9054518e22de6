import Validation

/// One connection found in a configuration file, in the API's JSON, with what it takes to
/// report on it in terms of the file: how a path in the API's JSON maps to a place in the file.
public struct LintSubject {
    /// Where a path of the connection's API JSON lies in the file.
    public struct Place {
        public var position: SourcePosition
        /// The path in the file's document (an RFC 6901 pointer in `json` output).
        public var documentPath: [PathSegment]
        /// The Terraform provider's schema path (`options[0].attributes[0].email[0].unique`).
        public var schemaPath: String?

        public init(position: SourcePosition, documentPath: [PathSegment], schemaPath: String? = nil) {
            self.position = position
            self.documentPath = documentPath
            self.schemaPath = schemaPath
        }
    }

    public var file: String
    /// The connection as the API would receive it: a POST body, or a PATCH body of `stored`.
    public var body: JSONValue
    public var stored: JSONObject?
    /// A Terraform resource address, for findings on a plan.
    public var address: String?
    public var place: ([PathSegment]) -> Place

    public init(
        file: String, body: JSONValue, stored: JSONObject? = nil, address: String? = nil,
        place: @escaping ([PathSegment]) -> Place
    ) {
        self.file = file
        self.body = body
        self.stored = stored
        self.address = address
        self.place = place
    }
}

/// What reading one configuration input (a file or a deploy CLI directory) gave: the
/// connections to judge, the findings about the input itself (syntax, keywords, values
/// unknown at plan time), and the tenant settings it carries.
public struct LintInput {
    public var subjects: [LintSubject] = []
    public var findings: [LintFinding] = []
    /// `identifier_first` from the input's own prompt settings, if it has any.
    public var tenant: TenantSettings?
    /// The files read (a directory counts each file it holds).
    public var files = 1

    public init() {}
}

extension LintEngine {
    /// Judges the connections of an input and locates their findings. The input's own prompt
    /// settings apply unless `--tenant` gave the tenant's.
    public func report(_ input: LintInput, tenantGiven: Bool) -> LintFileReport {
        var report = LintFileReport(findings: input.findings, connections: input.subjects.count)
        report.files = input.files
        let tenant = tenantGiven ? self.tenant : (input.tenant ?? self.tenant)
        for subject in input.subjects {
            let violations: [Violation]
            if let stored = subject.stored {
                violations = TolerantJudge.judge(subject.body) { ConnectionJudge.judgeUpdate($0, stored: stored, tenant: tenant) }
            } else {
                violations = TolerantJudge.judge(subject.body) { ConnectionJudge.judgeCreate($0, tenant: tenant) }
            }
            for violation in violations {
                let place = subject.place(violation.path)
                report.findings.append(
                    LintFinding(
                        file: subject.file, line: place.position.line, column: place.position.column, rule: violation.rule,
                        severity: violation.severity, path: place.documentPath, message: violation.message,
                        address: subject.address, schemaPath: place.schemaPath))
            }
        }
        return report
    }
}
