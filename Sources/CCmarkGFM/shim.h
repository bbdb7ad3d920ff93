// cmark-gfm and its GitHub extensions (tables, task lists, strikethrough, autolinks).
// libcmark-gfm-extensions-dev ships no pkg-config file; the module map links it by name.
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
