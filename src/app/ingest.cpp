// The ingest pipeline of Library: discovery, parallel extraction and chunking, one writer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "app/catalog.h"
#include "app/layout.h"
#include "app/library.h"
#include "chunk/chunker.h"
#include "common/fs.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/strings.h"
#include "extract/extract.h"

namespace mcdewey::app {

namespace stdfs = std::filesystem;

const char* file_state_name(FileState s) {
  switch (s) {
    case FileState::kIngested: return "ingested";
    case FileState::kUnchanged: return "unchanged";
    case FileState::kSkipped: return "skipped";
    case FileState::kFailed: return "failed";
    case FileState::kPruned: return "pruned";
  }
  return "failed";
}

struct Library::Job {
  stdfs::path path;             // absolute
  model::DocFileKey key;
  std::string skip_reason;      // set: the file is reported as skipped, not processed
  uintmax_t size = 0;
};

namespace {

constexpr size_t kMaxFileBytes = size_t(1) << 30;  // 1 GiB: larger files fail with a reason

std::string extension(const stdfs::path& p) {
  std::string e = p.extension().string();
  return e.empty() ? e : str::to_lower_ascii(e.substr(1));
}

// Library-relative path of the kept original: beside the canonical copy, with its own
// extension (".source.md" for Markdown sources, whose canonical copy has the same name).
std::string original_rel(const model::DocFileKey& key, const stdfs::path& from) {
  std::string ext = extension(from);
  std::string base = fmt::format("{}/{}/{}/{}", key.product, key.version, key.doc, key.file);
  if (ext.empty()) return base + ".original";
  if (ext == "md") return base + ".source.md";
  return base + "." + ext;
}

struct WorkResult {
  FileOutcome outcome;
  model::DocFileKey key;
  std::string bytes;  // the original, to keep beside the canonical copy
  std::string hash;
  std::optional<model::Document> doc;
  std::vector<model::Chunk> chunks;
};

// Reads, hashes, extracts and chunks one file. Never throws.
WorkResult process(const stdfs::path& path, const model::DocFileKey& key, const store::DocumentRow* existing,
                   const stdfs::path& library_root, const IngestOptions& options) {
  WorkResult r;
  r.key = key;
  r.outcome.path = path.string();
  r.outcome.source = key.source();
  auto fail = [&](FileState state, std::string reason) {
    r.outcome.state = state;
    r.outcome.reason = std::move(reason);
    return std::move(r);
  };
  try {
    auto bytes = fs::read_file(path, kMaxFileBytes);
    if (!bytes) return fail(FileState::kFailed, bytes.status().message());
    r.hash = hash_hex(*bytes);
    if (existing && !options.force && existing->content_hash == r.hash &&
        existing->pipeline == extract::kPipelineVersion && stdfs::exists(library_root / key.source())) {
      r.outcome.format = existing->format;
      r.outcome.pages = existing->pages;
      r.outcome.chunks = existing->chunk_count;
      return fail(FileState::kUnchanged, "");
    }
    auto format = extract::sniff(*bytes, path.filename().string());
    if (!format) {
      // Not a document at all (an image, an archive): skipped. Broken documents: failed.
      bool skip = format.status().code() == ErrorCode::kUnsupported;
      return fail(skip ? FileState::kSkipped : FileState::kFailed, format.status().message());
    }
    r.outcome.format = model::format_name(*format);
    auto doc = extract::extract(*bytes, path.filename().string());
    if (!doc) {
      // An HTML page with no main content (a generated search or frame stub) is a normal part
      // of a documentation set: skipped, not failed. Broken input stays a failure.
      bool stub = *format == model::Format::kHtml && doc.status().message().starts_with("no text");
      return fail(stub ? FileState::kSkipped : FileState::kFailed,
                  stub ? "HTML page without text content" : doc.status().message());
    }
    if (doc->title.empty()) doc->title = key.file;
    r.chunks = chunk::chunk_markdown(doc->markdown, options.chunker);
    if (r.chunks.empty()) return fail(FileState::kFailed, "no text to index");
    r.outcome.pages = doc->page_count;
    r.outcome.chunks = static_cast<int>(r.chunks.size());
    r.outcome.state = FileState::kIngested;
    r.doc = std::move(doc.value());
    r.bytes = std::move(bytes.value());
    return r;
  } catch (const std::exception& e) {
    return fail(FileState::kFailed, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    return fail(FileState::kFailed, "internal error");
  }
}

}  // namespace

Result<IngestReport> Library::ingest_tree(const stdfs::path& root_in, const IngestOptions& options) {
  std::error_code ec;
  stdfs::path root = stdfs::canonical(root_in, ec);
  if (ec) return not_found(fmt::format("cannot read library folder {}: {}", root_in.string(), ec.message()));
  if (!stdfs::is_directory(root)) return invalid_argument(fmt::format("{} is not a folder", root_in.string()));

  auto catalog = load_catalog(root / "catalog.toml");
  if (!catalog) return catalog.status();

  std::vector<Job> jobs;
  std::map<std::string, std::string> first_path_for_source;
  stdfs::recursive_directory_iterator it(root, stdfs::directory_options::skip_permission_denied, ec), end;
  if (ec) return io_error(fmt::format("cannot walk {}: {}", root.string(), ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) {
      log::warn("cannot read {}: {}", it->path().string(), ec.message());
      ec.clear();
      continue;
    }
    const stdfs::path& p = it->path();
    const std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') {  // hidden files and folders (.git, .DS_Store, .cache)
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    stdfs::path rel = p.lexically_relative(root);
    if (rel == "catalog.toml") continue;
    Job job;
    job.path = p;
    job.size = it->file_size(ec);
    auto key = key_for_tree_path(rel);
    if (!key) {
      job.skip_reason = key.status().message();
    } else {
      job.key = *key;
      auto [pos, inserted] = first_path_for_source.emplace(job.key.source(), rel.string());
      if (!inserted) {
        job.skip_reason = fmt::format("same doc file as {} (names differ only in extension)", pos->second);
      }
    }
    jobs.push_back(std::move(job));
  }

  for (const auto& [slug, entry] : *catalog) {
    MCD_TRY(store_->upsert_product({slug, entry.vendor, entry.name}));
  }
  return run_ingest(std::move(jobs), options, options.prune ? &root : nullptr);
}

Result<IngestReport> Library::ingest_files(const std::vector<stdfs::path>& files, const FileSpec& spec,
                                           const IngestOptions& options) {
  if (auto p = model::slug_problem(spec.product)) return invalid_argument(fmt::format("--product {}", *p));
  if (auto p = model::slug_problem(spec.version)) return invalid_argument(fmt::format("--version {}", *p));
  if (!spec.doc.empty()) {
    if (auto p = model::slug_problem(spec.doc)) return invalid_argument(fmt::format("--doc {}", *p));
  }
  MCD_TRY(store_->upsert_product({spec.product, spec.vendor, spec.product_name}));
  std::vector<Job> jobs;
  std::map<std::string, std::string> seen;
  for (const auto& f : files) {
    Job job;
    std::error_code ec;
    job.path = stdfs::absolute(f, ec);
    job.size = stdfs::file_size(f, ec);
    if (ec) {
      job.skip_reason = fmt::format("cannot read: {}", ec.message());
    } else {
      std::string stem = file_stem(f);
      job.key = {spec.product, spec.version, spec.doc.empty() ? stem : spec.doc, stem};
      if (auto p = model::slug_problem(stem)) job.skip_reason = fmt::format("file name {}", *p);
      auto [pos, inserted] = seen.emplace(job.key.source(), f.string());
      if (!inserted) job.skip_reason = fmt::format("same doc file as {}", pos->second);
    }
    jobs.push_back(std::move(job));
  }
  return run_ingest(std::move(jobs), options, nullptr);
}

Result<IngestReport> Library::run_ingest(std::vector<Job> jobs, const IngestOptions& options,
                                         const stdfs::path* prune_root) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IngestReport report;

