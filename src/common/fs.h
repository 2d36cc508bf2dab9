// Filesystem helpers that return Status instead of throwing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace mcdewey::fs {

namespace stdfs = std::filesystem;

// Reads a whole file. Files larger than max_bytes are refused (kInvalidArgument).
Result<std::string> read_file(const stdfs::path& path, size_t max_bytes = size_t(1) << 31);
// Writes via a temporary file and rename, so readers never see a half-written file.
Status write_file_atomic(const stdfs::path& path, std::string_view data);
Status copy_file_atomic(const stdfs::path& from, const stdfs::path& to);
Status create_dirs(const stdfs::path& dir);
// True when `path`, once resolved (symlinks, `..`), lies inside `root`.
bool is_inside(const stdfs::path& root, const stdfs::path& path);
// Removes empty parent directories of `path` up to (not including) `stop`.
void remove_empty_parents(const stdfs::path& path, const stdfs::path& stop);

}  // namespace mcdewey::fs
