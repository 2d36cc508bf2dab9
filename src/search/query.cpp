#include "search/query.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/strings.h"

namespace mcdewey::search {

namespace {

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// A small English stop list: function words that carry no topic. Words with technical
// meaning in manuals ("not", "no", "on", "off", "all", "any", "up", "down") are kept.
constexpr std::string_view kStopWords[] = {
    "a",     "about", "am",    "an",    "and",   "are",  "as",    "at",    "be",    "been",  "being",
    "but",   "by",    "can",   "could", "did",   "do",   "does",  "doing", "for",   "from",  "had",
    "has",   "have",  "having", "he",   "her",   "here", "him",   "his",   "how",   "i",     "if",
    "in",    "into",  "is",    "it",    "its",   "itself", "just", "me",   "might", "more",  "most",
    "must",  "my",    "of",    "or",    "our",   "ours", "shall", "she",   "should", "so",   "some",
    "such",  "than",  "that",  "the",   "their", "them", "then",  "there", "these", "they",  "this",
    "those", "to",    "too",   "very",  "was",   "we",   "were",  "what",  "when",  "where", "which",
    "while", "who",   "whom",  "why",   "will",  "with", "would", "you",   "your",  "yours", "s",
    "t",     "also",  "get"};

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

}  // namespace

bool is_stop_word(std::string_view w) {
  return std::find(std::begin(kStopWords), std::end(kStopWords), w) != std::end(kStopWords);
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (is_word_byte(c)) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

ParsedQuery parse_query(std::string_view text) {
  ParsedQuery q;
  std::vector<std::string> stopped;  // stop words, kept in case nothing else remains
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  auto read_quoted = [&]() {  // at '"': reads to the closing quote (or the end)
    size_t close = text.find('"', i + 1);
    std::string_view inner = text.substr(i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1);
    i = close == std::string_view::npos ? text.size() : close + 1;
    return inner;
  };
  while (true) {
    skip_space();
    if (i >= text.size()) break;
    if (text[i] == '"') {
      auto words = tokenize(read_quoted());
      if (words.size() == 1) {
        add_unique(q.terms, words[0]);  // "x" is just x, stop word or not
      } else if (!words.empty()) {
        q.phrases.push_back(std::move(words));
      }
      continue;
    }
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '"') ++i;
    std::string_view token = text.substr(start, i - start);
    // key:value filters (only these four keys; "http://x" or "user.name:" stay text).
    size_t colon = token.find(':');
    if (colon != std::string_view::npos) {
      std::string key = str::to_lower_ascii(token.substr(0, colon));
      std::string* slot = key == "vendor"    ? &q.filters.vendor
                          : key == "product" ? &q.filters.product
                          : key == "version" ? &q.filters.version
                          : key == "doc"     ? &q.filters.doc
                                             : nullptr;
      if (slot) {
        std::string_view value = token.substr(colon + 1);
        if (value.empty() && i < text.size() && text[i] == '"') value = read_quoted();
        if (!value.empty()) {
          *slot = std::string(str::trim(value));
          continue;
        }
      }
    }
    // A token like user.name, well-known or x509v3 with inner punctuation is a phrase.
    auto words = tokenize(token);
    if (words.size() > 1) {
      q.phrases.push_back(std::move(words));
    } else if (words.size() == 1) {
      if (is_stop_word(words[0])) {
        add_unique(stopped, words[0]);
      } else {
        add_unique(q.terms, words[0]);
      }
    }
  }
  if (q.empty()) q.terms = stopped;  // "to be or not to be" still searches for something
  return q;
}

std::string to_fts5(const ParsedQuery& q) {
  std::string out;
  auto quote = [](const std::string& w) {
    std::string q;
    q.reserve(w.size() + 2);
    q += '"';
    q += str::replace_all(w, "\"", "\"\"");
    q += '"';
    return q;
  };
  for (const auto& t : q.terms) {
    if (!out.empty()) out += " OR ";
    out += quote(t);
  }
  for (const auto& p : q.phrases) {
    if (!out.empty()) out += " OR ";
    out += quote(str::join(p, " "));
  }
  return out;
}

}  // namespace mcdewey::search
