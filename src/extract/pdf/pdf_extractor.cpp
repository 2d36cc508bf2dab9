// PDF -> Document with poppler-cpp. This file is the poppler adapter only: it opens the
// document, reads each page's words (text, box, font) and the outline, and hands plain
// structs to pdf_layout.cpp, which does all of the layout analysis.
//
// Threads: extract_pdf may run on several threads at once, one document each. poppler's
// global parameters are reference-counted under a mutex by poppler itself
// (GlobalParamsIniter), and each call here owns its poppler::document. The one piece of
// process-wide state is poppler-cpp's error callback: it is installed once (std::call_once)
// and forwards to a thread_local collector, so messages land in the Document of the thread
// that caused them.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-toc.h>

#include <climits>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_map>

#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/normalize.h"
#include "extract/pdf/pdf_layout.h"

namespace mcdewey::extract {

namespace {

// poppler-cpp strings are UTF-16 code units; ustring::to_utf8() goes through iconv_open
// on every call, which costs more than the rest of the extraction for a word list.
std::string to_utf8(const poppler::ustring& u) {
  std::string out;
  out.reserve(u.size());
  for (size_t i = 0; i < u.size(); ++i) {
    char32_t c = u[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < u.size() && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;  // unpaired surrogate
    }
    utf8::append(out, c);
  }
  return out;
}

// Collects poppler's error messages for the current thread's document.
struct ErrorLog {
  int count = 0;
  std::string first;
};
thread_local ErrorLog* t_error_log = nullptr;

void on_poppler_error(const std::string& message, void* /*closure*/) {
  ErrorLog* log = t_error_log;
  if (log == nullptr) return;
  if (log->count++ == 0) log->first = message;
}

// Installs the callback once for the process (poppler's default prints to stderr, which
// a corrupt upload would flood) and points it at `log` for this thread while alive.
class ScopedErrorLog {
 public:
  explicit ScopedErrorLog(ErrorLog* log) : previous_(t_error_log) {
    static std::once_flag installed;
    std::call_once(installed, [] { poppler::set_debug_error_function(&on_poppler_error, nullptr); });
    t_error_log = log;
  }
  ~ScopedErrorLog() { t_error_log = previous_; }
  ScopedErrorLog(const ScopedErrorLog&) = delete;
  ScopedErrorLog& operator=(const ScopedErrorLog&) = delete;

 private:
  ErrorLog* previous_;
};

struct FontStyle {
  bool bold = false;
  bool mono = false;
};

// Bold and monospace from the font name ("ABCDEF+TeXGyreHeros-Bold", "t1xtt-Slant",
// "CMTT10", "NimbusMonL-Regu", "NimbusRomNo9L-Medi"); cached per document because a
// page has few fonts and many words.
class FontClassifier {
 public:
  FontStyle classify(const std::string& name) {
    auto it = cache_.find(name);
    if (it != cache_.end()) return it->second;
    FontStyle style;
    std::string n = str::to_lower_ascii(name.substr(name.find('+') == std::string::npos ? 0 : name.find('+') + 1));
    for (const char* k : {"bold", "black", "heavy", "demi", "semibd", "medi", "cmbx", "cmssbx", "bx10", "bx12"}) {
      if (n.find(k) != std::string::npos) style.bold = true;
    }
    for (const char* k : {"mono", "courier", "typewriter", "consol", "menlo", "monaco", "inconsolata",
                          "lettergothic", "nimbusmon", "sourcecode", "firacode", "fixed", "cmtt", "lmtt"}) {
      if (n.find(k) != std::string::npos) style.mono = true;
    }
    // TeX typewriter fonts: "txtt", "t1xtt-slant", "pcrr8t"-style "tt" + digit/end/separator.
    for (size_t at = n.find("tt"); at != std::string::npos; at = n.find("tt", at + 1)) {
      const char next = at + 2 < n.size() ? n[at + 2] : '\0';
      if (next == '\0' || next == '-' || next == '_' || next == ',' || (next >= '0' && next <= '9')) style.mono = true;
    }
    cache_.emplace(name, style);
    return style;
  }

