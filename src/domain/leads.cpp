#include "domain/leads.hpp"

#include <array>
#include <utility>

namespace roster::domain {
namespace {

constexpr std::array<std::pair<LeadStatus, std::string_view>, 5> kStatusNames{{
    {LeadStatus::kNew, "new"},
    {LeadStatus::kContacted, "contacted"},
    {LeadStatus::kQualified, "qualified"},
    {LeadStatus::kWon, "won"},
    {LeadStatus::kLost, "lost"},
}};

}  // namespace

std::string_view ToString(LeadStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "new";
}

std::optional<LeadStatus> ParseLeadStatus(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view LeadStatusChoices() { return "new, contacted, qualified, won or lost"; }

namespace {

constexpr std::array<std::pair<LeadSort, std::string_view>, 6> kSortNames{{
    {LeadSort::kNewest, "-created"},
    {LeadSort::kOldest, "created"},
    {LeadSort::kName, "name"},
    {LeadSort::kNameDescending, "-name"},
    {LeadSort::kStatus, "status"},
    {LeadSort::kStatusDescending, "-status"},
}};

}  // namespace

std::optional<LeadSort> ParseLeadSort(std::string_view text) {
  for (const auto& [value, name] : kSortNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view ToString(LeadSort sort) {
  for (const auto& [value, name] : kSortNames) {
    if (value == sort) return name;
  }
  return "-created";
}

std::string_view LeadSortChoices() { return "created, -created, name, -name, status or -status"; }

const std::vector<LeadStatus>& AllLeadStatuses() {
  static const std::vector<LeadStatus> all = [] {
    std::vector<LeadStatus> statuses;
    for (const auto& [value, name] : kStatusNames) statuses.push_back(value);
    return statuses;
  }();
  return all;
}

}  // namespace roster::domain
