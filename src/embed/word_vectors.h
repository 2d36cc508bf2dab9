// Pretrained word vectors in McDewey's compact binary format, opened with mmap.
//
// File format (little-endian; version 1), written by WordVectorsWriter:
//   header, 128 bytes:
//     char[8]  magic "MCDWVECS"
//     u32      format version (kWordVectorsVersion); a newer one is refused with kUnsupported
//     u32      dims, u32 vocab size, u32 hash slots (power of two, >= 2 * vocab), u32 flags (0)
//     u64      offsets of: scales, rows, string offsets, strings, hash table; u64 file size
//     u64      checksum (FNV-1a 64 of every byte after the header; checked by verify())
//     char[40] model name, NUL-padded (e.g. "wink-sg-100d")
//   scales   f32[vocab]            row r's float vector = scale[r] * int8 row r
//   rows     i8[vocab * dims]      64-byte aligned
//   offsets  u32[vocab + 1]        word r = strings[offsets[r] .. offsets[r+1])
//   strings  UTF-8 bytes
//   hash     u32[slots]            open addressing, linear probing on FNV-1a 64 of the word;
//                                  0 = empty, else row + 1
// Rows are in the source's frequency order (row 0 = most frequent word), which the
// built-in embedder uses as a general-English frequency prior.
//
// open() checks magic, version, sizes and every offset (truncated or inconsistent files are
// kCorrupt, a foreign file or newer version kUnsupported) but not the checksum, so opening a
// 45 MB model costs well under a millisecond; verify() reads everything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace mcdewey::embed {

inline constexpr char kWordVectorsMagic[8] = {'M', 'C', 'D', 'W', 'V', 'E', 'C', 'S'};
inline constexpr uint32_t kWordVectorsVersion = 1;

class WordVectors {
 public:
  ~WordVectors();
  WordVectors(const WordVectors&) = delete;
  WordVectors& operator=(const WordVectors&) = delete;

  static Result<std::shared_ptr<const WordVectors>> open(const std::filesystem::path& path);

  int dims() const { return dims_; }
  uint32_t size() const { return vocab_; }
  const std::string& name() const { return name_; }
  uint64_t checksum() const { return checksum_; }
  size_t file_bytes() const { return map_size_; }

  // Row of `word` (exact bytes; the vocabulary is lower-case), or nullopt.
  std::optional<uint32_t> find(std::string_view word) const;
  std::string_view word(uint32_t row) const;
  float scale(uint32_t row) const { return scales_[row]; }
  const int8_t* row(uint32_t row) const { return rows_ + size_t(row) * size_t(dims_); }
  // out[0..dims) = dequantised vector of `row`.
  void vector(uint32_t row, float* out) const;
  // acc[0..dims) += weight * vector(row).
  void add_to(uint32_t row, float weight, float* acc) const;

  // Recomputes the checksum over the whole file: kCorrupt on mismatch.
  Status verify() const;

 private:
  WordVectors() = default;

  const uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  int dims_ = 0;
  uint32_t vocab_ = 0;
  uint32_t slots_ = 0;
  uint64_t checksum_ = 0;
  std::string name_;
  const float* scales_ = nullptr;
  const int8_t* rows_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const char* strings_ = nullptr;
  const uint32_t* hash_ = nullptr;
};

// Builds a word-vector file: add() rows in frequency order, then write().
// Duplicate words keep their first row. Rows are quantised to int8 with a per-row scale
// (max |x| / 127).
class WordVectorsWriter {
 public:
  explicit WordVectorsWriter(int dims) : dims_(dims) {}
  // Returns false (and adds nothing) for a duplicate or empty word.
  bool add(std::string_view word, const float* vec);
  uint32_t size() const { return static_cast<uint32_t>(scales_.size()); }
  int dims() const { return dims_; }
  // Cosine between row `row` as stored (int8) and the float vector given to add();
  // tracked for the converter's report.
  double min_cosine() const { return min_cos_; }
  double mean_cosine() const { return scales_.empty() ? 1.0 : sum_cos_ / double(scales_.size()); }
  // Atomic write (temp file + rename).
  Status write(const std::filesystem::path& path, std::string_view model_name) const;

 private:
  int dims_;
  std::vector<float> scales_;
  std::vector<int8_t> rows_;
  std::vector<uint32_t> offsets_{0};
  std::string strings_;
  std::vector<uint64_t> hashes_;  // word_hash of each row
  std::vector<uint32_t> table_;   // dedup table during add(): row + 1, 0 = empty
  double min_cos_ = 1.0;
  double sum_cos_ = 0.0;

  bool contains(std::string_view word, uint64_t h) const;
  void insert(uint64_t h, uint32_t row);
};

struct ConvertReport {
  uint32_t words = 0;
  int dims = 0;
  uint32_t skipped = 0;  // duplicate, empty or malformed entries
  double min_cosine = 1.0;
  double mean_cosine = 1.0;
  double seconds = 0.0;
  uint64_t out_bytes = 0;
};

// Converts the wink-embeddings JSON ({"dimensions": N, "vectors": {"word": [N floats, l2norm,
// rank], ...}, ...}) into a word-vector file. Streams over the input (mmap, one pass); never
// builds a DOM of the 300 MB file. Rows are ordered by the rank stored in each entry when
// present, else by order of appearance.
Result<ConvertReport> convert_wink_json(const std::filesystem::path& json_file, const std::filesystem::path& out_file,
                                        std::string_view model_name = "wink-sg-100d");

// FNV-1a 64; part of the file format (the hash table), so fixed here rather than shared.
uint64_t word_hash(std::string_view word);

}  // namespace mcdewey::embed
