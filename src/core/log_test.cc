#include "core/log.h"

#include <gtest/gtest.h>

namespace gz::log {
namespace {

TEST(LogTest, WritesOneJsonLinePerEvent) {
  std::string sink;
  CaptureForTest(&sink);
  Info("request", {{"route", "/api/v1/divisions/{code}"}, {"status", 200}, {"ok", true}});
  CaptureForTest(nullptr);
  EXPECT_NE(sink.find("\"event\":\"request\""), std::string::npos);
  EXPECT_NE(sink.find("\"status\":200"), std::string::npos);
  EXPECT_NE(sink.find("\"ok\":true"), std::string::npos);
  EXPECT_EQ(sink.back(), '\n');
  EXPECT_EQ(sink.find('\n'), sink.size() - 1);
}

TEST(LogTest, HostileTextCannotForgeALine) {
  std::string out;
  AppendJsonEscaped(out, "a\"b\\c\nd\r\x1b[31m\x7f");
  EXPECT_EQ(out, "a\\\"b\\\\c\\nd\\r\\u001b[31m\\u007f");
}

TEST(LogTest, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  AppendJsonEscaped(out, std::string("ok\xC0\xAF" "中\xED\xA0\x80", 10));
  EXPECT_EQ(out, "ok\\ufffd\\ufffd中\\ufffd\\ufffd\\ufffd");
}

TEST(LogTest, RespectsMinLevel) {
  std::string sink;
  CaptureForTest(&sink);
  SetMinLevel(Level::kWarn);
  Info("hidden");
  Warn("shown");
  SetMinLevel(Level::kInfo);
  CaptureForTest(nullptr);
  EXPECT_EQ(sink.find("hidden"), std::string::npos);
  EXPECT_NE(sink.find("shown"), std::string::npos);
}

}  // namespace
}  // namespace gz::log
