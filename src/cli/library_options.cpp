#include "cli/library_options.h"

#include <cstdlib>

#include <fmt/format.h>

namespace mcdewey::cli {

namespace {

std::string env_or(const std::string& value, const char* var) {
  if (!value.empty()) return value;
  const char* env = std::getenv(var);
  return env ? env : "";
}

}  // namespace

void add_embedder_options(CLI::App& sub, EmbedArgs& args) {
  const std::string group = "Embedder (semantic search)";
  sub.add_option("--embedder", args.embedder,
                 "auto (what the library was embedded with; else the built-in model when found), builtin, "
                 "http (an OpenAI-compatible server, see --embed-url) or none (default auto, or $MCDEWEY_EMBEDDER)")
      ->check(CLI::IsMember({"auto", "builtin", "http", "none"}))
      ->type_name("NAME")
      ->group(group);
  sub.add_option("--model", args.model_file,
                 "Built-in model file (default: $MCDEWEY_MODEL, DATA/models/ or ./models/wink-sg-100d.mcdwv)")
      ->type_name("FILE")
      ->group(group);
  sub.add_flag("--adapt", args.adapt,
               "Built-in model: learn vectors for library jargon the model lacks (domain adaptation). Measured "
               "to help semantic-only search on DEV, not hybrid (docs/design-notes.md). Recorded in the library "
               "and kept by later runs; switching it on ingest or reembed re-embeds every passage")
      ->group(group);
  sub.add_flag("--no-adapt", args.no_adapt,
               "Built-in model without domain adaptation (the default for a new library)")
      ->group(group);
  sub.add_option("--embed-url", args.embed_url,
                 "HTTP embedder: base URL before /embeddings, e.g. http://127.0.0.1:11434/v1 (Ollama) "
                 "(default $MCDEWEY_EMBED_URL, else the URL the library recorded)")
      ->type_name("URL")
      ->group(group);
  sub.add_option("--embed-model", args.embed_model,
                 "HTTP embedder: the server's model name, e.g. nomic-embed-text (default $MCDEWEY_EMBED_MODEL, "
                 "else the model the library recorded)")
      ->type_name("NAME")
      ->group(group);
  sub.add_option("--embed-key-env", args.embed_key_env,
                 "HTTP embedder: environment variable holding the API key, sent as a bearer token when set "
                 "(default OPENAI_API_KEY; '' = never send one). The key itself is never stored")
      ->type_name("VAR")
      ->group(group);
  sub.add_option("--embed-dims", args.embed_dims,
                 "HTTP embedder: vector dimensions (default: the recorded ones, else asked from the server)")
      ->check(CLI::Range(1, 65536))
      ->type_name("N")
      ->group(group);
}

Result<app::LibraryOptions> library_options(const EmbedArgs& args) {
  app::LibraryOptions o;
  std::string choice = args.embedder;
  if (const char* env = std::getenv("MCDEWEY_EMBEDDER"); env && *env && choice == "auto") choice = env;
  // --embed-url / --embed-model typed on the command line ask for the HTTP embedder.
  if (choice == "auto" && (!args.embed_url.empty() || !args.embed_model.empty())) choice = "http";
  if (choice == "auto") {
    o.embedder = app::EmbedderChoice::kAuto;
  } else if (choice == "builtin") {
    o.embedder = app::EmbedderChoice::kBuiltin;
  } else if (choice == "http") {
    o.embedder = app::EmbedderChoice::kHttp;
  } else if (choice == "none") {
    o.embedder = app::EmbedderChoice::kNone;
  } else {
    return invalid_argument(fmt::format("MCDEWEY_EMBEDDER={} is not an embedder (auto, builtin, http, none)", choice));
  }
  o.model_file = args.model_file;
  if (args.adapt && args.no_adapt) return invalid_argument("give --adapt or --no-adapt, not both");
  if (args.adapt || args.no_adapt) o.domain_adaptation = args.adapt;
  // Empty URL or model: the app takes the library's recorded ones, or says what is missing.
  o.http.base_url = env_or(args.embed_url, "MCDEWEY_EMBED_URL");
  o.http.model = env_or(args.embed_model, "MCDEWEY_EMBED_MODEL");
  o.http.api_key_env = args.embed_key_env;
  o.http.dims = args.embed_dims;
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
