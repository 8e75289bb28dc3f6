#include "normalize/testing/kat.h"
#include <cstdio>
namespace kiroku::normalize::testing {
TEST(Hdr, Dump) {
  std::ifstream in("/tmp/lines.txt");
  for (std::string l; std::getline(in, l);) {
    auto r = MakeKatRecord(l, "192.0.2.10", 1);
    Input i = Input::From(r->view);
    printf("fmt=%d host=[%.*s] app=[%.*s] msg=[%.*s]\n", (int)r->view.header.format, (int)i.host.size(), i.host.data(), (int)i.app.size(), i.app.data(), (int)i.message.size(), i.message.data());
  }
}
}
