import JSON

/// `fields` + `include_fields` (API.md): a projection of connection members. `id`,
/// `is_domain_connection`, `authentication` and `connected_accounts` always stay.
struct FieldSelection: Sendable {
    static let alwaysReturned: Set<String> = ["id", "is_domain_connection", "authentication", "connected_accounts"]
    static let fieldsDescription =
        "A comma separated list of fields to include or exclude (depending on include_fields) from the result, empty to retrieve all fields"
    static let includeFieldsDescription =
        "<code>true</code> if the fields specified are to be included in the result, <code>false</code> otherwise (defaults to <code>true</code>)"

    let fields: Set<String>
    let include: Bool

    /// `nil` when the query asks for every field.
    init?(query: QueryParameters) throws(APIError) {
        let include = try query.boolean("include_fields", description: Self.includeFieldsDescription) ?? true
        guard let text = query.value("fields") else { return nil }
        let fields = Set(text.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty })
        guard !fields.isEmpty else { return nil }
        self.fields = fields
        self.include = include
    }

    func project(_ connection: JSONObject) -> JSONObject {
        JSONObject(
            members: connection.members.filter { member in
                Self.alwaysReturned.contains(member.key) || fields.contains(member.key) == include
            })
    }
}
