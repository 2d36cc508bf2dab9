// Ingest: files -> extract -> chunk -> canonical copy + store, in parallel with one writer.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "chunk/chunker.h"
#include "model/chunk_id.h"

namespace mcdewey::app {

enum class FileState { kIngested, kUnchanged, kSkipped, kFailed, kPruned };
const char* file_state_name(FileState s);

struct FileOutcome {
  std::string path;    // as found on disk
  std::string source;  // canonical source path when known
  FileState state = FileState::kFailed;
  std::string reason;  // one line, for skipped/failed
  std::string format;
  int pages = 0;
  int chunks = 0;
};

struct IngestReport {
  std::vector<FileOutcome> files;
  int ingested = 0, unchanged = 0, skipped = 0, failed = 0, pruned = 0;
  long long pages = 0, chunks = 0, bytes = 0;
  double seconds = 0;
  long long embedded = 0;      // passages (re-)embedded
  double embed_seconds = 0;    // of `seconds`: preparing the embedder, embedding, indexing
  std::string semantic_note;   // why passages were not embedded, "" when they were
  bool ok() const { return failed == 0; }
};

struct IngestProgress {
  size_t done = 0;
  size_t total = 0;
  long long pages = 0;
  long long chunks = 0;
  double elapsed = 0;
  std::string current;  // the file just finished
};
using ProgressFn = std::function<void(const IngestProgress&)>;
// Embedding progress: passages embedded so far of `total`.
using EmbedProgressFn = std::function<void(size_t done, size_t total)>;

struct IngestOptions {
  bool prune = false;     // remove docs whose files are gone (tree ingest only)
  bool force = false;     // re-ingest unchanged files too
  int threads = 0;        // extraction workers; 0 = one per core
  chunk::ChunkerOptions chunker;
  ProgressFn progress;    // called from the writer thread after each file
  EmbedProgressFn embed_progress;  // called while passages are embedded
  bool embed = true;      // embed passages (when the library has an embedder)
};

// Single files: `mcdewey ingest FILE... --product P --version V [--vendor X] [--doc D]`.
struct FileSpec {
  std::string product;
  std::string version;
  std::string vendor;        // optional; updates the product's vendor when set
  std::string product_name;  // optional display name
  std::string doc;           // optional; default: each file's stem is its own doc
};

}  // namespace mcdewey::app
