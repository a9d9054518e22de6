import JSON
import Validation

/// What `lint --parse-yaml` prints for one file: `{"value": ..., "positions": {pointer:
/// [line, column]}}` (pointers sorted), or `{"error": reason, "line": L, "column": C}`.
/// The oracle tests compare it with PyYAML's reading of the same text.
public enum YAMLDump {
    public static func render(_ bytes: [UInt8]) -> String {
        do {
            let (value, positions) = try YAMLParser.parse(LintEngine.withoutByteOrderMark(bytes))
            let pointers = positions.recorded.map { ($0.key.jsonPointer, $0.value) }.sorted { $0.0 < $1.0 }
            let table = JSONObject(
                members: pointers.map { pointer, position in
                    JSONObject.Member(key: pointer, value: .array([.int(position.line), .int(position.column)]))
                })
            return JSONWriter.string(.object(["value": value, "positions": .object(table)])) + "\n"
        } catch {
            let report: JSONValue = .object([
                "error": .string(error.reason), "line": .int(error.position.line), "column": .int(error.position.column),
            ])
            return JSONWriter.string(report) + "\n"
        }
    }
}
