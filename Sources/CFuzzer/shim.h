// libFuzzer's driver, from the fuzzer runtime that `-sanitize=fuzzer` links. Declared here only: the fuzz build
// (make fuzz) calls it; an ordinary build never does, so nothing needs to be linked for it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
