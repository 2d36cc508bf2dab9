// Options every library-opening subcommand shares: which embedder to use for semantic search
// (ingest, search, stats, serve, mcp, reembed). One place, so the embedder a library was
// built with is chosen the same way by every command.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/library.h"
#include "cli/commands.h"
#include "common/status.h"

namespace mcdewey::cli {

struct EmbedArgs {
  std::string embedder = "auto";  // auto | builtin | none
  std::string model_file;         // --model FILE (built-in word vectors)
  bool no_adapt = false;          // built-in: no domain adaptation
};

// Adds --embedder, --model and --no-adapt to `sub`.
void add_embedder_options(CLI::App& sub, EmbedArgs& args);

// The LibraryOptions these flags (and MCDEWEY_EMBEDDER / MCDEWEY_MODEL) ask for.
Result<app::LibraryOptions> library_options(const EmbedArgs& args);

// Library::open with library_options(args).
Result<std::unique_ptr<app::Library>> open_library(const std::string& data_dir, bool create, const EmbedArgs& args,
                                                   bool allow_embedder_change = false);

}  // namespace mcdewey::cli
