import JSON
import Lint
import Validation

// libFuzzer target for lint's YAML reader (YAMLParser). Built by fuzz/run.sh against instrumented
// Validation and Lint modules; not part of the package. A broken property calls `fatalError`, which
// libFuzzer reports as a crash with the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    checkParse(bytes)
    return 0
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property broken: \(message())") }
}

/// Lines in the input up to `offset` (1-based), as positions count them.
private func line(at offset: Int, in bytes: [UInt8]) -> Int {
    1 + bytes[..<min(offset, bytes.count)].filter { $0 == 0x0A }.count
}

private func checkParse(_ bytes: [UInt8]) {
    let tight = YAMLLimits(maxDepth: 8, maxBytes: 4096)
    for limits in [YAMLLimits(), tight] {
        do {
            let (value, positions) = try YAMLParser.parse(bytes, limits: limits)
            check(bytes.count <= limits.maxBytes, "accepted a document over maxBytes")
            check(depth(of: value) <= limits.maxDepth, "accepted nesting deeper than maxDepth")
            // Every value has a position inside the input, on the line its offset is on.
            for (path, position) in positions.recorded {
                check(position.offset >= 0 && position.offset <= bytes.count, "position outside the input at \(path)")
                check(position.line == line(at: position.offset, in: bytes), "line of \(path) disagrees with its offset")
                check(position.column >= 1, "column below 1 at \(path)")
            }
            checkEveryValueIsPlaced(value, path: [], positions: positions)
            // What was read is JSON: written out and read back (as JSON, and as YAML, whose flow
            // style is a superset of JSON) it is the same value.
            let text = JSONWriter.string(value)
            let again = try? JSONParser.parse(text, maxDepth: 1 << 20)
            check(again == value, "the value does not round-trip through JSON")
            if depth(of: value) < limits.maxDepth, let yaml = try? YAMLParser.parse(Array(text.utf8)).0 {
                check(yaml == value, "the JSON text of the value reads back differently as YAML")
            }
        } catch {
            check(error.position.offset >= 0 && error.position.offset <= bytes.count, "error position outside the input")
            check(error.position.line == line(at: error.position.offset, in: bytes), "error line disagrees with its offset")
            check(!error.reason.isEmpty, "error without a reason")
        }
    }
}

private func depth(of value: JSONValue) -> Int {
    switch value {
    case .array(let items): return 1 + (items.map(depth(of:)).max() ?? 0)
    case .object(let object): return 1 + (object.members.map { depth(of: $0.value) }.max() ?? 0)
    default: return 0
    }
}

private func checkEveryValueIsPlaced(_ value: JSONValue, path: [PathSegment], positions: JSONPositions) {
    check(positions.recorded[path] != nil, "no position for \(path.jsonPointer)")
    switch value {
    case .array(let items):
        for (index, item) in items.enumerated() { checkEveryValueIsPlaced(item, path: path + [.index(index)], positions: positions) }
    case .object(let object):
        for member in object.members { checkEveryValueIsPlaced(member.value, path: path + [.key(member.key)], positions: positions) }
    default:
        return
    }
}
