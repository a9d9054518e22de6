// The cost of judging hostile request bodies (issue 10, API.md "CPU budget"): for each ~1 MiB
// shape, the CPU time of what the API does with a POST /connections?dry_run=true body: parse,
// judge (schema, defaults, merge, rules) and render the answer. Built and run by
// bench/body-cost.sh; see BENCHMARKS.md, "Hostile bodies".
//
//   body-cost [--runs N] [--lint] [SHAPE...]     every shape when none is named
//   body-cost --once SHAPE                        one judgement, for callgrind (--toggle-collect=body_cost_once)
import Glibc
import JSON
import Lint
import Validation

/// API.md: bodies up to 1 MiB.
let limit = 1_048_576

/// A create body whose `options` (or the member named by `at`) holds `fill`, padded to just under `limit`.
struct Shape {
    let name: String
    let what: String
    let body: [UInt8]
}

func document(_ prefix: String, _ items: (Int) -> String, separator: String = ",", _ suffix: String) -> [UInt8] {
    var bytes = Array(prefix.utf8)
    let room = limit - suffix.utf8.count
    var index = 0
    while true {
        let item = Array(((index > 0 ? separator : "") + items(index)).utf8)
        if bytes.count + item.count > room { break }
        bytes.append(contentsOf: item)
        index += 1
    }
    bytes.append(contentsOf: suffix.utf8)
    return bytes
}

/// `prefix`, then as many copies of `group` (60 containers each) as fit with the prefix's own
/// containers within `JSONParser.requestMaxContainers`, then `suffix`.
func containers(_ prefix: String, _ group: String, _ suffix: String) -> [UInt8] {
    let groups = (JSONParser.requestMaxContainers - 3) / 60
    return Array((prefix + Array(repeating: group, count: groups).joined(separator: ",") + suffix).utf8)
}

/// Short distinct keys: base-36 digits after a letter, so 100,000 keys fit in 1 MiB.
func key(_ index: Int) -> String {
    "k" + String(index, radix: 36)
}

let head = #"{"name":"hostile","strategy":"auth0","#

