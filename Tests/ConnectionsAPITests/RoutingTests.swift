import ConnectionsService
import HTTP
import Testing

@testable import ConnectionsAPI

@Suite struct RoutingTests {
    @Test(arguments: [
        ("/healthz", Route.healthz),
        ("/oauth/token", .oauthToken),
        ("/api/v2/prompts", .prompts),
        ("/api/v2/connections", .connections),
        ("/api/v2/connections/con_abc", .connection(id: "con_abc")),
        ("/api/v2/connections/con_abc/clients", .connectionClients(id: "con_abc")),
        ("/api/v2/connections/con_abc/revisions", .connectionRevisions(id: "con_abc")),
        ("/api/v2/connections/con_abc/revisions/3", .connectionRevision(id: "con_abc", number: "3")),
        ("/api/v2/connections/con_abc/revisions/3/restore", .connectionRevisionRestore(id: "con_abc", number: "3")),
    ])
    func matchesKnownPaths(path: String, route: Route) {
        #expect(Route(path: path) == route)
    }

    @Test(arguments: [
        "/", "/api/v2", "/api/v2/connections/", "/api/v2/connections/a/b", "/api/v2/connections/a/clients/x", "/api/v2/connectionsx",
        "/api/v2/connections/a/revisions/", "/api/v2/connections/a/revisionsx", "/api/v2/connections/a/revisions/3/x",
        "/api/v2/connections/a/revisions//restore",
    ])
    func rejectsUnknownPaths(path: String) {
        #expect(Route(path: path) == nil)
    }

    @Test func allowedMethodsFollowTheContract() {
        #expect(Route.connections.allowedMethods == [.get, .post])
        #expect(Route.connection(id: "x").allowedMethods == [.get, .patch, .delete])
        #expect(Route.prompts.allowedMethods == [.get, .patch])
        #expect(Route.connectionRevisions(id: "x").allowedMethods == [.get])
        #expect(Route.connectionRevisionRestore(id: "x", number: "1").allowedMethods == [.post])
    }

    @Test func entityTagFieldsParseAsRFC9110Says() throws {
        func ifMatch(_ value: String) throws -> IfMatch? { try EntityTags.ifMatch(HTTPHeaders([("If-Match", value)])) }
        #expect(try ifMatch("*") == .any)
        #expect(try ifMatch(#""3""#) == .revisions([3]))
        #expect(try ifMatch(#"W/"3", "abc" ,"4""#) == .revisions([4]), "weak and non-numeric tags match nothing")
        #expect(try EntityTags.ifMatch(HTTPHeaders()) == nil)
        for bad in ["", "3", "abc", #""3"#, #""3" "4""#, "W/3", #"*, "3""#] {
            #expect(throws: APIError.self, "\(bad)") { try ifMatch(bad) }
        }
        let headers = HTTPHeaders([("If-None-Match", #"W/"3""#)])
        #expect(try EntityTags.noneMatchHolds(headers, revision: 3))
        #expect(try !EntityTags.noneMatchHolds(headers, revision: 4))
    }

    @Test func queryParametersDecodePercentAndPlus() throws {
        let query = try #require(QueryParameters(raw: "fields=strategy%2Cname&include_fields=true&strategy=a&strategy=b&name=x+y"))
        #expect(query.value("fields") == "strategy,name")
        #expect(query.values("strategy") == ["a", "b"])
        #expect(query.value("name") == "x y")
        #expect(query.names == ["fields", "include_fields", "strategy", "strategy", "name"])
    }

    @Test(arguments: ["a=%", "a=%G1", "a=%FF"])
    func malformedPercentEncodingIsRejected(raw: String) {
        #expect(QueryParameters(raw: raw) == nil)
    }

    @Test func unknownQueryParametersAreA400() {
        let query = QueryParameters(raw: "per_page=5&foo=1&bar=2&foo=3")!
        #expect(throws: APIError.self) { try query.requireOnly(["per_page"]) }
        do {
            try query.requireOnly(["per_page"])
        } catch {
            #expect(error.message == "Query validation error: 'Additional properties not allowed: foo,bar'.")
            #expect(error.errorCode == "invalid_query_string")
        }
    }

    @Test func integerParametersAreRangeChecked() {
        let query = QueryParameters(raw: "per_page=101&page=x")!
        do {
            _ = try query.integer("per_page", in: 1...100, description: "d")
            Issue.record("expected a range error")
        } catch {
            #expect(error.message == "Query validation error: 'Value 101 is greater than maximum 100' on property per_page (d).")
        }
        do {
            _ = try query.integer("page", in: 0...Int.max, description: "d")
            Issue.record("expected a type error")
        } catch {
            #expect(error.message == "Query validation error: 'Expected type integer but found type string' on property page (d).")
        }
    }
}
