// The DivisionStore contract, run against every implementation: the SQL store on each storage
// backend (storage/backends_for_test.h: SQLite now, PostgreSQL with #8) and the in-memory store
// that the domain tests use, so that both mean the same thing.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "core/clock.h"
#include "modules/divisions/problems.h"
#include "modules/divisions/sql/division_migrations.h"
#include "modules/divisions/sql/sql_division_store.h"
#include "modules/divisions/testing/division_fixtures.h"
#include "modules/divisions/testing/in_memory_division_store.h"
#include "storage/backends_for_test.h"
#include "storage/migrate.h"

namespace gz::divisions {
namespace {

struct StoreUnderTest {
  std::unique_ptr<storage::Db> db;  // null for the in-memory store
  std::unique_ptr<DivisionStore> store;
};

struct StoreFactory {
  std::string name;
  std::function<Result<StoreUnderTest>()> open;
};
std::ostream& operator<<(std::ostream& os, const StoreFactory& f) { return os << f.name; }

std::vector<StoreFactory> AllStores() {
  std::vector<StoreFactory> out;
  for (const storage::BackendForTest& backend : storage::AllBackendsForTest()) {
    out.push_back({backend.name, [backend]() -> Result<StoreUnderTest> {
                     GZ_ASSIGN_OR_RETURN(std::unique_ptr<storage::Db> db, backend.open());
                     FakeClock clock;
                     GZ_RETURN_IF_ERROR(storage::ApplyMigrations(*db, DivisionMigrations(), clock));
                     auto store = std::make_unique<SqlDivisionStore>(*db);
                     return StoreUnderTest{std::move(db), std::move(store)};
                   }});
  }
  out.push_back({"in_memory", []() -> Result<StoreUnderTest> {
                   return StoreUnderTest{nullptr, std::make_unique<InMemoryDivisionStore>()};
                 }});
  return out;
}

DivisionCode Code(std::string_view text) { return *DivisionCode::Parse(text); }

std::vector<std::string> Natives(const std::vector<Division>& ds) {
  std::vector<std::string> out;
  for (const Division& d : ds) out.emplace_back(d.code.native());
  return out;
}

class DivisionStoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    Result<StoreUnderTest> opened = GetParam().open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    under_test_ = std::move(opened).value();
    all_ = MiniDistDivisions();
    ASSERT_EQ(all_.size(), 488u);
  }
  DivisionStore& store() { return *under_test_.store; }
  // Upserts the whole fixture tree and checks that it went in.
  void LoadAll() {
    Result<UpsertCounts> r = store().Upsert(all_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  StoreUnderTest under_test_;
  std::vector<Division> all_;
};

TEST_P(DivisionStoreContractTest, UpsertCountsNewPerLevelThenGetRoundTrips) {
  Result<UpsertCounts> r = store().Upsert(all_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, (LevelCounts{3, 3, 2, 19, 461}));
  EXPECT_EQ(r->updated, (LevelCounts{}));
  EXPECT_EQ(r->unchanged, (LevelCounts{}));
  for (const Division& d : all_) {
    Result<Division> got = store().Get(d.code);
    ASSERT_TRUE(got.ok()) << d.code.canonical() << ": " << got.status().ToString();
    EXPECT_EQ(*got, d);
  }
}

TEST_P(DivisionStoreContractTest, UpsertIsIdempotent) {
  LoadAll();
  Result<UpsertCounts> again = store().Upsert(all_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->inserted, (LevelCounts{}));
  EXPECT_EQ(again->updated, (LevelCounts{}));
  EXPECT_EQ(again->unchanged, (LevelCounts{3, 3, 2, 19, 461}));
  EXPECT_EQ(*store().CountByLevel(std::nullopt), (LevelCounts{3, 3, 2, 19, 461}));
}

TEST_P(DivisionStoreContractTest, RenamedDivisionIsUpdatedInPlace) {
  LoadAll();
  Division renamed = all_.back();  // a village
  renamed.name = "改" + renamed.name;
  renamed.short_name = "改" + renamed.short_name;
  std::vector<Division> batch = {all_[0], renamed};
  Result<UpsertCounts> r = store().Upsert(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->updated, (LevelCounts{0, 0, 0, 0, 1}));
  EXPECT_EQ(r->unchanged, (LevelCounts{1, 0, 0, 0, 0}));
  EXPECT_EQ(*store().Get(renamed.code), renamed);
}

TEST_P(DivisionStoreContractTest, UnknownCodeIsNotFound) {
  LoadAll();
  Result<Division> r = store().Get(Code("420115"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().slug(), problems::kUnknownCode);
  EXPECT_EQ(r.status().Arg("code"), "420115000000");
}

TEST_P(DivisionStoreContractTest, ChildWithoutStoredParentIsRejectedWholeBatch) {
  std::vector<Division> batch = {all_[0], all_.back()};  // a province and a village far below it
  Result<UpsertCounts> r = store().Upsert(batch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().slug(), "storage/constraint");
  EXPECT_FALSE(store().Get(all_[0].code).ok());  // nothing of the batch was kept
}

TEST_P(DivisionStoreContractTest, ParentsEarlierInTheSameBatchAreEnough) {
  // Province, city, county, township, village of 蔡甸 in one batch, parents first.
  std::vector<Division> chain;
  for (const Division& d : all_)
    if (d.code.Contains(Code("420114001001"))) chain.push_back(d);
  ASSERT_EQ(chain.size(), 5u);
  ASSERT_TRUE(store().Upsert(chain).ok());
  EXPECT_EQ(*store().CountByLevel(std::nullopt), (LevelCounts{1, 1, 1, 1, 1}));
}

TEST_P(DivisionStoreContractTest, EmptyBatchDoesNothing) {
  Result<UpsertCounts> r = store().Upsert({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->inserted, (LevelCounts{}));
}

TEST_P(DivisionStoreContractTest, ChildrenInCodeOrderWithTotalAndPaging) {
  LoadAll();
  Result<DivisionPage> all = store().Children(Code("420114"), Page{1000, 0});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->total, 17);
  ASSERT_EQ(all->items.size(), 17u);
  for (size_t i = 1; i < all->items.size(); ++i) EXPECT_LT(all->items[i - 1].code, all->items[i].code);
  for (const Division& d : all->items) EXPECT_EQ(d.parent_code(), Code("420114"));

  Result<DivisionPage> middle = store().Children(Code("420114"), Page{4, 8});
  ASSERT_TRUE(middle.ok());
  EXPECT_EQ(middle->total, 17);
  std::vector<std::string> every = Natives(all->items);
  EXPECT_EQ(Natives(middle->items), (std::vector<std::string>(every.begin() + 8, every.begin() + 12)));

  Result<DivisionPage> beyond = store().Children(Code("420114"), Page{4, 17});
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 17);
}

TEST_P(DivisionStoreContractTest, ChildrenOfLeafAndOfUnknownAreEmpty) {
  LoadAll();
  EXPECT_EQ(store().Children(Code("420114001001"), Page{})->total, 0);
  EXPECT_EQ(store().Children(Code("43"), Page{})->total, 0);
}

TEST_P(DivisionStoreContractTest, RootsAreTheProvinces) {
  LoadAll();
  Result<DivisionPage> roots = store().Children(std::nullopt, Page{2, 0});
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(roots->total, 3);
  EXPECT_EQ(Natives(roots->items), (std::vector<std::string>{"35", "42"}));
}

TEST_P(DivisionStoreContractTest, CityWithoutCountiesHasTownsAsChildren) {
  LoadAll();
  Result<DivisionPage> dongguan = store().Children(Code("4419"), Page{});
  ASSERT_TRUE(dongguan.ok());
  EXPECT_EQ(Natives(dongguan->items), (std::vector<std::string>{"441900003", "441900004"}));
}

TEST_P(DivisionStoreContractTest, AncestorsProvinceFirst) {
  LoadAll();
  EXPECT_EQ(Natives(*store().Ancestors(Code("420114001001"))),
            (std::vector<std::string>{"42", "4201", "420114", "420114001"}));
  EXPECT_EQ(Natives(*store().Ancestors(Code("4201"))), (std::vector<std::string>{"42"}));
  EXPECT_TRUE(store().Ancestors(Code("42"))->empty());
  EXPECT_EQ(Natives(*store().Ancestors(Code("441900003001"))), (std::vector<std::string>{"44", "4419", "441900003"}));
  // A code that is not stored still gets those of its ancestors that are.
  EXPECT_EQ(Natives(*store().Ancestors(Code("420114099001"))), (std::vector<std::string>{"42", "4201", "420114"}));
}

TEST_P(DivisionStoreContractTest, CountByLevelStaysInsideTheSubtree) {
  LoadAll();
  EXPECT_EQ(*store().CountByLevel(Code("420114")), (LevelCounts{0, 0, 1, 17, 417}));
  EXPECT_EQ(*store().CountByLevel(Code("42")), (LevelCounts{1, 1, 1, 17, 417}));
  EXPECT_EQ(*store().CountByLevel(Code("4419")), (LevelCounts{0, 1, 0, 2, 44}));
  EXPECT_EQ(*store().CountByLevel(Code("420114001")), (LevelCounts{0, 0, 0, 1, 35}));
  EXPECT_EQ(*store().CountByLevel(Code("420115")), (LevelCounts{}));
  EXPECT_EQ(*store().CountByLevel(std::nullopt), (LevelCounts{3, 3, 2, 19, 461}));
}

INSTANTIATE_TEST_SUITE_P(Stores, DivisionStoreContractTest, ::testing::ValuesIn(AllStores()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gz::divisions
