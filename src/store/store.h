// The store: SQLite as the source of truth for products, document files, chunks and the
// FTS5 index (DESIGN.md "index"). One Store is one connection; calls are serialised by
// an internal mutex, so a Store may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/chunk.h"
#include "model/chunk_id.h"
#include "model/search.h"

namespace mcdewey::store {

class Db;

struct ProductRow {
  std::string slug;
  std::string vendor;
  std::string name;
};

struct DocumentRow {
  int64_t id = 0;
  model::DocFileKey key;
  std::string title;
  std::string format;
  std::string original;  // library-relative path of the kept original
  std::string origin;    // absolute path ingested from
  std::string content_hash;
  int pipeline = 0;
  int pages = 0;
  int64_t bytes = 0;
  int chunk_count = 0;
  std::string ingested_at;
};

// One stored chunk with what a result card needs.
struct ChunkRow {
  model::Hit hit;  // score 0, no highlights
  int64_t row_id = 0;
  size_t byte_start = 0;
  size_t byte_end = 0;
};

struct LibraryStats {
  int vendors = 0, products = 0, versions = 0, docs = 0, files = 0;
  int64_t pages = 0, chunks = 0, words = 0, source_bytes = 0;
};

// One row per doc (product, version, doc), for library listings.
struct DocSummary {
  std::string vendor, product, product_name, version, doc, title;
  int files = 0;
  int64_t chunks = 0, pages = 0;
};

// Where a chunk lies in its canonical copy (for rendering and outlines).
struct ChunkSpanRow {
  std::string chunk_id;
  int ordinal = 0;
  size_t byte_start = 0, byte_end = 0;
  int page = 0, page_end = 0;
};

// A chunk's text to embed.
struct ChunkText {
  int64_t row_id = 0;
  std::string text;
};

// A lexical match before hydration.
struct Match {
  int64_t row_id = 0;
  double score = 0;  // higher is better (negated bm25)
};

// Lexical ranking (fts_rank.h): weighted per-column BM25 plus a body proximity bonus.
// Defaults measured on DEV (docs/design-notes.md "Lexical ranking"): document titles are
// shared by every chunk of a file and so do not tell chunks apart (weight 0); headings
// help a little (they cost DEV 0.003 MRR but matter to people who type a section's name); b = 0.4 because chunk lengths are already bounded by the chunker.
struct RankParams {
  double title = 0.0;
  double heading = 0.15;
  double body = 1.0;
  double k1 = 1.2;
  double b = 0.4;
  double window = 50;     // proximity window, in tokens
  double proximity = 2.0; // weight of the best window's idf sum (0 = plain BM25)
  double bigram = 0.5;    // weight of ordered query-word pairs found together (DEV: 0.25-1 all +0.01)
};

class Store {
 public:
  // Opens (creating and migrating as needed) the database at `path`; ":memory:" works.
  static Result<std::unique_ptr<Store>> open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Status upsert_product(const ProductRow& p);
  Result<std::vector<ProductRow>> products();

  Result<std::optional<DocumentRow>> find_document(const model::DocFileKey& key);
  Result<std::vector<DocumentRow>> documents();
  // The files of one doc (product, version, doc), in file order.
  Result<std::vector<DocumentRow>> doc_files(const std::string& product, const std::string& version,
                                             const std::string& doc);
  Result<std::vector<ChunkSpanRow>> chunk_spans(int64_t document_id);
  // Replaces the document file `row.key` and all its chunks in one transaction (a search
  // never sees half a document). Returns the new document id.
  Result<int64_t> replace_document(const DocumentRow& row, const std::vector<model::Chunk>& chunks);
  Status delete_document(int64_t id);
  // Removes products that no longer have documents.
  Status drop_empty_products();

