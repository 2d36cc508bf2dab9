// `mcdewey reembed`: embeds every passage again with the chosen embedder (after a model or
// option change, or when `search` says the stored vectors belong to another embedder), records
// the embedder's identity and rebuilds the vector index.
#include <fmt/format.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "cli/terminal.h"

namespace mcdewey::cli {

Runner add_reembed(CLI::App& app, GlobalOptions& g) {
  auto a = std::make_shared<EmbedArgs>();
  CLI::App* sub = app.add_subcommand("reembed", "Re-embed every passage for semantic search (after a model change)");
  sub->footer(
      "Passages keep their ids; only their vectors and the vector index (DATA/vectors/) are replaced.\n"
      "Examples:\n"
      "  mcdewey reembed --data ./mcdewey-data\n"
      "  mcdewey reembed --model ./models/wink-sg-100d.mcdwv --adapt\n"
      "  mcdewey reembed --embedder http --embed-url http://127.0.0.1:11434/v1 --embed-model nomic-embed-text");
  add_data_option(*sub, g);
  add_embedder_options(*sub, *a);
  return [a, &g]() -> int {
    if (a->embedder == "none") return fail("reembed needs an embedder (drop --embedder none)");
    // auto: the embedder the library was embedded with (HTTP with its recorded URL and model,
    // or the built-in model); not finding one is an error here (reembed() says why).
    auto lib = open_library(g.data_dir, /*create=*/false, *a, /*allow_embedder_change=*/true);
    if (!lib) return fail(lib.status().message());
    ProgressBar bar(is_tty(stderr));
    auto r = (*lib)->reembed([&bar](size_t done, size_t total) { bar.update_embedding(done, total); });
    bar.finish();
    if (!r) return fail(r.status().message());
    const app::SemanticStatus s = (*lib)->semantic_status();
    std::fprintf(stderr, "re-embedded %s passages with %s (%d dims): prepare %.1f s, embed %.1f s, index %.1f s\n",
                 thousands(r->embedded).c_str(), s.embedder.c_str(), s.dims, r->prepare_seconds, r->embed_seconds,
                 r->index_seconds);
    return kExitOk;
  };
}

}  // namespace mcdewey::cli
