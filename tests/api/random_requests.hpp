// Seeded random requests over the operations of an OpenAPI document: mostly
// near-valid (real IDs, the documented fields), bent in one or more ways
// (malformed JSON, wrong types, NUL, lone surrogates, huge numbers and
// strings, bad IDs, cursors and limits, wrong content types and methods).
// The same seed and document give the same sequence of requests.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace roster::testing {

// One operation of the document: "POST" and "/api/v1/orgs/{org}/leads", its
// parameters ($refs resolved) and the schema of its JSON body (or null).
struct Operation {
  std::string method;
  std::string path;
  nlohmann::json parameters = nlohmann::json::array();
  nlohmann::json body_schema;
};

std::vector<Operation> OperationsOf(const nlohmann::json& document);

// Who sends a request; the test keeps one client for each.
enum class Sender { kAdmin, kMember, kAnonymous, kForgedCookie };

struct RandomRequest {
  Sender sender = Sender::kAdmin;
  std::string method;
  std::string target;  // path and query, percent-encoded where the generator meant it
  std::string body;
  std::map<std::string, std::string> headers;
  bool csrf_header = true;  // X-Requested-With, which state changes need

  // For a failure message: method, target and the start of the body.
  std::string Describe() const;
};

// SplitMix64: a small generator whose sequence is the same on every platform
// and standard library, unlike the <random> distributions.
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  std::size_t Below(std::size_t bound) { return bound == 0 ? 0 : Next() % bound; }
  bool Chance(int percent) { return Below(100) < static_cast<std::size_t>(percent); }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::uint64_t state_;
};

class RandomRequests {
 public:
  // `known_ids`: real IDs by path-parameter name ("org", "user", "a", "id");
  // they are also used for body and query fields that name IDs.
  RandomRequests(std::uint64_t seed, std::vector<Operation> operations,
                 std::map<std::string, std::vector<std::string>> known_ids);

  RandomRequest Next();

 private:
  std::string Target(const Operation& operation);
  std::string PathValue(const std::string& name);
  std::string QueryValue(const std::string& name, const nlohmann::json& schema);
  std::string Body(const Operation& operation);
  std::string ObjectFor(const nlohmann::json& schema);
  std::string FieldValue(const std::string& name, const nlohmann::json& schema);
  std::string AnyJson(int depth);
  std::string MalformedBody();
  std::string ContentType();

  SeededRandom random_;
  std::vector<Operation> operations_;
  std::map<std::string, std::vector<std::string>> known_ids_;
  std::vector<std::string> all_ids_;
};

}  // namespace roster::testing
