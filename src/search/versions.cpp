#include "search/versions.h"

#include <algorithm>
#include <unordered_map>

#include "common/strings.h"
#include "model/version_order.h"

namespace mcdewey::search {

std::string passage_key(const model::Hit& hit) { return str::collapse_spaces(hit.text); }

namespace {

// Among counterparts, newest first, in the positions the group holds (see versions.h).
void order_counterparts(std::vector<model::Hit>* ranked) {
  std::unordered_map<std::string, std::vector<size_t>> groups;
  std::vector<std::string> order;
  for (size_t i = 0; i < ranked->size(); ++i) {
    const model::Hit& h = (*ranked)[i];
    std::string key = h.product + '\x1f' + h.doc + '\x1f' + h.file;
    for (const auto& head : h.heading_path) key += '\x1f' + head;
    auto [it, fresh] = groups.try_emplace(std::move(key));
    if (fresh) order.push_back(it->first);
    it->second.push_back(i);
  }
  if (groups.size() == ranked->size()) return;
  for (const auto& key : order) {
    const std::vector<size_t>& pos = groups[key];
    if (pos.size() < 2) continue;
    std::vector<model::Hit> members;
    std::vector<double> scores;  // a position keeps its score, so scores stay best first
    for (size_t i : pos) {
      scores.push_back((*ranked)[i].score);
      members.push_back(std::move((*ranked)[i]));
    }
    std::stable_sort(members.begin(), members.end(), [](const model::Hit& a, const model::Hit& b) {
      return model::compare_versions(a.version, b.version) > 0;
    });
    for (size_t k = 0; k < pos.size(); ++k) {
      members[k].score = scores[k];
      (*ranked)[pos[k]] = std::move(members[k]);
    }
  }
}

}  // namespace

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
  if (groups.size() == ranked->size()) {
    order_counterparts(ranked);
    return;
  }
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
  order_counterparts(ranked);
}

}  // namespace mcdewey::search
