#include "vector/vector_index.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace mcdewey::vector {

namespace {

bool better(const Neighbor& a, const Neighbor& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; }

// Keeps the k best of `all`, sorted best first.
std::vector<Neighbor> top_k(std::vector<Neighbor> all, size_t k) {
  if (all.size() > k) {
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), better);
    all.resize(k);
  }
  std::sort(all.begin(), all.end(), better);
  return all;
}

}  // namespace

IdFilter::IdFilter(std::vector<int64_t> ids) : ids_(std::move(ids)) {
  std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
}

bool IdFilter::contains(int64_t id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

Result<std::unique_ptr<ExactIndex>> ExactIndex::build(int dims, std::vector<int64_t> ids,
                                                      std::span<const float> vectors) {
  if (dims <= 0) return invalid_argument(fmt::format("bad vector dimension {}", dims));
  const size_t d = static_cast<size_t>(dims);
  if (vectors.size() != ids.size() * d) {
    return invalid_argument(fmt::format("{} ids but {} floats for {}-d vectors", ids.size(), vectors.size(), dims));
  }
  std::vector<float> scales(ids.size());
  std::vector<int8_t> codes(ids.size() * d);
  for (size_t i = 0; i < ids.size(); ++i) {
    const float* v = vectors.data() + i * d;
    float max_abs = 0;
    for (size_t j = 0; j < d; ++j) max_abs = std::max(max_abs, std::fabs(v[j]));
    const float s = max_abs > 0 ? max_abs / 127.0f : 1.0f;
    scales[i] = max_abs > 0 ? s : 0.0f;  // an all-zero vector scores 0 against everything
    for (size_t j = 0; j < d; ++j) {
      codes[i * d + j] = static_cast<int8_t>(std::clamp(std::lround(v[j] / s), -127L, 127L));
    }
  }
  return from_codes(dims, std::move(ids), std::move(scales), std::move(codes));
}

Result<std::unique_ptr<ExactIndex>> ExactIndex::from_codes(int dims, std::vector<int64_t> ids,
                                                           std::vector<float> scales, std::vector<int8_t> codes) {
  if (dims <= 0) return invalid_argument(fmt::format("bad vector dimension {}", dims));
  if (scales.size() != ids.size() || codes.size() != ids.size() * static_cast<size_t>(dims)) {
    return invalid_argument("index arrays do not agree in size");
  }
  std::unique_ptr<ExactIndex> x(new ExactIndex());
  x->dims_ = dims;
  x->ids_ = std::move(ids);
  x->scales_ = std::move(scales);
  x->codes_ = std::move(codes);
  MCD_TRY(x->index_ids());
  return x;
}

Status ExactIndex::index_ids() {
  pos_.clear();
  pos_.reserve(ids_.size());
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (!pos_.emplace(ids_[i], static_cast<uint32_t>(i)).second) {
      return invalid_argument(fmt::format("duplicate vector id {}", ids_[i]));
    }
  }
  return Status::ok();
}

int64_t ExactIndex::position(int64_t id) const {
  auto it = pos_.find(id);
  return it == pos_.end() ? -1 : static_cast<int64_t>(it->second);
}

std::vector<float> ExactIndex::vector_at(size_t pos) const {
  const size_t d = static_cast<size_t>(dims_);
  std::vector<float> v(d);
  for (size_t j = 0; j < d; ++j) v[j] = scales_[pos] * static_cast<float>(codes_[pos * d + j]);
  return v;
}

float ExactIndex::score_at(const float* q, size_t pos) const {
  // The query stays float (quantising it too would add its own error); the loop over int8
  // codes is short and the compiler vectorises the conversion.
  const size_t d = static_cast<size_t>(dims_);
  const int8_t* c = codes_.data() + pos * d;
  float acc = 0;
  for (size_t j = 0; j < d; ++j) acc += q[j] * static_cast<float>(c[j]);
  return acc * scales_[pos];
}

Result<std::vector<Neighbor>> ExactIndex::search(std::span<const float> query, size_t k, const IdFilter* allow) const {
  if (query.size() != static_cast<size_t>(dims_)) {
    return invalid_argument(fmt::format("query has {} dimensions, the index {}", query.size(), dims_));
  }
  if (k == 0) return std::vector<Neighbor>{};
  std::vector<Neighbor> all;
  if (allow) {
    all.reserve(allow->size());
    for (int64_t id : allow->ids()) {
      int64_t p = position(id);
      if (p >= 0) all.push_back({id, score_at(query.data(), static_cast<size_t>(p))});
    }
  } else {
    all.resize(ids_.size());
    for (size_t i = 0; i < ids_.size(); ++i) all[i] = {ids_[i], score_at(query.data(), i)};
  }
  return top_k(std::move(all), k);
}

}  // namespace mcdewey::vector
