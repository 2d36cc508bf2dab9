// Query parsing: what a user types -> filters, terms and phrases -> a safe FTS5 expression.
//
// Syntax, by example (each has a test in tests/unit/search):
//   bgp timer                    terms; any of them may match, more matches rank higher
//   "zone transfer"              a phrase: the words in this order
//   product:bind9 zone transfer  a filter; also vendor:, version:, doc:
//   vendor:"Internet Systems"    a quoted filter value
//   user.name  well-known  x509  punctuated tokens become phrases of their parts
//   How do I undo a commit?      natural language: stop words dropped, the rest ORed
// Anything else a user types (stray quotes, AND/OR/NOT/NEAR, '*', '^', ':', '(') is taken
// as text: the expression sent to FTS5 quotes every token, so it is never a syntax error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/search.h"

namespace mcdewey::search {

// At most this many distinct terms and phrases are searched; the rest of a longer query (a
// pasted log, say) is dropped, first ones kept. Each term costs a posting-list scan and a
// share of every candidate's ranking: 300 rare words took 0.7 s, 64 take under 0.1 s.
inline constexpr size_t kMaxQueryTerms = 64;
inline constexpr size_t kMaxQueryPhrases = 16;

struct ParsedQuery {
  model::SearchFilters filters;  // from `key:value` tokens
  std::vector<std::string> terms;                 // lower-case words, stop words removed
  std::vector<std::vector<std::string>> phrases;  // quoted phrases and punctuated tokens
  std::string text;  // the query as typed without its key:value filter tokens (for embedders)
  bool empty() const { return terms.empty() && phrases.empty(); }
};

ParsedQuery parse_query(std::string_view text);

// The filters a search applies: those of the request win over `key:value` typed in the query.
model::SearchFilters effective_filters(const model::SearchFilters& request, const ParsedQuery& q);

// The FTS5 MATCH expression: every term and phrase quoted, joined with OR.
// Empty when the query has no searchable words.
std::string to_fts5(const ParsedQuery& q);
// Each term and phrase of `q` as its own quoted FTS5 expression, in to_fts5()'s order.
std::vector<std::string> fts5_items(const ParsedQuery& q);

bool is_stop_word(std::string_view lower_word);
// is_stop_word() plus the prepositions, quantifiers and negations of the classic English stop
// list: the words term-level (meaning-based) matching ignores.
bool is_function_word(std::string_view lower_word);

// Splits text into lower-case word tokens the way FTS5's unicode61 tokenizer does for
// ASCII (letters and digits; everything else separates); non-ASCII bytes are kept in words.
std::vector<std::string> tokenize(std::string_view text);

}  // namespace mcdewey::search
