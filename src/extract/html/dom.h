// Small read-only helpers over gumbo's C tree.
#pragma once

#include <gumbo.h>

#include <cstring>
#include <string_view>

namespace mcdewey::extract::html {

inline bool is_element(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT; }

inline GumboTag tag_of(const GumboNode* n) {
  return (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) ? n->v.element.tag : GUMBO_TAG_UNKNOWN;
}

inline bool is_text_like(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA;
}

// Decoded text of a text, whitespace or CDATA node (entities already resolved by gumbo).
inline std::string_view text_of(const GumboNode* n) {
  const char* t = n->v.text.text;
  return t == nullptr ? std::string_view() : std::string_view(t, std::strlen(t));
}

// Children of an element, template or document node; nullptr for the other node types.
inline const GumboVector* children_of(const GumboNode* n) {
  switch (n->type) {
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: return &n->v.element.children;
    case GUMBO_NODE_DOCUMENT: return &n->v.document.children;
    default: return nullptr;
  }
}

inline const GumboNode* child_at(const GumboVector* v, unsigned i) { return static_cast<const GumboNode*>(v->data[i]); }

// Value of attribute `name` (lower case), or empty when it is absent.
inline std::string_view attribute(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT) return {};
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a == nullptr || a->value == nullptr ? std::string_view() : std::string_view(a->value, std::strlen(a->value));
}

inline bool has_attribute(const GumboNode* n, const char* name) {
  return n->type == GUMBO_NODE_ELEMENT && gumbo_get_attribute(&n->v.element.attributes, name) != nullptr;
}

inline int heading_level(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

inline bool is_preformatted(GumboTag t) {
  return t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING || t == GUMBO_TAG_XMP || t == GUMBO_TAG_PLAINTEXT;
}

inline bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace mcdewey::extract::html
