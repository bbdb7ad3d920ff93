// libxml2's HTML and XML parsers, tree and XPath APIs, for BatonImport's wrappers.
//
// Debian builds libxml2 with ICU, so encoding.h would pull in the system's
// <unicode/*.h>. Those clash with the ICU headers Foundation ships
// (_FoundationICU) whenever one Swift compile batch sees both modules. We
// never touch the ICU-only trailing fields of xmlCharEncodingHandler (we
// only pass pointers to libxml2's own handlers), so the headers are read as
// if ICU were off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
