// Search filters as SQL (internal to the store module): one builder for every query that
// filters chunks (FTS matches, the vector filter), so they always agree.
#pragma once

#include <string>
#include <vector>

#include "model/search.h"

namespace mcdewey::store {

// " AND ..." clauses over `documents d` and `products p`, with their bound values in order.
struct FilterSql {
  std::string where;
  std::vector<std::string> args;
};

// Vendor: whole words of the name, case-insensitive, with "(", ")" and "," as blanks on both
// sides ("isc" finds "Internet Systems Consortium (ISC)" but not "Cisco", and the full name as
// the library lists it finds itself). Product, version and doc: exact slugs.
FilterSql filter_sql(const model::SearchFilters& f);

}  // namespace mcdewey::store
