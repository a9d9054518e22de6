import JSON

/// Walks a JSON value against a `Schema` and collects every problem as a `schema`
/// violation, in document order: for an object, its own problems (additional
/// properties, then missing required ones, then property counts) before its members,
/// which are visited in the order they were sent.
///
/// Where z-schema's order matters for the first message Auth0 shows, it is kept:
/// `required` is checked last-declared first, and a value of the wrong type reports
/// only that.
struct SchemaValidator {
    /// At most this many problems are listed; the rest are counted in one last violation. A
    /// 1 MiB body can hold 500,000 wrongly typed items, whose messages would take seconds to
    /// build and 130 MB to send (API.md "CPU budget", docs/DECISIONS.md).
    static let maxListed = 100

    private(set) var violations: [Violation] = []
    /// Problems found past `maxListed`.
    private var omitted = 0
    private let root: JSONValue
    private let basePath: [PathSegment]
    /// The member or item index taken at each level below `root`. Spelling the path out
    /// as segments (retaining every key on the way down) is left to the rare value that
    /// has a problem.
    private var steps: [Int] = []

    private init(root: JSONValue, basePath: [PathSegment]) {
        self.root = root
        self.basePath = basePath
        steps.reserveCapacity(8)
    }

    /// Validates `value`, found at `basePath`, against `schema`.
    static func validate(_ value: JSONValue, against schema: Schema, at basePath: [PathSegment] = []) -> [Violation] {
        var validator = SchemaValidator(root: value, basePath: basePath)
        validator.validate(value, schema)
        // An object's own problems are put before its members', so the list may have run over.
        if validator.violations.count > maxListed {
            validator.omitted += validator.violations.count - maxListed
            validator.violations.removeLast(validator.violations.count - maxListed)
        }
        if validator.omitted > 0 {
            validator.violations.append(
                SchemaError.violation(SchemaError.notListed(validator.omitted), at: basePath, description: ""))
        }
        return validator.violations
    }

    /// Where the value being validated is: `steps` replayed from `root`.
    private var path: [PathSegment] {
        var path = basePath
        var value = root
        for step in steps {
            if case .object(let object) = value {
                let member = object.members[step]
                path.append(.key(member.key))
                value = member.value
            } else if case .array(let items) = value {
                path.append(.index(step))
                value = items[step]
            }
        }
        return path
    }

    mutating func validate(_ value: JSONValue, _ schema: Schema) {
        if value.isNull && schema.nullable { return }
        switch schema.kind {
        case .any:
            return
        case .boolean:
            if value.boolValue == nil { typeMismatch(value, schema) }
        case .string(let constraints):
            guard let text = value.stringValue else { return typeMismatch(value, schema) }
            check(text, value, constraints, schema)
        case .integer(let bounds):
            guard let number = value.numberValue, number.isIntegral else { return typeMismatch(value, schema) }
            check(number, bounds, schema)
        case .number(let bounds):
            guard let number = value.numberValue else { return typeMismatch(value, schema) }
            check(number, bounds, schema)
        case .array(let constraints):
            guard let items = value.arrayValue else { return typeMismatch(value, schema) }
            check(items, constraints, schema)
        case .object(let constraints):
            guard let object = value.objectValue else { return typeMismatch(value, schema) }
            check(object, constraints, schema)
        }
    }

    /// Lists a problem, or counts it once the list is full (its message is then never built).
    private mutating func report(_ detail: @autoclosure () -> String, _ schema: Schema) {
        guard violations.count < Self.maxListed else {
            omitted += 1
            return
        }
        violations.append(SchemaError.violation(detail(), at: path, description: schema.description))
    }

    private mutating func typeMismatch(_ value: JSONValue, _ schema: Schema) {
        report(SchemaError.invalidType(expected: schema.expectedTypeName, found: value.schemaType), schema)
    }

    private mutating func check(_ text: String, _ value: JSONValue, _ constraints: StringConstraints, _ schema: Schema) {
        if let allowed = constraints.allowed {
            let count = text.utf8.count
            if !allowed.contains(where: { $0.utf8.count == count && $0 == text }) {
                report(SchemaError.enumMismatch(value), schema)
                return
            }
        }
        if let pattern = constraints.pattern, !pattern.matches(text) {
            report(SchemaError.patternMismatch(pattern.source, value: text), schema)
        }
        // z-schema compares code points but prints JavaScript's UTF-16 length. A string has
        // at most as many code points as UTF-8 bytes and at least a quarter as many, so the
        // byte count settles most checks without counting.
        let bytes = text.utf8.count
        if let maximum = constraints.maxLength, bytes > maximum, text.unicodeScalars.count > maximum {
            report(SchemaError.stringTooLong(length: text.utf16.count, maximum: maximum), schema)
        }
        if let minimum = constraints.minLength, bytes < minimum * 4, text.unicodeScalars.count < minimum {
            report(SchemaError.stringTooShort(length: text.utf16.count, minimum: minimum), schema)
        }
    }

