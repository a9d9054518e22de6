import ConnectionsStore
import HTTP
import JSON
import Testing
import Validation

@testable import ConnectionsAPI

/// Route tests against the application, without a socket (STYLE.md: tests follow the layers).
@Suite struct ApplicationTests {
    @Test func healthNeedsNoToken() async throws {
        let app = try ApplicationHarness()
        let reply = await app.send(.get, "/healthz", token: nil)
        #expect(reply.status == 200)
        #expect(reply.text == #"{"status":"ok"}"#)
    }

    @Test func headHealthzIsAnsweredLikeGet() async throws {
        let app = try ApplicationHarness()
        let reply = await app.send(.head, "/healthz", token: nil)
        // The transport leaves out the body of a HEAD answer (HTTPResponse.serialize, omitBody).
        #expect(reply.status == 200)
        #expect(reply.text == #"{"status":"ok"}"#)
        let post = await app.send(.post, "/healthz", token: nil)
        #expect(post.status == 405 && post.headers["Allow"] == "GET, HEAD")
    }

    @Test func orderOfChecksIsRouteThenAuthThenBody() async throws {
        let app = try ApplicationHarness()
        #expect(await app.send(.get, "/api/v2/nothing", token: nil).status == 404)
        #expect(await app.send(HTTPMethod(rawValue: "BREW"), "/api/v2/connections", token: nil).status == 501)
        let wrongMethod = await app.send(.put, "/api/v2/connections", token: nil)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, POST")
        let noToken = await app.send(.post, "/api/v2/connections", body: "not json", token: nil)
        #expect(noToken.status == 401 && noToken.message == "Missing authentication")
        let badToken = await app.send(.post, "/api/v2/connections", body: "not json", token: "nope")
        #expect(badToken.status == 401 && badToken.message == "Invalid token")
        let badBody = await app.send(.post, "/api/v2/connections", body: "not json")
        #expect(badBody.status == 400 && badBody.message == "Invalid request payload JSON format")
    }

    /// API.md "CPU budget": routing and authentication are decided from the head, so the
    /// transport can refuse before reading the body; scope and body are left to `handle`.
    @Test func screeningRefusesFromTheHeadWhatRoutingOrAuthRefuses() throws {
        let app = try ApplicationHarness(rateLimit: (100, 200))
        func head(_ method: HTTPMethod, _ target: String, token: String?) -> HTTPRequest {
            var headers = HTTPHeaders([("Host", "test"), ("Content-Length", "1000000")])
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            return HTTPRequest(method: method, target: target, headers: headers)
        }
        let missing = try #require(app.application.screen(head(.post, "/api/v2/connections", token: nil)))
        #expect(missing.status.code == 401 && missing.headers["WWW-Authenticate"] != nil)
        #expect(missing.headers["x-ratelimit-limit"] == "200")
        let invalid = try #require(app.application.screen(head(.patch, "/api/v2/connections/con_x", token: "nope")))
        #expect(invalid.status.code == 401)
        #expect(app.application.screen(head(.post, "/api/v2/nothing", token: nil))?.status.code == 404)
        #expect(app.application.screen(head(.put, "/api/v2/prompts", token: nil))?.status.code == 405)
        #expect(app.application.screen(head(.post, "/api/v2/connections", token: ApplicationHarness.adminToken)) == nil)
        #expect(app.application.screen(head(.post, "/oauth/token", token: nil)) == nil)
    }

