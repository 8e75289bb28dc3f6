#include "query/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "query/text_match.h"

namespace kiroku::query {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  Tokenizer t(text);
  for (std::string_view tok; t.Next(&tok);) out.emplace_back(tok);
  return out;
}

TEST(TokenizerTest, KeepsAddressesHostsAndMailWhole) {
  EXPECT_THAT(
      Tokens("Failed password for root from 10.1.2.3 port 22 ssh2"),
      ElementsAre("Failed", "password", "for", "root", "from", "10.1.2.3", "port", "22", "ssh2"));
  EXPECT_THAT(
      Tokens("to=<alice@example.com>, relay=mx1.example.com[192.0.2.25]:25"),
      ElementsAre("to", "alice@example.com", "relay", "mx1.example.com", "192.0.2.25", "25"));
  EXPECT_THAT(Tokens("src=2001:db8::1 dst=fe80::1%eth0"),
              ElementsAre("src", "2001:db8::1", "dst", "fe80::1", "eth0"));
  EXPECT_THAT(Tokens("%SEC-6-IPACCESSLOGP: list 101 denied"),
              ElementsAre("SEC-6-IPACCESSLOGP", "list", "101", "denied"));
  EXPECT_THAT(Tokens("pam_unix(sshd:session): session opened"),
              ElementsAre("pam_unix", "sshd:session", "session", "opened"));
}

TEST(TokenizerTest, StripsJoinersAtTheEdges) {
  EXPECT_THAT(Tokens("Connection closed."), ElementsAre("Connection", "closed"));
  EXPECT_THAT(Tokens("-v --verbose ::1 a..b."), ElementsAre("v", "verbose", "1", "a..b"));
  EXPECT_THAT(Tokens("... --- :: @"), IsEmpty());
  EXPECT_THAT(Tokens(""), IsEmpty());
}

TEST(TokenizerTest, NonAsciiBytesAreWordBytes) {
  EXPECT_THAT(Tokens("ログイン失敗 user=太郎"), ElementsAre("ログイン失敗", "user", "太郎"));
  EXPECT_THAT(Tokens(std::string("a\0b\xff", 4)), ElementsAre("a", "b\xff"));
}

TEST(TokenizerTest, TokenizeFoldedLowersAsciiOnly) {
  EXPECT_THAT(TokenizeFolded("Web01.EXAMPLE.com ÄB"), ElementsAre("web01.example.com", "Äb"));
}

bool Text(std::string_view text, std::string_view query) {
  return MatchesText(text, TextPattern{TokenizeFolded(query), false});
}

TEST(TextMatchTest, WordMatchesWholeTokenOrRunOfParts) {
  const char* msg = "Accepted publickey for alice@example.com from 10.1.2.30:51234 ssh2";
  EXPECT_TRUE(Text(msg, "accepted"));
  EXPECT_TRUE(Text(msg, "ALICE@EXAMPLE.COM"));
  EXPECT_TRUE(Text(msg, "alice"));
  EXPECT_TRUE(Text(msg, "example.com"));
  EXPECT_TRUE(Text(msg, "10.1.2.30"));
  EXPECT_TRUE(Text(msg, "51234"));
  EXPECT_FALSE(Text(msg, "10.1.2.3"));  // a part is never cut: 30 is not 3
  EXPECT_FALSE(Text(msg, "exam"));
  EXPECT_FALSE(Text(msg, "accept"));
  EXPECT_FALSE(Text(msg, "ssh"));
}

TEST(TextMatchTest, Phrases) {
  const char* msg = "pam_unix(sshd:auth): authentication failure; user=root rhost=10.0.0.9";
  EXPECT_TRUE(Text(msg, "authentication failure"));
  EXPECT_TRUE(Text(msg, "user root"));
  EXPECT_TRUE(Text(msg, "user=root"));
  EXPECT_TRUE(Text(msg, "auth authentication"));  // trailing parts of sshd:auth
  EXPECT_TRUE(Text(msg, "root rhost=10.0.0"));    // leading parts of 10.0.0.9
  EXPECT_TRUE(Text(msg, "failure user root rhost"));
  EXPECT_FALSE(Text(msg, "failure root"));
  EXPECT_FALSE(Text(msg, "authentication fail"));
  EXPECT_FALSE(Text(msg, "root 10.0.0.9"));  // rhost= lies between
}

TEST(TextMatchTest, Prefixes) {
  TextPattern adm{{"adm"}, true};
  EXPECT_TRUE(MatchesText("user Admin logged in", adm));
  EXPECT_TRUE(MatchesText("sys.admin@example.com", adm));
  EXPECT_FALSE(MatchesText("sysadmin", adm));
  TextPattern net{{"10.0."}, true};
  EXPECT_TRUE(MatchesText("from 10.0.3.4", net));
  EXPECT_FALSE(MatchesText("from 10.01.3.4", net));
  TextPattern phrase{{"user", "ro"}, true};
  EXPECT_TRUE(MatchesText("user=root", phrase));
  EXPECT_FALSE(MatchesText("user=xroot", phrase));
}

// MatchesText first looks for the first term as a case-blind substring before it tokenises:
// matches at the very edges, in any case, and near-misses must come out as before.
TEST(TextMatchTest, SubstringPrefilterKeepsEveryMatch) {
  EXPECT_TRUE(Text("K.TANAKA-X9", "k.tanaka-x9"));                 // the whole text
  EXPECT_TRUE(Text("login by K.Tanaka-X9", "k.tanaka-x9"));        // at the end
  EXPECT_TRUE(Text("K.Tanaka-X9 logged in", "tanaka-x9"));         // a run at the start
  EXPECT_TRUE(Text("x kk.tanaka-x9 k.tanaka-x9", "k.tanaka-x9"));  // a false start first
  EXPECT_TRUE(Text("sshd:AUTH Authentication", "auth authentication"));
  EXPECT_FALSE(Text("k.tanaka-x", "k.tanaka-x9"));  // shorter than the term
  EXPECT_FALSE(Text("k.tanakax9", "k.tanaka-x9"));
  EXPECT_FALSE(Text("kk.tanaka-x9", "k.tanaka-x9"));  // a substring, but not a run of parts
  EXPECT_FALSE(Text("", "a"));
}

}  // namespace
}  // namespace kiroku::query
