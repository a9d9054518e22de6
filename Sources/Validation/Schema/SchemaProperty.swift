/// One entry of `properties`.
struct SchemaProperty: Sendable {
    let name: String
    let schema: Schema

    init(_ name: String, _ schema: Schema) {
        self.name = name
        self.schema = schema
    }
}
