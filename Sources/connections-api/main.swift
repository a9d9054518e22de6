import Glibc

// Argument dispatch only: each command lives in its own file.
let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case nil:
    status = ServeCommand.run([])
case "serve":
    status = ServeCommand.run(Array(arguments.dropFirst()))
case "lint":
    status = LintCommand.run(Array(arguments.dropFirst()))
case "migrate":
    status = MigrateCommand.run(Array(arguments.dropFirst()))
case "clients":
    status = ClientsCommand.run(Array(arguments.dropFirst()))
case "admin-token":
    status = AdminTokenCommand.run(Array(arguments.dropFirst()))
case "--version":
    Usage.printLine(Usage.version)
    status = 0
case "--help", "-h", "help":
    print(Usage.main)
    status = 0
case let flag? where flag.hasPrefix("--"):
    status = ServeCommand.run(arguments)
default:
    status = Usage.fail("unknown command \(arguments[0])", Usage.main)
}
exit(status)
