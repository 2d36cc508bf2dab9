#include "server/mcp/scope.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/strings.h"

namespace mcdewey::server::mcp {

namespace {

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string list_or_none(const std::vector<std::string>& v) { return v.empty() ? "(none)" : str::join(v, ", "); }

}  // namespace

Result<Scope> Scope::load(app::Library& library) {
  auto docs = library.docs();
  if (!docs) return docs.status();
  return Scope(std::move(docs.value()));
}

bool vendor_matches(const std::string& vendor_name, const std::string& filter) {
  std::string name(1, ' ');
  name += str::to_lower_ascii(vendor_name);
  name += ' ';
  for (char& c : name) {
    if (c == '(' || c == ')' || c == ',') c = ' ';
  }
  std::string needle(1, ' ');
  needle += str::to_lower_ascii(str::trim(filter));
  needle += ' ';
  return name.find(needle) != std::string::npos;
}

std::vector<std::string> Scope::vendors() const {
  std::vector<std::string> out;
  for (const auto& d : docs_) {
    if (!d.vendor.empty()) add_unique(out, d.vendor);
  }
  return out;
}

std::vector<std::string> Scope::products() const {
  std::vector<std::string> out;
  for (const auto& d : docs_) add_unique(out, d.product);
  return out;
}

std::vector<std::string> Scope::versions(const std::string& product) const {
  std::vector<std::string> out;
  for (const auto& d : docs_) {
    if (product.empty() || d.product == product) add_unique(out, d.version);
  }
  return out;
}

std::vector<std::string> Scope::doc_names(const std::string& product, const std::string& version) const {
  std::vector<std::string> out;
  for (const auto& d : docs_) {
    if ((product.empty() || d.product == product) && (version.empty() || d.version == version)) add_unique(out, d.doc);
  }
  return out;
}

std::string Scope::product_name(const std::string& product) const {
  for (const auto& d : docs_) {
    if (d.product == product) return d.product_name.empty() ? product : d.product_name;
  }
  return product;
}

std::optional<std::string> Scope::problem(const std::string& vendor, const std::string& product,
                                          const std::string& version, const std::string& doc) const {
  if (docs_.empty()) return std::string("The library is empty: nothing has been ingested yet (run `mcdewey ingest DIR`).");
  if (!vendor.empty()) {
    bool any = std::any_of(docs_.begin(), docs_.end(), [&](const auto& d) { return vendor_matches(d.vendor, vendor); });
    if (!any) {
      return fmt::format("Unknown vendor '{}'. Closest known vendors: {}. Call list_library to see everything.", vendor,
                         list_or_none(closest(vendor, vendors())));
    }
  }
  if (!product.empty()) {
    auto known = products();
    if (std::find(known.begin(), known.end(), product) == known.end()) {
      std::vector<std::string> shown;
      for (const auto& p : closest(product, known)) shown.push_back(fmt::format("{} ({})", p, product_name(p)));
      return fmt::format("Unknown product '{}'. Closest known products: {}. Call list_library to see everything.",
                         product, list_or_none(shown));
    }
  }
  if (!version.empty()) {
    auto known = versions(product);
    if (std::find(known.begin(), known.end(), version) == known.end()) {
      if (!product.empty()) {
        return fmt::format("Product '{}' has no version '{}'. Its versions: {}.", product, version, list_or_none(known));
      }
      return fmt::format("No product has version '{}'. Closest known versions: {}.", version,
                         list_or_none(closest(version, known)));
    }
  }
  if (!doc.empty()) {
    auto known = doc_names(product, version);
    if (std::find(known.begin(), known.end(), doc) == known.end()) {
      std::string where = product.empty() ? "The library" : version.empty() ? product : product + " " + version;
      return fmt::format("{} has no doc '{}'. Closest docs: {}.", where, doc, list_or_none(closest(doc, known)));
    }
  }
  return std::nullopt;
}

std::vector<std::string> closest(const std::string& input, const std::vector<std::string>& known, size_t n) {
  const std::string in = str::to_lower_ascii(input);
  struct Scored {
    int tier;
    size_t distance;
    size_t order;
  };
  std::vector<std::pair<Scored, const std::string*>> scored;
  for (size_t i = 0; i < known.size(); ++i) {
    const std::string k = str::to_lower_ascii(known[i]);
    int tier = str::starts_with(k, in) || str::starts_with(in, k) ? 0 : k.find(in) != std::string::npos ? 1 : 2;
    scored.push_back({{tier, edit_distance(in, k), i}, &known[i]});
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.tier, a.first.distance, a.first.order) < std::tie(b.first.tier, b.first.distance, b.first.order);
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(*scored[i].second);
  return out;
}

}  // namespace mcdewey::server::mcp