  auto existing_rows = store_->documents();
  if (!existing_rows) return existing_rows.status();
  std::map<std::string, store::DocumentRow> existing;
  for (auto& d : *existing_rows) existing.emplace(d.key.source(), std::move(d));

  // Biggest files first, so one huge PDF does not finish alone at the end.
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.size > b.size; });

  const size_t total = jobs.size();
  const unsigned workers = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                               : std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable cv_ready, cv_space;
  std::deque<WorkResult> ready;
  constexpr size_t kMaxPending = 16;  // bounds memory: results hold whole documents
  const stdfs::path lib_root = library_root();

  auto worker = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= jobs.size()) return;
      const Job& job = jobs[i];
      WorkResult r;
      if (!job.skip_reason.empty()) {
        r.outcome.path = job.path.string();
        r.outcome.state = FileState::kSkipped;
        r.outcome.reason = job.skip_reason;
      } else {
        auto ex = existing.find(job.key.source());
        r = process(job.path, job.key, ex == existing.end() ? nullptr : &ex->second, lib_root, options);
      }
      std::unique_lock lock(mu);
      cv_space.wait(lock, [&] { return ready.size() < kMaxPending; });
      ready.push_back(std::move(r));
      cv_ready.notify_one();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < workers; ++i) pool.emplace_back(worker);

  std::set<std::string> seen_sources;
  Status fatal = Status::ok();
  for (size_t done = 0; done < total; ++done) {
    WorkResult r;
    {
      std::unique_lock lock(mu);
      cv_ready.wait(lock, [&] { return !ready.empty(); });
      r = std::move(ready.front());
      ready.pop_front();
      cv_space.notify_one();
    }
    if (r.outcome.state != FileState::kSkipped || !r.outcome.source.empty()) seen_sources.insert(r.outcome.source);
    if (r.outcome.state == FileState::kIngested && fatal.is_ok()) {
      const std::string orig = original_rel(r.key, r.outcome.path);
      Status s = fs::write_file_atomic(lib_root / r.key.source(), r.doc->markdown);
      if (s.is_ok()) s = fs::write_file_atomic(lib_root / orig, r.bytes);
      if (s.is_ok()) {
        auto ex = existing.find(r.key.source());
        if (ex != existing.end() && ex->second.original != orig) {
          std::error_code ec;
          stdfs::remove(lib_root / ex->second.original, ec);
        }
        store::DocumentRow row;
        row.key = r.key;
        row.title = r.doc->title;
        row.format = r.outcome.format;
        row.original = orig;
        row.origin = r.outcome.path;
        row.content_hash = r.hash;
        row.pipeline = extract::kPipelineVersion;
        row.pages = r.doc->page_count;
        row.bytes = static_cast<int64_t>(r.bytes.size());
        auto id = store_->replace_document(row, r.chunks);
        if (!id) s = id.status();
      }
      if (!s.is_ok()) {
        r.outcome.state = FileState::kFailed;
        r.outcome.reason = s.message();
        // A store or disk failure will hit every later file too: stop writing, report them.
        if (s.code() == ErrorCode::kIo || s.code() == ErrorCode::kCorrupt) fatal = s;
      }
    } else if (r.outcome.state == FileState::kIngested) {
      r.outcome.state = FileState::kFailed;
      r.outcome.reason = fmt::format("not written: {}", fatal.message());
    }
    switch (r.outcome.state) {
      case FileState::kIngested:
        ++report.ingested;
        report.pages += r.outcome.pages;
        report.chunks += r.outcome.chunks;
        report.bytes += static_cast<long long>(r.bytes.size());
        break;
      case FileState::kUnchanged:
        ++report.unchanged;
        report.pages += r.outcome.pages;
        report.chunks += r.outcome.chunks;
        break;
      case FileState::kSkipped: ++report.skipped; break;
      case FileState::kFailed: ++report.failed; break;
      case FileState::kPruned: break;
    }
    if (options.progress) {
      options.progress({done + 1, total, report.pages, report.chunks, elapsed(), r.outcome.path});
    }
    report.files.push_back(std::move(r.outcome));
  }
  for (auto& t : pool) t.join();

  if (prune_root && fatal.is_ok()) {
    const std::string prefix = prune_root->string() + "/";
    for (const auto& [source, row] : existing) {
      if (seen_sources.count(source) || !str::starts_with(row.origin, prefix)) continue;
      MCD_TRY(store_->delete_document(row.id));
      std::error_code ec;
      stdfs::remove(lib_root / source, ec);
      stdfs::remove(lib_root / row.original, ec);
      fs::remove_empty_parents(lib_root / source, lib_root);
      FileOutcome o;
      o.path = row.origin;
      o.source = source;
      o.state = FileState::kPruned;
      o.reason = "file is gone";
      report.files.push_back(std::move(o));
      ++report.pruned;
    }
    MCD_TRY(store_->drop_empty_products());
  }
  if (fatal.is_ok()) {
    Status embedded = after_ingest(&report, options);  // app/semantic.cpp
    if (!embedded.is_ok()) {
      // The text is stored and searchable lexically; only the vectors are missing.
      report.semantic_note = fmt::format("passages not embedded: {}", embedded.message());
      log::error("{}", report.semantic_note);
    }
  }
  report.seconds = elapsed();
  if (!fatal.is_ok()) log::error("ingest stopped writing: {}", fatal.message());
  return report;
}

}  // namespace mcdewey::app
