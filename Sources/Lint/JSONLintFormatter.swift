import JSON
import Validation

/// An array of `{file, line, column, rule, severity, path, message}` (and `address`,
/// `schema_path` on a Terraform plan), one finding per line. `path` is an RFC 6901 pointer into the file's document (`/2/options/...` for the
/// third connection of an array), so `file` and `path` together name the value.
public struct JSONLintFormatter: LintFormatter {
    public init() {}

    public func format(_ findings: [LintFinding]) -> String {
        guard !findings.isEmpty else { return "[]\n" }
        var writer = JSONWriter(reservingCapacity: findings.count * 160)
        writer.writeRaw("[\n")
        for (offset, finding) in findings.enumerated() {
            if offset > 0 { writer.writeRaw(",\n") }
            var item: JSONObject = [
                "file": .string(finding.file),
                "line": .int(finding.line),
                "column": .int(finding.column),
                "rule": .string(finding.violation.rule),
                "severity": .string(finding.violation.severity.rawValue),
                "path": .string(finding.violation.path.jsonPointer),
                "message": .string(finding.violation.message),
            ]
            // Findings on a Terraform plan name the resource and the provider-schema path.
            if let address = finding.address { item["address"] = .string(address) }
            if let schemaPath = finding.schemaPath { item["schema_path"] = .string(schemaPath) }
            writer.write(.object(item))
        }
        writer.writeRaw("\n]\n")
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
