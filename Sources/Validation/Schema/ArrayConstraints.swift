/// `items`, `minItems`, `maxItems` and `uniqueItems` of an array schema.
final class ArrayConstraints: Sendable {
    let items: Schema
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool

    init(items: Schema, minItems: Int?, maxItems: Int?, uniqueItems: Bool) {
        self.items = items
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
    }
}
