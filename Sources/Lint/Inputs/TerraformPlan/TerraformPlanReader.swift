import Validation

/// Reads `terraform show -json` of a plan.
public enum TerraformPlanReader {
    /// One warning per resource with values that are unknown until apply.
    public static let unknownRule = "unknown-at-plan"

    public static func read(file: String, bytes: [UInt8]) -> LintInput {
        LintInput()
    }
}
