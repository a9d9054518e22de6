import JSON
import Validation

/// SARIF 2.1.0 (OASIS) for GitHub code scanning: one run of the `connections-api` driver.
///
/// Carries what GitHub's upload documents as required (`ruleId`, `level`,
/// `message.text`, `physicalLocation.artifactLocation.uri`, `region.startLine`) plus the
/// rule table it shows next to each alert. Columns count Unicode scalars, as the parser
/// does, so the run says `columnKind: unicodeCodePoints` (SARIF §3.14.17; the default
/// would be UTF-16 code units).
public struct SARIFLintFormatter: LintFormatter {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let toolName = "connections-api"
    public static let informationURI = "https://github.com/connections-api/connections-api"

    public let rules: [Rule]

    public init(rules: [Rule] = LintRules.all) {
        self.rules = rules
    }

    public func format(_ findings: [LintFinding]) -> String {
        var table = rules
        var indexByID: [String: Int] = [:]
        for (index, rule) in table.enumerated() where indexByID[rule.id] == nil { indexByID[rule.id] = index }
        // A rule the table does not know still gets a descriptor, so every `ruleIndex` is valid.
        for finding in findings where indexByID[finding.violation.rule] == nil {
            indexByID[finding.violation.rule] = table.count
            table.append(Rule(id: finding.violation.rule, severity: finding.violation.severity, summary: finding.violation.rule))
        }

        let results: [JSONValue] = findings.map { finding in
            var location: JSONObject = [
                "physicalLocation": .object([
                    "artifactLocation": .object(["uri": .string(Self.uri(forPath: finding.file))]),
                    "region": .object([
                        "startLine": .int(finding.line),
                        "startColumn": .int(finding.column),
                    ]),
                ])
            ]
            // A Terraform resource and the provider-schema path of the value (SARIF §3.33).
            if let address = finding.address {
                let name = finding.schemaPath ?? address
                let qualified = finding.schemaPath.map { "\(address).\($0)" } ?? address
                location["logicalLocations"] = .array([
                    .object(["name": .string(name), "fullyQualifiedName": .string(qualified), "kind": .string("resource")])
                ])
            }
            return .object([
                "ruleId": .string(finding.violation.rule),
                "ruleIndex": .int(indexByID[finding.violation.rule] ?? 0),
                "level": .string(finding.violation.severity.rawValue),
                "message": .object(["text": .string(finding.violation.message)]),
                "locations": .array([.object(location)]),
            ])
        }
        let driver: JSONValue = .object([
            "name": .string(Self.toolName),
            "version": .string(BuildVersion.current),
            "semanticVersion": .string(BuildVersion.current),
            "informationUri": .string(Self.informationURI),
            "rules": .array(
                table.map { rule in
                    .object([
                        "id": .string(rule.id),
                        "shortDescription": .object(["text": .string(rule.summary)]),
                        "defaultConfiguration": .object(["level": .string(rule.severity.rawValue)]),
                    ])
                }),
        ])
        let log: JSONValue = .object([
            "$schema": .string(Self.schemaURI),
            "version": .string("2.1.0"),
            "runs": .array([
                .object([
                    "tool": .object(["driver": driver]),
                    "columnKind": .string("unicodeCodePoints"),
                    "results": .array(results),
                ])
            ]),
        ])
        return JSONWriter.string(log) + "\n"
    }

    /// The `artifactLocation.uri` of a path as given on the command line: a relative
    /// reference for a relative path (GitHub resolves it against the checkout), a `file:`
    /// URI for an absolute one. Bytes outside RFC 3986's path characters are
    /// percent-encoded, and so is `:`, which would otherwise read as a scheme.
    static func uri(forPath path: String) -> String {
        var encoded = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
                UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                encoded += "%"
                encoded.unicodeScalars.append(hex[Int(byte >> 4)])
                encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return encoded
    }
}
