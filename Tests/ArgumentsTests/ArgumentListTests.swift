import Arguments
import Testing

/// The one command-line reader: spellings, `--`, help, the environment, and each refusal.
@Suite struct ArgumentListTests {
    static let flags: [Flag] = [
        Flag("port", "PORT", "TCP port"),
        Flag("quiet", nil, "no request lines"),
        Flag("name", "NAME", "a name", environment: false),
        Flag("list", nil, "list them", environment: false, aliases: ["-l"]),
        .help,
    ]

    static func read(_ arguments: [String], environment: [String: String] = [:]) throws(ArgumentError) -> ArgumentList {
        try ArgumentList(arguments, flags: flags, environment: { environment[$0] })
    }

    @Test func valuesSwitchesAndPositionalsInAnyOrder() throws {
        let list = try Self.read(["create", "--port", "80", "--quiet", "x", "--name=a=b", "-"])
        #expect(list.positional == ["create", "x", "-"])
        #expect(list.value("port") == "80")
        #expect(list.value("name") == "a=b")
        #expect(list.has("quiet") && !list.has("list") && !list.has("help"))
        #expect(list.value("missing") == nil)
    }

    @Test func aliasesAndTheLastValueWins() throws {
        let list = try Self.read(["-l", "--port=1", "--port", "2"])
        #expect(list.has("list"))
        #expect(list.value("port") == "2")
    }

    @Test func doubleDashEndsTheFlags() throws {
        let list = try Self.read(["--quiet", "--", "--port", "-x", "--"])
        #expect(list.positional == ["--port", "-x", "--"])
        #expect(list.value("port") == nil)
    }

    /// Reading stops at `--help`: a mistake after it does not hide the help.
    @Test func helpWins() throws {
        let list = try Self.read(["a", "--help", "--bogus", "--port"])
        #expect(list.has("help"))
        #expect(list.positional == ["a"])
        #expect(throws: ArgumentError.unknownFlag("--bogus")) { try Self.read(["--bogus", "--help"]) }
    }

    @Test(arguments: [
        (["--bogus"], ArgumentError.unknownFlag("--bogus"), "unknown flag --bogus"),
        (["-x"], .unknownFlag("-x"), "unknown flag -x"),
        (["--bogus=1"], .unknownFlag("--bogus"), "unknown flag --bogus"),
        (["a", "--port"], .missingValue("port"), "--port needs a value"),
        (["--quiet=1"], .unexpectedValue("quiet"), "--quiet takes no value"),
        (["-l=yes"], .unexpectedValue("list"), "--list takes no value"),
    ])
    func refusals(arguments: [String], error: ArgumentError, message: String) {
        #expect(throws: error) { try Self.read(arguments) }
        #expect(error.description == message)
    }

    @Test func theEnvironmentFillsWhatTheCommandLineLeavesOut() throws {
        let environment = ["CONNECTIONS_API_PORT": "9", "CONNECTIONS_API_QUIET": "yes", "CONNECTIONS_API_NAME": "no"]
        let fromEnvironment = try Self.read([], environment: environment)
        #expect(fromEnvironment.value("port") == "9" && fromEnvironment.has("quiet"))
        // `name` is not read from the environment; the command line wins; empty is unset.
        #expect(fromEnvironment.value("name") == nil)
        #expect(try Self.read(["--port", "1"], environment: environment).value("port") == "1")
        #expect(try Self.read([], environment: ["CONNECTIONS_API_PORT": ""]).value("port") == nil)
        #expect(!(try Self.read([], environment: ["CONNECTIONS_API_QUIET": "off"]).has("quiet")))
        let refused = ArgumentError.invalidSwitch(variable: "CONNECTIONS_API_QUIET", value: "perhaps")
        #expect(throws: refused) { try Self.read([], environment: ["CONNECTIONS_API_QUIET": "perhaps"]) }
        #expect(refused.description == "CONNECTIONS_API_QUIET must be 1 or 0 (true or false), not perhaps")
    }

    @Test func usageListsEveryFlagNotHiddenInOneColumn() {
        let flags = [
            Flag("format", "F", "text or json\nor sarif", environment: false),
            Flag("debug", nil, "hidden", environment: false, hidden: true),
            Flag("help", nil, "print this help", environment: false, aliases: ["-h"]),
        ]
        let text = UsageText.render(synopsis: ["tool [options]", "tool --help"], summary: "Does things.", flags: flags, notes: "Notes.")
        #expect(
            text == """
                Usage: tool [options]
                       tool --help

                Does things.

                Options:
                  --format F  text or json
                              or sarif
                  -h, --help  print this help

                Notes.
                """)
        #expect(!UsageText.render(synopsis: ["t"], summary: "s", flags: flags, heading: nil, notes: nil).contains("Options:"))
    }
}
