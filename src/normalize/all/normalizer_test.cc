#include "normalize/all/normalizer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "normalize/testing/kat.h"

namespace kiroku::normalize {
namespace {

// Every family's known answers again, through the full dispatcher and the combined correlator:
// proves that no family earlier in the order claims another family's lines.
TEST(Normalizer, EveryKnownAnswerThroughTheDispatcher) {
  std::string dir = std::string(KIROKU_SOURCE_DIR) + "/src/normalize/testdata";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    ++files;
    SCOPED_TRACE(entry.path().filename().string());
    int cases = testing::RunKatFile(
        entry.path().filename().string(),
        [](const Input& in, const Config& config, Event* out) {
          Normalizer n(config, UserRules());
          return n.Normalize(in.record, out);
        },
        [] { return Normalizer().NewCorrelator(); });
    EXPECT_GT(cases, 0);
  }
  EXPECT_GE(files, 8);
}

TEST(Normalizer, UserRulesComeFirst) {
  Settings s;
  s.rules_text = R"([[rule]]
name = "my-ssh"
app = "sshd"
pattern = 'Accepted \S+ for (?P<user>\S+) from (?P<ip>\S+)'
[rule.fields]
"event.category" = "authentication"
"user.name" = "${user}"
"source.ip" = "${ip}"
)";
  s.rules_origin = "rules.toml";
  StatusOr<std::unique_ptr<Normalizer>> n = MakeNormalizer(s);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  auto rec = testing::MakeKatRecord(
      "<38>Nov 26 14:37:42 host1 sshd[812]: Accepted publickey for alice from 10.0.0.5 port 5 ssh2",
      "192.0.2.10", 1);
  Event e;
  EXPECT_TRUE((*n)->Normalize(rec->view, &e));
  EXPECT_EQ(e.Get(Field::kUserName), "alice");
  EXPECT_EQ(e.Get(Field::kSourceIp), "10.0.0.5");
  EXPECT_EQ(e.Get(Field::kKirokuNormalizer), "rule:my-ssh");
}

TEST(Normalizer, UnknownLinesGetNoFields) {
  Normalizer n;
  auto rec = testing::MakeKatRecord("<13>Nov 26 14:37:42 host1 cron[5]: (root) CMD (run-parts)",
                                    "192.0.2.10", 1);
  Event e;
  e.Add(Field::kUserName, "stale");
  EXPECT_FALSE(n.Normalize(rec->view, &e));
  EXPECT_TRUE(e.empty());
}

TEST(Settings, JsonRoundTripAndBadSettings) {
  Settings s;
  s.internal_networks = {"10.0.0.0/8"};
  s.admins = {"cn=admin,dc=example,dc=com"};
  s.netfilter_prefixes = {{"fw-drop", "deny", "failure"}};
  StatusOr<Settings> back = Settings::FromJson(s.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->internal_networks, s.internal_networks);
  EXPECT_EQ(back->admins, s.admins);
  ASSERT_EQ(back->netfilter_prefixes.size(), 1u);
  EXPECT_EQ(back->netfilter_prefixes[0].action, "deny");
  EXPECT_FALSE(Settings::FromJson("[1]").ok());
  Settings bad;
  bad.internal_networks = {"10.0.0.0/40"};
  EXPECT_FALSE(MakeNormalizer(bad).ok());
  Settings bad_outcome;
  bad_outcome.netfilter_prefixes = {{"x", "deny", "maybe"}};
  EXPECT_FALSE(MakeNormalizer(bad_outcome).ok());
}

}  // namespace
}  // namespace kiroku::normalize
