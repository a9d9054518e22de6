import Validation

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
                violations = TolerantJudge.judge(subject.body) { judgeUpdate($0, stored, tenant) }
            } else {
                violations = TolerantJudge.judge(subject.body) { judgeCreate($0, tenant) }
            }
            for violation in violations {
                let place = subject.place(violation.path)
                report.findings.append(
                    LintFinding(
                        violation.moved(to: place.documentPath), file: subject.file, at: place.position, address: subject.address,
                        schemaPath: place.schemaPath))
            }
        }
        return report
    }
}
