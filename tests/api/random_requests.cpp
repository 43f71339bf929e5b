#include "random_requests.hpp"

#include <cstdio>

namespace roster::testing {
namespace {

// Path and query values that are not IDs of anything, or not IDs at all.
// Percent-encoded where the raw bytes could not travel in a URL.
const std::vector<std::string> kBadIds = {"0",
                                          "-1",
                                          "1.5",
                                          "abc",
                                          "1e3",
                                          "+1",
                                          "%201",
                                          "0x10",
                                          "007",
                                          "18446744073709551616",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775809",
                                          "99999999999999999999999999999999",
                                          "%00",
                                          "1%00",
                                          "%2F",
                                          "%2e%2e",
                                          "%ED%A0%80",
                                          "%FF",
                                          "%C0%AF",
                                          "%zz",
                                          "%",
                                          "%25",
                                          "null",
                                          "%F0%9F%98%80",
                                          "%E2%80%AE1",
                                          std::string(3000, '9')};

const std::vector<std::string> kQueryValues = {
    "", "1", "0", "-1", "200", "201", "abc", "1.5", "1e2", "-0", "0x1F", "99999999999999999999",
    "%00", "a%00b", "%ED%A0%80", "%FF%FE", "%zz", "%", "%25%25", "%E2%80%AE", "admin", "user",
    "active", "invited", "%27%20OR%201%3D1%20--", "eyJ9", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "MTIzNDU2Nzg5MA", "bm90IGEgY3Vyc29y",
    // Cursors in the form the server makes, "key\nid" in base64url, with keys
    // that are not UTF-8 or hold a NUL, and ids out of range.
    "7aCACjE", "__4KOTk", "YQBiCjE", "CjE", "enp6Ci0x", "eAo5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
    std::string(5000, 'A'), std::string(5000, '9')};

// JSON text of strings, with the escapes a JSON encoder would never write.
const std::vector<std::string> kJsonStrings = {R"("")",
                                               R"("x")",
                                               R"("Ada")",
                                               R"("ada@acme.test")",
                                               R"("new.person@acme.test")",
                                               R"("ADA@ACME.TEST")",
                                               R"(" ada@acme.test ")",
                                               R"("not an e-mail")",
                                               R"("a@b")",
                                               R"("\u0000")",
                                               R"("a\u0000b")",
                                               R"("ada\u0000@acme.test")",
                                               R"("\ud800")",
                                               R"("\udc00")",
                                               R"("\ud800\u0041")",
                                               R"("x\udfff")",
                                               R"("\ud83d\ude00")",
                                               R"("\uffff")",
                                               R"("\u202e")",
                                               R"("<script>alert(1)</script>")",
                                               R"("' OR 1=1 --")",
                                               R"("%s%n%x")",
                                               R"("../../etc/passwd")",
                                               R"("\r\nBcc: victim@example.com")",
                                               R"("admin")",
                                               R"("user")",
                                               R"("new")",
                                               R"("won")",
                                               R"("lost")",
                                               R"("true")",
                                               R"("0")",
                                               R"("-1")",
                                               R"("1e3")",
                                               R"("18446744073709551616")",
                                               R"("\"")",
                                               R"("\\")",
                                               "\"\xff\xfe\"",
                                               "\"\xc3\x28\"",
                                               "\"\xed\xa0\x80\"",
                                               "\"Ad\xc3\xa1\""};

const std::vector<std::string> kJsonNumbers = {"0",
                                               "-0",
                                               "1",
                                               "-1",
                                               "1.5",
                                               "1e308",
                                               "1e309",
                                               "-1e309",
                                               "1e-400",
                                               "2147483648",
                                               "9223372036854775807",
                                               "9223372036854775808",
                                               "18446744073709551615",
                                               "18446744073709551616",
                                               "-9223372036854775809",
                                               "123456789012345678901234567890",
                                               "0.1e1",
                                               "-1.0E+2"};

const std::vector<std::string> kMalformedBodies = {"",
                                                   "{",
                                                   "}",
                                                   "[",
                                                   "{\"a\":}",
                                                   "{\"a\" 1}",
                                                   "{'a':1}",
                                                   "nul",
                                                   "nan",
                                                   "NaN",
                                                   "Infinity",
                                                   "{}",
                                                   "[]",
                                                   "null",
                                                   "true",
                                                   "\"string\"",
                                                   "123",
                                                   "{\"a\":1}garbage",
                                                   "{\"a\":1}{\"b\":2}",
                                                   "\xef\xbb\xbf{}",
                                                   "{\"a\":\"\x01\"}",
                                                   "{\"a\":01}",
                                                   "{\"a\":1,}",
                                                   "[1,2,]",
                                                   "{\"a\":.5}",
                                                   "{\"a\":\"\\x41\"}",
                                                   "{\"a\":\"\\u12\"}",
                                                   "{\"a\":\"\\ud800\\u\"}",
                                                   "\xff\xff\xff",
                                                   "email=ada%40acme.test&password=x"};

const std::vector<std::string> kContentTypes = {"application/json",
                                                "application/json",
                                                "application/json; charset=utf-8",
                                                "APPLICATION/JSON",
                                                "application/json; charset=latin1",
                                                "text/plain",
                                                "application/x-www-form-urlencoded",
                                                "application/jsonx",
                                                "multipart/form-data; boundary=x",
                                                "application/problem+json",
                                                ";",
                                                "application/json;;;"};

const std::vector<std::string> kMethods = {"GET",  "POST",    "PUT",   "PATCH",    "DELETE",
                                           "HEAD", "OPTIONS", "TRACE", "CONNECTX", "get"};

std::string Quoted(const std::string& plain) { return "\"" + plain + "\""; }

bool NamesAnId(const std::string& name) {
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("_id") || ends_with("_ids") || ends_with("_to");
}

nlohmann::json Resolve(const nlohmann::json& document, const nlohmann::json& item) {
  if (!item.is_object() || !item.contains("$ref")) return item;
  std::string pointer = item["$ref"].get<std::string>().substr(1);  // "#/components/..."
  return document.at(nlohmann::json::json_pointer(pointer));
}

}  // namespace

