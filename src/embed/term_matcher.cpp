// The built-in model's TermMatcher (term_matcher.h), over BuiltinEmbedder's word vectors.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/strings.h"
#include "embed/builtin_embedder.h"
#include "embed/tokenizer.h"

namespace mcdewey::embed {

namespace {

struct QueryWord {
  std::string word;
  std::vector<float> unit;  // empty when the model has no vector for it (exact matches only)
  double weight = 1.0;
};

class BuiltinTermMatcher final : public TermMatcher {
 public:
  BuiltinTermMatcher(const BuiltinEmbedder& model, std::vector<QueryWord> words, TermMatchOptions options)
      : model_(model), words_(std::move(words)), options_(options), dims_(model.vectors().dims()) {
    for (const auto& w : words_) max_score_ += w.weight;
  }

  double score(std::string_view passage) override {
    // The passage as a sequence of per-token match rows: row[i] = the thresholded match of
    // query word i, (m - theta) / (1 - theta) or 0.
    seq_.clear();
    for_each_token(passage, [&](std::string_view tok) { seq_.push_back(match_row(tok)); });
    if (seq_.empty()) return 0.0;
    const size_t n = words_.size();
    std::vector<double> best(n, 0.0);
    for (const double* row : seq_) {
      for (size_t i = 0; i < n; ++i) best[i] = std::max(best[i], row[i]);
    }
    const double whole = weighted(best);
    const size_t w = static_cast<size_t>(std::max(options_.window, 0));
    if (w == 0 || options_.window_share <= 0 || seq_.size() <= w) return whole;
    return (1.0 - options_.window_share) * whole + options_.window_share * best_window(w);
  }

  double max_score() const override { return max_score_; }

 private:
  double weighted(const std::vector<double>& m) const {
    double total = 0;
    for (size_t i = 0; i < words_.size(); ++i) total += words_[i].weight * m[i];
    return total;
  }

  // The best weighted sum over all windows of `w` consecutive tokens: a sliding maximum per
  // query word (monotonic deque of positions), O(tokens x query words).
  double best_window(size_t w) {
    const size_t n = words_.size();
    const size_t len = seq_.size();
    std::vector<std::vector<double>> win_max(n, std::vector<double>(len - w + 1));
    std::vector<size_t> dq(len);
    for (size_t i = 0; i < n; ++i) {
      size_t head = 0, tail = 0;
      for (size_t t = 0; t < len; ++t) {
        while (tail > head && seq_[dq[tail - 1]][i] <= seq_[t][i]) --tail;
        dq[tail++] = t;
        if (dq[head] + w <= t) ++head;
        if (t + 1 >= w) win_max[i][t + 1 - w] = seq_[dq[head]][i];
      }
    }
    double best = 0;
    std::vector<double> m(n);
    for (size_t s = 0; s + w <= len; ++s) {
      for (size_t i = 0; i < n; ++i) m[i] = win_max[i][s];
      best = std::max(best, weighted(m));
    }
    return best;
  }

  // A passage word's match row, cached across the passages of this query.
  const double* match_row(std::string_view tok) {
    auto it = rows_.find(tok);
    if (it != rows_.end()) return it->second.data();
    std::vector<double> row(words_.size(), 0.0);
    std::vector<float> v(static_cast<size_t>(dims_));
    double p = 0;
    const std::string word(tok);
    const bool has_vector = model_.unit_word_vector(word, v.data(), &p);
    const double theta = options_.threshold;
    for (size_t i = 0; i < words_.size(); ++i) {
      double c = 0;
      if (words_[i].word == word) {
        c = 1.0;
      } else if (has_vector && !words_[i].unit.empty()) {
        for (int k = 0; k < dims_; ++k) c += double(v[size_t(k)]) * double(words_[i].unit[size_t(k)]);
      }
      row[i] = c > theta ? (c - theta) / (1.0 - theta) : 0.0;
    }
    return rows_.emplace(word, std::move(row)).first->second.data();
  }

  const BuiltinEmbedder& model_;
  std::vector<QueryWord> words_;
  TermMatchOptions options_;
  int dims_;
  double max_score_ = 0;
  // Rows are never erased while the matcher lives, so pointers into them stay valid
  // (unordered_map nodes do not move on rehash).
  str::StringMap<std::vector<double>> rows_;
  std::vector<const double*> seq_;
};

}  // namespace

std::unique_ptr<TermMatcher> BuiltinEmbedder::term_matcher(const std::vector<std::string>& query_words,
                                                           const TermMatchOptions& options) const {
  std::vector<QueryWord> words;
  const int d = vectors_->dims();
  for (const auto& w : query_words) {
    if (w.empty() || std::any_of(words.begin(), words.end(), [&](const QueryWord& q) { return q.word == w; })) {
      continue;
    }
    QueryWord q;
    q.word = w;
    q.unit.resize(size_t(d));
    double p = 0;  // stays 0 for a word unknown to the model and the library: the rarest kind
    if (!unit_word_vector(w, q.unit.data(), &p)) q.unit.clear();
    q.weight = options.sif_a / (options.sif_a + p);
    words.push_back(std::move(q));
  }
  if (words.empty()) return nullptr;
  return std::make_unique<BuiltinTermMatcher>(*this, std::move(words), options);
}

}  // namespace mcdewey::embed
