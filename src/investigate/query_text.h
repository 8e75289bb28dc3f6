// Query text for the investigation commands: user input (an address, a Message-ID, an
// attachment name with blanks or quotes) quoted and escaped so the query parser reads it as one
// literal value, never as operators. The commands build their queries as text in the language
// of docs/query.md and parse it (query/parser.h), so what they ask is what a person could type
// into `kiroku search`.
//
//   std::string q = "email.attachments.file.name:" + Quoted(name);   // "a \"b\".exe"
//   q += " OR user.name:" + Prefix("uid=" + user + ",");                // uid\=bob\,*
#pragma once

#include <string>
#include <string_view>

namespace kiroku::investigate {

// A phrase: `"..."` with `"` and `\` escaped. On a keyword field the whole value must equal it.
std::string Quoted(std::string_view value);

// A prefix test: every character that is not a letter or digit escaped, then `*`.
std::string Prefix(std::string_view value);

}  // namespace kiroku::investigate
