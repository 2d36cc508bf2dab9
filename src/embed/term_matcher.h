// Term-level semantic matching ("soft matching"): how well a passage covers each content word
// of a query, exactly or through a word close to it in word-vector space.
//
//   score(passage) = sum over query words t of  w(t) * max(0, (m_t - theta) / (1 - theta))
//   m_t = 1 when the passage holds t itself, else max over passage words p of cos(v_t, v_p)
//   w(t) = a / (a + p(t)), p(t) = t's frequency in the library (the SIF weight)
//
// Soft proximity: the same sum over the best window of `window` consecutive tokens, mixed
// in with share `window_share`:
//   final = (1 - share) * score(whole passage) + share * max over windows score(window)
// A passage where the query's meaning is gathered in one place outranks one that mentions
// each word somewhere (the soft counterpart of BM25's proximity bonus, store/fts_rank.h,
// with the same 50-token window). Passages shorter than the window score as a whole.
//
// Why: averaging a whole passage into one vector (the SIF sentence vector) blurs the few
// words that answer a question; matching word by word keeps them. Measured on DEV
// (docs/design-notes.md "Hybrid ranking"), this signal alone ranks close to BM25, and fused
// with BM25 it beats BM25 + passage vectors clearly. It reranks a short candidate list; it
// is not an index.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::embed {

struct TermMatchOptions {
  double threshold = 0.6;  // theta: cosines at or below it count as no match
  double sif_a = 1e-2;     // a of the term weights: larger flattens them towards 1
  int window = 50;            // soft-proximity window, in tokens (0 = whole passage only)
  double window_share = 0.5;  // weight of the best window against the whole passage
};

// Built once per query by Embedder::term_matcher(); score() may run on one thread at a time
// (it caches word vectors it has looked up).
class TermMatcher {
 public:
  virtual ~TermMatcher() = default;
  // The passage's coverage of the query words; 0 when it covers none. Never negative.
  virtual double score(std::string_view passage) = 0;
  // The highest score() any passage can get (every query word matched exactly).
  virtual double max_score() const = 0;
};

}  // namespace mcdewey::embed
