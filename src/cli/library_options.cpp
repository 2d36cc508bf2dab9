#include "cli/library_options.h"

#include <cstdlib>

#include <fmt/format.h>

namespace mcdewey::cli {

void add_embedder_options(CLI::App& sub, EmbedArgs& args) {
  sub.add_option("--embedder", args.embedder,
                 "Embedder for semantic search: auto (the built-in model when found), builtin, none "
                 "(default auto, or $MCDEWEY_EMBEDDER)")
      ->check(CLI::IsMember({"auto", "builtin", "none"}))
      ->type_name("NAME");
  sub.add_option("--model", args.model_file,
                 "Built-in model file (default: $MCDEWEY_MODEL, DATA/models/ or ./models/wink-sg-100d.mcdwv)")
      ->type_name("FILE");
  sub.add_flag("--no-adapt", args.no_adapt,
               "Built-in model without domain adaptation (no vectors learned for library jargon)");
}

Result<app::LibraryOptions> library_options(const EmbedArgs& args) {
  app::LibraryOptions o;
  std::string choice = args.embedder;
  if (const char* env = std::getenv("MCDEWEY_EMBEDDER"); env && *env && choice == "auto") choice = env;
  if (choice == "auto") {
    o.embedder = app::EmbedderChoice::kAuto;
  } else if (choice == "builtin") {
    o.embedder = app::EmbedderChoice::kBuiltin;
  } else if (choice == "none") {
    o.embedder = app::EmbedderChoice::kNone;
  } else {
    return invalid_argument(fmt::format("MCDEWEY_EMBEDDER={} is not an embedder (auto, builtin, none)", choice));
  }
  o.model_file = args.model_file;
  o.builtin.domain_adaptation = !args.no_adapt;
  return o;
}

Result<std::unique_ptr<app::Library>> open_library(const std::string& data_dir, bool create, const EmbedArgs& args,
                                                   bool allow_embedder_change) {
  auto o = library_options(args);
  if (!o) return o.status();
  o->allow_embedder_change = allow_embedder_change;
  return app::Library::open(data_dir, create, *o);
}

}  // namespace mcdewey::cli
