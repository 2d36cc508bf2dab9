#include "common/fs.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

namespace mcdewey::fs {

Result<std::string> read_file(const stdfs::path& path, size_t max_bytes) {
  std::error_code ec;
  auto size = stdfs::file_size(path, ec);
  if (ec) return io_error(fmt::format("cannot read {}: {}", path.string(), ec.message()));
  if (size > max_bytes) {
    return invalid_argument(fmt::format("{} is {} bytes, over the limit of {}", path.string(), size, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

Status write_file_atomic(const stdfs::path& path, std::string_view data) {
  static std::atomic<unsigned> counter{0};
  MCD_TRY(create_dirs(path.parent_path()));
  stdfs::path tmp = path;
  tmp += fmt::format(".tmp{}.{}", ::getpid(), counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return io_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return io_error(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  }
  std::error_code ec;
  stdfs::rename(tmp, path, ec);
  if (ec) {
    stdfs::remove(tmp, ec);
    return io_error(fmt::format("cannot rename into {}: {}", path.string(), ec.message()));
  }
  return Status::ok();
}

Status copy_file_atomic(const stdfs::path& from, const stdfs::path& to) {
  auto data = read_file(from);
  if (!data) return data.status();
  return write_file_atomic(to, *data);
}

Status create_dirs(const stdfs::path& dir) {
  if (dir.empty()) return Status::ok();
  std::error_code ec;
  stdfs::create_directories(dir, ec);
  if (ec) return io_error(fmt::format("cannot create directory {}: {}", dir.string(), ec.message()));
  return Status::ok();
}

bool is_inside(const stdfs::path& root, const stdfs::path& path) {
  std::error_code ec;
  auto r = stdfs::weakly_canonical(root, ec);
  if (ec) return false;
  auto p = stdfs::weakly_canonical(path, ec);
  if (ec) return false;
  auto rit = r.begin();
  auto pit = p.begin();
  for (; rit != r.end(); ++rit, ++pit) {
    if (rit->empty()) continue;  // trailing slash
    if (pit == p.end() || *rit != *pit) return false;
  }
  return true;
}

void remove_empty_parents(const stdfs::path& path, const stdfs::path& stop) {
  std::error_code ec;
  for (auto dir = path.parent_path(); !dir.empty() && dir != stop && is_inside(stop, dir); dir = dir.parent_path()) {
    if (!stdfs::is_empty(dir, ec) || ec) break;
    stdfs::remove(dir, ec);
    if (ec) break;
  }
}

}  // namespace mcdewey::fs