/// An ordinary create, as `bench/seed.py templates` writes them: the figure for what the
/// hostile-body defences cost everyone else (BENCHMARKS.md).
let ordinary = Array(
    #"{"name":"bench-create-1","strategy":"auth0","display_name":"Acme customers 100000","options":{"attributes":{"email":{"identifier":{"active":true},"profile_required":true,"signup":{"status":"required","verification":{"active":true}},"unique":true,"verification_method":"link"},"username":{"identifier":{"active":true},"profile_required":false,"signup":{"status":"optional"},"validation":{"min_length":3,"max_length":32}}},"authentication_methods":{"password":{"enabled":true,"api_behavior":"required","signup_behavior":"allow"},"passkey":{"enabled":false}},"mfa":{"active":true,"return_enroll_settings":true},"brute_force_protection":true,"disable_signup":true,"import_mode":false,"disable_self_service_change_password":false,"password_options":{"complexity":{"min_length":16,"character_types":["uppercase","lowercase","number","special"],"character_type_rule":"three_of_four"},"dictionary":{"active":true,"default":"en_10k"},"history":{"active":true,"size":5},"profile_data":{"active":true}}},"enabled_clients":["8iI5awpDaj3HQq3pwUQu6NFwp1Dmlmvo","FfyBsZ6uujWy9tqnYQoOcvqpkGjKuImP"],"is_domain_connection":false,"realms":["bench-create-1"],"metadata":{"team":"identity","env":"staging","cost":"cc1"},"authentication":{"active":true},"connected_accounts":{"active":false}}"#.utf8)

let shapes: [Shape] = [
    Shape(name: "create", what: "an ordinary create (bench/seed.py), not hostile", body: ordinary),
    Shape(
        name: "string", what: "one 1 MiB string (the plain baseline)",
        body: Array((head + #""options":{"x":""# + String(repeating: "a", count: limit - 64) + #""}}"#).utf8)),
    Shape(
        name: "keys-options", what: "100,000+ keys in options (kept as sent)",
        body: document(head + #""options":{"#, { "\"\(key($0))\":0" }, "}}")),
    Shape(
        name: "keys-top", what: "100,000+ unknown top-level keys (one violation naming them all)",
        body: document(head + #""options":{},"#, { "\"\(key($0))\":0" }, "}")),
    Shape(
        name: "keys-metadata", what: "100,000+ metadata keys (maxProperties 10, each value checked)",
        body: document(head + #""metadata":{"#, { "\"\(key($0))\":\"v\"" }, "}}")),
    Shape(
        name: "keys-attributes", what: "100,000+ keys in options.attributes (a closed object)",
        body: document(head + #""options":{"attributes":{"#, { "\"\(key($0))\":{}" }, "}}}")),
    Shape(
        name: "keys-configuration", what: "100,000+ keys in options.configuration (string values, valid)",
        body: document(head + #""options":{"configuration":{"#, { "\"\(key($0))\":\"v\"" }, "}}}")),
    Shape(
        name: "keys-escaped", what: "100,000+ keys spelled with \\u escapes in options",
        body: document(head + #""options":{"#, { "\"\\u006b\(String($0, radix: 36))\":0" }, "}}")),
    Shape(
        name: "escaped-strings", what: "100,000+ tiny strings with escapes in an array",
        body: document(head + #""options":{"x":["#, { _ in #""\u00e9\n""# }, "]}}")),
    Shape(
        name: "violations", what: "100,000+ wrongly typed enabled_clients (one violation each)",
        body: document(head + #""options":{},"enabled_clients":["#, { _ in "0" }, "]}")),
    Shape(
        name: "unique-items", what: "100,000+ distinct items in precedence (uniqueItems, maxItems 3)",
        body: document(head + #""options":{"precedence":["#, { "\($0)" }, "]}}")),
    Shape(
        name: "realms", what: "100,000+ realms (maxItems 10)",
        body: document(head + #""options":{},"realms":["#, { "\"\(key($0))\"" }, "]}")),
    Shape(
        name: "nesting", what: "arrays 64 deep, repeated to 1 MiB",
        body: document(
            head + #""options":{"x":["#,
            { _ in String(repeating: "[", count: 60) + String(repeating: "]", count: 60) }, "]}}")),
    Shape(
        name: "nesting-at-limit", what: "arrays 64 deep, repeated to 10,000 containers (the most accepted)",
        body: containers(head + #""options":{"x":["#, String(repeating: "[", count: 60) + String(repeating: "]", count: 60), "]}}")),
    Shape(
        name: "nesting-objects", what: "objects 64 deep, repeated to 1 MiB",
        body: document(
            head + #""options":{"x":["#,
            { _ in String(repeating: #"{"a":"#, count: 60) + "0" + String(repeating: "}", count: 60) }, "]}}")),
    Shape(
        name: "number", what: "one 1 MiB number in options",
        body: Array((head + #""options":{"x":1"# + String(repeating: "7", count: limit - 64) + "}}").utf8)),
    Shape(
        name: "number-typed", what: "one 1 MiB number where the schema checks bounds",
        body: Array(
            (head + #""options":{"validation":{"username":{"min":1,"max":1"# + String(repeating: "7", count: limit - 128)
                + "}}}}").utf8)),
]

/// What `POST /connections?dry_run=true` does with a body, short of the HTTP framing.
@inline(never)
func judgeAndRender(_ body: [UInt8]) -> Int {
    judgement(of: body)
}

/// Builds the schemas, rules and other one-time state outside what callgrind counts, as a
/// running server has them.
@inline(never)
func warmUp() -> Int {
    judgement(of: ordinary)
}

@inline(__always)
func judgement(of body: [UInt8]) -> Int {
    let value: JSONValue
    do {
        // As the API reads a request body (`RequestBody.json`).
        value = try JSONParser.parse(body, maxContainers: JSONParser.requestMaxContainers)
    } catch {
        return -1
    }
    let judgement = ConnectionJudge.judgeCreate(value, tenant: .unknown)
    let answer = JSONValue.object([
        "valid": .bool(judgement.isValid),
        "violations": .array(judgement.violations.map(\.json)),
        "connection": judgement.connection.map { .object($0) } ?? .null,
    ])
    return JSONWriter.encode(answer).count
}

@_cdecl("body_cost_once")
@inline(never)
func once(_ shape: UnsafeRawPointer) -> Int {
    judgeAndRender(shape.assumingMemoryBound(to: Shape.self).pointee.body)
}

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 5
var lint = false
var onceShape: String?
var selected: [String] = []
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--runs": runs = Int(arguments.removeFirst()) ?? runs
    case "--lint": lint = true
    case "--once": onceShape = arguments.removeFirst()
    default: selected.append(argument)
    }
}

if let onceShape {
    guard var shape = shapes.first(where: { $0.name == onceShape }) else {
        print("unknown shape \(onceShape)")
        exit(64)
    }
    _ = warmUp()
    let size = withUnsafePointer(to: &shape) { once(UnsafeRawPointer($0)) }
    print("\(shape.name): \(shape.body.count) bytes in, \(size) bytes out")
    exit(0)
}

print("shape                  bytes    answer   min ms   median ms   (CPU time of parse + judge + render, \(runs) runs)")
for shape in shapes where selected.isEmpty || selected.contains(shape.name) {
    var times: [Double] = []
    var size = 0
    for _ in 0..<runs {
        let start = cpuSeconds()
        size = judgeAndRender(shape.body)
        times.append((cpuSeconds() - start) * 1000)
    }
    times.sort()
    var line =
        pad(shape.name, 20) + pad(String(shape.body.count), 10) + pad(String(size), 10)
        + pad(String(Double(Int(times[0] * 100)) / 100), 9) + String(Double(Int(times[times.count / 2] * 100)) / 100)
    if lint {
        let start = cpuSeconds()
        let findings = LintEngine().lint(file: "body.json", bytes: shape.body)
        line += "   lint \(Double(Int((cpuSeconds() - start) * 100_000)) / 100) ms (\(findings.count) findings)"
    }
    print(line + "   " + shape.what)
}
