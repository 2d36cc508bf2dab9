#include "extract/html/content_filter.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "extract/html/dom.h"

namespace mcdewey::extract::html {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view word) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Class/id words that mark navigation and page furniture wherever they appear. Whole words
// only: "sidebarblock" is AsciiDoc's boxed aside (content), "nocookie-udp-size" a BIND option.
constexpr std::array<std::string_view, 31> kBoilerplateWords = {
    "sidebar",     "sphinxsidebar", "sphinxsidebarwrapper", "rightsidebar", "leftsidebar", "related",
    "nav",         "navbar",        "navigation",           "navrow",       "navpath",     "topnav",
    "sidenav",     "menu",          "mainmenu",             "submenu",      "menubar",     "breadcrumb",
    "breadcrumbs", "footer",        "cookie",               "cookies",      "consent",     "headerlink",
    "skiplink",    "skipnav",       "searchbox",            "tagline",      "logo",        "srstatus",
    "backtotop"};
// SQLite's site repeats its link boxes for small screens; the desktop copy is kept.
constexpr std::string_view kMobileDuplicate = "mobileonly";

// ARIA landmarks and widgets that are never the content.
constexpr std::array<std::string_view, 9> kBoilerplateRoles = {
    "navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "dialog", "alertdialog"};

// Bytes of text a click-handler toggle may carry: one symbol (UTF-8) or "[+]".
constexpr size_t kTinyText = 4;

enum RuleFlags : unsigned {
  kRuleNone = 0,
  kRuleDrop = 1,
  kRuleDropUnlessHeading = 2,
  kRuleDropIfLinkDense = 4,
  kRuleDropIfTiny = 8,
};

// Class and id words, lower-cased, split on '-' and '_', trailing digits removed
// ("navrow1" -> "navrow", "wy-nav-side" -> "wy", "nav", "side").
template <typename F>
void for_each_word(std::string_view value, F&& f) {
  std::string word;
  auto emit = [&] {
    while (!word.empty() && word.back() >= '0' && word.back() <= '9') word.pop_back();
    if (!word.empty()) f(std::string_view(word));
    word.clear();
  };
  for (char c : value) {
    if (is_html_space(c) || c == '-' || c == '_') {
      emit();
    } else {
      word += lower(c);
    }
  }
  emit();
}

bool has_class_token(const GumboNode* el, std::string_view token) {
  std::string_view cls = attribute(el, "class");
  size_t i = 0;
  while (i < cls.size()) {
    while (i < cls.size() && is_html_space(cls[i])) ++i;
    size_t j = i;
    while (j < cls.size() && !is_html_space(cls[j])) ++j;
    if (j > i && iequals(cls.substr(i, j - i), token)) return true;
    i = j;
  }
  return false;
}

bool word_rules_apply(const GumboNode* el) {
  switch (tag_of(el)) {
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ASIDE:  // decided by where it is (see the constructor), not by its class
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: return false;
    default: return !has_class_token(el, "section");  // docutils < 0.17 wrote <div class="section" id="...">
  }
}

bool is_javascript_url(std::string_view href) {
  size_t i = 0;
  while (i < href.size() && static_cast<unsigned char>(href[i]) <= ' ') ++i;
  return href.size() - i >= 11 && iequals(href.substr(i, 11), "javascript:");
}

unsigned attribute_rules(const GumboNode* el) {
  const GumboVector& attrs = el->v.element.attributes;
  const GumboTag tag = tag_of(el);
  unsigned rules = kRuleNone;
  if (tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FORM) rules |= kRuleDropUnlessHeading;
  if (attrs.length == 0) return rules;
  if (has_attribute(el, "hidden") || iequals(attribute(el, "aria-hidden"), "true")) return kRuleDrop;
  // A javascript: link is a UI control (menu toggles, "hide"/"show"), not text.
  if (tag == GUMBO_TAG_A && is_javascript_url(attribute(el, "href"))) return kRuleDrop;
  // An inline element with a click handler and next to no text is a toggle (Doxygen's "▼"
  // folder arrows, "[+]" expanders), not prose.
  if ((tag == GUMBO_TAG_SPAN || tag == GUMBO_TAG_A || tag == GUMBO_TAG_I || tag == GUMBO_TAG_IMG) &&
      has_attribute(el, "onclick")) {
    rules |= kRuleDropIfTiny;
  }
  std::string_view role = attribute(el, "role");
  if (!role.empty()) {
    std::string r;
    for (char c : role) r += lower(c);
    if (contains(kBoilerplateRoles, std::string_view(r))) return kRuleDrop;
  }
  if (!word_rules_apply(el)) return rules;
  auto check = [&](std::string_view w) {
    if (contains(kBoilerplateWords, w) || w == kMobileDuplicate) {
      rules |= kRuleDrop;
    } else if (w == "header") {
      rules |= kRuleDropUnlessHeading;
    } else if (w == "toc" && tag != GUMBO_TAG_A && tag != GUMBO_TAG_SPAN) {
      // A table of contents is a box of links. Not a single link: docutils wraps section
      // titles in <a class="toc-backref">.
      rules |= kRuleDropIfLinkDense;
    } else if (w == "skip") {  // "skip-link", "skip-to-content"
      rules |= tag == GUMBO_TAG_A ? kRuleDrop : kRuleDropIfLinkDense;
    }
  };
  for_each_word(attribute(el, "class"), check);
  for_each_word(attribute(el, "id"), check);
  return rules;
}

// Subtree figures for the conditional rules. Text is counted in non-space bytes. The raw_*
// figures include dropped descendants: a "toc" box stays a table of contents after its inner
// link list has been dropped, leaving only its "Table of Contents" caption as visible text.
struct Stats {
  size_t raw_text = 0;
  size_t raw_link_text = 0;
  bool heading = false;  // visible headings only: one inside a dropped <nav> does not count
  bool table = false;
  bool pre = false;

  void add(const Stats& o, bool visible) {
    raw_text += o.raw_text;
    raw_link_text += o.raw_link_text;
    if (!visible) return;
    heading = heading || o.heading;
    table = table || o.table;
    pre = pre || o.pre;
  }
};

size_t non_space_bytes(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += is_html_space(c) ? 0 : 1;
  return n;
}

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (is_html_space(c)) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

}  // namespace

