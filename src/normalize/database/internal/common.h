// Helpers the database and file-server normalisers share: the fields every database record
// carries, kebab-case actions from a product's own words, and digit checks.
//
//   AddDatabaseBase(out, "postgresql", "postgresql", "postgresql");
//   AddKebab(out, Field::kEventAction, "Init DB");   // "init-db"
#pragma once

#include <string_view>

#include "normalize/event.h"

namespace kiroku::normalize::internal {

// kiroku.normalizer, observer.type database, observer.vendor/product, event.category database.
void AddDatabaseBase(Event* out, std::string_view normalizer, std::string_view vendor,
                     std::string_view product);

// `value` in ASCII lower case with blanks and '_' as '-'; not added when longer than 63 bytes.
bool AddKebab(Event* out, Field f, std::string_view value);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `s` matches `shape`, where 'd' is any digit and every other byte must be itself.
bool MatchesShape(std::string_view s, std::string_view shape);

// "10.0.0.5:51514" (IPv4 and port, as MariaDB 12's audit log writes the host) or an address.
// Adds source.ip and source.port; false when it is neither (a host name).
bool AddSourceAddress(Event* out, std::string_view host);

}  // namespace kiroku::normalize::internal
