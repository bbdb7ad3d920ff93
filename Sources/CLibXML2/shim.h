// libxml2's HTML and XML parsers, tree and XPath APIs, for BatonImport's wrappers.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
