// A gtest fixture with the scenario (scenario.h) loaded into a FakeEngine and a Context on it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "investigate/context.h"
#include "investigate/testing/fake_engine.h"
#include "investigate/testing/scenario.h"

namespace kiroku::investigate::testing {

class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& line : ScenarioLines()) engine_.Add(line);
    ctx_.engine = &engine_;
    ctx_.config = &engine_.normalizer().config();
    ctx_.now_ns = FakeEngine::kReceiveNs;
  }
  std::vector<EventRow> Find(std::string_view q) {
    std::vector<EventRow> rows;
    Status s = ctx_.Find(q, &rows);
    EXPECT_TRUE(s.ok()) << s.message();
    return rows;
  }

  FakeEngine engine_;
  Context ctx_;
};

// "2026-11-26T" + hh:mm:ss + ".000Z"
inline std::string At(const std::string& hms) { return "2026-11-26T" + hms + ".000Z"; }

}  // namespace kiroku::investigate::testing
