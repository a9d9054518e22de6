import JSON
import Lint
import Validation

/// `connections-api lint` (CLI.md): reads the files, runs the pure `LintEngine`, prints
/// one report and chooses the exit status. All I/O of linting happens here.
enum LintCommand {
    /// Nothing at or above `--fail-on`.
    static let exitClean: Int32 = 0
    /// Something at or above `--fail-on`.
    static let exitFindings: Int32 = 1
    /// A file (a FILE, `--tenant` or `--current`) could not be read or used.
    static let exitUnreadable: Int32 = 2
    /// sysexits.h `EX_USAGE`.
    static let exitUsage: Int32 = 64

    /// Runs `lint` with the arguments that follow it; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let options: LintOptions
        do {
            options = try LintOptions.parse(arguments)
        } catch {
            writeStandardError("connections-api lint: \(error)\n\n" + LintOptions.usage)
            return exitUsage
        }
        if options.showHelp {
            writeStandardOutput(LintOptions.usage)
            return exitClean
        }
        if options.listRules {
            writeStandardOutput(LintRules.listing(format: options.format))
            return exitClean
        }
        if let id = options.explainRule {
            guard let explanation = RuleExplanation.named(id) else {
                writeStandardError("connections-api lint: unknown rule '\(id)' (see --list-rules)\n")
                return exitUsage
            }
            writeStandardOutput(explanation.text)
            return exitClean
        }

        if options.parseYAML {
            var status = exitClean
            for file in options.files {
                do {
                    writeStandardOutput(YAMLDump.render(try read(file)))
                } catch {
                    writeStandardError("connections-api lint: \(error)\n")
                    status = exitUnreadable
                }
            }
            return status
        }

        let engine: LintEngine
        do {
            engine = try makeEngine(options)
        } catch {
            writeStandardError("connections-api lint: \(error)\n")
            return exitUnreadable
        }

        let keywords: JSONObject
        do {
            keywords = try loadKeywords(options)
        } catch {
            writeStandardError("connections-api lint: \(error)\n")
            return exitUnreadable
        }

        var findings: [LintFinding] = []
        var summary = LintSummary()
        var unreadable = false
        for file in options.files {
            do {
                let report = try lint(file, options: options, engine: engine, keywords: keywords)
                summary.add(report)
                findings += LintFinding.sortedByPosition(report.findings)
            } catch {
                writeStandardError("connections-api lint: \(error)\n")
                unreadable = true
            }
        }

        writeStandardOutput(options.format.formatter().format(findings))
        if options.format == .text { writeStandardError(summary.line + "\n") }
        if unreadable { return exitUnreadable }
        return findings.contains { $0.violation.severity >= options.failOn } ? exitFindings : exitClean
    }

    /// Lints one FILE: API JSON, a Terraform plan, or deploy CLI configuration (a YAML file
    /// or a directory), as `--input` says or as its name and content tell.
    private static func lint(
        _ file: String, options: LintOptions, engine: LintEngine, keywords: JSONObject
    ) throws -> LintFileReport {
        let name = file == LintOptions.standardInput ? "<stdin>" : file
        let fileSystem = LocalFileSystem()
        if file != LintOptions.standardInput && fileSystem.isDirectory(file) && (options.input ?? .deployCLI) == .deployCLI {
            let input = try DeployCLIReader.readDirectory(file, fileSystem: fileSystem, keywords: keywords)
            return engine.report(input, tenantGiven: options.tenantPath != nil)
        }
        let bytes = try read(file)
        switch options.input ?? LintInputKind.detect(name: name, bytes: bytes) {
        case .api:
            return engine.report(file: name, bytes: bytes)
        case .deployCLI:
            let input = DeployCLIReader.readYAML(file: name, bytes: bytes, keywords: keywords)
            return engine.report(input, tenantGiven: options.tenantPath != nil)
        case .terraformPlan:
            let input = TerraformPlanReader.read(file: name, bytes: bytes)
            return engine.report(input, tenantGiven: options.tenantPath != nil)
        }
    }

    /// `--keywords FILE`, else the environment's `AUTH0_KEYWORD_REPLACE_MAPPINGS`, else none.
    private static func loadKeywords(_ options: LintOptions) throws -> JSONObject {
        do {
            if let path = options.keywordsPath {
                do {
                    return try LintContextLoader.keywords(from: try read(path))
                } catch let error as LintInputError {
                    throw CommandError("\(path): \(error)")
                }
            }
            if let variable = ProcessIO.environment(LintContextLoader.keywordsVariable) {
                return try LintContextLoader.keywords(from: Array(variable.utf8))
            }
        } catch let error as LintInputError {
            throw CommandError("\(LintContextLoader.keywordsVariable): \(error)")
        }
        return JSONObject()
    }

    private static func makeEngine(_ options: LintOptions) throws -> LintEngine {
        var tenant = TenantSettings.unknown
        if let path = options.tenantPath {
            do {
                tenant = try LintContextLoader.tenant(from: try read(path))
            } catch let error as LintInputError {
                throw CommandError("\(path): \(error)")
            }
        }
        var current: JSONObject?
        if let path = options.currentPath {
            do {
                current = try LintContextLoader.storedConnection(from: try read(path))
            } catch let error as LintInputError {
                throw CommandError("\(path): \(error)")
            }
        }
        return LintEngine(tenant: tenant, current: current)
    }

    /// The bytes of a file, or of standard input for `-`.
    private static func read(_ path: String) throws(CommandError) -> [UInt8] {
        do {
            return path == LintOptions.standardInput ? try ProcessIO.readStandardInput() : try ProcessIO.readFile(path)
        } catch {
            throw CommandError(error.description)
        }
    }

    private static func writeStandardOutput(_ text: String) {
        guard !text.isEmpty else { return }
        ProcessIO.write(text, to: 1)
    }

    private static func writeStandardError(_ text: String) {
        ProcessIO.write(text, to: 2)
    }

    /// A failure the command reports on stderr as it is.
    private struct CommandError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
