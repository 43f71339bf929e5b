#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api_fixture.hpp"

namespace roster::testing {

// SPEC's "who may do what" cast, built through the API:
//   assistants A and B;
//   admin      the organization's admin, on no assistant;
//   mgr_a      manager of A;          mgr_b    manager of B;
//   user_a     user on A;             user_ab  user on A and B;
//   user_none  user on no assistant;  outsider admin of another organization;
// and five leads:
//   l1 (A, user_a)  l2 (A, user_ab)  l3 (B, user_ab)  l4 (A, mgr_a)  l5 (B, mgr_b)
class TeamTest : public ApiTest {
 protected:
  struct Person {
    std::string role;  // the cast name above
    std::string user_id;
    HttpClient* client = nullptr;
  };

  void SetUp() override;

  // Creates an assistant as the admin; returns its id.
  std::string CreateAssistant(const std::string& name);
  void Assign(const std::string& assistant_id, const std::string& user_id, bool is_manager = false);
  // Creates a lead as the admin; returns its id.
  std::string CreateLead(const std::string& assistant_id, const std::string& owner_id,
                         const std::string& name);

  // Every item of a list, following next_cursor with `limit` per page;
  // each item's `field`. Fails the test on a non-200 page.
  std::vector<std::string> ListAll(HttpClient& client, const std::string& path,
                                   const std::string& field, int limit = 200);
  std::set<std::string> ListSet(HttpClient& client, const std::string& path,
                                const std::string& field, int limit = 200);

  const Person& person(const std::string& role) const;
  std::vector<Person> people() const;  // in the order of the cast above

  std::string assistant_a_, assistant_b_;
  std::map<std::string, std::string> ids_;   // cast name or lead name -> id
  std::string other_org_id_, other_assistant_id_, other_lead_id_;

 private:
  std::map<std::string, std::unique_ptr<HttpClient>> clients_;
  std::vector<Person> people_;
};

// "a,b" -> {"a","b"}; names resolved through `ids`.
std::set<std::string> Ids(const std::map<std::string, std::string>& ids,
                          const std::vector<std::string>& names);

}  // namespace roster::testing
