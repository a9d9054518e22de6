/// Typed access to query parameters with Auth0's `Query validation error` messages.
extension QueryParameters {
    /// Rejects any parameter not in `allowed` (API.md: unknown parameters are a 400).
    func requireOnly(_ allowed: Set<String>) throws(APIError) {
        if pairs.isEmpty { return }
        let unknown = names.filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            var seen = Set<String>()
            let listed = unknown.filter { seen.insert($0).inserted }
            throw APIError.invalidQuery("Additional properties not allowed: \(listed.joined(separator: ","))")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>, description: String) throws(APIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), text.first != "+" else {
            throw APIError.invalidQuery("Expected type integer but found type string", property: name, description: description)
        }
        if number < range.lowerBound {
            throw APIError.invalidQuery(
                "Value \(number) is less than minimum \(range.lowerBound)", property: name, description: description)
        }
        if number > range.upperBound {
            throw APIError.invalidQuery(
                "Value \(number) is greater than maximum \(range.upperBound)", property: name, description: description)
        }
        return number
    }

    func boolean(_ name: String, description: String) throws(APIError) -> Bool? {
        guard let text = value(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.invalidQuery("Expected type boolean but found type string", property: name, description: description)
        }
    }

    /// `?dry_run=true`: this service's own addition on POST and PATCH.
    func dryRun() throws(APIError) -> Bool {
        try boolean("dry_run", description: "Judge the request without storing anything") ?? false
    }
}