 private:
  std::unordered_map<std::string, FontStyle> cache_;
};

void flatten_outline(const poppler::toc_item* item, int depth, std::vector<pdf::OutlineEntry>& out) {
  if (item == nullptr || depth > 32 || out.size() > 100000) return;  // guard against cyclic outlines
  for (const poppler::toc_item* child : item->children()) {
    out.push_back({to_utf8(child->title()), depth});
    flatten_outline(child, depth + 1, out);
  }
}

bool is_sensible_title(std::string_view t) {
  if (t.empty() || t.size() > 300) return false;
  bool letter = false;
  for (char c : t) letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
  if (!letter) return false;
  const std::string lower = str::to_lower_ascii(t);
  for (std::string_view junk : {"untitled", "title", "document", "no title", "unknown", "microsoft word"}) {
    if (lower == junk) return false;
  }
  for (std::string_view ext : {".pdf", ".doc", ".docx", ".dvi", ".tex", ".indd", ".fm", ".rtf", ".odt", ".ps", ".html"}) {
    if (str::ends_with(lower, ext)) return false;
  }
  return true;
}

std::string clean_title(std::string raw) {
  std::string t = str::collapse_spaces(normalize_text(utf8::sanitize(raw)));
  for (std::string_view prefix : {"Microsoft Word - ", "Microsoft PowerPoint - "}) {
    if (str::starts_with(t, prefix)) t.erase(0, prefix.size());
  }
  return t;
}

Result<model::Document> extract_pdf_unguarded(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return unsupported("PDF larger than 2 GiB");
  ErrorLog errors;
  ScopedErrorLog scoped(&errors);

  // load_from_raw_data reads `bytes` in place (no copy); `doc` dies before we return.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return corrupt("corrupt PDF: poppler could not open it");
  if (doc->is_locked()) return unsupported("encrypted PDF (password protected)");
  const int page_count = doc->pages();
  if (page_count <= 0) return corrupt("corrupt PDF: no pages");

  model::Document out;
  out.format = model::Format::kPdf;
  out.page_count = page_count;

  std::vector<pdf::OutlineEntry> outline;
  if (std::unique_ptr<poppler::toc> toc(doc->create_toc()); toc) flatten_outline(toc->root(), 0, outline);

  FontClassifier fonts;
  std::vector<pdf::PageLines> pages;
  pages.reserve(static_cast<size_t>(page_count));
  int missing_pages = 0;
  for (int i = 0; i < page_count; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    pdf::PageWords words;
    if (!page) {
      ++missing_pages;
      pages.push_back(pdf::build_page_lines(words));
      continue;
    }
    words.label = to_utf8(page->label());
    std::vector<poppler::text_box> boxes = page->text_list(poppler::page::text_list_include_font);
    words.words.reserve(boxes.size());
    for (const poppler::text_box& box : boxes) {
      pdf::Word w;
      w.text = to_utf8(box.text());
      const poppler::rectf r = box.bbox();
      w.x0 = r.left();
      w.y0 = r.top();
      w.x1 = r.right();
      w.y1 = r.bottom();
      w.space_after = box.has_space_after();
      w.rotated = box.rotation() != 0;
      if (box.has_font_info()) {
        w.font_size = box.get_font_size();
        const FontStyle style = fonts.classify(box.get_font_name(0));
        w.bold = style.bold;
        w.mono = style.mono;
      }
      if (!(w.font_size > 0)) w.font_size = std::max(1.0, r.height());  // no font info: the box height is close
      words.words.push_back(std::move(w));
    }
    pages.push_back(pdf::build_page_lines(words));
  }

  pdf::Rendered rendered = pdf::render_markdown(pages, outline);
  if (rendered.text_chars == 0) return unsupported("no text layer (scanned PDF?)");
  out.markdown = std::move(rendered.markdown);
  if (!out.markdown.empty() && out.markdown.back() != '\n') out.markdown += '\n';

  std::string title = clean_title(to_utf8(doc->info_key("Title")));
  if (!is_sensible_title(title)) title = rendered.first_heading;
  if (title.empty()) title = rendered.first_line;
  out.title = std::string(utf8::truncate(title, 300));

  if (missing_pages > 0) out.warnings.push_back(fmt::format("{} page(s) could not be read", missing_pages));
  if (errors.count > 0) {
    out.warnings.push_back(fmt::format("poppler reported {} error(s), first: {}", errors.count,
                                       std::string(utf8::truncate(utf8::sanitize(errors.first), 200))));
  }
  return out;
}

}  // namespace

Result<model::Document> extract_pdf(std::string_view bytes) {
  // Exceptions stop here (STYLE.md §2.8): poppler itself reports errors by return value,
  // but allocation failures and our own containers can still throw.
  try {
    return extract_pdf_unguarded(bytes);
  } catch (const std::bad_alloc&) {
    return internal_error("out of memory while reading the PDF");
  } catch (const std::exception& e) {
    return internal_error(fmt::format("PDF extraction failed: {}", e.what()));
  } catch (...) {
    return internal_error("PDF extraction failed: unknown exception");
  }
}

}  // namespace mcdewey::extract
