#include "embed/embedder.h"

namespace mcdewey::embed {

Result<std::vector<float>> Embedder::embed_query(const std::string& text) {
  auto r = embed(std::vector<std::string>{text});
  if (!r) return r.status();
  if (r->size() != 1) return internal_error("embedder returned no vector for the query");
  return std::move(r->front());
}

}  // namespace mcdewey::embed
