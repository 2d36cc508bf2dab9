// The transport-independent MCP core (src/server/mcp) on the fixture library, lexical only:
// what the end-to-end tests cannot reach cheaply — resources/list paging across several
// pages, the nesting limit, session state, the size budget's edges, argument checks and the
// closest-name suggestions.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "app/library.h"
#include "server/mcp/jsonrpc.h"
#include "server/mcp/mcp_server.h"
#include "server/mcp/resources.h"
#include "server/mcp/scope.h"
#include "server/mcp/tools.h"
#include "support/temp_dir.h"

namespace mcdewey::server::mcp {
namespace {

namespace stdfs = std::filesystem;

class McpCoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new testing::TempDir();
    const stdfs::path src = *tmp_ / "src";
    stdfs::copy(stdfs::path(MCDEWEY_TEST_DATA) / "library", src, stdfs::copy_options::recursive);
    for (auto& e : stdfs::recursive_directory_iterator(src)) {
      stdfs::permissions(e.path(), stdfs::perms::owner_write, stdfs::perm_options::add);
    }
    app::LibraryOptions o;
    o.embedder = app::EmbedderChoice::kNone;  // lexical only, whatever models are around
    auto lib = app::Library::open(*tmp_ / "data", true, o);
    ASSERT_TRUE(lib.is_ok()) << lib.status().message();
    lib_ = lib.value().release();
    auto r = lib_->ingest_tree(src, app::IngestOptions{});
    ASSERT_TRUE(r.is_ok()) << r.status().message();
  }
  static void TearDownTestSuite() {
    delete lib_;
    delete tmp_;
  }

  // One request through McpServer::handle; returns the parsed response.
  json rpc(const std::string& method, const json& params, McpSession& session) {
    McpServer server(*lib_);
    json msg{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    auto out = server.handle(msg.dump(), session);
    EXPECT_TRUE(out.has_value());
    return out ? json::parse(*out) : json();
  }
  json call(const std::string& tool, const json& args) {
    McpSession s;
    return rpc("tools/call", {{"name", tool}, {"arguments", args}}, s)["result"];
  }
  static std::string text_of(const json& result) { return result["content"][0]["text"].get<std::string>(); }

  static testing::TempDir* tmp_;
  static app::Library* lib_;
};

testing::TempDir* McpCoreTest::tmp_ = nullptr;
app::Library* McpCoreTest::lib_ = nullptr;

TEST_F(McpCoreTest, ResourcesPageWithCursorsUntilTheEnd) {
  std::set<std::string> seen;
  json params = json::object();
  int pages = 0;
  for (;;) {
    json page = list_resources(*lib_, params, 3);
    ++pages;
    for (const auto& r : page["resources"]) {
      EXPECT_TRUE(seen.insert(r["uri"].get<std::string>()).second) << r["uri"];
      EXPECT_EQ(r["mimeType"], "text/markdown");
    }
    if (!page.contains("nextCursor")) break;
    EXPECT_EQ(page["resources"].size(), 3u);
    params["cursor"] = page["nextCursor"];
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(list_resources(*lib_, json::object())["resources"].size(), 4u);
  for (const json& bad : {json("bogus"), json("docs:"), json("docs:5"), json("docs:+1"), json(3), json::object()}) {
    try {
      list_resources(*lib_, {{"cursor", bad}}, 3);
      ADD_FAILURE() << "accepted cursor " << bad;
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code, kInvalidParams) << bad;
    }
  }
}

TEST_F(McpCoreTest, MissingResourcesAreMinus32002) {
  for (const char* uri : {"mcdewey://doc/git/2.39.5/nope", "mcdewey://chunk/git::2.39.5::git-revert::git-revert::999",
                          "mcdewey://doc/git%2F2.39.5", "http://example.com/"}) {
    McpSession s;
    json r = rpc("resources/read", {{"uri", uri}}, s);
    EXPECT_EQ(r["error"]["code"], kResourceNotFound) << uri;
    EXPECT_EQ(r["error"]["data"]["uri"], uri);
  }
  McpSession s;
  json ok = rpc("resources/read", {{"uri", "mcdewey://chunk/git%3A%3A2.39.5%3A%3Agit-revert%3A%3Agit-revert%3A%3A0"}}, s);
  EXPECT_TRUE(ok.contains("result")) << ok.dump();
}

TEST_F(McpCoreTest, NestingDeeperThan64LevelsIsRefused) {
  McpServer server(*lib_);
  McpSession s;
  auto nested = [](int depth) {
    return R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"x":)" + std::string(depth, '[') +
           std::string(depth, ']') + "}}}";
  };
  bool unreadable = false;
  json ok = json::parse(*server.handle(nested(61), s, &unreadable));  // 3 + 61 = 64 levels
  EXPECT_EQ(ok["result"], json::object());
  EXPECT_FALSE(unreadable);
  json bad = json::parse(*server.handle(nested(62), s, &unreadable));
  EXPECT_EQ(bad["error"]["code"], kInvalidRequest);
  EXPECT_TRUE(unreadable);
  // Brackets inside strings do not count.
  json str = json::parse(*server.handle(R"({"jsonrpc":"2.0","id":2,"method":"ping","params":{"s":")" +
                                            std::string(1000, '[') + R"(\""}})",
                                        s));
  EXPECT_EQ(str["result"], json::object());
  EXPECT_EQ(json::parse(*server.handle(std::string(300000, '['), s))["error"]["code"], kParseError);
}

