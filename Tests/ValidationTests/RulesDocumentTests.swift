import Foundation
import Testing

@testable import Validation

/// docs/RULES.md is the project's own reference of the rules: it must list every rule of
/// `RuleSet.auth0`, in order, with its severity and its summary.
@Suite struct RulesDocumentTests {
    private static let document = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/RULES.md")

    @Test func theTableListsEveryRuleInOrder() throws {
        let text = try String(contentsOf: Self.document, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains(" | `") }
        #expect(rows.count == RuleSet.auth0.count)
        for (index, rule) in RuleSet.auth0.enumerated() where index < rows.count {
            let cells = rows[index].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells.count >= 4, "row \(index + 1)")
            guard cells.count >= 4 else { continue }
            #expect(cells[0] == String(index + 1))
            #expect(cells[1] == "`\(rule.id)`")
            #expect(cells[2] == rule.severity.rawValue, "\(rule.id)")
            #expect(cells[3].hasPrefix(rule.summary), "\(rule.id): docs/RULES.md says \(cells[3])")
        }
    }
}
