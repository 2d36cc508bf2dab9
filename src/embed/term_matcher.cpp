// The built-in model's TermMatcher (term_matcher.h), over BuiltinEmbedder's word vectors.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

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
    // m_t per query word: the best cosine of any distinct passage word.
    std::vector<double> best(words_.size(), 0.0);
    seen_.clear();
    for_each_token(passage, [&](std::string_view tok) {
      auto [it, fresh] = seen_.emplace(tok);
      if (!fresh) return;
      const float* v = lookup(*it);
      for (size_t i = 0; i < words_.size(); ++i) {
        if (best[i] >= 1.0) continue;
        if (words_[i].word == tok) {
          best[i] = 1.0;
        } else if (v != nullptr && !words_[i].unit.empty()) {
          double c = 0;
          for (int k = 0; k < dims_; ++k) c += double(v[k]) * double(words_[i].unit[size_t(k)]);
          best[i] = std::max(best[i], c);
        }
      }
    });
    const double theta = options_.threshold;
    double total = 0;
    for (size_t i = 0; i < words_.size(); ++i) {
      if (best[i] > theta) total += words_[i].weight * (best[i] - theta) / (1.0 - theta);
    }
    return total;
  }

  double max_score() const override { return max_score_; }

 private:
  // A passage word's unit vector, cached across the passages of this query; null if none.
  const float* lookup(const std::string& word) {
    auto it = cache_.find(word);
    if (it == cache_.end()) {
      std::vector<float> v(static_cast<size_t>(dims_));
      double p = 0;
      if (!model_.unit_word_vector(word, v.data(), &p)) v.clear();
      it = cache_.emplace(word, std::move(v)).first;
    }
    return it->second.empty() ? nullptr : it->second.data();
  }

  const BuiltinEmbedder& model_;
  std::vector<QueryWord> words_;
  TermMatchOptions options_;
  int dims_;
  double max_score_ = 0;
  std::unordered_map<std::string, std::vector<float>> cache_;
  std::unordered_set<std::string> seen_;
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
    double p = 0;
    if (!unit_word_vector(w, q.unit.data(), &p)) {
      q.unit.clear();
      p = 0;  // unknown to the model and the library: the rarest kind of word
    }
    q.weight = options.sif_a / (options.sif_a + p);
    words.push_back(std::move(q));
  }
  if (words.empty()) return nullptr;
  return std::make_unique<BuiltinTermMatcher>(*this, std::move(words), options);
}

}  // namespace mcdewey::embed
