#include "server/mcp/prompts.h"

#include <fmt/format.h>

#include "common/strings.h"
#include "server/mcp/jsonrpc.h"
#include "server/mcp/scope.h"

namespace mcdewey::server::mcp {

namespace {

json argument(const char* name, const char* description, bool required) {
  return {{"name", name}, {"description", description}, {"required", required}};
}

std::string arg(const json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return "";
  if (!it->is_string()) throw RpcError(kInvalidParams, fmt::format("prompt argument '{}' must be a string", name));
  return std::string(str::trim(it->get<std::string>()));
}

std::string required_arg(const json& args, const char* name) {
  std::string v = arg(args, name);
  if (v.empty()) throw RpcError(kInvalidParams, fmt::format("missing required prompt argument '{}'", name));
  return v;
}

json user_message(const std::string& text) {
  return {{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}};
}

constexpr const char* kCiteRule =
    "Cite every fact with its source file and page as given in the results (for example: "
    "cucm/v15/security-guide/security-guide.md, page 80); for documents without pages cite the source and the "
    "heading. If the documentation does not answer the question, say so plainly instead of guessing.";

}  // namespace

json list_prompts() {
  return {{"prompts",
           json::array({{{"name", "answer_from_docs"},
                         {"title", "Answer from the docs, with citations"},
                         {"description", "Answer a question from the documentation library only, citing source and "
                                         "page for every fact."},
                         {"arguments", json::array({argument("question", "the question to answer", true),
                                                    argument("product", "limit to this product slug", false),
                                                    argument("version", "limit to this version slug", false)})}},
                        {{"name", "compare_versions"},
                         {"title", "Compare two versions"},
                         {"description", "Explain how a topic differs between two versions of a product, citing both "
                                         "versions' docs."},
                         {"arguments", json::array({argument("product", "product slug", true),
                                                    argument("from_version", "older version slug", true),
                                                    argument("to_version", "newer version slug", true),
                                                    argument("topic", "what to compare", true)})}}})}};
}

json get_prompt(const json& params) {
  if (!params.contains("name") || !params["name"].is_string()) throw RpcError(kInvalidParams, "missing string param name");
  const std::string name = params["name"].get<std::string>();
  const json args = params.contains("arguments") && params["arguments"].is_object() ? params["arguments"] : json::object();
  if (name == "answer_from_docs") {
    const std::string q = required_arg(args, "question");
    const std::string product = arg(args, "product"), version = arg(args, "version");
    std::string filters;
    if (!product.empty()) filters += fmt::format(" product=\"{}\"", product);
    if (!version.empty()) filters += fmt::format(" version=\"{}\"", version);
    std::string text = fmt::format(
        "Answer this question from the McDewey documentation library:\n\n{}\n\n"
        "1. Call search_docs with the question in the vendor's terms{}. Try a second phrasing if the first results "
        "miss.\n"
        "2. For the best hits, call get_context(chunk_id) to read the surrounding text (or read_page for a whole PDF "
        "page).\n"
        "3. Answer only from what you read. {}",
        q, filters.empty() ? "" : " with" + filters, kCiteRule);
    return {{"description", "Answer from the docs, with citations"}, {"messages", json::array({user_message(text)})}};
  }
  if (name == "compare_versions") {
    const std::string product = required_arg(args, "product"), from = required_arg(args, "from_version"),
                      to = required_arg(args, "to_version"), topic = required_arg(args, "topic");
    std::string text = fmt::format(
        "Compare how {} {} and {} {} handle: {}\n\n"
        "1. Call search_docs with product=\"{}\" version=\"{}\", then again with version=\"{}\".\n"
        "2. Read the matching passages of both versions with get_context.\n"
        "3. List what changed, what was added and what was removed. {}",
        product, from, product, to, topic, product, from, to, kCiteRule);
    return {{"description", "Compare two versions"}, {"messages", json::array({user_message(text)})}};
  }
  throw RpcError(kInvalidParams, fmt::format("unknown prompt '{}' (known: answer_from_docs, compare_versions)", name));
}

json complete(app::Library& library, const json& params) {
  auto empty = [] { return json{{"completion", {{"values", json::array()}, {"total", 0}, {"hasMore", false}}}}; };
  if (!params.contains("ref") || !params["ref"].is_object()) throw RpcError(kInvalidParams, "missing object param ref");
  if (!params.contains("argument") || !params["argument"].is_object()) {
    throw RpcError(kInvalidParams, "missing object param argument");
  }
  const json& ref = params["ref"];
  const json& argj = params["argument"];
  const std::string type = ref.value("type", "");
  const std::string arg_name = argj.value("name", "");
  const std::string value = argj.contains("value") && argj["value"].is_string() ? argj["value"].get<std::string>() : "";
  const bool ours = (type == "ref/prompt" && (ref.value("name", "") == "answer_from_docs" ||
                                              ref.value("name", "") == "compare_versions")) ||
                    (type == "ref/resource" && ref.value("uri", "") == "mcdewey://doc/{product}/{version}/{doc}");
  if (!ours) return empty();

  // Earlier arguments narrow later ones: version within product, doc within both.
  json ctx = json::object();
  if (params.contains("context") && params["context"].is_object() && params["context"].contains("arguments") &&
      params["context"]["arguments"].is_object()) {
    ctx = params["context"]["arguments"];
  }
  auto ctx_arg = [&](const char* k) {
    return ctx.contains(k) && ctx[k].is_string() ? ctx[k].get<std::string>() : std::string();
  };
  auto scope = Scope::load(library);
  if (!scope) throw RpcError(jsonrpc_code(scope.status().code()), scope.status().message());
  std::vector<std::string> candidates;
  if (arg_name == "product") {
    candidates = scope->products();
  } else if (arg_name == "version" || arg_name == "from_version" || arg_name == "to_version") {
    candidates = scope->versions(ctx_arg("product"));
  } else if (arg_name == "doc") {
    candidates = scope->doc_names(ctx_arg("product"), ctx_arg("version"));
  } else {
    return empty();
  }
  const std::string v = str::to_lower_ascii(value);
  std::vector<std::string> prefix, inner;
  for (const auto& c : candidates) {
    const std::string lc = str::to_lower_ascii(c);
    if (str::starts_with(lc, v)) {
      prefix.push_back(c);
    } else if (lc.find(v) != std::string::npos) {
      inner.push_back(c);
    }
  }
  prefix.insert(prefix.end(), inner.begin(), inner.end());
  const size_t total = prefix.size();
  if (prefix.size() > 100) prefix.resize(100);  // the spec's cap per response
  return {{"completion", {{"values", prefix}, {"total", total}, {"hasMore", total > prefix.size()}}}};
}

}  // namespace mcdewey::server::mcp
