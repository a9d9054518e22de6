/// Usage text and the exit codes of CLI.md: a wrong flag prints usage to stderr, exits 64.
enum Usage {
    static let exitUsage: Int32 = 64

    static let main = """
        Usage: connections-api [command] [options]

        Commands:
          serve        Run the HTTP service (the default when no command is given)
          lint         Judge connection files with the validation engine
          migrate      Apply or list database migrations
          clients      Manage machine clients (create, list, revoke)
          admin-token  Replace (rotate) or remove (revoke) the stored admin token

        Run `connections-api <command> --help` for a command's options.
        """

    static let serve = """
        Usage: connections-api serve [--host 127.0.0.1] [--port 8080] [--db connections.sqlite]
                                     [--rate-limit RATE/BURST|off] [--rate-limit-admin]
                                     [--token-lifetime SECONDS] [--max-connections N]
                                     [--head-timeout SECONDS] [--body-timeout SECONDS]
                                     [--idle-timeout SECONDS] [--event-loops N] [--quiet]
                                     [--audience URL] [--legacy-enabled-clients] [--revisions-keep N]

        --audience URL             the API identifier /oauth/token accepts
                                   (default: http://<host>:<port>/api/v2/)
        --legacy-enabled-clients   connections carry enabled_clients, as on a tenant
                                   with Auth0's legacy toggle on (default: no such field)
        --revisions-keep N         revisions kept per connection (default 100, at least 1)

        Environment: CONNECTIONS_API_TOKEN (admin token), CONNECTIONS_API_HOST,
        CONNECTIONS_API_PORT, CONNECTIONS_API_DB, CONNECTIONS_API_AUDIENCE,
        CONNECTIONS_API_LEGACY_ENABLED_CLIENTS=1, CONNECTIONS_API_REVISIONS_KEEP. Flags win over
        the environment.
        """

    static let migrate = """
        Usage: connections-api migrate [--db PATH] [--status]
        """

    static let clients = """
        Usage: connections-api clients create --name NAME --scopes read:connections,create:connections [--db PATH]
               connections-api clients list [--db PATH]
               connections-api clients revoke CLIENT_ID [--db PATH]
        """

    static let adminToken = """
        Usage: connections-api admin-token rotate [--db PATH]
               connections-api admin-token revoke [--db PATH]

        rotate prints a new admin token once and replaces the stored one; revoke removes it,
        leaving machine clients as the only way in. A running server follows either at its next
        request; CONNECTIONS_API_TOKEN, when set at a server's start, replaces the stored one.
        """

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
