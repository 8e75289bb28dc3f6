#include "cli/serve_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace kiroku::cli {
namespace {

std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/kiroku-config-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(ServeConfigTest, DefaultsMatchDesign) {
  ServeConfig c;
  EXPECT_EQ(c.data, "kiroku-data");
  EXPECT_EQ(c.syslog_udp, "127.0.0.1:5514");
  EXPECT_EQ(c.syslog_tcp, "127.0.0.1:5514");
  EXPECT_EQ(c.http, "127.0.0.1:8514");
  EXPECT_EQ(c.udp_max_message_size, 65536u);
  EXPECT_EQ(c.max_frame_size, 65536u);
  EXPECT_EQ(c.commit_interval_ns, 20'000'000);
  EXPECT_TRUE(c.fsync);
}

TEST(ServeConfigTest, ParsesSizesAndDurations) {
  EXPECT_EQ(*ParseBytes("64KiB"), 65536u);
  EXPECT_EQ(*ParseBytes("16M"), 16u << 20);
  EXPECT_EQ(*ParseBytes("1000"), 1000u);
  EXPECT_EQ(*ParseBytes("2GB"), 2000000000u);
  EXPECT_FALSE(ParseBytes("12 parsecs").ok());
  EXPECT_FALSE(ParseBytes("").ok());
  EXPECT_EQ(*ParseDuration("20ms"), 20'000'000);
  EXPECT_EQ(*ParseDuration("1.5s"), 1'500'000'000);
  EXPECT_EQ(*ParseDuration("3600"), 3600'000'000'000);
  EXPECT_EQ(*ParseDuration("1h"), 3600'000'000'000);
  EXPECT_FALSE(ParseDuration("soon").ok());
  EXPECT_EQ(FormatDuration(20'000'000), "20ms");
  EXPECT_EQ(FormatBytes(65536), "64KiB");
}

TEST(ServeConfigTest, FlagsUseTheTableNames) {
  ServeConfig c;
  ASSERT_TRUE(ApplyOption(&c, "syslog-tcp", "0.0.0.0:514").ok());
  ASSERT_TRUE(ApplyOption(&c, "max-connections", "100").ok());
  ASSERT_TRUE(ApplyOption(&c, "idle-timeout", "1").ok());
  ASSERT_TRUE(ApplyOption(&c, "commit-interval", "5").ok());  // bare number: milliseconds
  EXPECT_EQ(c.commit_interval_ns, 5'000'000);
  ASSERT_TRUE(ApplyOption(&c, "tls-allowed-fingerprints", "aa:bb,cc").ok());
  EXPECT_EQ(c.syslog_tcp, "0.0.0.0:514");
  EXPECT_EQ(c.max_connections, 100u);
  EXPECT_EQ(c.idle_timeout_ns, 1'000'000'000);
  EXPECT_EQ(c.tls_allowed_fingerprints, (std::vector<std::string>{"aa:bb", "cc"}));
  Status bad = ApplyOption(&c, "max-connections", "lots");
  EXPECT_EQ(bad.message(), "--max-connections 'lots': expected a whole number");
  EXPECT_EQ(ApplyOption(&c, "max-connections", "0").message(),
            "--max-connections '0': must be at least 1");
  EXPECT_EQ(ApplyOption(&c, "no-such-flag", "1").message(), "unknown option 'no-such-flag'");
}

TEST(ServeConfigTest, TomlKeysAreTheFlagNames) {
  std::string path = WriteTemp(R"(
data = "/var/lib/kiroku"
syslog-udp = "off"
relp = "127.0.0.1:2514"
max-frame-size = "128KiB"
max-connections = 50
fsync = false
tls-allowed-fingerprints = ["aa", "bb"]

[[source]]
match = "10.0.0.0/8"
timezone = "Asia/Tokyo"
)");
  ServeConfig c;
  Status s = LoadTomlConfig(path, &c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(c.data, "/var/lib/kiroku");
  EXPECT_EQ(c.syslog_udp, "off");
  EXPECT_EQ(c.relp, "127.0.0.1:2514");
  EXPECT_EQ(c.max_frame_size, 128u * 1024);
  EXPECT_EQ(c.max_connections, 50u);
  EXPECT_FALSE(c.fsync);
  EXPECT_EQ(c.tls_allowed_fingerprints, (std::vector<std::string>{"aa", "bb"}));
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].match, "10.0.0.0/8");
  EXPECT_EQ(c.sources[0].timezone, "Asia/Tokyo");
  std::remove(path.c_str());
}

TEST(ServeConfigTest, TomlErrorsNameFileAndLine) {
  std::string path = WriteTemp("max-connections = \n");
  ServeConfig c;
  Status s = LoadTomlConfig(path, &c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path + ":1:"), std::string::npos) << s.message();
  std::remove(path.c_str());
  path = WriteTemp("max-conections = 5\n");
  s = LoadTomlConfig(path, &c);
  EXPECT_EQ(s.message(), path + ": unknown option 'max-conections'");
  std::remove(path.c_str());
}

TEST(ServeConfigTest, ValidateRequiresTlsMaterial) {
  ServeConfig c;
  c.syslog_tls = "127.0.0.1:6514";
  EXPECT_EQ(Validate(c).message(), "--syslog-tls needs --tls-cert and --tls-key");
  c.tls_cert = "c.pem";
  c.tls_key = "k.pem";
  EXPECT_TRUE(Validate(c).ok());
}

// docs/configuration.md carries the generated reference; it must not fall behind the table.
TEST(ServeConfigTest, DocsListEveryOption) {
  std::ifstream in(std::string(KIROKU_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find(ConfigReferenceMarkdown()), std::string::npos)
      << "regenerate the table: kiroku serve --print-config-reference";
}

}  // namespace
}  // namespace kiroku::cli
