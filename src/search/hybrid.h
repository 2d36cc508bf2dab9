// The search entry point above the lexical Searcher: dispatches by SearchRequest::mode,
// runs dense retrieval, fuses, applies version-aware collapsing (search/versions.h) and
// pages the result (DESIGN.md "search").
//
//   lexical   BM25 (search::Searcher), then version collapsing.
//   semantic  the query's vector against the vector index, filters honoured exactly.
//   hybrid    lexical top-N and dense top-N fused (search/fusion.h), N = `candidates` or
//             3 x (offset + limit), whichever is larger (collapsing needs spare results);
//             the lexical top `term_candidates` are also scored by term-level matching
//             (embed/term_matcher.h) when the embedder has word vectors, as a third list.
//   auto      hybrid when a dense source is given, else lexical.
#pragma once

#include <memory>

#include "common/status.h"
#include "embed/embedder.h"
#include "model/search.h"
#include "search/fusion.h"
#include "search/searcher.h"
#include "store/store.h"
#include "vector/vector_index.h"

namespace mcdewey::search {

// Defaults measured on DEV (docs/design-notes.md "Hybrid ranking").
struct HybridOptions {
  int candidates = 100;  // per engine
  FusionMethod fusion = FusionMethod::kScore;
  double lexical_weight = 1.0;
  double dense_weight = 0.2;
  double term_weight = 1.0;  // term-level matching of the lexical top `term_candidates`
  double rrf_k = 60.0;       // kRrf only
  int term_candidates = 50;  // 0 = no term-level matching
  embed::TermMatchOptions term_match;
  bool collapse_versions = true;
  int max_limit = 1000;
};

// What semantic search needs: an embedder for the query and the index of the passages.
// Both or neither.
struct DenseSource {
  embed::Embedder* embedder = nullptr;
  std::shared_ptr<const vector::VectorIndex> index;
};

class HybridSearcher {
 public:
  HybridSearcher(store::Store& store, Searcher& lexical, HybridOptions options = {})
      : store_(store), lexical_(lexical), options_(options) {}

  // `dense` null: hybrid/semantic requests are kUnsupported with a hint, auto is lexical.
  Result<model::SearchResponse> search(const model::SearchRequest& request, const DenseSource* dense);

  const HybridOptions& options() const { return options_; }
  void set_options(const HybridOptions& o) { options_ = o; }

 private:
  store::Store& store_;
  Searcher& lexical_;
  HybridOptions options_;
};


}  // namespace mcdewey::search
