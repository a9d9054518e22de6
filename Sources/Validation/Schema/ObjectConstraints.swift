/// `properties`, `additionalProperties`, `required`, `minProperties`, `maxProperties`.
final class ObjectConstraints: Sendable {
    let properties: [SchemaProperty]
    let additional: AdditionalProperties
    let required: [String]
    let minProperties: Int?
    let maxProperties: Int?
    /// Property positions by name: walking an object looks up every member key.
    private let positions: KeyTable

    init(
        properties: [SchemaProperty], additional: AdditionalProperties, required: [String], minProperties: Int?,
        maxProperties: Int?
    ) {
        self.properties = properties
        self.additional = additional
        self.required = required
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        positions = KeyTable(properties.map(\.name))
    }

    /// The schema of a declared property.
    func property(_ name: String) -> Schema? {
        positions.position(of: name).map { properties[$0].schema }
    }
}
