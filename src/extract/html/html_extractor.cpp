// PLACEHOLDER until the real extractor lands (being written now).
#include "extract/extract.h"
namespace mcdewey::extract {
Result<model::Document> extract_html(std::string_view) { return unsupported("html extraction not built yet"); }
}  // namespace mcdewey::extract
