// Lexical search over the store: parse, match with BM25 (title and heading path weighted
// above body text), hydrate into result cards with highlights.
#pragma once

#include "common/status.h"
#include "model/search.h"
#include "store/store.h"

namespace mcdewey::search {

struct SearchOptions {
  store::RankParams rank;  // defaults in store.h
  int max_limit = 1000;
};

class Searcher {
 public:
  explicit Searcher(store::Store& store, SearchOptions options = {}) : store_(store), options_(options) {}

  // Filters in the request win over `key:value` filters typed in the query.
  // An empty query (or one with no words) is kInvalidArgument. Without `highlight` the hits
  // carry no highlights (cheaper, for candidate lists that are reranked before display).
  Result<model::SearchResponse> search(const model::SearchRequest& request, bool highlight = true);

  const SearchOptions& options() const { return options_; }
  void set_options(const SearchOptions& o) { options_ = o; }

 private:
  store::Store& store_;
  SearchOptions options_;
};

}  // namespace mcdewey::search
