#include "app/layout.h"

#include <vector>

#include <fmt/format.h>

namespace mcdewey::app {

std::string file_stem(const std::filesystem::path& p) {
  std::string name = p.filename().string();
  size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return name;
  return name.substr(0, dot);
}

Result<model::DocFileKey> key_for_tree_path(const std::filesystem::path& rel) {
  std::vector<std::string> parts;
  for (const auto& part : rel) parts.push_back(part.string());
  if (parts.size() < 3) {
    return invalid_argument("not inside a <product>/<version>/ folder");
  }
  model::DocFileKey key;
  key.product = parts[0];
  key.version = parts[1];
  if (parts.size() == 3) {
    key.doc = file_stem(parts[2]);
    key.file = key.doc;
  } else {
    key.doc = parts[2];
    std::string file;
    for (size_t i = 3; i < parts.size(); ++i) {
      if (!file.empty()) file += '/';
      file += i + 1 == parts.size() ? file_stem(parts[i]) : parts[i];
    }
    key.file = file;
  }
  if (auto p = model::slug_problem(key.product)) return invalid_argument(fmt::format("product {}", *p));
  if (auto p = model::slug_problem(key.version)) return invalid_argument(fmt::format("version {}", *p));
  if (auto p = model::slug_problem(key.doc)) return invalid_argument(fmt::format("doc {}", *p));
  if (auto p = model::file_part_problem(key.file)) return invalid_argument(fmt::format("file {}", *p));
  return key;
}

}  // namespace mcdewey::app
