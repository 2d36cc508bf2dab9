// Small string helpers used across modules. All byte-oriented (UTF-8 passes through).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mcdewey::str {

// A map keyed by std::string that string_views can look up without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string replace_all(std::string s, std::string_view from, std::string_view to);
// Collapses runs of ASCII whitespace into one space and trims.
std::string collapse_spaces(std::string_view s);
// Number of whitespace-separated words.
size_t count_words(std::string_view s);
// Plain text of one line of inline Markdown: HTML tags dropped, [text](url) -> text,
// emphasis and code markers removed, spaces collapsed. For headings and titles.
std::string inline_markdown_to_text(std::string_view s);
// Escapes a string for a JSON string literal body (no surrounding quotes).
std::string json_escape(std::string_view s);

}  // namespace mcdewey::str
