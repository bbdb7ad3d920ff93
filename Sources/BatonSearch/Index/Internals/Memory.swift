#if canImport(Glibc)
import Glibc
#endif

/// Memory the index writer has freed, handed back to the system. glibc keeps freed blocks in its arenas for
/// reuse; a writer that builds and drops a heap's worth of postings for every segment leaves free pages
/// scattered among live blocks, and its resident memory climbs segment after segment (on a million documents,
/// from 100 MB to 800 MB beyond the corpus in a 256 MB heap). glibc's `malloc_trim` returns every arena's free
/// pages. It is not in the C library's Swift module (it lives in malloc.h), so it is looked up once by name and
/// called through a C function pointer of its declared type, `int malloc_trim(size_t pad)`; elsewhere nothing
/// is done.
enum Memory {
    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    // RTLD_DEFAULT (a null handle): the symbol as the process's libraries define it.
    nonisolated(unsafe) private static let trim: Trim? = dlsym(nil, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    #endif

    static func giveBack() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
