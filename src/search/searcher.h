// Lexical search over the store: parse, match with BM25 (title and heading path weighted
// above body text), hydrate into result cards with highlights.
#pragma once

#include "common/status.h"
#include "model/search.h"
#include "store/store.h"

namespace mcdewey::search {

struct SearchOptions {
  store::RankParams rank;  // defaults in store.h
  // A query word in more than this share of all chunks is "common": when the query also has
  // rarer words, only chunks holding one of those are ranked (common words still add to
  // their scores). 1 = rank every chunk that holds any query word.
  double common_share = 0.1;
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