std::uint64_t SeededRandom::Next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<Operation> OperationsOf(const nlohmann::json& document) {
  std::vector<Operation> operations;
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [method, details] : item.items()) {
      Operation operation;
      for (char c : method)
        operation.method += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operation.path = path;
      for (const auto& parameter : details.value("parameters", nlohmann::json::array())) {
        operation.parameters.push_back(Resolve(document, parameter));
      }
      if (details.contains("requestBody")) {
        const auto& content = details["requestBody"].value("content", nlohmann::json::object());
        if (content.contains("application/json")) {
          operation.body_schema =
              Resolve(document, content["application/json"].value("schema", nlohmann::json()));
        }
      }
      operations.push_back(std::move(operation));
    }
  }
  return operations;
}

std::string RandomRequest::Describe() const {
  std::string shown = body.size() > 300
                          ? body.substr(0, 300) + "... (" + std::to_string(body.size()) + " bytes)"
                          : body;
  std::string escaped;
  for (unsigned char c : shown) {
    if (c < 0x20 || c >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      escaped += hex;
    } else {
      escaped += static_cast<char>(c);
    }
  }
  std::string text = method + " " + (target.size() > 300 ? target.substr(0, 300) + "..." : target);
  static const char* const kSenders[] = {"admin", "member", "anonymous", "forged cookie"};
  text += " as " + std::string(kSenders[static_cast<int>(sender)]);
  for (const auto& [name, value] : headers) text += "\n  " + name + ": " + value;
  if (!csrf_header) text += "\n  (no X-Requested-With)";
  return text + "\n  body: " + escaped;
}

RandomRequests::RandomRequests(std::uint64_t seed, std::vector<Operation> operations,
                               std::map<std::string, std::vector<std::string>> known_ids)
    : random_(seed), operations_(std::move(operations)), known_ids_(std::move(known_ids)) {
  for (const auto& [name, ids] : known_ids_)
    all_ids_.insert(all_ids_.end(), ids.begin(), ids.end());
}

