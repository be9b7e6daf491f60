// The image fixtures of tests/fixtures/attachments/ (made by make-fixtures.sh there), for tests.
//
// Layer: attachments testing.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace gz::attachments::testing {

// The bytes of a fixture; fails the test if it cannot be read.
inline std::string Fixture(const std::string& name) {
#ifdef GZ_ATTACHMENT_FIXTURES
  const std::string path = std::string(GZ_ATTACHMENT_FIXTURES) + "/" + name;
#else
  const std::string path = "tests/fixtures/attachments/" + name;
#endif
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace gz::attachments::testing
