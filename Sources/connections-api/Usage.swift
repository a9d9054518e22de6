import Arguments
import Validation

/// Usage text and the exit codes of CLI.md: every flag of every command has a one-line
/// description, and a wrong flag prints usage to stderr and exits 64. Each command's flags are
/// one table that both `--help` and `ArgumentList` read, so a flag cannot be accepted without
/// being described.
enum Usage {
    static let exitUsage: Int32 = 64

    static let version = "connections-api \(BuildVersion.current)"

    static let main = """
        Usage: connections-api [command] [options]

        Commands:
          serve        Run the HTTP service (the default when no command is given)
          lint         Judge connection files with the validation engine
          migrate      Apply or list database migrations
          clients      Manage machine clients (create, list, revoke)
          admin-token  Replace (rotate) or remove (revoke) the stored admin token

        Options:
          --version   print the version and exit
          --help      print this help and exit

        Run `connections-api <command> --help` for a command's options.
        """

    static let serveFlags: [Flag] = [
        Flag("host", "ADDRESS", "address to listen on (default 127.0.0.1: loopback only)"),
        Flag("port", "PORT", "TCP port (default 8080; 0 picks a free one and prints it)"),
        Flag("db", "PATH", "SQLite database file, created if missing (default connections.sqlite; :memory: keeps nothing)"),
        Flag("rate-limit", "RATE/BURST", "per-client token bucket in requests/s and burst (default 100/200), or off"),
        Flag("rate-limit-admin", nil, "rate-limit the admin token too (exempt by default)"),
        Flag("token-lifetime", "SECONDS", "lifetime of tokens from POST /oauth/token (default 86400)"),
        Flag("max-connections", "N", "open connections held at once; past it new ones get 503 (default 4096)"),
        Flag("head-timeout", "SECONDS", "time allowed for a request's head to arrive (default 10)"),
        Flag("body-timeout", "SECONDS", "time allowed for a request's body after its head (default 30)"),
        Flag("idle-timeout", "SECONDS", "idle keep-alive connections close after this long (default 60)"),
        Flag("event-loops", "N", "event-loop threads (default: one per core)"),
        Flag("audience", "URL", "the API identifier /oauth/token accepts (default http://<host>:<port>/api/v2/)"),
        Flag("legacy-enabled-clients", nil, "connections carry enabled_clients (Auth0's legacy toggle on; default off)"),
        Flag("revisions-keep", "N", "revisions kept per connection (default 100, at least 1)"),
        Flag("log-format", "text|json", "log lines on stderr as text (default) or one JSON object per line"),
        Flag("metrics", "on|off", "serve GET /metrics, Prometheus text format, without a token (default on)"),
        Flag("quiet", nil, "no per-request log lines (start, stop and errors are still logged)"),
        .help,
    ]

    static let serve = UsageText.render(
        synopsis: ["connections-api serve [options]"],
        summary: "Runs the HTTP service: opens (or creates) the database, applies pending migrations, listens.",
        flags: serveFlags,
        notes: """
            Every option can also be set in the environment as CONNECTIONS_API_<OPTION>
            (--log-format json is CONNECTIONS_API_LOG_FORMAT=json; a switch is =1 or =0);
            flags win over the environment. CONNECTIONS_API_TOKEN sets the admin token.
            """)

    static let dbFlag = Flag(
        "db", "PATH", "SQLite database file (default connections.sqlite; or CONNECTIONS_API_DB)")

    static let migrateFlags: [Flag] = [
        dbFlag,
        Flag("status", nil, "list applied and pending migrations instead of applying them", environment: false),
        .help,
    ]

    static let migrate = UsageText.render(
        synopsis: ["connections-api migrate [--db PATH] [--status]"],
        summary: "Applies the migrations embedded in this binary that the database has not had yet.",
        flags: migrateFlags, notes: nil)

    static let clientsFlags: [Flag] = [
        Flag("name", "NAME", "create: a name for the client, for people", environment: false),
        Flag(
            "scopes", "LIST", "create: comma-separated scopes the client may ask for (read:connections,...)",
            environment: false),
        dbFlag,
        .help,
    ]

    static let clients = UsageText.render(
        synopsis: [
            "connections-api clients create --name NAME --scopes read:connections,create:connections [--db PATH]",
            "connections-api clients list [--db PATH]",
            "connections-api clients revoke CLIENT_ID [--db PATH]",
        ],
        summary: """
            Manages machine clients: create prints a client_id and a client_secret once (only a hash
            of the secret is kept); revoke stops the client's tokens at its next request.
            """,
        flags: clientsFlags, notes: nil)

    static let adminTokenFlags: [Flag] = [dbFlag, .help]

    static let adminToken = UsageText.render(
        synopsis: ["connections-api admin-token rotate [--db PATH]", "connections-api admin-token revoke [--db PATH]"],
        summary: """
            rotate prints a new admin token once and replaces the stored one; revoke removes it,
            leaving machine clients as the only way in. A running server follows either at its next
            request; CONNECTIONS_API_TOKEN, when set at a server's start, replaces the stored one.
            """,
        flags: adminTokenFlags, notes: nil)

    /// Prints `message` and `text` to stderr and returns the usage exit code.
    static func fail(_ message: String, _ text: String) -> Int32 {
        printError("error: \(message)\n\n\(text)")
        return exitUsage
    }

    /// Writes a line to stdout at once (unbuffered), so a parent process reading the
    /// `listening on` line sees it immediately.
    static func printLine(_ text: String) {
        ProcessIO.printLine(text)
    }

    static func printError(_ text: String) {
        ProcessIO.printError(text)
    }
}
