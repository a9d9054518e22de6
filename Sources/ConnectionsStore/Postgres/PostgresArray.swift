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
        element = .text
        for element in elements {
            guard let element else {
                appendNull()
                continue
            }
            Self.append(Int32(element.utf8.count), to: &data)
            data.append(contentsOf: element.utf8)
            count += 1
        }
    }

    /// Text elements.
    init(_ elements: [String]) {
        self.init(elements.map(Optional.some))
    }

    /// Integer elements; `nil` is SQL NULL.
    init(integers elements: [Int64?]) {
        element = .bigint
        for element in elements {
            guard let element else {
                appendNull()
                continue
            }
            Self.append(Int32(8), to: &data)
            withUnsafeBytes(of: element.bigEndian) { data.append(contentsOf: $0) }
            count += 1
        }
    }

    private mutating func appendNull() {
        Self.append(Int32(-1), to: &data)
        hasNull = true
        count += 1
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
