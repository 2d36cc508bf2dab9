// Library: the one facade that cli/ and server/ call (DESIGN.md "app"). It owns the data
// directory:
//   <data>/mcdewey.db   SQLite (WAL): products, documents, chunks, FTS5, meta
//   <data>/library/     canonical Markdown + originals, <product>/<version>/<doc>/<file>.md
//   <data>/vectors/     <model>.idx, the vector index derived from the embeddings in SQLite
//
// Semantic search: the Library owns an optional embedder and the vector index. The
// embedder's identity (name, dims) and learned state are recorded in the database, so every
// process embeds queries exactly as ingest embedded passages; opening a library with a
// different embedder is refused (kConflict) with how to re-embed. Without an embedder (no
// built-in model) everything works, lexically, and the first search says so once.
#pragma once

#include <atomic>
#include <shared_mutex>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/ingest.h"
#include "common/status.h"
#include "embed/builtin_embedder.h"
#include "embed/embedder.h"
#include "embed/http_embedder.h"
#include "search/hybrid.h"
#include "vector/vector_index.h"
#include "model/search.h"
#include "search/searcher.h"
#include "store/store.h"

namespace mcdewey::app {

struct LibraryStatsView {
  store::LibraryStats counts;
  long long db_bytes = 0;       // mcdewey.db + WAL
  long long library_bytes = 0;  // canonical copies + originals
};

// A chunk with its place in the document, for "View in doc context".
struct ChunkView {
  model::Hit hit;
  std::string prev_id;  // "" at the start of the file
  std::string next_id;  // "" at the end
  size_t byte_start = 0, byte_end = 0;
};

struct OutlineEntry {
  int level = 0;
  std::string title;
  int page = 0;
  std::string chunk_id;  // the chunk that holds the heading
  std::string source;
};

struct DocFile {
  store::DocumentRow row;
  std::string source;  // canonical copy, library-relative
};

// One doc (product/version/doc): its files and outline.
struct DocView {
  std::string vendor, product, product_name, version, doc, title;
  std::vector<DocFile> files;
  std::vector<OutlineEntry> outline;
  int pages = 0;
  int64_t chunks = 0;
};

// One document file ready for "View in doc context".
struct FileView {
  store::DocumentRow row;
  std::string markdown;  // the canonical copy
  std::vector<store::ChunkSpanRow> chunks;
};

// Which embedder a Library uses (DESIGN.md "embed").
enum class EmbedderChoice {
  kAuto,     // the embedder the library was embedded with: the HTTP one (with the URL and model
             // recorded, or `http` when given) if it was embedded over HTTP and no model_file is
             // given, else the built-in model when it is found (embed::find_builtin_model); else
             // none (lexical only)
  kNone,     // lexical only
  kBuiltin,  // the built-in model; not finding it is an error
  kHttp,     // an OpenAI-compatible server (embed/http_embedder.h); `http` fields left empty are
             // taken from what the library recorded, and missing both is an error
};

struct LibraryOptions {
  EmbedderChoice embedder = EmbedderChoice::kAuto;
  std::filesystem::path model_file;  // --model FILE (built-in); empty = the usual places
  embed::BuiltinOptions builtin;
  // The built-in model's domain adaptation (BuiltinOptions::domain_adaptation): nullopt = what
  // the library recorded when it was last embedded (meta embedder.adapt), else
  // builtin.domain_adaptation. A change re-embeds every passage at the next sync.
  std::optional<bool> domain_adaptation;
  // kHttp (and kAuto on a library embedded over HTTP). base_url and model default to the ones
  // the library recorded (meta embedder.http_url / embedder.http_model; the URL without
  // credentials, never the API key); dims 0 = the recorded dims, else ask the server once.
  embed::HttpEmbedderOptions http;
  // Use this embedder even if the library was embedded with another one (`mcdewey reembed`);
  // its vectors are then stale until reembed() runs.
  bool allow_embedder_change = false;
  // An injected embedder (tests, or a caller that built one): wins over `embedder`.
  std::shared_ptr<embed::Embedder> custom_embedder;
  // Vector index: the HNSW graph above this many vectors, the exact scan below.
  size_t hnsw_min_vectors = 20000;
  vector::HnswParams hnsw;
  search::HybridOptions hybrid;
};

// Where semantic search stands, for `stats`, `serve` banners and /healthz.
struct SemanticStatus {
  bool available = false;   // an embedder is loaded and passages are embedded
  std::string embedder;     // its name, "" without one
  int dims = 0;
  int64_t embedded = 0;     // passages with a vector
  int64_t chunks = 0;
  std::string note;         // why semantic search is off, or "" when on
  // The built-in model's domain adaptation (--adapt) when the passages were embedded;
  // nullopt for other embedders and for libraries embedded before it was recorded.
  std::optional<bool> domain_adaptation;
};

struct EmbedReport {
  int64_t embedded = 0;       // vectors computed
  bool reembedded_all = false;
  double prepare_seconds = 0, embed_seconds = 0, index_seconds = 0;
};

class Library {
 public:
  // Opens the data directory, creating it when `create` is true. Without `create`, a
  // missing library is kNotFound with a hint to run `mcdewey ingest`.
  static Result<std::unique_ptr<Library>> open(const std::filesystem::path& data_dir, bool create);
  static Result<std::unique_ptr<Library>> open(const std::filesystem::path& data_dir, bool create,
                                               const LibraryOptions& options);
  ~Library();

