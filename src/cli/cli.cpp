#include "cli/cli.h"

#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "common/log.h"

namespace mcdewey::cli {

void add_data_option(CLI::App& sub, GlobalOptions& g) {
  sub.add_option("--data", g.data_dir, "Data directory (default: $MCDEWEY_DATA or ./mcdewey-data)")
      ->type_name("DIR");
}

int fail(const std::string& message) {
  std::fprintf(stderr, "mcdewey: %s\n", message.c_str());
  return kExitError;
}

int run(int argc, char** argv) {
  CLI::App app{
      "McDewey — multi-vendor documentation library.\n"
      "Ingest vendor manuals (PDF, HTML, Markdown, text) and search them with page-exact citations.",
      "mcdewey"};
  app.set_version_flag("-V,--version", std::string("mcdewey ") + MCDEWEY_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  mcdewey ingest ./manuals                       ingest a <product>/<version>/... tree\n"
      "  mcdewey ingest guide.pdf --product cucm --version v15\n"
      "  mcdewey search \"regenerate oauth keys\" --product cucm\n"
      "  mcdewey search \"renew a certificate\" --mode semantic\n"
      "  mcdewey stats\n"
      "  mcdewey serve --port 8080                      web UI and REST API at http://127.0.0.1:8080/\n"
      "  mcdewey mcp --stdio                            MCP server for AI agents (also at /mcp of serve)\n"
      "  mcdewey reembed                                re-embed passages after a model change\n"
      "Run `mcdewey <command> --help` for a command's options.");

  GlobalOptions g;
  if (const char* env = std::getenv("MCDEWEY_DATA"); env && *env) g.data_dir = env;
  if (g.data_dir.empty()) g.data_dir = "./mcdewey-data";
  app.add_flag("-v,--verbose", g.verbose, "Log more (to stderr)");

  Runner ingest = add_ingest(app, g);
  Runner search = add_search(app, g);
  Runner stats = add_stats(app, g);
  Runner serve = add_serve(app, g);
  Runner mcp = add_mcp(app, g);
  Runner reembed = add_reembed(app, g);
  Runner model = add_model(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitError;
  }
  log::set_level(g.verbose ? log::Level::kInfo : log::Level::kWarn);

  try {
    if (app.got_subcommand("ingest")) return ingest();
    if (app.got_subcommand("search")) return search();
    if (app.got_subcommand("stats")) return stats();
    if (app.got_subcommand("serve")) return serve();
    if (app.got_subcommand("mcp")) return mcp();
    if (app.got_subcommand("reembed")) return reembed();
    if (app.got_subcommand("model")) return model();
  } catch (const std::exception& e) {
    return fail(std::string("internal error: ") + e.what());
  }
  return fail("no command given (try --help)");
}

}  // namespace mcdewey::cli