RandomRequest RandomRequests::Next() {
  const Operation& operation = random_.Pick(operations_);
  RandomRequest request;
  static const std::vector<Sender> kSenders = {
      Sender::kAdmin,  Sender::kAdmin,  Sender::kAdmin,     Sender::kAdmin,       Sender::kAdmin,
      Sender::kMember, Sender::kMember, Sender::kAnonymous, Sender::kForgedCookie};
  request.sender = random_.Pick(kSenders);
  request.method = random_.Chance(92) ? operation.method : random_.Pick(kMethods);
  request.target = Target(operation);
  bool has_body = !operation.body_schema.is_null() ? random_.Chance(97) : random_.Chance(10);
  if (has_body) {
    request.body = Body(operation);
    request.headers["Content-Type"] = ContentType();
  }
  request.csrf_header = !random_.Chance(3);
  return request;
}

std::string RandomRequests::Target(const Operation& operation) {
  std::string target;
  const std::string& path = operation.path;
  for (std::size_t at = 0; at < path.size();) {
    auto open = path.find('{', at);
    if (open == std::string::npos) {
      target += path.substr(at);
      break;
    }
    auto close = path.find('}', open);
    target += path.substr(at, open - at) + PathValue(path.substr(open + 1, close - open - 1));
    at = close + 1;
  }
  if (random_.Chance(3))
    target += random_.Pick(std::vector<std::string>{"/", "//", "/extra", "?", "#x", "%20"});
  std::string query;
  for (const auto& parameter : operation.parameters) {
    if (parameter.value("in", "") != "query" || !random_.Chance(50)) continue;
    std::string name = parameter.value("name", "");
    int copies = random_.Chance(5) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      query += (query.empty() ? "" : "&") + name + "=" +
               QueryValue(name, parameter.value("schema", nlohmann::json()));
    }
  }
  if (random_.Chance(5))
    query +=
        (query.empty() ? "" : "&") + random_.Pick(kQueryValues) + "=" + random_.Pick(kQueryValues);
  if (random_.Chance(2)) query += "&&=&";
  return query.empty() ? target : target + "?" + query;
}

namespace {

// The schema's `type`: a name, or the first non-null name of a list
// (["string", "null"]); "" when it has none.
std::string TypeOf(const nlohmann::json& schema) {
  auto type = schema.find("type");
  if (type == schema.end()) return "";
  if (type->is_string()) return type->get<std::string>();
  if (type->is_array()) {
    for (const auto& name : *type) {
      if (name.is_string() && name != "null") return name.get<std::string>();
    }
  }
  return "";
}

}  // namespace

std::string RandomRequests::PathValue(const std::string& name) {
  auto known = known_ids_.find(name);
  if (known != known_ids_.end() && !known->second.empty() && random_.Chance(75))
    return random_.Pick(known->second);
  if (!all_ids_.empty() && random_.Chance(30)) return random_.Pick(all_ids_);
  return random_.Pick(kBadIds);
}

std::string RandomRequests::QueryValue(const std::string& name, const nlohmann::json& schema) {
  if (random_.Chance(40)) {
    if (NamesAnId(name) && !all_ids_.empty()) return random_.Pick(all_ids_);
    if (schema.contains("enum") && !schema["enum"].empty()) {
      return schema["enum"][random_.Below(schema["enum"].size())].get<std::string>();
    }
    if (TypeOf(schema) == "integer") return std::to_string(random_.Below(260));
  }
  return random_.Pick(kQueryValues);
}

std::string RandomRequests::Body(const Operation& operation) {
  if (random_.Chance(25)) return MalformedBody();
  if (operation.body_schema.is_object() && random_.Chance(85))
    return ObjectFor(operation.body_schema);
  return AnyJson(0);
}

