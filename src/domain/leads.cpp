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

}  // namespace roster::domain
