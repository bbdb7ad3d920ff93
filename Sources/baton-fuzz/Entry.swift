import Foundation

#if BATON_LIBFUZZER
import CFuzzer

/// The fuzz build's `main` (SwiftPM points `main` at `<module>_main`): hands the command line to libFuzzer's
/// driver with the selected target as its callback.
@_cdecl("baton_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = FuzzTarget.selected  // fail early, before libFuzzer starts, on an unknown target
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        // Safe: libFuzzer passes `size` readable bytes at `data` for the duration of the call.
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        FuzzTarget.selected.run(bytes)
        return 0
    }
}

/// libFuzzer's usual entry point, which its runtime's own `main` names.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    // Safe: libFuzzer passes `size` readable bytes at `data` for the duration of the call.
    FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
/// Without libFuzzer: `baton-fuzz replay TARGET FILE_OR_FOLDER…` runs saved inputs through a target, so the
/// seed corpora and every input that once crashed run in the ordinary test suite.
@main
struct Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 3, arguments[0] == "replay", let target = FuzzTarget(rawValue: arguments[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: baton-fuzz replay TARGET FILE_OR_FOLDER…  (targets: \(names))\n".utf8))
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst(2) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("baton-fuzz: \(path): no such file or folder\n".utf8))
                exit(2)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(count) inputs replayed through \(target.rawValue)")
    }
}
#endif
