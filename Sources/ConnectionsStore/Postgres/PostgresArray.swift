/// A one-dimensional PostgreSQL array sent as one parameter in the binary format (`array_recv`:
/// https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/adt/arrayfuncs.c)
/// and taken apart by `unnest`: how one statement writes a whole group's rows. Binary because
/// the elements are whole connection bodies: copied as they are, where a text literal
/// (`{"…"}`) escapes every quote byte by byte, which cost the writer a quarter of its time.
struct PostgresArray {
    /// The element types this store sends, with their array types (pg_type.oid).
    enum Element {
        case text, bigint

        var oid: UInt32 { self == .text ? 25 : 20 }
        var arrayOID: UInt32 { self == .text ? 1009 : 1016 }
    }

    private let element: Element
    private var hasNull = false
    private var count = 0
    private var data: [UInt8] = []

    /// Text elements; `nil` is SQL NULL.
    init(_ elements: [String?]) {
        self.init(.text, elements) { text, bytes in bytes.append(contentsOf: text.utf8) }
    }

    /// Text elements.
    init(_ elements: [String]) {
        self.init(elements.map(Optional.some))
    }

    /// Integer elements; `nil` is SQL NULL.
    init(integers elements: [Int64?]) {
        self.init(.bigint, elements) { integer, bytes in withUnsafeBytes(of: integer.bigEndian) { bytes.append(contentsOf: $0) } }
    }

    /// Each element as its length, then what `encode` appends (nothing for NULL, length -1).
    private init<Value>(_ element: Element, _ elements: [Value?], encode: (Value, inout [UInt8]) -> Void) {
        self.element = element
        count = elements.count
        for value in elements {
            guard let value else {
                Self.append(-1, to: &data)
                hasNull = true
                continue
            }
            let start = data.count
            Self.append(0, to: &data)
            encode(value, &data)
            let length = Int32(data.count - start - 4).bigEndian
            withUnsafeBytes(of: length) { data.replaceSubrange(start..<start + 4, with: $0) }
        }
    }

    private static func append(_ value: Int32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The array's bytes: dimensions, null flag, element type, then each element's length and bytes.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + data.count)
        Self.append(1, to: &bytes)  // one dimension
        Self.append(hasNull ? 1 : 0, to: &bytes)
        Self.append(Int32(bitPattern: element.oid), to: &bytes)
        Self.append(Int32(count), to: &bytes)
        Self.append(1, to: &bytes)  // its lower bound
        bytes += data
        return bytes
    }

    /// The array, as a parameter.
    var value: PostgresValue { .binary(type: element.arrayOID, bytes) }
}
