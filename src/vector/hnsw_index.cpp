// The hnswlib adapter. hnswlib throws std::runtime_error (and bad_alloc); every call is
// wrapped here so nothing escapes the module (STYLE.md §2.8).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include <fmt/format.h>
#include <hnswlib/hnswlib.h>

#include "vector/vector_index.h"

namespace mcdewey::vector {

class HnswGraph {
 public:
  explicit HnswGraph(int dims) : space(static_cast<size_t>(dims)) {}
  hnswlib::InnerProductSpace space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> alg;
};

namespace {

bool better(const Neighbor& a, const Neighbor& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; }

}  // namespace

HnswIndex::~HnswIndex() = default;

Result<std::unique_ptr<HnswIndex>> HnswIndex::build(std::shared_ptr<const ExactIndex> exact, const HnswParams& params) {
  if (!exact) return invalid_argument("no vectors to build a graph from");
  std::unique_ptr<HnswIndex> x(new HnswIndex());
  x->params_ = params;
  x->graph_ = std::make_unique<HnswGraph>(exact->dims());
  const size_t n = exact->size();
  try {
    x->graph_->alg = std::make_unique<hnswlib::HierarchicalNSW<float>>(
        &x->graph_->space, std::max<size_t>(n, 1), static_cast<size_t>(params.m),
        static_cast<size_t>(params.ef_construction), static_cast<size_t>(params.seed));
    // hnswlib's addPoint is safe to call from several threads (per-node locks).
    const unsigned threads =
        params.threads > 0 ? static_cast<unsigned>(params.threads) : std::max(1u, std::thread::hardware_concurrency());
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::string error;
    std::mutex error_mu;
    auto work = [&] {
      try {
        for (size_t i = next++; i < n && !failed; i = next++) {
          std::vector<float> v = exact->vector_at(i);
          x->graph_->alg->addPoint(v.data(), static_cast<hnswlib::labeltype>(i));
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mu);
        failed = true;
        error = e.what();
      }
    };
    // The first point alone: concurrent inserts into an empty graph race on the entry point.
    if (n > 0) {
      std::vector<float> v = exact->vector_at(0);
      x->graph_->alg->addPoint(v.data(), 0);
      next = 1;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
    if (failed) return internal_error(fmt::format("building the HNSW graph failed: {}", error));
    x->graph_->alg->setEf(static_cast<size_t>(params.ef_search));
  } catch (const std::exception& e) {
    return internal_error(fmt::format("building the HNSW graph failed: {}", e.what()));
  }
  x->exact_ = std::move(exact);
  return x;
}

Result<std::unique_ptr<HnswIndex>> HnswIndex::load(std::shared_ptr<const ExactIndex> exact, const std::string& path,
                                                   const HnswParams& params) {
  if (!exact) return invalid_argument("no vectors for the graph");
  std::unique_ptr<HnswIndex> x(new HnswIndex());
  x->params_ = params;
  x->graph_ = std::make_unique<HnswGraph>(exact->dims());
  try {
    x->graph_->alg = std::make_unique<hnswlib::HierarchicalNSW<float>>(&x->graph_->space, path, false, 0);
    if (x->graph_->alg->cur_element_count != exact->size()) {
      return corrupt(fmt::format("{}: the graph has {} nodes, the index {} vectors", path,
                                 x->graph_->alg->cur_element_count, exact->size()));
    }
    x->graph_->alg->setEf(static_cast<size_t>(params.ef_search));
  } catch (const std::exception& e) {
    return corrupt(fmt::format("{}: cannot load the HNSW graph: {}", path, e.what()));
  }
  x->exact_ = std::move(exact);
  return x;
}

Status HnswIndex::save_graph(const std::string& path) const {
  try {
    graph_->alg->saveIndex(path);
  } catch (const std::exception& e) {
    return io_error(fmt::format("cannot write {}: {}", path, e.what()));
  }
  return Status::ok();
}

size_t HnswIndex::size() const { return exact_->size(); }
int HnswIndex::dims() const { return exact_->dims(); }

Result<std::vector<Neighbor>> HnswIndex::search(std::span<const float> query, size_t k, const IdFilter* allow) const {
  if (query.size() != static_cast<size_t>(dims())) {
    return invalid_argument(fmt::format("query has {} dimensions, the index {}", query.size(), dims()));
  }
  const size_t n = size();
  if (k == 0 || n == 0) return std::vector<Neighbor>{};
  size_t fetch = std::min(k, n);
  if (allow) {
    const double share = static_cast<double>(allow->size()) / static_cast<double>(n);
    if (share < params_.filtered_graph_min_share) return exact_->search(query, k, allow);
    // Overfetch so that about k survive the filter; a short answer falls back below.
    fetch = std::min(n, static_cast<size_t>(std::ceil(static_cast<double>(k) / share * 1.5)) + 10);
  }
  std::vector<Neighbor> out;
  try {
    // searchKnn searches with max(ef, fetch); ef is fixed at build/load, so concurrent
    // queries never race on it.
    auto pq = graph_->alg->searchKnn(query.data(), fetch);
    out.reserve(pq.size());
    while (!pq.empty()) {
      const auto [dist, label] = pq.top();
      pq.pop();
      const int64_t id = exact_->ids()[static_cast<size_t>(label)];
      if (allow && !allow->contains(id)) continue;
      out.push_back({id, 1.0f - dist});
    }
  } catch (const std::exception& e) {
    return internal_error(fmt::format("HNSW search failed: {}", e.what()));
  }
  std::sort(out.begin(), out.end(), better);
  if (allow) {
    const size_t wanted = std::min(k, allow->size());
    if (out.size() < wanted) return exact_->search(query, k, allow);
  }
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace mcdewey::vector
