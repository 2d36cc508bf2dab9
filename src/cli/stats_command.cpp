#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "cli/terminal.h"

namespace mcdewey::cli {

Runner add_stats(CLI::App& app, GlobalOptions& g) {
  struct StatsArgs {
    bool json = false;
    bool docs = false;
    EmbedArgs embed;
  };
  auto a = std::make_shared<StatsArgs>();
  CLI::App* sub = app.add_subcommand("stats", "Show what the library holds");
  add_data_option(*sub, g);
  sub->add_flag("--json", a->json, "Print JSON");
  sub->add_flag("--docs", a->docs, "List every doc (default: one line per product version)");
  add_embedder_options(*sub, a->embed);
  return [a, &g]() -> int {
    auto lib = open_library(g.data_dir, /*create=*/false, a->embed);
    if (!lib) return fail(lib.status().message());
    auto s = (*lib)->stats();
    if (!s) return fail(s.status().message());
    auto docs = (*lib)->docs();
    if (!docs) return fail(docs.status().message());
    const auto& c = s->counts;
    const app::SemanticStatus sem = (*lib)->semantic_status();
    if (a->json) {
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
                            {"db_bytes", s->db_bytes}, {"library_bytes", s->library_bytes}, {"by_product", products},
                            {"semantic", {{"available", sem.available}, {"embedder", sem.embedder}, {"dims", sem.dims},
                                          {"embedded", sem.embedded}, {"note", sem.note},
                                          {"domain_adaptation", sem.domain_adaptation ? nlohmann::json(*sem.domain_adaptation)
                                                                                      : nlohmann::json(nullptr)}}}};
      std::cout << out.dump(2) << '\n';
      return kExitOk;
    }
    std::printf("library   %s\n", std::filesystem::absolute((*lib)->data_dir()).lexically_normal().c_str());
    std::printf("vendors   %d\nproducts  %d\nversions  %d\ndocs      %d\nfiles     %s\npages     %s\nchunks    %s\n",
                c.vendors, c.products, c.versions, c.docs, thousands(c.files).c_str(), thousands(c.pages).c_str(),
                thousands(c.chunks).c_str());
    std::printf("sources   %s\ndatabase  %s\nlibrary/  %s\n", human_bytes(c.source_bytes).c_str(),
                human_bytes(s->db_bytes).c_str(), human_bytes(s->library_bytes).c_str());
    if (sem.available) {
      const std::string adapt =
          sem.domain_adaptation ? (*sem.domain_adaptation ? ", domain adaptation on" : ", domain adaptation off") : "";
      std::printf("semantic  %s (%d dims%s): %s of %s passages embedded\n\n", sem.embedder.c_str(), sem.dims,
                  adapt.c_str(), thousands(sem.embedded).c_str(), thousands(sem.chunks).c_str());
    } else {
      std::printf("semantic  off: %s\n\n", sem.note.c_str());
    }
    if (!a->docs) {
      // One line per product version: docs, files, chunks, pages.
      struct Row {
        std::string head;
        int docs = 0, files = 0;
        long long chunks = 0, pages = 0;
      };
      std::vector<Row> rows;
      for (const auto& d : *docs) {
        std::string head = fmt::format("{} {}", d.product, d.version);
        if (!d.product_name.empty()) head += fmt::format(" — {}", d.product_name);
        if (!d.vendor.empty()) head += fmt::format(" ({})", d.vendor);
        if (rows.empty() || rows.back().head != head) rows.push_back({head});
        Row& r = rows.back();
        ++r.docs;
        r.files += d.files;
        r.chunks += d.chunks;
        r.pages += d.pages;
      }
      for (const auto& r : rows) {
        std::printf("%s\n  %d doc%s · %s file%s · %s chunks%s\n", r.head.c_str(), r.docs, r.docs == 1 ? "" : "s",
                    thousands(r.files).c_str(), r.files == 1 ? "" : "s", thousands(r.chunks).c_str(),
                    r.pages ? fmt::format(" · {} pages", thousands(r.pages)).c_str() : "");
      }
      std::printf("\n(`mcdewey stats --docs` lists every doc)\n");
      return kExitOk;
    }
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
