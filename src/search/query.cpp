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

// True when `token` is a word with an apostrophe (ASCII ' or U+2019) as its only inner
// punctuation; `words` then holds its parts split there.
bool apostrophe_split(std::string_view token, std::vector<std::string>* words) {
  std::string t(token);
  t = str::replace_all(t, "\xE2\x80\x99", "'");
  std::string cleaned;
  for (char c : t) {
    if (c == '\'' || is_word_byte(static_cast<unsigned char>(c))) cleaned += c;
  }
  if (cleaned.find('\'') == std::string::npos) return false;
  // Only letters/digits and apostrophes inside: split on the apostrophes.
  std::string inner = std::string(str::trim(cleaned));
  std::vector<std::string> parts;
  std::string cur;
  for (char c : inner) {
    if (c == '\'') {
      if (!cur.empty()) parts.push_back(str::to_lower_ascii(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(str::to_lower_ascii(cur));
  if (parts.size() < 2) return false;
  for (const auto& w : *words) {
    if (std::find(parts.begin(), parts.end(), w) == parts.end()) return false;
  }
  *words = std::move(parts);
  return true;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

}  // namespace

bool is_stop_word(std::string_view w) {
  return std::find(std::begin(kStopWords), std::end(kStopWords), w) != std::end(kStopWords);
}

bool is_function_word(std::string_view w) {
  // The rest of the classic English stop list (the one NLTK and most IR systems ship):
  // prepositions, quantifiers and negations. They matter to exact matching ("on", "not"),
  // but their word vectors sit close to everything, so they blur meaning-based matching.
  static constexpr std::string_view kMore[] = {
      "above", "after", "again", "against", "all", "any", "because", "before", "below", "between",
      "both", "down", "during", "each", "few", "further", "hers", "no", "nor", "not", "now", "off",
      "on", "once", "only", "other", "out", "over", "own", "same", "through", "under", "until", "up"};
  return is_stop_word(w) || std::find(std::begin(kMore), std::end(kMore), w) != std::end(kMore);
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // Typographic quotes and apostrophes (U+2018/2019/201C/201D) separate words, as in FTS5.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const unsigned char d = static_cast<unsigned char>(text[i + 2]);
      if (d == 0x98 || d == 0x99 || d == 0x9C || d == 0x9D) {
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
        i += 2;
        continue;
      }
    }
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
  std::vector<std::pair<size_t, size_t>> filter_spans;  // [begin, end) of each key:value token
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
          filter_spans.emplace_back(start, i);
          continue;
        }
      }
    }
    // A token like user.name, well-known or x509v3 with inner punctuation is a phrase.
    auto words = tokenize(token);
    if (words.size() > 1 && apostrophe_split(token, &words)) {
      // "what’s", "don't": the parts are plain words (mostly stop words), not a phrase.
      for (auto& w : words) {
        if (is_stop_word(w)) add_unique(stopped, w); else add_unique(q.terms, w);
      }
    } else if (words.size() > 1) {
      // Each part is a term too: "user.name" also matches text that says "user name" or
      // only "name"; the phrase ranks the exact form first.
      for (const auto& w : words) {
        if (!is_stop_word(w)) add_unique(q.terms, w);
      }
      q.phrases.push_back(std::move(words));
    } else if (words.size() == 1) {
      if (is_stop_word(words[0])) {
        add_unique(stopped, words[0]);
      } else {
        add_unique(q.terms, words[0]);
      }
    }
  }
  size_t from = 0;
  for (const auto& [b, e] : filter_spans) {
    q.text.append(text.substr(from, b - from));
    from = e;
  }
  q.text.append(text.substr(from));
  if (q.empty()) q.terms = stopped;  // "to be or not to be" still searches for something
  if (q.terms.size() > kMaxQueryTerms) q.terms.resize(kMaxQueryTerms);
  if (q.phrases.size() > kMaxQueryPhrases) q.phrases.resize(kMaxQueryPhrases);
  return q;
}

model::SearchFilters effective_filters(const model::SearchFilters& request, const ParsedQuery& q) {
  model::SearchFilters f = q.filters;
  auto pick = [](std::string& slot, const std::string& from_request) {
    if (!from_request.empty()) slot = from_request;
  };
  pick(f.vendor, request.vendor);
  pick(f.product, request.product);
  pick(f.version, request.version);
  pick(f.doc, request.doc);
  return f;
}

std::vector<std::string> fts5_items(const ParsedQuery& q) {
  auto quote = [](const std::string& w) { return '"' + str::replace_all(w, "\"", "\"\"") + '"'; };
  std::vector<std::string> out;
  for (const auto& t : q.terms) out.push_back(quote(t));
  for (const auto& p : q.phrases) out.push_back(quote(str::join(p, " ")));
  return out;
}

std::string to_fts5(const ParsedQuery& q) { return str::join(fts5_items(q), " OR "); }

}  // namespace mcdewey::search
