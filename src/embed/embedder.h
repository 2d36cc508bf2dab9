// Embedders: a batch of texts -> dense vectors, behind one interface (DESIGN.md "embed").
//
// Implementations: the built-in word-vector model (SIF sentence vectors over pretrained
// word vectors, adapted to the library's vocabulary) and an OpenAI-compatible HTTP client.
// Every vector returned is L2-normalised and has identity().dims components; the one
// exception is a text in which the model knows no word at all (only numbers, an unknown
// language): the built-in model returns an all-zero vector for it (cosine 0 to everything).
// embed() and embed_query() may be called from several threads at once; prepare() and
// load_state() may not run concurrently with them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "embed/term_matcher.h"

namespace mcdewey::embed {

struct EmbedderIdentity {
  std::string name;  // e.g. "builtin:wink-sg-100d" or "http:nomic-embed-text"; recorded in the library
  int dims = 0;
};

class Embedder {
 public:
  virtual ~Embedder() = default;

  virtual EmbedderIdentity identity() const = 0;

  // Learns what the model needs from the library's own text (word frequencies for SIF,
  // vectors for library jargon, the common component). Called by the app with every chunk
  // text before (re-)embedding a library. Models that learn nothing return OK.
  virtual Status prepare(const std::vector<std::string_view>& corpus_texts) { (void)corpus_texts; return {}; }

  // A digest of the learned state: when it changes, stored vectors are stale and the app
  // re-embeds the library. "" for models without learned state.
  virtual std::string state_fingerprint() const { return ""; }

  // The learned state as a self-contained blob, and back, so every process that opens the
  // library (ingest, the server, the CLI) embeds queries exactly as ingest embedded passages.
  // The app stores the blob beside the vectors (e.g. in SQLite meta) after prepare() and
  // calls load_state() after opening the embedder; load_state(save_state()) reproduces
  // state_fingerprint() and every vector bit for bit. Models without learned state return ""
  // and accept "" (and only ""). kConflict when the blob was learned with a different model,
  // kCorrupt / kUnsupported for a damaged or newer blob. Not to be called concurrently with
  // embed().
  virtual Result<std::string> save_state() const { return std::string(); }
  virtual Status load_state(std::string_view blob) {
    if (blob.empty()) return {};
    return {ErrorCode::kInvalidArgument, "this embedder has no learned state to load"};
  }

  // One vector per text, in order. Errors carry a one-line reason.
  virtual Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) = 0;

  // Queries may be embedded differently from passages (instruction-tuned models); by default
  // the same.
  virtual Result<std::vector<float>> embed_query(const std::string& text);

  // Term-level matching for reranking (embed/term_matcher.h), for models that have word
  // vectors; null for models that do not (HTTP models), and when no query word is known.
  // `query_words` are the query's content words, lower-case (the caller drops stop words).
  virtual std::unique_ptr<TermMatcher> term_matcher(const std::vector<std::string>& query_words,
                                                    const TermMatchOptions& options) const {
    (void)query_words;
    (void)options;
    return nullptr;
  }
};

}  // namespace mcdewey::embed