  // Ingests a library tree laid out <product>/<version>/..., with optional catalog.toml.
  Result<IngestReport> ingest_tree(const std::filesystem::path& root, const IngestOptions& options);
  // Ingests single files into one product/version.
  Result<IngestReport> ingest_files(const std::vector<std::filesystem::path>& files, const FileSpec& spec,
                                    const IngestOptions& options);

  // Dispatches by request.mode (search/hybrid.h); kAuto is hybrid when semantic search is
  // available, else lexical.
  Result<model::SearchResponse> search(const model::SearchRequest& request);
  // Re-embeds every passage with this Library's embedder (after a model or option change),
  // records its identity and state, and rebuilds the vector index.
  Result<EmbedReport> reembed(const EmbedProgressFn& progress = {});
  SemanticStatus semantic_status();
  // Tuning knobs for benchmarks (fusion weights, candidate depth).
  void set_hybrid_options(const search::HybridOptions& o) { hybrid_->set_options(o); }
  const search::HybridOptions& hybrid_options() const { return hybrid_->options(); }
  void set_lexical_options(const search::SearchOptions& o) { searcher_->set_options(o); }
  const search::SearchOptions& lexical_options() const { return searcher_->options(); }
  // The loaded vector index (building it when missing or stale); null without embeddings.
  Result<std::shared_ptr<const vector::VectorIndex>> vector_index();
  embed::Embedder* embedder() { return embedder_.get(); }
  Result<ChunkView> chunk(const std::string& chunk_id);
  Result<LibraryStatsView> stats();
  Result<std::vector<store::DocSummary>> docs();
  Result<DocView> doc(const std::string& product, const std::string& version, const std::string& doc);
  // `source` is product/version/doc/file.md as in a result card.
  Result<FileView> file_view(const std::string& source);
  // The text of one physical page of a paged doc (chunk text between its page markers).
  Result<std::string> read_page(const std::string& product, const std::string& version, const std::string& doc,
                                int page);
  // Absolute path of the kept original of `source`, checked to lie inside the library.
  Result<std::filesystem::path> original_path(const std::string& source);

  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path library_root() const { return data_dir_ / "library"; }

 private:
  // The canonical Markdown copy of `source` under library/; kNotFound when the path (or a
  // symlink planted on it) leads outside the library. Every read of a canonical copy goes here.
  Result<std::string> read_canonical(const std::string& source) const;
  Library() = default;
  struct Job;
  Result<IngestReport> run_ingest(std::vector<Job> jobs, const IngestOptions& options,
                                  const std::filesystem::path* prune_root);

  Status open_embedder(const LibraryOptions& options);
  // End of every ingest: embed what changed (sets report->embedded / semantic_note).
  Status after_ingest(IngestReport* report, const IngestOptions& options);
  // After an ingest that changed something (or when passages lack vectors): prepare the
  // embedder on the library's text, embed what is stale, rebuild the index.
  Result<EmbedReport> sync_embeddings(bool force_all, const EmbedProgressFn& progress);
  // The built-in model's domain adaptation the stored vectors were made with (meta
  // embedder.adapt); nullopt when not recorded.
  Result<std::optional<bool>> recorded_adaptation();
  Result<std::shared_ptr<const vector::VectorIndex>> load_or_build_index(bool force_rebuild);
  std::filesystem::path index_path() const;

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<search::Searcher> searcher_;
  std::unique_ptr<search::HybridSearcher> hybrid_;
  LibraryOptions options_;
  std::shared_ptr<embed::Embedder> embedder_;
  std::filesystem::path model_file_;  // the built-in model's file, when that is the embedder
  bool builtin_adapt_ = false;         // the built-in model's domain adaptation, when it is the embedder
  std::string http_url_, http_model_;  // the HTTP embedder's base URL (no credentials) and model
  std::string semantic_note_;         // why semantic search is off ("" = not known to be off)
  std::atomic<bool> noted_{false};    // the note has been logged
  std::shared_mutex embed_mu_;        // shared: embed_query; exclusive: prepare/load_state
  std::mutex index_mu_;
  std::shared_ptr<const vector::VectorIndex> index_;
  bool index_checked_ = false;
};

}  // namespace mcdewey::app
