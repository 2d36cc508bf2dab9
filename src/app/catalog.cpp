#include "app/catalog.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "common/fs.h"

namespace mcdewey::app {

Result<Catalog> parse_catalog(std::string_view text, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return invalid_argument(fmt::format("{}:{}:{}: {}", source_name, e.source().begin.line, e.source().begin.column,
                                        e.description()));
  }
  Catalog out;
  const toml::table* products = root["products"].as_table();
  if (products == nullptr) return out;
  for (const auto& [slug, node] : *products) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return invalid_argument(fmt::format("{}: products.{} must be a table", source_name, slug.str()));
    }
    CatalogEntry e;
    e.vendor = (*t)["vendor"].value_or(std::string());
    e.name = (*t)["name"].value_or(std::string());
    out.emplace(std::string(slug.str()), std::move(e));
  }
  return out;
}

Result<Catalog> load_catalog(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Catalog{};
  auto text = fs::read_file(path, 16 << 20);
  if (!text) return text.status();
  return parse_catalog(*text, path.string());
}

}  // namespace mcdewey::app