TEST_F(McpCoreTest, OnlyAnAnsweredInitializeInitializes) {
  McpServer server(*lib_);
  McpSession s;
  EXPECT_FALSE(server.handle(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", s).has_value());
  EXPECT_FALSE(s.initialized);
  json r = rpc("initialize", {{"protocolVersion", "2025-06-18"}, {"capabilities", json::object()}}, s);
  EXPECT_TRUE(s.initialized);
  EXPECT_EQ(s.protocol_version, "2025-06-18");
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-06-18");
  EXPECT_TRUE(r["result"]["capabilities"].contains("completions"));
  // Batches belong to 2025-03-26 only.
  bool unreadable = false;
  auto out = server.handle(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", s, &unreadable);
  EXPECT_EQ(json::parse(*out)["error"]["code"], kInvalidRequest);
  EXPECT_TRUE(unreadable);
  McpSession old;
  old.protocol_version = "2025-03-26";
  out = server.handle(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"x"}])", old);
  json batch = json::parse(*out);
  ASSERT_TRUE(batch.is_array());
  EXPECT_EQ(batch[1]["error"]["code"], kMethodNotFound);
}

TEST_F(McpCoreTest, SearchModeIsPassedToTheCore) {
  json autom = call("search_docs", {{"query", "revert"}});
  EXPECT_EQ(autom["structuredContent"]["mode"], "lexical");  // no embedder: auto is lexical
  json lex = call("search_docs", {{"query", "revert"}, {"mode", "lexical"}});
  EXPECT_EQ(lex["structuredContent"]["mode"], "lexical");
  for (const char* m : {"semantic", "hybrid"}) {
    json r = call("search_docs", {{"query", "revert"}, {"mode", m}});
    EXPECT_EQ(r["isError"], true) << m;
    EXPECT_NE(text_of(r).find("use mode lexical"), std::string::npos) << text_of(r);
  }
  json bad = call("search_docs", {{"query", "revert"}, {"mode", "Lexical"}});
  EXPECT_EQ(bad["isError"], true);
  EXPECT_NE(text_of(bad).find("auto, hybrid, lexical, semantic"), std::string::npos) << text_of(bad);
}

TEST_F(McpCoreTest, BudgetCutsAndSaysSo) {
  json r = call("search_docs", {{"query", "git"}, {"limit", 20}, {"max_chars", 500}});
  EXPECT_EQ(r["isError"], false);
  EXPECT_EQ(r["structuredContent"]["truncated"], true);
  const std::string t = text_of(r);
  EXPECT_NE(t.find("[Output cut at max_chars=500"), std::string::npos) << t;
  EXPECT_LT(t.size(), 500u + 300u);  // the budget plus the notice
  EXPECT_LT(r["structuredContent"]["returned"].get<int>(), 20);
  json whole = call("search_docs", {{"query", "git"}, {"limit", 2}});
  EXPECT_EQ(whole["structuredContent"]["truncated"], false);
  EXPECT_EQ(text_of(whole).find("Output cut"), std::string::npos);
  // The other tools honour it too.
  json lst = call("list_library", {{"max_chars", 500}});
  EXPECT_EQ(lst["structuredContent"]["truncated"], true);
  EXPECT_EQ(lst["structuredContent"]["totals"]["docs"], 4);  // the structured listing stays whole
  json out = call("get_outline", {{"product", "icinga2"}, {"version", "2.13.6"}, {"doc", "manual"}, {"max_chars", 500}});
  EXPECT_EQ(out["structuredContent"]["truncated"], true);
  EXPECT_NE(text_of(out).find("more heading(s) omitted"), std::string::npos);
}

TEST_F(McpCoreTest, MistakesAreToolErrorsThatNameTheClosest) {
  json r = call("search_docs", {{"query", "x"}, {"product", "icinga"}});
  EXPECT_EQ(r["isError"], true);
  EXPECT_NE(text_of(r).find("Closest known products: icinga2 (Icinga 2)"), std::string::npos) << text_of(r);
  json v = call("get_outline", {{"product", "git"}, {"version", "2.39"}, {"doc", "git-revert"}});
  EXPECT_NE(text_of(v).find("Its versions: 2.39.5"), std::string::npos) << text_of(v);
  json vendor = call("list_library", {{"vendor", "icnga"}});
  EXPECT_NE(text_of(vendor).find("Icinga GmbH"), std::string::npos) << text_of(vendor);
  json page = call("read_page", {{"product", "git"}, {"version", "2.39.5"}, {"doc", "git-revert"}, {"page", 1}});
  EXPECT_EQ(page["isError"], true);
  EXPECT_EQ(closest("kerb", {"git", "icinga2", "mit-kerberos"}).front(), "mit-kerberos");
  EXPECT_EQ(closest("icniga2", {"git", "icinga2", "kamailio"}).front(), "icinga2");
}

TEST_F(McpCoreTest, SchemaChecks) {
  const json schema = json::parse(R"({"type":"object","properties":{
      "q":{"type":"string","minLength":1,"maxLength":5},
      "n":{"type":"integer","minimum":1,"maximum":3},
      "m":{"type":"string","enum":["a","b"]}},"required":["q"],"additionalProperties":false})");
  EXPECT_FALSE(schema_problem(schema, {{"q", "abc"}, {"n", 2}, {"m", "a"}}).has_value());
  EXPECT_FALSE(schema_problem(schema, {{"q", "abc"}, {"n", 2.0}}).has_value());
  for (const json& bad : {json::object(), json{{"q", ""}}, json{{"q", "abcdef"}}, json{{"q", 1}}, json{{"q", "a"}, {"n", 0}},
                          json{{"q", "a"}, {"n", 1.5}}, json{{"q", "a"}, {"m", "c"}}, json{{"q", "a"}, {"z", 1}},
                          json{{"q", "\xff"}}, json::array()}) {
    EXPECT_TRUE(schema_problem(schema, bad).has_value()) << bad.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  // Every tool: annotations and both schemas, and its own schema is one we can check.
  for (const auto& t : tool_list()) {
    EXPECT_EQ(t["annotations"]["readOnlyHint"], true);
    EXPECT_EQ(t["annotations"]["idempotentHint"], true);
    EXPECT_EQ(t["annotations"]["openWorldHint"], false);
    EXPECT_EQ(t["annotations"]["destructiveHint"], false);
    EXPECT_EQ(t["inputSchema"]["type"], "object");
    EXPECT_EQ(t["outputSchema"]["type"], "object");
    EXPECT_EQ(t["inputSchema"]["additionalProperties"], false);
    EXPECT_TRUE(t["inputSchema"]["properties"].contains("max_chars")) << t["name"];
  }
}

TEST(McpEmptyLibraryTest, SearchSaysNothingIsIngested) {
  testing::TempDir tmp;
  app::LibraryOptions o;
  o.embedder = app::EmbedderChoice::kNone;
  auto lib = app::Library::open(tmp / "data", true, o);
  ASSERT_TRUE(lib.is_ok()) << lib.status().message();
  for (const json& args : {json{{"query", "x"}}, json{{"query", "x"}, {"product", "y"}}}) {
    auto r = call_tool(**lib, ToolOptions{}, "search_docs", args);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ((*r)["isError"], true);
    EXPECT_NE((*r)["content"][0]["text"].get<std::string>().find("library is empty"), std::string::npos) << r->dump();
  }
}

}  // namespace
}  // namespace mcdewey::server::mcp
