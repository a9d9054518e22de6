import Validation

/// The output formats of `lint --format`.
public enum LintFormat: String, Sendable, CaseIterable {
    case text
    case json
    case sarif
    case github

    /// The formatter for this format; SARIF lists `rules` in its tool description.
    public func formatter(rules: [Rule] = LintRules.all) -> any LintFormatter {
        switch self {
        case .text: return TextLintFormatter()
        case .json: return JSONLintFormatter()
        case .sarif: return SARIFLintFormatter(rules: rules)
        case .github: return GitHubLintFormatter()
        }
    }
}