std::string RandomRequests::ObjectFor(const nlohmann::json& schema) {
  std::vector<std::string> members;
  const nlohmann::json properties = schema.value("properties", nlohmann::json::object());
  for (const auto& [name, property] : properties.items()) {
    if (!random_.Chance(80)) continue;
    std::string key = random_.Chance(3) ? Quoted(name + "\\u0000") : Quoted(name);
    members.push_back(key + ":" + FieldValue(name, property));
    if (random_.Chance(3)) members.push_back(Quoted(name) + ":" + AnyJson(1));  // duplicate key
  }
  if (random_.Chance(10)) members.push_back(random_.Pick(kJsonStrings) + ":" + AnyJson(1));
  std::string text = "{";
  for (std::size_t i = 0; i < members.size(); ++i) text += (i ? "," : "") + members[i];
  return text + "}";
}

std::string RandomRequests::FieldValue(const std::string& name, const nlohmann::json& schema) {
  if (random_.Chance(35)) return AnyJson(1);
  if (NamesAnId(name) && !all_ids_.empty() && random_.Chance(60)) {
    if (TypeOf(schema) == "array")
      return std::string("[").append(Quoted(random_.Pick(all_ids_))).append("]");
    return Quoted(random_.Pick(all_ids_));
  }
  if (schema.contains("enum") && !schema["enum"].empty()) {
    return schema["enum"][random_.Below(schema["enum"].size())].dump();
  }
  std::string type = TypeOf(schema);
  if (schema.value("format", "") == "date-time" && random_.Chance(50)) {
    return Quoted(random_.Pick(std::vector<std::string>{
        "2099-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "2099-02-30T00:00:00Z", "2099-01-01"}));
  }
  if (type == "boolean") return random_.Chance(50) ? "true" : "false";
  if (type == "integer") return std::to_string(random_.Below(300));
  if (type == "array") return std::string("[").append(AnyJson(2)).append("]");
  if (random_.Chance(8))
    return Quoted(std::string(random_.Pick(std::vector<std::size_t>{129, 201, 255, 70000}), 'x'));
  if (name == "email" && random_.Chance(50))
    return Quoted("p" + std::to_string(random_.Below(100000)) + "@acme.test");
  return random_.Pick(kJsonStrings);
}

std::string RandomRequests::AnyJson(int depth) {
  switch (random_.Below(depth > 3 ? 4 : 7)) {
    case 0:
      return random_.Pick(kJsonStrings);
    case 1:
      return random_.Pick(kJsonNumbers);
    case 2:
      return random_.Pick(std::vector<std::string>{"true", "false", "null"});
    case 3:
      return Quoted(
          std::string(random_.Pick(std::vector<std::size_t>{0, 1, 255, 4096, 200000}), 'a'));
    case 4: {
      std::string text = "[";
      for (std::size_t i = 0, n = random_.Below(4); i < n; ++i) {
        if (i) text += ',';
        text += AnyJson(depth + 1);
      }
      return text + "]";
    }
    case 5:
      return "{" + random_.Pick(kJsonStrings) + ":" + AnyJson(depth + 1) + "}";
    default: {
      std::size_t levels = random_.Pick(std::vector<std::size_t>{64, 1000, 20000});
      return std::string(levels, '[') + std::string(levels, ']');
    }
  }
}

std::string RandomRequests::MalformedBody() {
  if (random_.Chance(4)) return std::string(1100 * 1024, ' ');  // over the 1 MiB limit
  if (random_.Chance(10)) {
    std::string text = "{\"email\":\"ada@acme.test\",\"name\":\"A\"}";
    return text.substr(0, random_.Below(text.size()));  // cut short
  }
  if (random_.Chance(10)) {
    std::string text(random_.Below(64) + 1, '\0');
    for (char& c : text) c = static_cast<char>(random_.Below(256));
    return text;
  }
  if (random_.Chance(10)) return std::string("{\"name\":\"a\0b\"}", 14);  // a raw NUL byte
  return random_.Pick(kMalformedBodies);
}

std::string RandomRequests::ContentType() {
  if (random_.Chance(85)) return "application/json";
  return random_.Pick(kContentTypes);
}

}  // namespace roster::testing
