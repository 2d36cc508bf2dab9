#include "chunk/sentences.h"

#include <array>
#include <cctype>
#include <string>

namespace mcdewey::chunk {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

bool is_abbreviation(std::string_view text, size_t dot) {
  // The word ending at `dot` (inclusive).
  size_t b = dot;
  while (b > 0 && !is_space(text[b - 1])) --b;
  std::string word;
  for (size_t i = b; i <= dot; ++i) word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  static constexpr std::array<std::string_view, 22> kAbbrev = {
      "e.g.", "i.e.", "etc.", "vs.", "fig.", "no.", "cf.", "mr.", "mrs.", "dr.", "st.",  "approx.",
      "sec.", "ch.",  "vol.", "p.",  "pp.",  "ed.", "al.", "inc.", "ltd.", "resp."};
  for (auto a : kAbbrev) {
    if (word == a || (word.size() > a.size() && word.substr(word.size() - a.size()) == a &&
                      !std::isalnum(static_cast<unsigned char>(word[word.size() - a.size() - 1])))) {
      return true;
    }
  }
  // A single capital letter and a dot: an initial ("J. Smith").
  return word.size() == 2 && std::isalpha(static_cast<unsigned char>(word[0]));
}

}  // namespace

std::vector<size_t> sentence_starts(std::string_view text) {
  std::vector<size_t> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    size_t j = i + 1;
    while (j < text.size() && (text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == ']')) ++j;
    if (j >= text.size() || !is_space(text[j])) continue;  // "3.11", "a.b" are not boundaries
    size_t k = j;
    while (k < text.size() && is_space(text[k])) ++k;
    if (k >= text.size()) break;
    unsigned char n = static_cast<unsigned char>(text[k]);
    bool starts_sentence = std::isupper(n) || std::isdigit(n) || n == '"' || n == '(' || n == '[' || n == '`' ||
                           n >= 0x80;  // non-ASCII letters: accept, better than a 2,000-word chunk
    if (!starts_sentence) continue;
    if (c == '.' && is_abbreviation(text, i)) continue;
    out.push_back(k);
    i = k - 1;
  }
  return out;
}

std::vector<size_t> word_starts(std::string_view text) {
  std::vector<size_t> out;
  for (size_t i = 1; i < text.size(); ++i) {
    if (!is_space(text[i]) && is_space(text[i - 1])) out.push_back(i);
  }
  return out;
}

}  // namespace mcdewey::chunk
