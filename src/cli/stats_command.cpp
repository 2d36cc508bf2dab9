#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/terminal.h"

namespace mcdewey::cli {

Runner add_stats(CLI::App& app, GlobalOptions& g) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("stats", "Show what the library holds");
  add_data_option(*sub, g);
  sub->add_flag("--json", *json, "Print JSON");
  return [json, &g]() -> int {
    auto lib = app::Library::open(g.data_dir, /*create=*/false);
    if (!lib) return fail(lib.status().message());
    auto s = (*lib)->stats();
    if (!s) return fail(s.status().message());
    auto docs = (*lib)->docs();
    if (!docs) return fail(docs.status().message());
    const auto& c = s->counts;
    if (*json) {
      nlohmann::json products = nlohmann::json::object();
      for (const auto& d : *docs) {
        auto& p = products[d.product];
        p["vendor"] = d.vendor;
        p["name"] = d.product_name;
        auto& v = p["versions"][d.version];
        v[d.doc] = {{"title", d.title}, {"files", d.files}, {"chunks", d.chunks}, {"pages", d.pages}};
      }
      nlohmann::json out = {{"vendors", c.vendors},  {"products", c.products},   {"versions", c.versions},
                            {"docs", c.docs},        {"files", c.files},         {"pages", c.pages},
                            {"chunks", c.chunks},    {"words", c.words},         {"source_bytes", c.source_bytes},
                            {"db_bytes", s->db_bytes}, {"library_bytes", s->library_bytes}, {"by_product", products}};
      std::cout << out.dump(2) << '\n';
      return kExitOk;
    }
    std::printf("library   %s\n", std::filesystem::absolute((*lib)->data_dir()).lexically_normal().c_str());
    std::printf("vendors   %d\nproducts  %d\nversions  %d\ndocs      %d\nfiles     %s\npages     %s\nchunks    %s\n",
                c.vendors, c.products, c.versions, c.docs, thousands(c.files).c_str(), thousands(c.pages).c_str(),
                thousands(c.chunks).c_str());
    std::printf("sources   %s\ndatabase  %s\nlibrary/  %s\n\n", human_bytes(c.source_bytes).c_str(),
                human_bytes(s->db_bytes).c_str(), human_bytes(s->library_bytes).c_str());
    std::string last;
    for (const auto& d : *docs) {
      std::string head = fmt::format("{} {}", d.product, d.version);
      if (head != last) {
        std::printf("%s%s%s\n", head.c_str(), d.product_name.empty() ? "" : fmt::format(" — {}", d.product_name).c_str(),
                    d.vendor.empty() ? "" : fmt::format(" ({})", d.vendor).c_str());
        last = head;
      }
      std::printf("  %-28s %4d file%s %7s chunks%s\n", d.doc.c_str(), d.files, d.files == 1 ? " " : "s",
                  thousands(d.chunks).c_str(), d.pages ? fmt::format(" {:>6} pages", thousands(d.pages)).c_str() : "");
    }
    return kExitOk;
  };
}

}  // namespace mcdewey::cli