  // Runs an FTS5 MATCH expression with filters; best first. `total` (optional) receives the
  // number of matching chunks. With `scored_phrases` > 0 only the expression's first that many
  // phrases count in the rank; later ones only select rows (search/searcher.cpp).
  Result<std::vector<Match>> match(const std::string& fts_query, const model::SearchFilters& filters, int limit,
                                   int offset, const RankParams& rank, int* total = nullptr,
                                   int scored_phrases = 0);
  // How many chunks match each FTS5 expression (terms or phrases, for query planning), and
  // how many chunks there are in all (`*chunks`). Counts are cached until the library's
  // chunks change (here or in another process).
  Result<std::vector<int64_t>> match_counts(const std::vector<std::string>& fts_expressions, int64_t* chunks);
  // Full rows for matched ids; `fts_query` (may be empty) marks matched terms in the text.
  Result<std::vector<model::Hit>> hydrate(const std::vector<Match>& matches, const std::string& fts_query);
  // Marks the terms `fts_query` matches in the text of each hit that has no highlights yet
  // (hits hydrated without a query, e.g. fusion candidates), found by chunk id.
  Status highlight(std::vector<model::Hit>* hits, const std::string& fts_query);

  Result<ChunkRow> chunk(const std::string& chunk_id);
  Result<LibraryStats> stats();
  Result<std::vector<DocSummary>> doc_summaries();
  Result<std::string> meta(const std::string& key);  // "" when unset
  Status set_meta(const std::string& key, const std::string& value);

  // --- Embeddings (store/embeddings.cpp). One vector per chunk, tagged with the embedder's
  // name; deleting a chunk deletes its vector. ---
  // The text each chunk is embedded from (heading path, then body), in row order; with
  // `missing_only`, only chunks without a vector from `model`.
  Result<std::vector<ChunkText>> chunk_texts(bool missing_only, const std::string& model);
  // Stores (replacing) vectors for chunk rows, in one transaction.
  Status put_embeddings(const std::string& model, const std::vector<int64_t>& rows,
                        const std::vector<std::vector<float>>& vectors);
  Status clear_embeddings();
  Result<int64_t> embedding_count(const std::string& model);
  Result<int64_t> chunk_count();
  // All vectors of `model` with `dims` components, row-major, in row order.
  Status load_embeddings(const std::string& model, int dims, std::vector<int64_t>* rows, std::vector<float>* vectors);
  // Changes whenever the stored vectors of `model` change (writes, deletes): ties the derived
  // vector index file to this database state.
  Result<std::string> embeddings_signature(const std::string& model);
  // Row ids of the chunks that pass `filters` (same rules as match()).
  Result<std::vector<int64_t>> chunk_rows(const model::SearchFilters& filters);
  // Binary values (the embedder's learned state); "" when unset.
  Result<std::string> blob(const std::string& key);
  Status set_blob(const std::string& key, std::string_view value);

 private:
  Store();
  // Runs `f(Db&)` on a read connection: for a database file, one of a pool of connections of
  // its own, so searches run in parallel (WAL readers never block each other or the writer);
  // for ":memory:", the one connection under mu_.
  template <typename F>
  auto read(F&& f) -> decltype(f(std::declval<Db&>()));
  // Adds one to the integer meta value `key` (a change counter), inside the caller's
  // transaction: "chunks.generation" on every chunk write, "embeddings.generation" on every
  // embedding write.
  static Status bump_counter(Db& db, const char* key);

  std::string path_;
  std::unique_ptr<Db> db_;  // the writer (and everything that is not on the search path)
  std::mutex mu_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Db>> readers_;  // idle read connections
  // At most this many read connections (2 x cores): more would not search faster, only
  // thrash the caches and hold one page cache each; further readers wait their turn.
  size_t max_readers_ = 0;
  size_t open_readers_ = 0;
  // match_counts() cache and the chunk count, valid while "chunks.generation" is
  // `cache_generation_` (one indexed lookup per search instead of counting the chunks).
  std::mutex cache_mu_;
  std::unordered_map<std::string, int64_t> match_counts_;
  int64_t cache_generation_ = -1;
  int64_t cache_chunks_ = 0;
};

}  // namespace mcdewey::store
