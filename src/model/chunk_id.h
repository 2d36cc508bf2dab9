// Chunk ids and source paths: the citation contract of DESIGN.md.
//
//   source   = <product>/<version>/<doc>/<file>.md
//   chunk_id = <product>::<version>::<doc>::<file>::<ordinal>
//
// e.g. cucm/v15/security-guide/security-guide.md and
//      cucm::v15::security-guide::security-guide::70.
// `file` may contain '/' (a file below subfolders of its doc); no part may contain "::".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace mcdewey::model {

struct DocFileKey {
  std::string product;
  std::string version;
  std::string doc;
  std::string file;  // path below the doc folder, without extension

  std::string source() const;                // product/version/doc/file.md
  std::string chunk_id(int ordinal) const;   // product::version::doc::file::N
  std::string id_prefix() const;             // product::version::doc::file::
  bool operator==(const DocFileKey&) const = default;
};

struct ChunkId {
  DocFileKey key;
  int ordinal = 0;
};

// Parses "p::v::d::f::N". Returns kInvalidArgument with a reason when malformed.
Result<ChunkId> parse_chunk_id(std::string_view id);

// A slug is a product, version or doc name: non-empty, no "::", no '/', not "." or "..",
// no control characters. Returns an explanation when invalid, nullopt when fine.
std::optional<std::string> slug_problem(std::string_view slug);
// Like slug_problem for the file part, which may hold '/' between valid slugs.
std::optional<std::string> file_part_problem(std::string_view file);

}  // namespace mcdewey::model
