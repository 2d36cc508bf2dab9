// The vector index file, <data>/vectors/<model>.idx (DESIGN.md "Data directory"): derived
// from the embeddings in SQLite and rebuilt whenever it is missing, stale or corrupt.
//
//   "MCDVEC01"  u32 format version (kIndexFormatVersion)  u32 dims  u64 count
//   u32 len + model name   u32 len + signature (what the embeddings were when it was built)
//   u8 has_graph  u64 graph bytes  u64 graph hash  u64 payload hash
//   payload: i64 ids[count], f32 scales[count], i8 codes[count * dims]
// The HNSW graph (hnswlib's own format, which has no magic) lives beside it in
// <model>.idx.hnsw; its size and hash in our header tie it to this file, so a graph from
// another build or a damaged one is never handed to hnswlib.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "vector/vector_index.h"

namespace mcdewey::vector {

inline constexpr uint32_t kIndexFormatVersion = 1;

struct IndexFileInfo {
  std::string model;      // the embedder's name
  int dims = 0;
  uint64_t count = 0;
  std::string signature;  // the library's embeddings signature when built
};

// Writes `path` (and `path`.hnsw when `graph` is given) via temp files and renames.
Status save_index_file(const std::filesystem::path& path, const IndexFileInfo& info, const ExactIndex& exact,
                       const HnswIndex* graph);

struct LoadedIndex {
  IndexFileInfo info;
  std::shared_ptr<const ExactIndex> exact;
  std::shared_ptr<const VectorIndex> index;  // the HNSW index when the file has a graph, else `exact`
};

// Reads and checks the file. kNotFound: missing. kCorrupt: damaged. kUnsupported: another
// format version. kConflict: a valid file that does not match `expected` (model, dims,
// signature): stale.
Result<LoadedIndex> load_index_file(const std::filesystem::path& path, const IndexFileInfo& expected,
                                    const HnswParams& params);

// "builtin:wink-sg-100d" -> "builtin_wink-sg-100d": a file name for a model name.
std::string model_file_stem(const std::string& model);

}  // namespace mcdewey::vector
