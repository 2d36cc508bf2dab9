#include "model/chunk_id.h"

#include <charconv>

#include <fmt/format.h>

#include "common/strings.h"

namespace mcdewey::model {

std::string DocFileKey::source() const { return fmt::format("{}/{}/{}/{}.md", product, version, doc, file); }

std::string DocFileKey::chunk_id(int ordinal) const { return fmt::format("{}{}", id_prefix(), ordinal); }

std::string DocFileKey::id_prefix() const { return fmt::format("{}::{}::{}::{}::", product, version, doc, file); }

std::optional<std::string> slug_problem(std::string_view slug) {
  if (slug.empty()) return std::string("is empty");
  if (slug == "." || slug == "..") return fmt::format("'{}' is not allowed", slug);
  if (slug.find("::") != std::string_view::npos) return fmt::format("'{}' contains '::'", slug);
  for (unsigned char c : slug) {
    if (c == '/' || c == '\\') return fmt::format("'{}' contains a path separator", slug);
    if (c < 0x20 || c == 0x7F) return fmt::format("'{}' contains a control character", slug);
  }
  return std::nullopt;
}

std::optional<std::string> file_part_problem(std::string_view file) {
  if (file.empty()) return std::string("is empty");
  for (const auto& part : str::split(file, '/')) {
    if (auto p = slug_problem(part)) return fmt::format("'{}': part {}", file, *p);
  }
  return std::nullopt;
}

Result<ChunkId> parse_chunk_id(std::string_view id) {
  // The ordinal is after the last "::"; product, version and doc are the first three
  // fields; the file part is everything between.
  auto bad = [&](std::string_view why) {
    return invalid_argument(fmt::format("malformed chunk id '{}': {} (expected product::version::doc::file::N)",
                                        id, why));
  };
  size_t last = id.rfind("::");
  if (last == std::string_view::npos) return bad("no '::'");
  std::string_view num = id.substr(last + 2);
  int ordinal = -1;
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), ordinal);
  if (num.empty() || ec != std::errc() || ptr != num.data() + num.size() || ordinal < 0) {
    return bad("ordinal is not a non-negative number");
  }
  std::string_view head = id.substr(0, last);
  ChunkId out;
  out.ordinal = ordinal;
  std::string_view parts[3];
  for (int i = 0; i < 3; ++i) {
    size_t p = head.find("::");
    if (p == std::string_view::npos) return bad("too few fields");
    parts[i] = head.substr(0, p);
    head = head.substr(p + 2);
  }
  out.key.product = std::string(parts[0]);
  out.key.version = std::string(parts[1]);
  out.key.doc = std::string(parts[2]);
  out.key.file = std::string(head);
  for (const auto* s : {&out.key.product, &out.key.version, &out.key.doc}) {
    if (auto p = slug_problem(*s)) return bad(*p);
  }
  if (auto p = file_part_problem(out.key.file)) return bad(*p);
  return out;
}

}  // namespace mcdewey::model
