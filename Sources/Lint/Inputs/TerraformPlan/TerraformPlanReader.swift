import JSON
import Validation

/// Reads `terraform show -json` of a plan (Terraform's JSON output format, format_version
/// 1.x): each `auth0_connection` change that creates or updates is translated into the API's
/// JSON as the provider builds its request (`ProviderSchema`); a create is judged as a POST,
/// an update as a PATCH of `change.before`. An `auth0_prompt` gives `identifier_first`.
///
/// Values the configuration sets but Terraform knows only at apply (`after_unknown`) are
/// absent from `after`, so they are judged as absent; each resource with any gets one
/// `unknown-at-plan` warning. Values unknown because the API fills them (`id`, computed
/// attributes the configuration leaves out) do not count: the plan's `configuration` says
/// which attributes the configuration sets.
///
/// Findings are placed at the value in `resource_changes[].change.after` and carry the
/// resource address and the provider-schema path.
public enum TerraformPlanReader {
    /// One warning per resource with values that are unknown until apply.
    public static let unknownRule = Rule(
        id: "unknown-at-plan", severity: .warning,
        summary: "Values unknown until apply are not judged; the plan is judged without them.")
    static let connectionType = "auth0_connection"
    static let promptType = "auth0_prompt"
    /// Plans nest modules and provider schemas deeper than an API body.
    static let maxDepth = 512

    public static func read(file: String, bytes: [UInt8]) -> LintInput {
        var input = LintInput()
        let plan: JSONValue
        let positions: JSONPositions
        do {
            (plan, positions) = try JSONParser.parseWithPositions(LintEngine.withoutByteOrderMark(bytes), maxDepth: maxDepth)
        } catch {
            input.findings.append(
                LintFinding(Rule.jsonSyntax.violation(path: [], message: "Invalid JSON: \(error.reason)"), file: file, at: error.position))
            return input
        }
        let changes = plan["resource_changes"]?.arrayValue ?? []
        for change in changes where change["type"]?.stringValue == promptType {
            if case .bool(let flag)? = change["change"]?["after"]?["identifier_first"] {
                input.tenant = TenantSettings(identifierFirst: flag)
            }
        }
        for (index, change) in changes.enumerated() where change["type"]?.stringValue == connectionType {
            let actions = change["change"]?["actions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            guard actions.contains("create") || actions.contains("update"),
                let after = change["change"]?["after"]?.objectValue
            else { continue }
            let resource = Resource(
                file: file, index: index, change: change, after: after, isCreate: actions.contains("create"),
                positions: positions)
            input.subjects.append(resource.subject())
            if let warning = resource.unknownWarning(configuration: plan["configuration"]) {
                input.findings.append(warning)
            }
        }
        return input
    }

    /// One `auth0_connection` change.
    struct Resource {
        let file: String
        let index: Int
        let change: JSONValue
        let after: JSONObject
        let isCreate: Bool
        let positions: JSONPositions

        var address: String { change["address"]?.stringValue ?? "\(connectionType).\(change["name"]?.stringValue ?? "")" }
        var changePath: [PathSegment] { [.key("resource_changes"), .index(index), .key("change")] }

        var before: JSONObject? { change["change"]?["before"]?.objectValue }

        var schema: ProviderSchema {
            let strategy = after["strategy"]?.stringValue ?? before?["strategy"]?.stringValue
            return strategy == "auth0" ? .connection : .otherStrategy
        }

        func subject() -> LintSubject {
            let schema = self.schema
            let translation = ProviderTranslation(after, schema: schema)
            var body = translation.body
            var stored: JSONObject?
            if !isCreate, let before {
                // The provider sends `name` and `strategy` on create only, `realms` when they change.
                body["name"] = nil
                body["strategy"] = nil
                if before["realms"] == after["realms"] { body["realms"] = nil }
                var previous = ProviderTranslation(before, schema: schema).body
                if let id = before["id"] { previous["id"] = id }
                stored = previous
            }
            let afterPath = changePath + [.key("after")]
            let positions = self.positions
            return LintSubject(file: file, body: .object(body), stored: stored, address: address) { path in
                let origin = translation.origin(of: path)
                let position = positions.position(of: afterPath + origin) ?? SourcePosition(offset: 0, line: 1, column: 1)
                let schemaPath = ProviderTranslation.schemaPath(of: path, in: schema)
                return LintSubject.Place(
                    position: position, documentPath: afterPath + origin,
                    schemaPath: schemaPath.isEmpty ? nil : schemaPath.dottedPath)
            }
        }

        /// The one `unknown-at-plan` warning, when the configuration sets values unknown until apply.
        func unknownWarning(configuration: JSONValue?) -> LintFinding? {
            guard let unknown = change["change"]?["after_unknown"] else { return nil }
            var paths: [[PathSegment]] = []
            Self.collectUnknown(unknown, at: [], into: &paths)
            let expressions = self.expressions(in: configuration)
            let configured = paths.filter { path in
                guard let expressions else { return path != [.key("id")] }
                return Self.isConfigured(path, in: expressions)
            }
            guard let first = configured.first else { return nil }
            let position =
                positions.position(of: changePath + [.key("after_unknown")] + first) ?? SourcePosition(offset: 0, line: 1, column: 1)
            let names = configured.prefix(3).map(\.dottedPath).joined(separator: ", ") + (configured.count > 3 ? ", ..." : "")
            let violation = unknownRule.violation(
                path: changePath + [.key("after_unknown")] + first,
                message: "values known only at apply (\(names)) were judged as absent: rules they break show at apply")
            return LintFinding(violation, file: file, at: position, address: address, schemaPath: first.dottedPath)
        }

        private static func collectUnknown(_ value: JSONValue, at path: [PathSegment], into paths: inout [[PathSegment]]) {
            switch value {
            case .bool(true): paths.append(path)
            case .array(let items):
                for (index, item) in items.enumerated() { collectUnknown(item, at: path + [.index(index)], into: &paths) }
            case .object(let object):
                for member in object { collectUnknown(member.value, at: path + [.key(member.key)], into: &paths) }
            default: return
            }
        }

        /// The resource's `expressions` in the plan's `configuration` (its module's, for a
        /// module address); `nil` when the plan has none for it.
        private func expressions(in configuration: JSONValue?) -> JSONValue? {
            guard var module = configuration?["root_module"] else { return nil }
            if let moduleAddress = change["module_address"]?.stringValue {
                // `module.a.module.b["x"]`: the calls by name, without instance keys.
                let parts = moduleAddress.split(separator: ".").map { String($0.prefix { $0 != "[" }) }
                var index = 0
                while index + 1 < parts.count {
                    guard parts[index] == "module", let next = module["module_calls"]?[parts[index + 1]]?["module"] else { return nil }
                    module = next
                    index += 2
                }
            }
            let wanted = "\(change["type"]?.stringValue ?? "").\(change["name"]?.stringValue ?? "")"
            return module["resources"]?.arrayValue?.first { $0["address"]?.stringValue == wanted }?["expressions"]
        }

        /// True when the configuration's expressions set the value at `path` (blocks are
        /// lists of objects there too).
        private static func isConfigured(_ path: [PathSegment], in expressions: JSONValue) -> Bool {
            var current = expressions
            for segment in path {
                switch segment {
                case .key(let key):
                    guard let next = current[key] else { return false }
                    current = next
                case .index(let index):
                    guard let items = current.arrayValue, items.indices.contains(index) else { return false }
                    current = items[index]
                }
            }
            return true
        }
    }
}
