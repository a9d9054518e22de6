import Glibc

// Argument dispatch only: each command lives in its own file.
// Built with `--static-swift-stdlib`, the runtime finds the command line through /proc; where
// /proc is not mounted (a bare chroot) it finds nothing, not even the program's name. Refuse
// then, rather than take "no arguments" for `serve` with every default.
guard !CommandLine.arguments.isEmpty else {
    Usage.printError("connections-api: cannot read the command line (is /proc mounted?)")
    exit(71)  // sysexits.h EX_OSERR
}
let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case nil:
    status = ServeCommand.main([])
case "serve":
    status = ServeCommand.main(Array(arguments.dropFirst()))
case "lint":
    status = LintCommand.run(Array(arguments.dropFirst()))
case "migrate":
    status = MigrateCommand.main(Array(arguments.dropFirst()))
case "clients":
    status = ClientsCommand.main(Array(arguments.dropFirst()))
case "admin-token":
    status = AdminTokenCommand.main(Array(arguments.dropFirst()))
case "--version":
    Usage.printLine(Usage.version)
    status = 0
case "--help", "-h", "help":
    print(Usage.main)
    status = 0
case let flag? where flag.hasPrefix("--"):
    status = ServeCommand.main(arguments)
default:
    status = Usage.fail("unknown command \(arguments[0])", Usage.main)
}
exit(status)
