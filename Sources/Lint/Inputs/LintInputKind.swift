/// What a linted file is (`--input`), when its content should not decide.
public enum LintInputKind: String, Sendable, CaseIterable {
    /// Management API JSON: a connection, an array of them, or a list response.
    case api
    /// `terraform show -json` of a plan.
    case terraformPlan = "terraform-plan"
    /// auth0-deploy-cli configuration: `tenant.yaml`, or its directory format.
    case deployCLI = "deploy-cli"
}

extension LintInputKind {
    /// Tells a file's kind by its name and content: `.yaml`/`.yml` are deploy CLI YAML; JSON
    /// that opens with a plan's `format_version` and `terraform_version` (as `terraform show
    /// -json` writes them, first) is a Terraform plan; anything else is API JSON.
    public static func detect(name: String, bytes: [UInt8]) -> LintInputKind {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .deployCLI }
        let head = Array(LintEngine.withoutByteOrderMark(bytes).prefix(1024))
        guard head.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else { return .api }
        func has(_ key: String) -> Bool {
            let needle = Array(key.utf8)
            return head.indices.contains { head[$0...].starts(with: needle) }
        }
        if has("\"format_version\"") && (has("\"terraform_version\"") || has("\"resource_changes\"")) {
            return .terraformPlan
        }
        return .api
    }
}
