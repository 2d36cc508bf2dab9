// `mcdewey mcp --stdio`: the MCP server over stdin/stdout for clients that launch local
// servers (Claude Desktop, Cursor, Claude Code). Newline-delimited JSON-RPC: one message per
// line in, one response per line out. stdout carries nothing else; logs go to stderr.
#include <csignal>
#include <cstdio>
#include <string>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "common/log.h"
#include "server/mcp/jsonrpc.h"
#include "server/mcp/mcp_server.h"

namespace mcdewey::cli {

namespace {

struct McpArgs {
  bool stdio = false;
  size_t max_chars = 20000;
  EmbedArgs embed;
};

// Reads one line of at most `max` bytes (without the newline). false at end of input.
// A longer line is consumed whole and reported through `too_long`.
bool read_line(std::FILE* in, size_t max, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  int c;
  bool any = false;
  while ((c = std::getc(in)) != EOF) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < max) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  return any;
}

bool write_line(const std::string& s) {
  if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size()) return false;
  if (std::fputc('\n', stdout) == EOF) return false;
  return std::fflush(stdout) == 0;
}

}  // namespace

Runner add_mcp(CLI::App& app, GlobalOptions& g) {
  auto a = std::make_shared<McpArgs>();
  CLI::App* sub = app.add_subcommand("mcp", "Serve MCP (Model Context Protocol) over stdio for AI agents");
  sub->footer(
      "Speaks newline-delimited JSON-RPC on stdin/stdout (protocol 2025-11-25, 2025-06-18, 2025-03-26);\n"
      "logs go to stderr. The same server is at /mcp of `mcdewey serve` (Streamable HTTP).\n"
      "The library must exist (run `mcdewey ingest` first): an MCP client may start this command\n"
      "from any folder, so no data directory is created.\n"
      "Example client configuration (Claude Desktop, Cursor):\n"
      "  {\"mcpServers\": {\"mcdewey\": {\"command\": \"mcdewey\",\n"
      "    \"args\": [\"mcp\", \"--stdio\", \"--data\", \"/srv/mcdewey-data\"]}}}");
  add_data_option(*sub, g);
  sub->add_flag("--stdio", a->stdio, "Use stdin/stdout (the default and only transport of this command)");
  sub->add_option("--max-chars", a->max_chars, "Default size budget of a tool result, in characters")
      ->check(CLI::Range(500, 200000));
  add_embedder_options(*sub, a->embed);

  return [a, &g]() -> int {
    // Only JSON-RPC may reach stdout; a client that hangs up ends us through EOF/EPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    auto lib = open_library(g.data_dir, /*create=*/false, a->embed);
    if (!lib) return fail(lib.status().message());
    server::mcp::McpOptions options;
    options.default_max_chars = a->max_chars;
    server::mcp::McpServer server(**lib, options);
    server::mcp::McpSession session;
    log::info("mcp: serving {} over stdio", g.data_dir);
    std::string line;
    bool too_long = false;
    while (read_line(stdin, options.max_message_bytes, line, too_long)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::optional<std::string> out;
      if (too_long) {
        out = server::mcp::dump(server::mcp::make_error(
            nullptr, server::mcp::kInvalidRequest,
            "Invalid Request: message over " + std::to_string(options.max_message_bytes) + " bytes"));
      } else {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        out = server.handle(line, session);
      }
      if (out && !write_line(*out)) return kExitOk;  // the client went away
    }
    return kExitOk;
  };
}

}  // namespace mcdewey::cli
