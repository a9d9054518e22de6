import Foundation
import JSON
import Testing
import Validation

@testable import ConnectionsAPI

/// `GET /openapi.json` serves docs/openapi.json, compiled in by scripts/embed-openapi.
@Suite struct OpenAPIDocumentTests {
    /// The repository root, found from this file's path (Tests/ConnectionsAPITests/...).
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The same JSON value, members in the same order (served compact, kept indented).
    @Test func theEmbeddedDocumentIsTheOneInDocs() throws {
        let onDisk = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/openapi.json"))
        let kept = try JSONParser.parse([UInt8](onDisk))
        let embedded = try JSONParser.parse(EmbeddedOpenAPI.document)
        #expect(JSONWriter.encode(embedded) == JSONWriter.encode(kept), "run scripts/embed-openapi")
        #expect(!EmbeddedOpenAPI.document.contains(UInt8(ascii: "\n")))
    }

    @Test func theServedDocumentIsTheEmbeddedOne() async throws {
        let harness = try ApplicationHarness()
        let reply = await harness.send(.get, "/openapi.json", token: nil)
        #expect(reply.status == 200)
        #expect(reply.body == EmbeddedOpenAPI.document)
        #expect(reply.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(reply.json?["info"]?["version"]?.stringValue == BuildVersion.current)
    }
}
