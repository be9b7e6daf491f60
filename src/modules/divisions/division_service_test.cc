// Tests of DivisionService over the in-memory store, filled from the real mini-dist fixture.
#include "modules/divisions/division_service.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "modules/divisions/importer.h"
#include "modules/divisions/problems.h"
#include "modules/divisions/testing/in_memory_division_store.h"

namespace gz::divisions {
namespace {

DivisionCode Code(std::string_view text) { return *DivisionCode::Parse(text); }

class DivisionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("GZ_SOURCE_DIR");
    ASSERT_NE(root, nullptr);
    ImportOptions o;
    o.source_dir = std::filesystem::path(root) / "tests/fixtures/divisions/mini-dist";
    Result<ImportReport> r = ImportDivisions(store_, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  InMemoryDivisionStore store_;
  DivisionService service_{store_};
};

TEST_F(DivisionServiceTest, GetVillageWithItsAncestors) {
  Result<DivisionWithAncestors> r = service_.Get(Code("420114001001"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->division.name, "正街居委会");
  EXPECT_EQ(r->division.short_name, "正街");
  std::vector<std::string> names;
  for (const Division& d : r->ancestors) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"湖北省", "武汉市", "蔡甸区", "蔡甸街道"}));
}

TEST_F(DivisionServiceTest, ProvinceHasNoAncestors) {
  Result<DivisionWithAncestors> r = service_.Get(Code("42"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ancestors.empty());
}

TEST_F(DivisionServiceTest, UnknownCodeIsNotFound) {
  Result<DivisionWithAncestors> r = service_.Get(Code("420115"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().slug(), problems::kUnknownCode);
  EXPECT_EQ(r.status().Arg("code"), "420115000000");
}

TEST_F(DivisionServiceTest, ChildrenOfACountyArePagedInCodeOrder) {
  Result<ChildList> first = service_.Children(Code("420114"), Page{5, 0});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->parent->name, "蔡甸区");
  EXPECT_EQ(first->total, 17);
  ASSERT_EQ(first->items.size(), 5u);
  EXPECT_EQ(first->items[0].code.native(), "420114001");
  EXPECT_EQ(first->page, (Page{5, 0}));

  Result<ChildList> last = service_.Children(Code("420114"), Page{5, 15});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->total, 17);
  ASSERT_EQ(last->items.size(), 2u);
  EXPECT_LT(first->items.back().code, last->items.front().code);

  Result<ChildList> past = service_.Children(Code("420114"), Page{5, 100});
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->items.empty());
  EXPECT_EQ(past->total, 17);
}

TEST_F(DivisionServiceTest, VillageHasNoChildrenButExists) {
  Result<ChildList> r = service_.Children(Code("420114001001"), Page{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 0);
  EXPECT_TRUE(r->items.empty());
}

TEST_F(DivisionServiceTest, ChildrenOfUnknownCodeIsNotFound) {
  EXPECT_EQ(service_.Children(Code("420199"), Page{}).status().slug(), problems::kUnknownCode);
}

TEST_F(DivisionServiceTest, BadPageIsRejectedBeforeTheStore) {
  EXPECT_EQ(service_.Children(Code("420114"), Page{0, 0}).status().slug(), problems::kBadPaging);
  EXPECT_EQ(service_.Roots(Page{5000, 0}).status().slug(), problems::kBadPaging);
}

TEST_F(DivisionServiceTest, RootsAreTheProvinces) {
  Result<ChildList> r = service_.Roots(Page{});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->parent.has_value());
  EXPECT_EQ(r->total, 3);
  std::vector<std::string> natives;
  for (const Division& d : r->items) natives.emplace_back(d.code.native());
  EXPECT_EQ(natives, (std::vector<std::string>{"35", "42", "44"}));
}

TEST_F(DivisionServiceTest, CountByLevelInASubtree) {
  EXPECT_EQ(*service_.CountByLevel(Code("420114")), (LevelCounts{0, 0, 1, 17, 417}));
  EXPECT_EQ(*service_.CountByLevel(Code("4419")), (LevelCounts{0, 1, 0, 2, 44}));
  EXPECT_EQ(*service_.CountByLevel(std::nullopt), (LevelCounts{3, 3, 2, 19, 461}));
  EXPECT_EQ(service_.CountByLevel(Code("43")).status().slug(), problems::kUnknownCode);
}

}  // namespace
}  // namespace gz::divisions
