// Library: the one facade that cli/ and server/ call (DESIGN.md "app"). It owns the data
// directory:
//   <data>/mcdewey.db   SQLite (WAL): products, documents, chunks, FTS5, meta
//   <data>/library/     canonical Markdown + originals, <product>/<version>/<doc>/<file>.md
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/ingest.h"
#include "common/status.h"
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

class Library {
 public:
  // Opens the data directory, creating it when `create` is true. Without `create`, a
  // missing library is kNotFound with a hint to run `mcdewey ingest`.
  static Result<std::unique_ptr<Library>> open(const std::filesystem::path& data_dir, bool create);
  ~Library();

  // Ingests a library tree laid out <product>/<version>/..., with optional catalog.toml.
  Result<IngestReport> ingest_tree(const std::filesystem::path& root, const IngestOptions& options);
  // Ingests single files into one product/version.
  Result<IngestReport> ingest_files(const std::vector<std::filesystem::path>& files, const FileSpec& spec,
                                    const IngestOptions& options);

  Result<model::SearchResponse> search(const model::SearchRequest& request);
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
  Library() = default;
  struct Job;
  Result<IngestReport> run_ingest(std::vector<Job> jobs, const IngestOptions& options,
                                  const std::filesystem::path* prune_root);

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<search::Searcher> searcher_;
};

}  // namespace mcdewey::app
