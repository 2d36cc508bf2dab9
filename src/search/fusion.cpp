#include "search/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace mcdewey::search {

namespace {

// Min-max normalised scores of one list, by position.
std::vector<double> normalised(const std::vector<Candidate>& list) {
  std::vector<double> out(list.size(), 1.0);
  if (list.empty()) return out;
  auto [lo, hi] = std::minmax_element(list.begin(), list.end(),
                                      [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
  const double span = hi->score - lo->score;
  if (span <= 0) return out;
  for (size_t i = 0; i < list.size(); ++i) out[i] = (list[i].score - lo->score) / span;
  return out;
}

}  // namespace

std::vector<Fused> fuse(const std::vector<RankedList>& lists, FusionMethod method, double rrf_k) {
  std::unordered_map<std::string, size_t> at;
  std::vector<Fused> out;
  for (size_t l = 0; l < lists.size(); ++l) {
    const auto& list = lists[l].items;
    const double weight = lists[l].weight;
    const std::vector<double> norm = method == FusionMethod::kScore ? normalised(list) : std::vector<double>();
    for (size_t i = 0; i < list.size(); ++i) {
      auto [it, inserted] = at.emplace(list[i].key, out.size());
      if (inserted) out.push_back({list[i].key, 0.0, std::vector<int>(lists.size(), 0)});
      Fused& f = out[it->second];
      int& rank = f.ranks[l];
      if (rank != 0) continue;  // a duplicate within the list
      rank = static_cast<int>(i) + 1;
      f.score += method == FusionMethod::kRrf ? weight / (rrf_k + rank) : weight * norm[i];
    }
  }
  std::sort(out.begin(), out.end(), [](const Fused& a, const Fused& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  return out;
}

}  // namespace mcdewey::search