    /// Large bodies are judged on a worker thread (API.md "CPU budget"); the answers are the same.
    @Test func largeBodiesAreAnsweredFromTheWorkers() async throws {
        let app = try ApplicationHarness(rateLimit: (100, 200))
        let keys = (0..<10_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(keys.utf8.count > Application.offLoopBytes)
        let created = await app.send(.post, "/api/v2/connections", body: #"{"name":"big","strategy":"auth0","options":{\#(keys)}}"#)
        #expect(created.status == 201 && created.json?["options"]?["k9999"] == .int(9_999))
        #expect(created.headers["x-ratelimit-remaining"] == "200", "the admin token is exempt: a full bucket")
        let id = try #require(created.json?["id"]?.stringValue)
        // A small PATCH of a large stored connection goes to the workers too.
        let patched = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"display_name":"Big"}"#)
        #expect(patched.status == 200 && patched.json?["display_name"] == .string("Big"))
        let invalid = await app.send(.post, "/api/v2/connections", body: "{" + keys)
        #expect(invalid.status == 400 && invalid.message == "Invalid request payload JSON format")
        #expect(invalid.headers["x-ratelimit-limit"] == "200")
        let rejected = await app.send(.post, "/api/v2/connections", body: #"{"name":"big2","strategy":"auth0",\#(keys)}"#)
        #expect(rejected.status == 400)
        #expect(rejected.message?.hasPrefix("Payload validation error: 'Additional properties not allowed: k0,k1,") == true)
    }

    @Test func createFillsDefaultsAndReadsBack() async throws {
        let app = try ApplicationHarness()
        let created = await app.send(.post, "/api/v2/connections", body: #"{"name":"Users","strategy":"auth0"}"#)
        #expect(created.status == 201)
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(ConnectionID.isWellFormed(id))
        let options = try #require(created.json?["options"]?.objectValue)
        #expect(options["brute_force_protection"] == .bool(true))
        #expect(options["passwordPolicy"] == .string("good"))
        #expect(created.json?["realms"] == .array([.string("Users")]))

        let fetched = await app.send(.get, "/api/v2/connections/\(id)")
        #expect(fetched.status == 200)
        #expect(fetched.body == created.body)
    }

    @Test func duplicateNameIs409AndNothingChanges() async throws {
        let app = try ApplicationHarness()
        _ = try await app.create(#"{"name":"Dup","strategy":"auth0"}"#)
        let again = await app.send(.post, "/api/v2/connections", body: #"{"name":"Dup","strategy":"sms"}"#)
        #expect(again.status == 409)
        #expect(again.errorCode == "connection_conflict")
        #expect(again.message == "A connection with the same name already exists")
        let list = await app.send(.get, "/api/v2/connections")
        #expect(list.json?.arrayValue?.count == 1)
    }

    @Test func ruleViolationsAre400WithEveryViolation() async throws {
        let app = try ApplicationHarness()
        let body = #"{"name":"P","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":false}}}}"#
        let reply = await app.send(.post, "/api/v2/connections", body: body)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "invalid_body")
        let violations = try #require(reply.json?["violations"]?.arrayValue)
        #expect(!violations.isEmpty)
        #expect(reply.message == violations.first { $0["severity"] == .string("error") }?["message"]?.stringValue)
        #expect(await app.send(.get, "/api/v2/connections").json?.arrayValue?.isEmpty == true)
    }

    @Test func dryRunJudgesAndStoresNothing() async throws {
        let app = try ApplicationHarness()
        let ok = await app.send(.post, "/api/v2/connections?dry_run=true", body: #"{"name":"Dry","strategy":"auth0"}"#)
        #expect(ok.status == 200)
        #expect(ok.json?["valid"] == .bool(true))
        #expect(ok.json?["connection"]?["name"] == .string("Dry"))
        let bad = await app.send(
            .post, "/api/v2/connections?dry_run=true",
            body: #"{"name":"Dry","strategy":"auth0","options":{"authentication_methods":{"password":{"enabled":false}}}}"#)
        #expect(bad.status == 200)
        #expect(bad.json?["valid"] == .bool(false))
        #expect(bad.json?["violations"]?.arrayValue?.isEmpty == false)
        #expect(await app.send(.get, "/api/v2/connections").json?.arrayValue?.isEmpty == true)
    }

    @Test func patchReplacesOptionsAndKeepsLoginMethods() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(
            #"{"name":"Patchy","strategy":"auth0","options":{"mfa":{"active":false},"authentication_methods":{"password":{"enabled":true},"passkey":{"enabled":false}},"brute_force_protection":false}}"#
        )
        let patched = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"options":{"disable_signup":true},"display_name":"Hi"}"#)
        #expect(patched.status == 200, "\(patched.text)")
        let options = try #require(patched.json?["options"]?.objectValue)
        #expect(options["disable_signup"] == .bool(true))
        #expect(options["mfa"] == nil)
        #expect(options["brute_force_protection"] == .bool(false))
        #expect(options["authentication_methods"]?["password"]?["enabled"] == .bool(true))
        #expect(patched.json?["display_name"] == .string("Hi"))
        let immutable = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"strategy":"sms","name":"x"}"#)
        #expect(immutable.status == 400)
        #expect(immutable.message == "Payload validation error: 'Additional properties not allowed: strategy,name'.")
    }

    @Test func deleteIs202ThenGoneThen204() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(#"{"name":"Gone","strategy":"auth0"}"#)
        let deleted = await app.send(.delete, "/api/v2/connections/\(id)")
        #expect(deleted.status == 202)
        let stamp = try #require(deleted.json?["deleted_at"]?.stringValue)
        #expect(stamp.count == 24 && stamp.hasSuffix("Z"))
        #expect(await app.send(.get, "/api/v2/connections/\(id)").status == 404)
        #expect(await app.send(.delete, "/api/v2/connections/\(id)").status == 204)
        #expect(await app.send(.delete, "/api/v2/connections/bad-id").errorCode == "invalid_uri")
        // The name is free again.
        _ = try await app.create(#"{"name":"Gone","strategy":"auth0"}"#)
    }

    @Test func listShapesAndCheckpointPaging() async throws {
        let app = try ApplicationHarness()
        for index in 0..<5 { _ = try await app.create(#"{"name":"c\#(index)","strategy":"\#(index % 2 == 0 ? "auth0" : "sms")"}"#) }
        let plain = await app.send(.get, "/api/v2/connections?per_page=2&page=1")
        #expect(plain.json?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["c2", "c3"])
        #expect(plain.json?.arrayValue?.first?["enabled_clients"] == nil)
        let totals = await app.send(.get, "/api/v2/connections?include_totals=true&per_page=2&strategy=auth0")
        #expect(totals.json?["total"] == .int(3))
        #expect(totals.json?["start"] == .int(0) && totals.json?["limit"] == .int(2))
        var names: [String] = []
        var next: String? = nil
        repeat {
            let target = "/api/v2/connections?take=2" + (next.map { "&from=\($0)" } ?? "")
            let page = await app.send(.get, target)
            #expect(page.status == 200)
            names += page.json?["connections"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            next = page.json?["next"]?.stringValue
        } while next != nil
        #expect(names == ["c0", "c1", "c2", "c3", "c4"])
        let unknown = await app.send(.get, "/api/v2/connections?bogus=1")
        #expect(unknown.status == 400 && unknown.errorCode == "invalid_query_string")
        let badStrategy = await app.send(.get, "/api/v2/connections?strategy=nope")
        #expect(
            badStrategy.message
                == #"Query validation error: 'No enum match for: "nope"' on property strategy (Provide strategies to only retrieve connections with such strategies)."#
        )
    }

    @Test func fieldsProjectionKeepsAlwaysReturnedKeys() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(#"{"name":"F","strategy":"auth0"}"#)
        let reply = await app.send(.get, "/api/v2/connections/\(id)?fields=name&include_fields=true")
        let keys = Set(reply.json?.objectValue?.keys ?? [])
        #expect(keys == ["id", "name", "is_domain_connection", "authentication", "connected_accounts"])
        let excluded = await app.send(.get, "/api/v2/connections/\(id)?fields=options,name&include_fields=false")
        #expect(excluded.json?["options"] == nil && excluded.json?["name"] == nil && excluded.json?["strategy"] != nil)
    }

    /// API.md: the field shows the `/clients` set only on a legacy tenant; a tenant created
    /// today has no `enabled_clients` anywhere, and a PATCH may not send it.
    @Test(arguments: [false, true])
    func enabledClientsFollowTheClientsRoute(legacy: Bool) async throws {
        let app = try ApplicationHarness(legacyEnabledClients: legacy)
        let created = await app.send(.post, "/api/v2/connections", body: #"{"name":"Cl","strategy":"auth0","enabled_clients":["c"]}"#)
        let id = try #require(created.json?["id"]?.stringValue)
        #expect(created.json?["enabled_clients"] == (legacy ? .array([.string("c")]) : nil))
        let patch = await app.send(
            .patch, "/api/v2/connections/\(id)/clients",
            body: #"[{"client_id":"b","status":true},{"client_id":"a","status":true},{"client_id":"c","status":false}]"#)
        #expect(patch.status == 204 && patch.body.isEmpty)
        let clients = await app.send(.get, "/api/v2/connections/\(id)/clients")
        #expect(clients.text == #"{"clients":[{"client_id":"a"},{"client_id":"b"}]}"#)
        let expected: JSONValue? = legacy ? .array([.string("a"), .string("b")]) : nil
        let connection = await app.send(.get, "/api/v2/connections/\(id)")
        #expect(connection.json?["enabled_clients"] == expected)
        let list = await app.send(.get, "/api/v2/connections")
        #expect(list.json?.arrayValue?.first?["enabled_clients"] == expected)
        let selected = await app.send(.get, "/api/v2/connections/\(id)?fields=enabled_clients")
        #expect(selected.json?["enabled_clients"] == expected)
        let renamed = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"display_name":"x"}"#)
        #expect(renamed.json?["enabled_clients"] == expected)
        let paged = await app.send(.get, "/api/v2/connections/\(id)/clients?take=1")
        let next = try #require(paged.json?["next"]?.stringValue)
        let rest = await app.send(.get, "/api/v2/connections/\(id)/clients?take=1&from=\(next)")
        #expect(rest.text == #"{"clients":[{"client_id":"b"}]}"#)
        let invalid = await app.send(.patch, "/api/v2/connections/\(id)/clients", body: #"[{"client_id":"a"}]"#)
        #expect(
            invalid.status == 400 && invalid.message == "Payload validation error: 'Missing required property: status' on property [0].")
        #expect(invalid.json?["violations"]?.arrayValue?.first?["path"] == .string("/0"))
        let replaced = await app.send(.patch, "/api/v2/connections/\(id)", body: #"{"enabled_clients":["z"]}"#)
        if legacy {
            #expect(replaced.json?["enabled_clients"] == .array([.string("z")]))
            #expect(await app.send(.get, "/api/v2/connections/\(id)/clients").text == #"{"clients":[{"client_id":"z"}]}"#)
        } else {
            #expect(replaced.status == 400)
            #expect(replaced.message == "Payload validation error: 'Additional properties not allowed: enabled_clients'.")
            #expect(replaced.json?["violations"]?.arrayValue?.first?["rule"] == .string("schema"))
        }
    }

    @Test func promptsDefaultAndMerge() async throws {
        let app = try ApplicationHarness()
        let initial = await app.send(.get, "/api/v2/prompts")
        #expect(initial.text == #"{"universal_login_experience":"new","identifier_first":false,"webauthn_platform_first_factor":false}"#)
        let patched = await app.send(.patch, "/api/v2/prompts", body: #"{"identifier_first":true}"#)
        #expect(patched.json?["identifier_first"] == .bool(true))
        #expect(patched.json?["universal_login_experience"] == .string("new"))
        let bad = await app.send(.patch, "/api/v2/prompts", body: #"{"identifier_first":"yes","bogus":1}"#)
        #expect(bad.status == 400)
        // The schema's messages, first error first, with every violation as on connections.
        #expect(bad.message == "Payload validation error: 'Additional properties not allowed: bogus'.")
        #expect(bad.json?["errorCode"] == .string("invalid_body"))
        #expect(bad.json?["violations"]?.arrayValue?.compactMap { $0["path"]?.stringValue } == ["", "/identifier_first"])
        #expect(await app.send(.get, "/api/v2/prompts").json?["identifier_first"] == .bool(true))
    }

    /// A stored settings row this service did not write refuses the start, naming the row,
    /// instead of serving the defaults as the tenant's settings.
    @Test(arguments: [#"{"identifier_first":"yes"}"#, "not json", "[]", #"{"identifier_first":true}"#])
    func aCorruptPromptsRowRefusesToStart(row: String) throws {
        let store = try SQLiteStore(path: ":memory:", readers: 1)
        defer { try? store.close() }
        try store.writeAndWait { try $0.setTenantSettings(row) }
        do {
            _ = try Application(store: store, settings: .init(adminTokenHash: nil))
            Issue.record("started on the prompts row \(row)")
        } catch let error as Application.StartupError {
            #expect(error.message.contains("tenant_settings row 'prompts'"))
        }
        let written = #"{"universal_login_experience":"new","identifier_first":true,"webauthn_platform_first_factor":false}"#
        try store.writeAndWait { try $0.setTenantSettings(written) }
        _ = try Application(store: store, settings: .init(adminTokenHash: nil))
    }

    @Test func rateLimitHeadersAndExemptAdmin() async throws {
        let app = try ApplicationHarness(rateLimit: (1, 1))
        for _ in 0..<3 {
            let reply = await app.send(.get, "/api/v2/connections")
            #expect(reply.status == 200)
            #expect(reply.headers["x-ratelimit-limit"] == "1")
            #expect(reply.headers["x-ratelimit-remaining"] != nil && reply.headers["x-ratelimit-reset"] != nil)
        }
    }

    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), (" application/json ;charset=utf-8", true),
        ("\tAPPLICATION/json\t", true), ("application/json;", true), ("application/jsonx", false),
        ("application/jso", false), ("text/json", false), ("application\u{0F}json", false), ("application/json5", false),
        ("", false), (";application/json", false), ("application/ json", false),
    ])
    func mediaTypeIsJSONInAnyCaseWithAnyParameters(contentType: String, isJSON: Bool) {
        #expect(RequestBody.isJSON(mediaTypeOf: contentType) == isJSON)
    }

    @Test func unsupportedMediaTypeIs415() async throws {
        let app = try ApplicationHarness()
        let reply = await app.send(.post, "/api/v2/connections", body: "{}", headers: [("Content-Type", "text/plain")])
        #expect(reply.status == 415)
        let charset = await app.send(
            .post, "/api/v2/connections", body: #"{"name":"CT","strategy":"auth0"}"#,
            headers: [("Content-Type", "application/json; charset=utf-8")])
        #expect(charset.status == 201)
    }

    @Test func bodiesThatAreNotObjectsAreInvalidJSONOnEveryWrite() async throws {
        let app = try ApplicationHarness()
        let id = try await app.create(#"{"name":"Obj","strategy":"auth0"}"#)
        for (method, target) in [
            (HTTPMethod.post, "/api/v2/connections"), (.patch, "/api/v2/connections/\(id)"), (.patch, "/api/v2/prompts"),
        ] {
            for (body, type) in [("[]", "array"), ("\"text\"", "string"), ("1", "integer"), ("null", "null")] {
                let reply = await app.send(method, target, body: body)
                #expect(reply.status == 400, "\(method.rawValue) \(target) \(body)")
                #expect(reply.message == "Invalid request payload JSON format")
                // The reason, as a dry run or `lint` words it (docs/DECISIONS.md).
                let violations = reply.json?["violations"]?.arrayValue ?? []
                #expect(violations.count == 1)
                #expect(violations.first?["rule"] == .string("schema") && violations.first?["path"] == .string(""))
                #expect(
                    violations.first?["message"]
                        == .string("Payload validation error: 'Expected type object but found type \(type)'."))
            }
        }
    }

    @Test func bodiesThatAreNotJSONSayWhereTheyStop() async throws {
        let app = try ApplicationHarness()
        let deep = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        for (body, reason) in [
            (deep, "Nesting deeper than 64 levels at line 1, column 321"),
            ("{\n  \"name\": }", "Unexpected character at line 2, column 11"),
        ] {
            let reply = await app.send(.post, "/api/v2/connections", body: body)
            #expect(reply.status == 400 && reply.message == "Invalid request payload JSON format")
            let violation = reply.json?["violations"]?.arrayValue?.first
            #expect(violation?["rule"] == .string("json-syntax") && violation?["severity"] == .string("error"))
            #expect(violation?["message"] == .string(reason))
        }
    }
}
