// PLACEHOLDER until the real extractor lands (being written now).
#include "extract/extract.h"
namespace mcdewey::extract {
Result<model::Document> extract_pdf(std::string_view) { return unsupported("pdf extraction not built yet"); }
}  // namespace mcdewey::extract
