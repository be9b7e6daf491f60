#include "modules/residents/resident.h"

namespace gz::residents {

std::string_view RelationCode(Relation r) {
  switch (r) {
    case Relation::kHead: return "head";
    case Relation::kSpouse: return "spouse";
    case Relation::kChild: return "child";
    case Relation::kParent: return "parent";
    case Relation::kGrandchild: return "grandchild";
  }
  return "head";
}

std::optional<Relation> ParseRelation(std::string_view code) {
  for (Relation r : {Relation::kHead, Relation::kSpouse, Relation::kChild, Relation::kParent, Relation::kGrandchild})
    if (RelationCode(r) == code) return r;
  return std::nullopt;
}

std::string_view RelationNameZh(Relation r) {
  switch (r) {
    case Relation::kHead: return "户主";
    case Relation::kSpouse: return "配偶";
    case Relation::kChild: return "子女";
    case Relation::kParent: return "父母";
    case Relation::kGrandchild: return "孙子女";
  }
  return "户主";
}

std::string_view GenderCode(Gender g) { return g == Gender::kFemale ? "female" : "male"; }

std::optional<Gender> ParseGender(std::string_view code) {
  if (code == "male") return Gender::kMale;
  if (code == "female") return Gender::kFemale;
  return std::nullopt;
}

bool IsVillageCode(std::string_view code) {
  if (code.size() != 12) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace gz::residents
