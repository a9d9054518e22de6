import Glibc
import Lint

/// The file system as `lint` reads a deploy CLI directory: POSIX calls, like `ProcessIO`.
struct LocalFileSystem: LintFileSystem {
    func read(_ path: String) throws(LintInputError) -> [UInt8] {
        do {
            return try ProcessIO.readFile(path)
        } catch {
            throw LintInputError(error.description)
        }
    }

    func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    func entries(of directory: String) throws(LintInputError) -> [String] {
        guard let stream = opendir(directory) else {
            throw LintInputError("cannot read \(directory): \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
