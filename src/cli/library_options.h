// Options every library-opening subcommand shares: which embedder to use for semantic search
// (ingest, search, stats, serve, mcp, reembed). One place, so the embedder a library was
// built with is chosen the same way by every command.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/library.h"
#include "common/status.h"

namespace mcdewey::cli {

struct EmbedArgs {
  std::string embedder = "auto";  // auto | builtin | http | none
  std::string model_file;         // --model FILE (built-in word vectors)
  bool adapt = false;             // built-in: --adapt (domain adaptation on)
  bool no_adapt = false;          // built-in: --no-adapt (off); neither = what the library recorded
  // OpenAI-compatible HTTP embedder (--embedder http).
  std::string embed_url;                        // --embed-url, else $MCDEWEY_EMBED_URL
  std::string embed_model;                      // --embed-model, else $MCDEWEY_EMBED_MODEL
  std::string embed_key_env = "OPENAI_API_KEY";  // --embed-key-env: the variable holding the key
  int embed_dims = 0;                           // --embed-dims; 0 = recorded, or ask the server
};

// Adds --embedder, --model, --adapt/--no-adapt and the --embed-* options to `sub`.
void add_embedder_options(CLI::App& sub, EmbedArgs& args);

// The LibraryOptions these flags (and MCDEWEY_EMBEDDER, MCDEWEY_MODEL, MCDEWEY_EMBED_URL,
// MCDEWEY_EMBED_MODEL) ask for. `--embedder auto` with --embed-url or --embed-model on the
// command line means http; with neither, auto follows what the library was embedded with
// (a library embedded over HTTP reuses its recorded URL and model, or the ones given).
Result<app::LibraryOptions> library_options(const EmbedArgs& args);

// Library::open with library_options(args).
Result<std::unique_ptr<app::Library>> open_library(const std::string& data_dir, bool create, const EmbedArgs& args,
                                                   bool allow_embedder_change = false);

}  // namespace mcdewey::cli
