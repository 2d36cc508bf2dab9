#include "app/library.h"

#include <fmt/format.h>

#include "common/fs.h"

namespace mcdewey::app {

namespace stdfs = std::filesystem;

namespace {

long long dir_bytes(const stdfs::path& dir) {
  long long total = 0;
  std::error_code ec;
  for (stdfs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += static_cast<long long>(it->file_size(ec));
  }
  return total;
}

}  // namespace

Library::~Library() = default;

Result<std::unique_ptr<Library>> Library::open(const stdfs::path& data_dir, bool create) {
  std::unique_ptr<Library> lib(new Library());
  lib->data_dir_ = data_dir;
  const stdfs::path db_path = data_dir / "mcdewey.db";
  std::error_code ec;
  if (!create && !stdfs::exists(db_path, ec)) {
    return not_found(fmt::format("no library at {} (run `mcdewey ingest DIR --data {}` first)", data_dir.string(),
                                 data_dir.string()));
  }
  if (create) {
    MCD_TRY(fs::create_dirs(lib->library_root()));
  }
  auto store = store::Store::open(db_path.string());
  if (!store) return store.status();
  lib->store_ = std::move(store.value());
  lib->searcher_ = std::make_unique<search::Searcher>(*lib->store_);
  return lib;
}

Result<model::SearchResponse> Library::search(const model::SearchRequest& request) {
  return searcher_->search(request);
}

Result<ChunkView> Library::chunk(const std::string& chunk_id) {
  auto parsed = model::parse_chunk_id(chunk_id);
  if (!parsed) return parsed.status();
  auto row = store_->chunk(chunk_id);
  if (!row) return row.status();
  ChunkView v;
  v.hit = std::move(row->hit);
  v.byte_start = row->byte_start;
  v.byte_end = row->byte_end;
  if (parsed->ordinal > 0) v.prev_id = parsed->key.chunk_id(parsed->ordinal - 1);
  auto next = store_->chunk(parsed->key.chunk_id(parsed->ordinal + 1));
  if (next) v.next_id = next->hit.chunk_id;
  return v;
}

Result<LibraryStatsView> Library::stats() {
  auto counts = store_->stats();
  if (!counts) return counts.status();
  LibraryStatsView v;
  v.counts = *counts;
  std::error_code ec;
  for (const char* f : {"mcdewey.db", "mcdewey.db-wal"}) {
    auto n = stdfs::file_size(data_dir_ / f, ec);
    if (!ec) v.db_bytes += static_cast<long long>(n);
  }
  v.library_bytes = dir_bytes(library_root());
  return v;
}

Result<std::vector<store::DocSummary>> Library::docs() { return store_->doc_summaries(); }

}  // namespace mcdewey::app