bool is_dropped_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_METER:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER: return true;
    default: return false;
  }
}

ContentFilter::ContentFilter(const GumboNode* document) {
  struct Frame {
    const GumboNode* node;
    unsigned next = 0;
    unsigned rules = kRuleNone;
    Stats stats;
  };
  // Best main-content candidate per priority (0 = <main>/role=main ... 3 = div.document).
  std::array<const GumboNode*, 4> candidates{};
  int articles = 0;
  std::vector<const GumboNode*> asides;

  std::vector<Frame> stack;
  stack.push_back(Frame{document, 0, kRuleNone, Stats{}});
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* kids = children_of(top.node);
    if (kids != nullptr && top.next < kids->length) {
      const GumboNode* child = child_at(kids, top.next++);
      if (is_text_like(child)) {
        top.stats.raw_text += non_space_bytes(text_of(child));
        continue;
      }
      if (!is_element(child)) continue;  // comments; templates are dropped by tag
      const GumboTag tag = tag_of(child);
      if (tag == GUMBO_TAG_TITLE) {
        if (title_.empty()) {
          const GumboVector* t = children_of(child);
          for (unsigned i = 0; i < t->length; ++i) {
            if (is_text_like(child_at(t, i))) title_ += text_of(child_at(t, i));
          }
          title_ = collapse(title_);
        }
        continue;
      }
      if (tag == GUMBO_TAG_BODY && body_ == nullptr) body_ = child;
      // <head> is walked only for its <title>; every other dropped tag is skipped whole.
      if (is_dropped_tag(tag) && tag != GUMBO_TAG_HEAD) continue;
      if (tag == GUMBO_TAG_ASIDE) asides.push_back(child);
      if (tag == GUMBO_TAG_MAIN || iequals(attribute(child, "role"), "main")) {
        if (candidates[0] == nullptr) candidates[0] = child;
      } else if (tag == GUMBO_TAG_ARTICLE) {
        if (++articles == 1) candidates[1] = child;
      } else if (tag == GUMBO_TAG_DIV) {
        if (candidates[2] == nullptr && has_class_token(child, "body")) candidates[2] = child;
        if (candidates[3] == nullptr && has_class_token(child, "document")) candidates[3] = child;
      }
      const unsigned rules = attribute_rules(child);
      // Dropped subtrees are still walked (a role=main may sit inside a "wy-nav-content"
      // wrapper), but their figures do not count towards their parents.
      stack.push_back(Frame{child, 0, rules, Stats{}});
      continue;
    }

    // Post-order: every child is done.
    Frame done = std::move(stack.back());
    stack.pop_back();
    if (stack.empty()) break;
    const GumboNode* el = done.node;
    const GumboTag tag = tag_of(el);
    if (heading_level(tag) > 0) done.stats.heading = true;
    if (tag == GUMBO_TAG_A) done.stats.raw_link_text = done.stats.raw_text;
    if (is_preformatted(tag)) done.stats.pre = true;
    if (tag == GUMBO_TAG_TABLE) {
      tables_[el] = TableShape{done.stats.table, done.stats.pre};
      done.stats.table = true;
    }
    bool drop = (done.rules & kRuleDrop) != 0;
    if ((done.rules & kRuleDropUnlessHeading) != 0 && !done.stats.heading) drop = true;
    if ((done.rules & kRuleDropIfLinkDense) != 0 && done.stats.raw_link_text * 2 > done.stats.raw_text) drop = true;
    if ((done.rules & kRuleDropIfTiny) != 0 && done.stats.raw_text <= kTinyText) drop = true;
    if (drop) dropped_.insert(el);
    if (tag != GUMBO_TAG_HEAD) stack.back().stats.add(done.stats, !drop);
  }

  if (articles > 1) candidates[1] = nullptr;  // a list of articles: none of them is "the" content
  main_ = body_;
  for (const GumboNode* c : candidates) {
    if (c != nullptr) {
      main_ = c;
      break;
    }
  }
  // An <aside> in the page is a sidebar; inside the main content it is part of the text
  // (docutils' "sidebar" directive: "This page contains only reference information...").
  for (const GumboNode* aside : asides) {
    bool inside_main = false;
    if (main_ != body_) {
      for (const GumboNode* up = aside->parent; up != nullptr && !inside_main; up = up->parent) inside_main = up == main_;
    }
    if (!inside_main) dropped_.insert(aside);
  }
}

bool ContentFilter::is_dropped(const GumboNode* el) const {
  if (!is_element(el)) return false;
  const GumboTag tag = tag_of(el);
  if (is_dropped_tag(tag)) return true;
  if (dropped_.empty()) return false;
  if (el->v.element.attributes.length == 0 && tag != GUMBO_TAG_HEADER && tag != GUMBO_TAG_FORM &&
      tag != GUMBO_TAG_ASIDE) {
    return false;
  }
  return dropped_.count(el) > 0;
}

TableShape ContentFilter::table_shape(const GumboNode* table) const {
  auto it = tables_.find(table);
  return it == tables_.end() ? TableShape{} : it->second;
}

}  // namespace mcdewey::extract::html
