#include "model/version_order.h"

#include <cctype>
#include <string>
#include <vector>

namespace mcdewey::model {

namespace {

struct Part {
  bool numeric = false;
  unsigned long long number = 0;
  std::string text;
};

std::vector<Part> parts_of(std::string_view v) {
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V') && v.size() > 1 && std::isdigit(static_cast<unsigned char>(v[1]))) {
    v.remove_prefix(1);
  }
  std::vector<Part> out;
  size_t i = 0;
  while (i < v.size()) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (std::isdigit(c)) {
      Part p{true, 0, {}};
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
        if (p.number < 1'000'000'000'000ULL) p.number = p.number * 10 + static_cast<unsigned>(v[i] - '0');
        ++i;
      }
      out.push_back(p);
    } else if (std::isalpha(c)) {
      Part p;
      while (i < v.size() && std::isalpha(static_cast<unsigned char>(v[i]))) {
        p.text += static_cast<char>(std::tolower(static_cast<unsigned char>(v[i])));
        ++i;
      }
      out.push_back(p);
    } else {
      ++i;  // separators: '.', '-', '_', '+'
    }
  }
  return out;
}

bool is_prerelease(const std::string& t) {
  return t == "rc" || t == "beta" || t == "alpha" || t == "pre" || t == "dev" || t == "a" || t == "b";
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  auto pa = parts_of(a);
  auto pb = parts_of(b);
  size_t n = std::max(pa.size(), pb.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= pa.size()) return (!pb[i].numeric && is_prerelease(pb[i].text)) ? 1 : -1;
    if (i >= pb.size()) return (!pa[i].numeric && is_prerelease(pa[i].text)) ? -1 : 1;
    const Part& x = pa[i];
    const Part& y = pb[i];
    if (x.numeric && y.numeric) {
      if (x.number != y.number) return x.number < y.number ? -1 : 1;
    } else if (x.numeric != y.numeric) {
      // "1.1" vs "1.rc": the number is a later release than a pre-release word.
      return x.numeric ? 1 : -1;
    } else if (x.text != y.text) {
      return x.text < y.text ? -1 : 1;
    }
  }
  return 0;
}

}  // namespace mcdewey::model
