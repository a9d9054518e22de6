/// What a linted file is (`--input`), when its content should not decide.
public enum LintInputKind: String, Sendable, CaseIterable {
    /// Management API JSON: a connection, an array of them, or a list response.
    case api
    /// `terraform show -json` of a plan.
    case terraformPlan = "terraform-plan"
    /// auth0-deploy-cli configuration: `tenant.yaml`, or its directory format.
    case deployCLI = "deploy-cli"
}
