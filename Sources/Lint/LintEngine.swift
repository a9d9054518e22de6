import JSON
import Validation

/// Turns a file's bytes into located findings, with the same engine the API runs
/// (`ConnectionJudge`). Pure: the command reads the files, the engine only judges them.
public struct LintEngine: Sendable {
    public let tenant: TenantSettings
    /// The stored connection (a GET response) when each file is a PATCH body (`--current`).
    public let current: JSONObject?

    /// The verdicts; `ConnectionJudge`'s outside tests, which substitute their own to place
    /// findings at chosen paths.
    typealias CreateJudge = @Sendable (JSONValue, TenantSettings) -> Judgement
    typealias UpdateJudge = @Sendable (JSONValue, JSONObject, TenantSettings) -> Judgement
    let judgeCreate: CreateJudge
    let judgeUpdate: UpdateJudge

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
        report(file: file, bytes: bytes).findings
    }

    /// Judges one file, counting the connections judged, for the summary line.
    public func report(file: String, bytes: [UInt8]) -> LintFileReport {
        var report = LintFileReport()
        // A UTF-8 byte-order mark is not JSON (RFC 8259 §8.1 lets a parser ignore it):
        // editors on Windows write one, and lines and columns count from after it.
        let bytes = Self.withoutByteOrderMark(bytes)
        do {
            report.findings = try findings(file: file, bytes: bytes, counting: &report.connections)
        } catch {
            report.findings = [
                LintFinding(Rule.jsonSyntax.violation(path: [], message: "Invalid JSON: \(error.reason)"), file: file, at: error.position)
            ]
        }
        return report
    }

    /// `bytes` without a leading UTF-8 byte-order mark (EF BB BF).
    public static func withoutByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    private func findings(
        file: String, bytes: [UInt8], counting connections: inout Int
    ) throws(JSONSyntaxError) -> [LintFinding] {
        // CLI.md: with `--current` the whole file is one PATCH body.
        if current != nil {
            connections += 1
            return findings(ofConnection: try JSONParser.parse(bytes), file: file, bytes: bytes)
        }
        var streamedCount = 0
        // Findings of entries judged before a syntax fault are dropped with the throw.
        var streamed: [LintFinding] = []
        var locator = FindingLocator(bytes: bytes)
        let document = try JSONParser.parse(bytes, streamingElementsOf: "connections") { path, element, range in
            let entry = LintDocument.Entry(path: path, value: element)
            streamedCount += 1
            for violation in judge(entry) {
                let position = locator.position(of: violation.path, inEntryAt: range)
                streamed.append(finding(violation, in: entry, file: file, at: position))
            }
        }
        switch LintDocument.kind(of: document) {
        case .array, .listResponse:
            connections += streamedCount
            return streamed
        case .connection:
            connections += 1
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
        LintFinding(violation.moved(to: entry.path + violation.path), file: file, at: position)
    }

    /// The engine words its own schema error for an entry that is not an object, as the
    /// API's validator does for a body of the wrong type. A schema error does not hide the
    /// rules that can still be judged (`TolerantJudge`).
    private func judge(_ entry: LintDocument.Entry) -> [Violation] {
        if let current {
            return TolerantJudge.judge(entry.value) { judgeUpdate($0, current, tenant) }
        }
        guard let connection = entry.value.objectValue else {
            return judgeCreate(entry.value, tenant).violations
        }
        return TolerantJudge.judge(.object(LintDocument.creationBody(from: connection))) { judgeCreate($0, tenant) }
    }
}
