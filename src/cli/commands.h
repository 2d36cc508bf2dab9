// Subcommand registration (internal to cli/). Each add_* defines its options on `app` and
// returns the function that runs it once parsed.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace mcdewey::cli {

struct GlobalOptions {
  std::string data_dir;  // --data, default $MCDEWEY_DATA or ./mcdewey-data
  bool verbose = false;
};

using Runner = std::function<int()>;

Runner add_ingest(CLI::App& app, GlobalOptions& g);
Runner add_search(CLI::App& app, GlobalOptions& g);
Runner add_stats(CLI::App& app, GlobalOptions& g);
Runner add_serve(CLI::App& app, GlobalOptions& g);
Runner add_mcp(CLI::App& app, GlobalOptions& g);
Runner add_model(CLI::App& app, GlobalOptions& g);
Runner add_reembed(CLI::App& app, GlobalOptions& g);

// Adds --data to a subcommand.
void add_data_option(CLI::App& sub, GlobalOptions& g);
// Prints "mcdewey: <message>" to stderr and returns kExitError.
int fail(const std::string& message);

}  // namespace mcdewey::cli
