#include "app/library.h"

#include <fmt/format.h>

#include "chunk/blocks.h"
#include "common/fs.h"
#include "common/strings.h"

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
  return open(data_dir, create, LibraryOptions{});
}

Result<std::unique_ptr<Library>> Library::open(const stdfs::path& data_dir, bool create,
                                               const LibraryOptions& options) {
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
  lib->hybrid_ = std::make_unique<search::HybridSearcher>(*lib->store_, *lib->searcher_, options.hybrid);
  MCD_TRY(lib->open_embedder(options));  // app/semantic.cpp
  return lib;
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

namespace mcdewey::app {

namespace {

// Splits "product/version/doc/file.md" into a key; rejects anything else.
Result<model::DocFileKey> key_from_source(const std::string& source) {
  if (source.size() < 4 || source.substr(source.size() - 3) != ".md") {
    return invalid_argument(fmt::format("'{}' is not a source path (product/version/doc/file.md)", source));
  }
  std::string body = source.substr(0, source.size() - 3);
  std::vector<std::string> parts;
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    size_t slash = body.find('/', pos);
    if (slash == std::string::npos) return invalid_argument(fmt::format("'{}' is not a source path", source));
    parts.push_back(body.substr(pos, slash - pos));
    pos = slash + 1;
  }
  model::DocFileKey key{parts[0], parts[1], parts[2], body.substr(pos)};
  for (const auto* s : {&key.product, &key.version, &key.doc}) {
    if (auto p = model::slug_problem(*s)) return invalid_argument(fmt::format("'{}': {}", source, *p));
  }
  if (auto p = model::file_part_problem(key.file)) return invalid_argument(fmt::format("'{}': {}", source, *p));
  return key;
}

}  // namespace

Result<DocView> Library::doc(const std::string& product, const std::string& version, const std::string& doc) {
  auto files = store_->doc_files(product, version, doc);
  if (!files) return files.status();
  if (files->empty()) return not_found(fmt::format("no doc {}/{}/{}", product, version, doc));
  DocView v;
  v.product = product;
  v.version = version;
  v.doc = doc;
  auto products = store_->products();
  if (!products) return products.status();
  for (const auto& p : *products) {
    if (p.slug == product) {
      v.vendor = p.vendor;
      v.product_name = p.name;
    }
  }
  v.title = files->size() == 1 ? files->front().title : doc;
  for (auto& row : *files) {
    DocFile f{row, row.key.source()};
    v.pages += row.pages;
    v.chunks += row.chunk_count;
    auto spans = store_->chunk_spans(row.id);
    if (!spans) return spans.status();
    auto md = read_canonical(f.source);
    if (md) {
      for (const auto& b : chunk::split_blocks(*md)) {
        if (b.kind != chunk::BlockKind::kHeading) continue;
        OutlineEntry e{b.level, b.heading_text, b.page, "", f.source};
        for (const auto& s : *spans) {
          if (s.byte_start <= b.start && b.start < s.byte_end) {
            e.chunk_id = s.chunk_id;
            break;
          }
        }
        v.outline.push_back(std::move(e));
      }
    }
    v.files.push_back(std::move(f));
  }
  return v;
}

Result<FileView> Library::file_view(const std::string& source) {
  // Outside the library (a traversal, or a symlink planted in it) is no document at all,
  // before the path is even parsed.
  if (!fs::is_inside(library_root(), library_root() / source)) return not_found(fmt::format("no document {}", source));
  auto key = key_from_source(source);
  if (!key) return key.status();
  auto row = store_->find_document(*key);
  if (!row) return row.status();
  if (!row->has_value()) return not_found(fmt::format("no document {}", source));
  FileView v;
  v.row = **row;
  auto md = read_canonical(source);
  if (!md) return md.status();
  v.markdown = std::move(md.value());
  auto spans = store_->chunk_spans(v.row.id);
  if (!spans) return spans.status();
  v.chunks = std::move(spans.value());
  return v;
}

Result<std::string> Library::read_page(const std::string& product, const std::string& version, const std::string& doc,
                                       int page) {
  auto files = store_->doc_files(product, version, doc);
  if (!files) return files.status();
  if (files->empty()) return not_found(fmt::format("no doc {}/{}/{}", product, version, doc));
  for (const auto& row : *files) {
    if (row.pages == 0) continue;
    if (page < 1 || page > row.pages) continue;
    auto md = read_canonical(row.key.source());
    if (!md) return md.status();
    // The text between this page's marker and the next one.
    std::string out;
    bool in_page = false;
    for (const auto& line : str::split(*md, '\n')) {
      chunk::PageMarker m;
      if (chunk::parse_page_marker(line, &m)) {
        if (in_page) break;
        in_page = m.page == page;
        continue;
      }
      if (in_page) {
        out += line;
        out += '\n';
      }
    }
    return std::string(str::trim(out));
  }
  int max_pages = 0;
  for (const auto& row : *files) max_pages = std::max(max_pages, row.pages);
  if (max_pages == 0) return invalid_argument(fmt::format("{}/{}/{} has no pages (not a PDF)", product, version, doc));
  return not_found(fmt::format("{}/{}/{} has pages 1-{}, not {}", product, version, doc, max_pages, page));
}

Result<std::string> Library::read_canonical(const std::string& source) const {
  const auto path = library_root() / source;
  if (!fs::is_inside(library_root(), path)) return not_found(fmt::format("no document {}", source));
  return fs::read_file(path);
}

Result<std::filesystem::path> Library::original_path(const std::string& source) {
  auto key = key_from_source(source);
  if (!key) return key.status();
  auto row = store_->find_document(*key);
  if (!row) return row.status();
  if (!row->has_value()) return not_found(fmt::format("no document {}", source));
  auto path = library_root() / (*row)->original;
  if (!fs::is_inside(library_root(), path)) return not_found("outside the library");
  return path;
}

}  // namespace mcdewey::app
