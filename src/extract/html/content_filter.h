// Which parts of an HTML page are its content.
//
// One pass over the gumbo tree decides, before anything is rendered:
//  * the subtree to render: <main> or role="main", else the only <article>, else Sphinx's
//    div.body, else div.document, else <body>;
//  * the elements to leave out with their subtrees. By tag: script, style, template, svg,
//    iframe, embedded media, form controls, nav, footer; <aside> outside the main content;
//    <header>/<form> unless they hold a heading (AsciiDoc puts the page's <h1> in div#header,
//    ASP.NET wraps whole pages in a form). By ARIA role: navigation, banner, contentinfo,
//    search, complementary, menu, menubar, dialog. By hidden / aria-hidden="true". Links to
//    javascript: URLs and click-handler toggles with next to no text. By class or id words
//    (split on - and _, whole words only): sidebar, related, nav, navbar, menu,
//    breadcrumb(s), footer, cookie, logo, headerlink, ...; "header" only without a heading
//    inside, "toc" only when most of its text is links. Word rules never apply to <section>,
//    <article>, <main> or headings, whose ids docutils derives from titles
//    ("Related modules" -> id="related-modules").
// Subtree statistics needed for the conditional rules (text inside links, headings, nested
// tables) are gathered in the same pass, so the decision costs O(nodes) however deep the tree.
#pragma once

#include <gumbo.h>

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mcdewey::extract::html {

struct TableShape {
  bool nested_table = false;  // a <table> somewhere inside: a layout table
  bool has_pre = false;       // preformatted text inside: would not survive a pipe-table cell
};

class ContentFilter {
 public:
  explicit ContentFilter(const GumboNode* document);

  // The subtree to render (never null when the document has a <body>).
  const GumboNode* main() const { return main_; }
  // <body>, the fallback when main() turns out to hold no text.
  const GumboNode* body() const { return body_; }
  // True if `element` and everything below it are boilerplate.
  bool is_dropped(const GumboNode* element) const;
  TableShape table_shape(const GumboNode* table) const;
  // The <title> text, whitespace collapsed; empty when there is none.
  const std::string& head_title() const { return title_; }

 private:
  const GumboNode* main_ = nullptr;
  const GumboNode* body_ = nullptr;
  std::string title_;
  std::unordered_set<const GumboNode*> dropped_;
  std::unordered_map<const GumboNode*, TableShape> tables_;
};

// Tags whose elements are never content, whatever their attributes.
bool is_dropped_tag(GumboTag tag);

}  // namespace mcdewey::extract::html
