#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "cli/terminal.h"

namespace mcdewey::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  app::FileSpec spec;
  bool prune = false;
  bool force = false;
  bool json = false;
  int threads = 0;
  int max_words = 0;
  bool no_embed = false;
  EmbedArgs embed;
};

nlohmann::json to_json(const app::IngestReport& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : r.files) {
    if (f.state == app::FileState::kIngested || f.state == app::FileState::kUnchanged) continue;
    files.push_back({{"path", f.path}, {"source", f.source}, {"state", app::file_state_name(f.state)},
                     {"reason", f.reason}});
  }
  return {{"files", r.files.size()}, {"ingested", r.ingested}, {"unchanged", r.unchanged}, {"skipped", r.skipped},
          {"failed", r.failed},      {"pruned", r.pruned},     {"pages", r.pages},         {"chunks", r.chunks},
          {"bytes", r.bytes},        {"seconds", r.seconds},   {"embedded", r.embedded},
          {"embed_seconds", r.embed_seconds}, {"semantic_note", r.semantic_note}, {"problems", files}};
}

void print_summary(const app::IngestReport& r, bool color) {
  for (const auto& f : r.files) {
    if (f.state == app::FileState::kSkipped || f.state == app::FileState::kFailed ||
        f.state == app::FileState::kPruned) {
      std::string tag = app::file_state_name(f.state);
      if (color) tag = fmt::format("{}{}\x1b[0m", f.state == app::FileState::kFailed ? "\x1b[1;31m" : "\x1b[33m", tag);
      std::fprintf(stderr, "%s  %s: %s\n", tag.c_str(), f.path.c_str(), f.reason.c_str());
    }
  }
  std::fprintf(stderr, "%s files: %d ingested, %d unchanged, %d skipped, %d failed%s · %s pages · %s chunks · %.1f s\n",
               thousands(static_cast<long long>(r.files.size()) - r.pruned).c_str(), r.ingested, r.unchanged,
               r.skipped, r.failed, r.pruned ? fmt::format(", {} pruned", r.pruned).c_str() : "",
               thousands(r.pages).c_str(), thousands(r.chunks).c_str(), r.seconds);
  if (r.embedded > 0) {
    std::fprintf(stderr, "embedded %s passages for semantic search (%.1f s of that)\n", thousands(r.embedded).c_str(),
                 r.embed_seconds);
  } else if (!r.semantic_note.empty()) {
    std::fprintf(stderr, "%s\n", r.semantic_note.c_str());
  }
}

}  // namespace

Runner add_ingest(CLI::App& app, GlobalOptions& g) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* sub = app.add_subcommand("ingest", "Ingest a library folder or single files");
  sub->footer(
      "A library folder is laid out <product>/<version>/...; a file directly in a version folder is a doc of\n"
      "its own, a subfolder of a version folder is one doc made of its files. An optional catalog.toml at\n"
      "the top gives each product's vendor and display name:\n"
      "  [products.bind9]\n  vendor = \"Internet Systems Consortium (ISC)\"\n  name = \"BIND 9\"\n"
      "Unchanged files are skipped; a changed file replaces its doc atomically.\n"
      "Exit status: 0 all files fine, 1 some files failed (the rest are ingested), 2 nothing could be done.\n"
      "Examples:\n"
      "  mcdewey ingest ./manuals --prune\n"
      "  mcdewey ingest security-guide.pdf --product cucm --version v15 --vendor Cisco\n"
      "  mcdewey ingest ./manuals --embedder http --embed-url http://127.0.0.1:11434/v1 --embed-model nomic-embed-text\n"
      "Semantic search: passages are embedded with the built-in model when it is found (see --model), or with an\n"
      "OpenAI-compatible server (--embedder http; Ollama, llama.cpp, TEI, vLLM, OpenAI). The library records which\n"
      "one (and the server's URL and model, never its key); later commands use it again by default.");
  add_data_option(*sub, g);
  sub->add_option("paths", args->paths, "A library folder, or files with --product and --version")
      ->required()
      ->type_name("PATH");
  sub->add_option("--product", args->spec.product, "Product slug for single files (e.g. cucm)");
  sub->add_option("--version", args->spec.version, "Version slug for single files (e.g. v15)");
  sub->add_option("--vendor", args->spec.vendor, "Vendor name for --product");
  sub->add_option("--name", args->spec.product_name, "Display name for --product");
  sub->add_option("--doc", args->spec.doc, "Doc slug for single files (default: each file's name)");
  sub->add_flag("--prune", args->prune, "Remove docs whose files are gone from the folder");
  sub->add_flag("--force", args->force, "Re-ingest unchanged files too");
  sub->add_flag("--json", args->json, "Print a machine-readable summary on stdout");
  sub->add_option("--threads", args->threads, "Extraction threads (default: one per core)")->check(CLI::Range(0, 64));
  sub->add_option("--max-words", args->max_words, "Chunk size cap in words (default 280)")
      ->check(CLI::Range(50, 5000));
  sub->add_flag("--no-embed", args->no_embed, "Do not embed passages for semantic search (lexical only)");
  add_embedder_options(*sub, args->embed);

  return [args, &g]() -> int {
    namespace stdfs = std::filesystem;
    const bool file_mode = !args->spec.product.empty() || !args->spec.version.empty();
    if (file_mode && (args->spec.product.empty() || args->spec.version.empty())) {
      return fail("single files need both --product and --version");
    }
    if (!file_mode) {
      if (args->paths.size() != 1) {
        return fail("give one library folder, or files with --product P --version V (see mcdewey ingest --help)");
      }
      std::error_code ec;
      if (!stdfs::is_directory(args->paths[0], ec)) {
        return fail(fmt::format("{} is not a folder; to ingest single files add --product P --version V",
                                args->paths[0]));
      }
      if (!args->spec.doc.empty() || !args->spec.vendor.empty() || !args->spec.product_name.empty()) {
        return fail("--doc, --vendor and --name apply to single files (with --product and --version); "
                    "for a folder, use its catalog.toml");
      }
    } else if (args->prune) {
      return fail("--prune works on library folders only");
    }

    auto lib = open_library(g.data_dir, /*create=*/true, args->embed);
    if (!lib) return fail(lib.status().message());
    app::IngestOptions opt;
    opt.prune = args->prune;
    opt.force = args->force;
    opt.threads = args->threads;
    if (args->max_words > 0) {
      opt.chunker.max_words = args->max_words;
      opt.chunker.min_words = std::min(opt.chunker.min_words, args->max_words / 2);
    }
    ProgressBar bar(is_tty(stderr) && !args->json);
    opt.progress = [&bar](const app::IngestProgress& p) { bar.update(p); };
    opt.embed = !args->no_embed;
    opt.embed_progress = [&bar](size_t done, size_t total) { bar.update_embedding(done, total); };

    Result<app::IngestReport> report = [&]() -> Result<app::IngestReport> {
      if (!file_mode) return (*lib)->ingest_tree(args->paths[0], opt);
      std::vector<stdfs::path> files(args->paths.begin(), args->paths.end());
      return (*lib)->ingest_files(files, args->spec, opt);
    }();
    bar.finish();
    if (!report) return fail(report.status().message());
    if (args->json) {
      std::printf("%s\n", to_json(*report).dump(2).c_str());
    }
    print_summary(*report, use_color(stderr));
    return report->ok() ? kExitOk : kExitPartial;
  };
}

}  // namespace mcdewey::cli
