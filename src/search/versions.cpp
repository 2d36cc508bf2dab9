#include "search/versions.h"

#include <algorithm>
#include <unordered_map>

#include "model/version_order.h"

namespace mcdewey::search {

std::string passage_key(const model::Hit& hit) {
  std::string out;
  out.reserve(hit.text.size());
  bool space = false;
  for (char c : hit.text) {
    const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void collapse_versions(std::vector<model::Hit>* ranked) {
  // Group by (product, passage), one member per version: the same passage twice in one
  // version (two docs quoting the same paragraph) stays two results.
  std::unordered_map<std::string, std::vector<size_t>> groups_of;
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < ranked->size(); ++i) {
    const model::Hit& h = (*ranked)[i];
    std::string key = h.product;
    key += '\x1f';
    key += passage_key(h);
    auto& candidates = groups_of[key];
    size_t target = groups.size();
    for (size_t g : candidates) {
      const bool has_version = std::any_of(groups[g].begin(), groups[g].end(),
                                           [&](size_t m) { return (*ranked)[m].version == h.version; });
      if (!has_version) {
        target = g;
        break;
      }
    }
    if (target == groups.size()) {
      groups.emplace_back();
      candidates.push_back(target);
    }
    groups[target].push_back(i);
  }
  if (groups.size() == ranked->size()) return;
  std::vector<model::Hit> out;
  out.reserve(groups.size());
  for (const auto& g : groups) {
    size_t newest = g.front();
    for (size_t i : g) {
      if (model::compare_versions((*ranked)[i].version, (*ranked)[newest].version) > 0) newest = i;
    }
    model::Hit h = std::move((*ranked)[newest]);
    h.score = std::max(h.score, (*ranked)[g.front()].score);
    std::vector<std::string> others;
    for (size_t i : g) {
      if (i == newest) continue;
      const std::string& v = (*ranked)[i].version;
      if (v != h.version && std::find(others.begin(), others.end(), v) == others.end()) others.push_back(v);
      for (const auto& more : (*ranked)[i].also_in_versions) {
        if (more != h.version && std::find(others.begin(), others.end(), more) == others.end()) {
          others.push_back(more);
        }
      }
    }
    std::sort(others.begin(), others.end(),
              [](const std::string& a, const std::string& b) { return model::compare_versions(a, b) > 0; });
    h.also_in_versions = std::move(others);
    out.push_back(std::move(h));
  }
  *ranked = std::move(out);
}

}  // namespace mcdewey::search
