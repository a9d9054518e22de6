import Foundation
import JSON

@testable import Validation

/// One request/response pair of `conformance/recordings.json` (see its README).
struct RecordedCase: Sendable, CustomStringConvertible {
    let scenario: String
    let seq: Int
    let method: String
    let path: String
    let requestBody: JSONValue?
    let status: Int
    let responseBody: JSONValue?
    let strategy: String?

    var description: String { "\(scenario)#\(seq) \(method) \(path) → \(status)" }

    /// The connection id a `/api/v2/connections/{id}` path names (`nil` for other paths).
    var connectionID: String? {
        let prefix = "/api/v2/connections/"
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        let id = rest.prefix { $0 != "/" && $0 != "?" }
        return id.isEmpty ? nil : String(id)
    }

    /// True for `PATCH /api/v2/connections/{id}/clients`.
    var isClientsRoute: Bool {
        path.contains("/clients")
    }
}

/// Loads the conformance data once: from `$CONNECTIONS_SHARED_DIR/conformance` when set,
/// else from the repository's copy in `Tests/Fixtures/conformance` (refreshed from the
/// contract by `scripts/sync-conformance`), so the tests run wherever the repository is cloned.
enum ConformanceRecordings {
    static let conformanceDirectory: URL = {
        if let shared = ProcessInfo.processInfo.environment["CONNECTIONS_SHARED_DIR"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("conformance")
        }
        // Tests/ValidationTests/Support/ConformanceRecordings.swift → Tests/Fixtures/conformance.
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/conformance")
    }()

    static let all: [RecordedCase] = {
        let url = conformanceDirectory.appendingPathComponent("recordings.json")
        guard let data = FileManager.default.contents(atPath: url.path),
            let document = try? JSONParser.parse(Array(data)),
            let items = document.arrayValue
        else { return [] }
        return items.compactMap(RecordedCase.init(json:))
    }()

    /// Cases of one scenario in `seq` order.
    static func scenario(_ name: String) -> [RecordedCase] {
        all.filter { $0.scenario == name }.sorted { $0.seq < $1.seq }
    }
}

extension RecordedCase {
    init?(json: JSONValue) {
        guard let object = json.objectValue,
            let scenario = object["scenario"]?.stringValue,
            let seq = object["seq"]?.numberValue?.intValue,
            let method = object["method"]?.stringValue,
            let path = object["path"]?.stringValue,
            let status = object["status"]?.numberValue?.intValue
        else { return nil }
        self.scenario = scenario
        self.seq = seq
        self.method = method
        self.path = path
        self.status = status
        requestBody = object["request_body"].flatMap { $0.isNull ? nil : $0 }
        responseBody = object["response_body"].flatMap { $0.isNull ? nil : $0 }
        strategy = object["strategy"]?.stringValue
    }
}
