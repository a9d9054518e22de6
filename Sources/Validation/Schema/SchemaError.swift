import JSON

/// Builds the `schema` violations, worded as Auth0 words them: the z-schema detail inside
/// `Payload validation error: '<detail>' on property <dotted.path> (<description>).`, and
/// without the `on property` part when the problem is the body itself.
enum SchemaError {
    static func violation(_ detail: String, at path: [PathSegment], description: String) -> Violation {
        let message: String
        if path.isEmpty {
            message = "Payload validation error: '\(detail)'."
        } else if description.isEmpty {
            // A schema without an OAS description (the items of `PATCH .../clients`).
            message = "Payload validation error: '\(detail)' on property \(path.dottedPath)."
        } else {
            message = "Payload validation error: '\(detail)' on property \(path.dottedPath) (\(description))."
        }
        return Rule.schema.violation(path: path, message: message)
    }

    // z-schema detail strings (Errors.js).

    static func invalidType(expected: String, found: String) -> String {
        "Expected type \(expected) but found type \(found)"
    }

    /// API.md quotes the value as JSON: `No enum match for: "foo"`.
    static func enumMismatch(_ value: JSONValue) -> String {
        "No enum match for: \(JSONWriter.string(value))"
    }

    static func stringTooShort(length: Int, minimum: Int) -> String {
        "String is too short (\(length) chars), minimum \(minimum)"
    }

    static func stringTooLong(length: Int, maximum: Int) -> String {
        "String is too long (\(length) chars), maximum \(maximum)"
    }

    static func patternMismatch(_ pattern: String, value: String) -> String {
        "String does not match pattern \(pattern): \(value)"
    }

    static func arrayTooShort(count: Int, minimum: Int) -> String {
        "Array is too short (\(count)), minimum \(minimum)"
    }

    static func arrayTooLong(count: Int, maximum: Int) -> String {
        "Array is too long (\(count)), maximum \(maximum)"
    }

    static func arrayNotUnique(_ first: Int, _ second: Int) -> String {
        "Array items are not unique (indexes \(first) and \(second))"
    }

    static func tooFewProperties(count: Int, minimum: Int) -> String {
        "Too few properties defined (\(count)), minimum \(minimum)"
    }

    static func tooManyProperties(count: Int, maximum: Int) -> String {
        "Too many properties defined (\(count)), maximum \(maximum)"
    }

    static func missingRequired(_ name: String) -> String {
        "Missing required property: \(name)"
    }

    static func additionalProperties(_ names: [String]) -> String {
        // Built as bytes: a hostile body names 100,000 keys, and `joined` cost ~600 instructions
        // a name (callgrind).
        let prefix = "Additional properties not allowed: "
        var bytes: [UInt8] = []
        bytes.reserveCapacity(names.reduce(prefix.utf8.count) { $0 + $1.utf8.count + 1 })
        bytes.append(contentsOf: prefix.utf8)
        for index in names.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var name = names[index]
            name.withUTF8 { bytes.append(contentsOf: $0) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Ours, not z-schema's: what `SchemaValidator.maxListed` left out.
    static func notListed(_ count: Int) -> String {
        "\(count) more schema errors not listed"
    }

    static func lessThanMinimum(_ value: JSONNumber, _ minimum: Int) -> String {
        "Value \(value.literal) is less than minimum \(minimum)"
    }

    static func greaterThanMaximum(_ value: JSONNumber, _ maximum: Int) -> String {
        "Value \(value.literal) is greater than maximum \(maximum)"
    }
}
