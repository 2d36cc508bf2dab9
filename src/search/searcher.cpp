#include "search/searcher.h"

#include <algorithm>
#include <chrono>

#include "search/query.h"

namespace mcdewey::search {

Result<model::SearchResponse> Searcher::search(const model::SearchRequest& request, bool highlight) {
  const auto t0 = std::chrono::steady_clock::now();
  ParsedQuery q = parse_query(request.query);
  model::SearchFilters filters = q.filters;
  auto pick = [](std::string& slot, const std::string& from_request) {
    if (!from_request.empty()) slot = from_request;
  };
  pick(filters.vendor, request.filters.vendor);
  pick(filters.product, request.filters.product);
  pick(filters.version, request.filters.version);
  pick(filters.doc, request.filters.doc);

  const std::string fts = to_fts5(q);
  if (fts.empty()) return invalid_argument("the query has no words to search for");
  const int limit = std::clamp(request.limit, 1, options_.max_limit);
  const int offset = std::max(request.offset, 0);

  model::SearchResponse resp;
  resp.effective_query = fts;
  auto matches = store_.match(fts, filters, limit, offset, options_.rank, &resp.total);
  if (!matches) return matches.status();
  auto hits = store_.hydrate(*matches, highlight ? fts : std::string());
  if (!hits) return hits.status();
  resp.hits = std::move(hits.value());
  resp.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return resp;
}

}  // namespace mcdewey::search
