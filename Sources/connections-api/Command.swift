import Arguments

/// A command of the executable: its flag table and usage text, and what it does with the
/// arguments read against them. `main` is the same for every command: a wrong command line
/// prints the usage to stderr and exits 64 (CLI.md), `--help` prints it and exits 0.
protocol Command {
    static var flags: [Flag] { get }
    static var usage: String { get }
    static func run(_ options: ArgumentList) -> Int32
}

extension Command {
    static func main(_ arguments: [String]) -> Int32 {
        let options: ArgumentList
        do {
            options = try ArgumentList(arguments, flags: flags, environment: ProcessIO.environment)
        } catch {
            return Usage.fail("\(error)", usage)
        }
        if options.has(Flag.help.name) {
            print(usage)
            return 0
        }
        return run(options)
    }
}
