// Dense vector retrieval behind one interface (DESIGN.md "vector"; STYLE.md §2.15).
//
// Vectors are L2-normalised, so inner product = cosine; a score is the cosine, higher is
// better. Two implementations share the interface:
//   ExactIndex  int8 codes with a per-vector scale, scanned exhaustively (the oracle, and the
//               answer for small or heavily filtered sets).
//   HnswIndex   hnswlib 0.6.2 (Debian) graph over float vectors for larger sets. 0.6.2 has no
//               filter functor, so a filtered query overfetches and post-filters, and falls
//               back to the exact scan over the filtered subset whenever post-filtering would
//               return fewer results than the subset holds.
// Ids are the store's chunk row ids. search() may run from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace mcdewey::vector {

struct Neighbor {
  int64_t id = 0;
  float score = 0;  // cosine; ties break by smaller id
};

// The set of ids a filtered query may return (nullptr in search() = every id).
class IdFilter {
 public:
  explicit IdFilter(std::vector<int64_t> ids);
  bool contains(int64_t id) const;
  size_t size() const { return ids_.size(); }
  const std::vector<int64_t>& ids() const { return ids_; }  // sorted, unique

 private:
  std::vector<int64_t> ids_;
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;
  virtual size_t size() const = 0;
  virtual int dims() const = 0;
  // The k best ids (fewer only when fewer are allowed), best first. `query` has dims()
  // components. kInvalidArgument on a wrong dimension.
  virtual Result<std::vector<Neighbor>> search(std::span<const float> query, size_t k,
                                               const IdFilter* allow = nullptr) const = 0;
};

// Exhaustive int8 scan: each vector is stored as round(v / s) with s = max|v_i| / 127, so the
// score is s * sum(q_i * c_i) (cosine to the float vectors ~0.9999 at 100-d). 26k x 100-d
// scans in well under a millisecond per thread.
class ExactIndex final : public VectorIndex {
 public:
  ExactIndex() = default;
  // Vectors are row-major, ids.size() * dims floats. Duplicate ids are kInvalidArgument.
  static Result<std::unique_ptr<ExactIndex>> build(int dims, std::vector<int64_t> ids, std::span<const float> vectors);
  // From already quantised codes (the index file).
  static Result<std::unique_ptr<ExactIndex>> from_codes(int dims, std::vector<int64_t> ids, std::vector<float> scales,
                                                        std::vector<int8_t> codes);

  size_t size() const override { return ids_.size(); }
  int dims() const override { return dims_; }
  Result<std::vector<Neighbor>> search(std::span<const float> query, size_t k,
                                       const IdFilter* allow = nullptr) const override;

  const std::vector<int64_t>& ids() const { return ids_; }
  const std::vector<float>& scales() const { return scales_; }
  const std::vector<int8_t>& codes() const { return codes_; }
  // The dequantised vector at position `pos`.
  std::vector<float> vector_at(size_t pos) const;
  // Position of `id`, or -1.
  int64_t position(int64_t id) const;

 private:
  Status index_ids();
  float score_at(const float* q, size_t pos) const;

  int dims_ = 0;
  std::vector<int64_t> ids_;
  std::vector<float> scales_;
  std::vector<int8_t> codes_;
  std::unordered_map<int64_t, uint32_t> pos_;
};

struct HnswParams {
  int m = 16;                  // graph degree
  int ef_construction = 200;
  // Measured on the ../shared/corpus vectors (bench/vector_recall): ef 160 gives recall@10
  // 0.996 but recall@100 0.986 for questions; hybrid asks for 100 candidates, and ef 256 gives
  // recall@100 0.995 at 0.14 ms a query (the exact scan: 1.4 ms).
  int ef_search = 256;
  uint64_t seed = 100;
  int threads = 0;             // build threads; 0 = hardware concurrency
  // Filtered queries: at most this share of the index allowed -> HNSW with overfetch; a
  // smaller allowed set is scanned exactly (cheaper than walking the graph for few survivors).
  double filtered_graph_min_share = 0.2;
};

class HnswGraph;  // hnswlib behind a pimpl: no hnswlib header leaves vector/

class HnswIndex final : public VectorIndex {
 public:
  // Builds the graph over the exact index's vectors (it keeps `exact` for filtered fallbacks).
  static Result<std::unique_ptr<HnswIndex>> build(std::shared_ptr<const ExactIndex> exact, const HnswParams& params);
  // Loads a graph saved by save_graph(); kCorrupt when it does not fit `exact`.
  static Result<std::unique_ptr<HnswIndex>> load(std::shared_ptr<const ExactIndex> exact, const std::string& path,
                                                 const HnswParams& params);
  ~HnswIndex() override;
  Status save_graph(const std::string& path) const;

  size_t size() const override;
  int dims() const override;
  Result<std::vector<Neighbor>> search(std::span<const float> query, size_t k,
                                       const IdFilter* allow = nullptr) const override;
  const ExactIndex& exact() const { return *exact_; }

 private:
  HnswIndex() = default;
  std::shared_ptr<const ExactIndex> exact_;
  std::unique_ptr<HnswGraph> graph_;
  HnswParams params_;
};

}  // namespace mcdewey::vector
