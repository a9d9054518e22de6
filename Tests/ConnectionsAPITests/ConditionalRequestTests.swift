import Testing
import Validation

@testable import ConnectionsAPI

/// ETags, `If-None-Match`, `If-Match` and the history routes against the application, without
/// a socket.
@Suite struct ConditionalRequestTests {
    @Test func writesAndReadsCarryTheRevisionAsAStrongETag() async throws {
        let app = try ApplicationHarness()
        let created = await app.send(.post, "/api/v2/connections", body: #"{"name":"Users","strategy":"auth0"}"#)
        #expect(created.headers["ETag"] == #""1""#)
        let id = try #require(created.json?["id"]?.stringValue)
        let patched = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"display_name":"x"}"#)
        #expect(patched.headers["ETag"] == #""2""#)
        let unchanged = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"display_name":"x"}"#)
        #expect(unchanged.status == 200 && unchanged.headers["ETag"] == #""2""#, "a write that changes nothing keeps the tag")
        let notModified = await app.send(.get, "/api/v2/connections/\(id)", headers: [("If-None-Match", #""2""#)])
        #expect(notModified.status == 304 && notModified.body.isEmpty && notModified.headers["ETag"] == #""2""#)
        #expect(await app.send(.get, "/api/v2/connections/\(id)", headers: [("If-None-Match", #""1""#)]).status == 200)
    }

    @Test func ifMatchDecidesWhetherTheWriteHappens() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(#"{"name":"Users","strategy":"auth0"}"#)
        let stale = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"display_name":"x"}"#, headers: [("If-Match", #""7""#)])
        #expect(stale.status == 412 && stale.errorCode == "precondition_failed")
        #expect(stale.message == "The connection has changed: current revision is 1")
        let malformed = await app.send(.delete, "/api/v2/connections/\(id)", headers: [("If-Match", "1")])
        #expect(malformed.status == 400 && malformed.errorCode == "invalid_headers" && malformed.message == "Invalid If-Match header")
        #expect(await app.send(.delete, "/api/v2/connections/\(id)", headers: [("If-Match", #""1""#)]).status == 202)
        let gone = await app.send(.delete, "/api/v2/connections/\(id)", headers: [("If-Match", "*")])
        #expect(gone.status == 412 && gone.message == "The connection does not exist")
    }

    @Test func historyListsNewestFirstAndRestoresADeletion() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(#"{"name":"Users","strategy":"auth0"}"#)
        #expect(await app.send(.delete, "/api/v2/connections/\(id)").status == 202)
        let history = await app.send(.get, "/api/v2/connections/\(id)/revisions")
        let operations = history.json?["revisions"]?.arrayValue?.compactMap { $0["operation"]?.stringValue }
        #expect(operations == ["delete", "create"])
        let refused = await app.send(.post, "/api/v2/connections/\(id)/revisions/2/restore")
        #expect(refused.status == 400 && refused.message == "Revision 2 records a deletion and cannot be restored")
        let restored = await app.send(.post, "/api/v2/connections/\(id)/revisions/1/restore")
        #expect(restored.status == 200 && restored.json?["id"] == .string(id) && restored.headers["ETag"] == #""3""#)
        #expect(await app.send(.get, "/api/v2/connections/\(id)").status == 200)
        let unknown = await app.send(.get, "/api/v2/connections/\(id)/revisions/9")
        #expect(unknown.status == 404 && unknown.errorCode == "inexistent_revision")
    }
}