    private mutating func check(_ number: JSONNumber, _ bounds: NumberBounds, _ schema: Schema) {
        guard bounds.minimum != nil || bounds.maximum != nil, let value = number.doubleValue else { return }
        if let maximum = bounds.maximum, value > Double(maximum) {
            report(SchemaError.greaterThanMaximum(number, maximum), schema)
        }
        if let minimum = bounds.minimum, value < Double(minimum) {
            report(SchemaError.lessThanMinimum(number, minimum), schema)
        }
    }

    private mutating func check(_ items: [JSONValue], _ constraints: ArrayConstraints, _ schema: Schema) {
        if let maximum = constraints.maxItems, items.count > maximum {
            report(SchemaError.arrayTooLong(count: items.count, maximum: maximum), schema)
        }
        if let minimum = constraints.minItems, items.count < minimum {
            report(SchemaError.arrayTooShort(count: items.count, minimum: minimum), schema)
        }
        if constraints.uniqueItems, items.count <= max(Self.uniqueCheckLimit, constraints.maxItems ?? 0),
            let (first, second) = Self.firstDuplicate(items)
        {
            report(SchemaError.arrayNotUnique(first, second), schema)
        }
        for (index, item) in items.enumerated() {
            steps.append(index)
            validate(item, constraints.items)
            steps.removeLast()
        }
    }

    /// Arrays longer than this and than their `maxItems` (already a violation) are not
    /// searched for equal items: the pairwise search z-schema makes is quadratic, and a
    /// 1 MiB body holds 100,000 items (API.md "CPU budget", docs/DECISIONS.md).
    static let uniqueCheckLimit = 16

    /// The first pair `(i, j)`, `i < j`, of equal items, as z-schema's `isUniqueArray` finds it.
    private static func firstDuplicate(_ items: [JSONValue]) -> (Int, Int)? {
        for i in items.indices {
            for j in (i + 1)..<items.count where JSONValue.sameValue(items[i], items[j]) {
                return (i, j)
            }
        }
        return nil
    }

    /// One pass over the members; the object's own problems are then put before those of
    /// its members, where a reader looks for them first.
    private mutating func check(_ object: JSONObject, _ constraints: ObjectConstraints, _ schema: Schema) {
        let start = violations.count
        var extra: [String] = []
        // Members are read in place: iterating copies of them retained every key and value.
        object.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                let memberSchema: Schema
                if let declared = constraints.property(members[index].key) {
                    memberSchema = declared
                } else {
                    switch constraints.additional {
                    case .allowed: continue
                    case .forbidden: extra.append(members[index].key); continue
                    case .matching(let additional): memberSchema = additional
                    }
                }
                steps.append(index)
                validate(members[index].value, memberSchema)
                steps.removeLast()
            }
        }
        var own: [Violation] = []
        if !extra.isEmpty {
            ownViolation(SchemaError.additionalProperties(extra), schema, at: start, into: &own)
        }
        for name in constraints.required.reversed() where !object.contains(name) {
            ownViolation(SchemaError.missingRequired(name), schema, at: start, into: &own)
        }
        if let maximum = constraints.maxProperties, object.count > maximum {
            ownViolation(
                SchemaError.tooManyProperties(count: object.count, maximum: maximum), schema, at: start, into: &own)
        }
        if let minimum = constraints.minProperties, object.count < minimum {
            ownViolation(
                SchemaError.tooFewProperties(count: object.count, minimum: minimum), schema, at: start, into: &own)
        }
        if !own.isEmpty { violations.insert(contentsOf: own, at: start) }
    }

    /// An object's own problem, built when it lands among the first `maxListed` (inserted at
    /// `start`, before its members'; `validate` trims the list at the end, counting what it drops).
    private mutating func ownViolation(
        _ detail: @autoclosure () -> String, _ schema: Schema, at start: Int, into own: inout [Violation]
    ) {
        guard start + own.count < Self.maxListed else {
            omitted += 1
            return
        }
        own.append(SchemaError.violation(detail(), at: path, description: schema.description))
    }
}
