#include "http/api/scim_patch.hpp"

#include <algorithm>
#include <cctype>

#include "http/api/scim_syntax.hpp"

namespace roster::http::scim {
namespace {

using nlohmann::json;

enum class Op { kAdd, kReplace, kRemove };

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Problem InvalidValue(const std::string& detail) {
  return Error(ProblemCode::kBadRequest, "invalidValue", detail);
}
Problem InvalidSyntax(const std::string& detail) {
  return Error(ProblemCode::kBadRequest, "invalidSyntax", detail);
}

// The member of `object` named `name`, ignoring case (RFC 7643 section
// 2.1: attribute names are case-insensitive); null when absent.
const json* Field(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  for (const auto& [key, value] : object.items()) {
    if (key.size() == name.size() && Lower(key) == name) return value.is_null() ? nullptr : &value;
  }
  return nullptr;
}

Result<std::string> String(const json& value, const std::string& attribute) {
  if (!value.is_string()) return InvalidValue(attribute + " must be a string.");
  return value.get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const json* value, const std::string& attribute) {
  if (value == nullptr) return std::optional<std::string>();
  return std::optional<std::string>(ROSTER_TRY(String(*value, attribute)));
}

// true/false, or Entra's "True"/"False".
Result<bool> Bool(const json& value, const std::string& attribute) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string text = Lower(value.get<std::string>());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return InvalidValue(attribute + " must be true or false.");
}

Result<domain::Role> Role(const json& value) {
  if (!value.is_string()) return InvalidValue("A role's value must be admin or user.");
  auto role = domain::ParseRole(Lower(value.get<std::string>()));
  if (!role) return InvalidValue("A role's value must be admin or user.");
  return *role;
}

// roles: [{value, primary}] or ["admin"]: the primary one, else the first.
Result<std::optional<domain::Role>> Roles(const json& value) {
  const json* chosen = nullptr;
  if (value.is_array()) {
    for (const json& item : value) {
      const json* primary = Field(item, "primary");
      if (primary && Bool(*primary, "primary").ok() && *Bool(*primary, "primary")) chosen = &item;
    }
    if (!chosen && !value.empty()) chosen = &value.front();
  } else {
    chosen = &value;
  }
  if (!chosen) return std::optional<domain::Role>();
  const json* role = chosen->is_object() ? Field(*chosen, "value") : chosen;
  if (!role) return InvalidValue("A role needs a value, admin or user.");
  return std::optional<domain::Role>(ROSTER_TRY(Role(*role)));
}

Result<Id> MemberId(const json& item) {
  const json* value = item.is_object() ? Field(item, "value") : nullptr;
  std::optional<Id> id;
  if (value && value->is_string()) id = ParseId(value->get<std::string>());
  if (value && value->is_number_unsigned()) id = value->get<Id>();
  if (!id) return InvalidValue("A member is {\"value\": \"<user id>\"}.");
  return *id;
}

Result<std::vector<Id>> MemberIds(const json& value) {
  std::vector<Id> ids;
  if (value.is_object()) return std::vector<Id>{ROSTER_TRY(MemberId(value))};
  if (!value.is_array()) return InvalidValue("members must be a list of {\"value\": \"<user id>\"}.");
  for (const json& item : value) ids.push_back(ROSTER_TRY(MemberId(item)));
  return ids;
}

Status SetNamePart(std::string_view part, Op op, const json& value, domain::ScimName& name) {
  std::optional<std::string>* target = part == "givenname"    ? &name.given_name
                                       : part == "familyname" ? &name.family_name
                                       : part == "formatted"  ? &name.formatted
                                                              : nullptr;
  if (target == nullptr) return {};  // middleName, honorificPrefix, ...: not kept
  if (op == Op::kRemove) {
    target->reset();
  } else {
    *target = ROSTER_TRY(String(value, "name." + std::string(part)));
  }
  return {};
}

// `id` may be sent along (Okta does) but not changed.
Status CheckId(Op op, const json& value, Id id) {
  if (op != Op::kRemove && value.is_string() && value.get<std::string>() == FormatId(id)) return {};
  return Error(ProblemCode::kBadRequest, "mutability", "id is assigned by Roster.");
}

Status ApplyUserAttribute(Op op, const Path& path, const json& value, Id user_id,
                          domain::Role stored_role, app::ScimUserInput& user) {
  const std::string& attribute = path.attribute;
  if (attribute == "active") {
    if (op != Op::kRemove) user.active = ROSTER_TRY(Bool(value, "active"));
  } else if (attribute == "username") {
    if (op == Op::kRemove) {
      return Error(ProblemCode::kBadRequest, "mutability", "userName cannot be removed.");
    }
    user.user_name = ROSTER_TRY(String(value, "userName"));
  } else if (attribute == "displayname") {
    if (op == Op::kRemove) {
      user.name.display_name.reset();
    } else {
      user.name.display_name = ROSTER_TRY(String(value, "displayName"));
    }
  } else if (attribute == "externalid") {
    if (op == Op::kRemove) {
      user.external_id.reset();
    } else {
      user.external_id = ROSTER_TRY(String(value, "externalId"));
    }
  } else if (attribute == "name") {
    if (path.sub) return SetNamePart(*path.sub, op, value, user.name);
    if (op == Op::kRemove) {
      std::optional<std::string> display_name = std::move(user.name.display_name);
      user.name = {};
      user.name.display_name = std::move(display_name);
      return {};
    }
    if (!value.is_object()) return InvalidValue("name must be an object.");
    for (const auto& [key, part] : value.items()) {
      if (!part.is_null()) ROSTER_TRY_STATUS(SetNamePart(Lower(key), op, part, user.name));
    }
  } else if (attribute == "emails") {
    // The e-mail is userName; an `emails` value is accepted and not kept.
    if (path.filter && op != Op::kAdd &&
        (path.filter->attribute != "type" || Lower(path.filter->value) != "work")) {
      return Error(ProblemCode::kBadRequest, "noTarget",
                   "A member has one e-mail, of type work.");
    }
    if (path.sub && op != Op::kRemove) ROSTER_TRY(String(value, "emails.value"));
  } else if (attribute == "roles") {
    // A filter selects his one role, which is primary (Entra's
    // roles[primary eq "True"]), or nothing (RFC 7644 3.5.2).
    domain::Role role_now = user.role.value_or(stored_role);
    std::string role_name(domain::ToString(role_now));
    bool selects_none =
        path.filter && ((path.filter->attribute == "value" && Lower(path.filter->value) != role_name) ||
                        (path.filter->attribute == "primary" && Lower(path.filter->value) != "true"));
    if (op != Op::kAdd && selects_none) {
      return Error(ProblemCode::kBadRequest, "noTarget",
                   "The member's role is " + role_name + "; the filter selects none.");
    }
    if (op == Op::kRemove) {
      user.role = domain::Role::kUser;
    } else {
      auto role = path.sub ? std::optional<domain::Role>(ROSTER_TRY(Role(value)))
                           : ROSTER_TRY(Roles(value));
      if (role) user.role = role;
    }
  } else if (attribute == "id") {
    return CheckId(op, value, user_id);
  }
  return {};
}

Result<Op> ReadOp(const json& operation) {
  const json* name = Field(operation, "op");
  if (!name || !name->is_string()) return InvalidSyntax("Each operation needs an op.");
  std::string op = Lower(name->get<std::string>());
  if (op == "add") return Op::kAdd;
  if (op == "replace") return Op::kReplace;
  if (op == "remove") return Op::kRemove;
  return InvalidSyntax("op must be add, replace or remove.");
}

Result<const json*> Operations(const json& body) {
  const json* operations = Field(body, "operations");
  if (!operations || !operations->is_array() || operations->empty()) {
    return InvalidSyntax("A PatchOp needs a list of Operations.");
  }
  return operations;
}

// Calls apply(op, path, value) for each change of the operations, a
// path-less value object giving one change per key.
template <class Apply>
Status ForEachChange(const json& body, Apply apply) {
  const json* operations = ROSTER_TRY(Operations(body));
  for (const json& operation : *operations) {
    if (!operation.is_object()) return InvalidSyntax("Each operation is an object.");
    Op op = ROSTER_TRY(ReadOp(operation));
    const json* path_text = Field(operation, "path");
    const json* value = Field(operation, "value");
    static const json kNone;
    if (path_text) {
      if (!path_text->is_string()) return InvalidSyntax("path must be a string.");
      Path path = ROSTER_TRY(ParsePath(path_text->get<std::string>()));
      if (op != Op::kRemove && !value) return InvalidValue("This operation needs a value.");
      ROSTER_TRY_STATUS(apply(op, path, value ? *value : kNone));
      continue;
    }
    if (op == Op::kRemove) {
      return Error(ProblemCode::kBadRequest, "noTarget", "A remove operation needs a path.");
    }
    if (!value || !value->is_object()) {
      return InvalidValue("An operation without a path needs an object value.");
    }
    for (const auto& [key, item] : value->items()) {
      Path path = ROSTER_TRY(ParsePath(key));
      ROSTER_TRY_STATUS(apply(op, path, item));
    }
  }
  return {};
}

}  // namespace

Result<app::ScimUserInput> ReadUser(const json& body) {
  if (!body.is_object()) return InvalidSyntax("The body must be a SCIM User object.");
  app::ScimUserInput user;
  const json* user_name = Field(body, "username");
  if (!user_name) return InvalidValue("userName is required.");
  user.user_name = ROSTER_TRY(String(*user_name, "userName"));
  if (const json* name = Field(body, "name")) {
    if (!name->is_object()) return InvalidValue("name must be an object.");
    for (const auto& [key, part] : name->items()) {
      if (!part.is_null()) ROSTER_TRY_STATUS(SetNamePart(Lower(key), Op::kAdd, part, user.name));
    }
  }
  user.name.display_name = ROSTER_TRY(OptionalString(Field(body, "displayname"), "displayName"));
  user.external_id = ROSTER_TRY(OptionalString(Field(body, "externalid"), "externalId"));
  if (const json* active = Field(body, "active")) user.active = ROSTER_TRY(Bool(*active, "active"));
  if (const json* roles = Field(body, "roles")) user.role = ROSTER_TRY(Roles(*roles));
  return user;
}

Status ApplyUserPatch(const json& body, Id user_id, domain::Role stored_role,
                      app::ScimUserInput& user) {
  return ForEachChange(body, [&](Op op, const Path& path, const json& value) {
    return ApplyUserAttribute(op, path, value, user_id, stored_role, user);
  });
}

Result<GroupInput> ReadGroup(const json& body) {
  if (!body.is_object()) return InvalidSyntax("The body must be a SCIM Group object.");
  const json* name = Field(body, "displayname");
  if (!name) return InvalidValue("displayName is required.");
  GroupInput group{ROSTER_TRY(String(*name, "displayName")), std::nullopt};
  if (const json* members = Field(body, "members")) group.members = ROSTER_TRY(MemberIds(*members));
  return group;
}

Result<GroupPatch> ReadGroupPatch(const json& body, Id group_id, const std::set<Id>& current) {
  GroupPatch patch;
  std::optional<std::set<Id>> replace;
  std::set<Id> add, remove;
  auto effective = [&] {
    if (replace) return *replace;
    std::set<Id> members = current;
    members.insert(add.begin(), add.end());
    for (Id id : remove) members.erase(id);
    return members;
  };
  auto change = [&](Op op, const std::vector<Id>& ids) {
    if (op == Op::kReplace) {
      replace = std::set<Id>(ids.begin(), ids.end());
      add.clear();
      remove.clear();
      return;
    }
    for (Id id : ids) {
      if (replace) {
        op == Op::kAdd ? (void)replace->insert(id) : (void)replace->erase(id);
      } else if (op == Op::kAdd) {
        add.insert(id);
        remove.erase(id);
      } else {
        remove.insert(id);
        add.erase(id);
      }
    }
  };
  Status applied = ForEachChange(body, [&](Op op, const Path& path, const json& value) -> Status {
    if (path.attribute == "displayname") {
      if (op == Op::kRemove) return InvalidValue("displayName is required.");
      patch.display_name = ROSTER_TRY(String(value, "displayName"));
    } else if (path.attribute == "members") {
      if (path.filter) {
        std::optional<Id> id = ParseId(path.filter->value);
        if (op != Op::kRemove || path.filter->attribute != "value" || path.sub) {
          return Error(ProblemCode::kBadRequest, "invalidPath",
                       "Members are removed by members[value eq \"<user id>\"].");
        }
        if (!id) {
          return Error(ProblemCode::kBadRequest, "noTarget",
                       "No member of this group has the id " + path.filter->value + ".");
        }
        // Someone already off the group (unassigned in the console before
        // the provider pushed it) is removed as the value-list form removes
        // him: nothing to do, not an error the provider would retry.
        if (effective().count(*id)) change(Op::kRemove, {*id});
      } else if (op == Op::kRemove && value.is_null()) {
        change(Op::kReplace, {});
      } else {
        change(op, ROSTER_TRY(MemberIds(value)));
      }
    } else if (path.attribute == "id") {
      return CheckId(op, value, group_id);
    }
    return {};
  });
  if (!applied.ok()) return std::move(applied).problem();
  if (replace) patch.members.replace = std::vector<Id>(replace->begin(), replace->end());
  patch.members.add.assign(add.begin(), add.end());
  patch.members.remove.assign(remove.begin(), remove.end());
  return patch;
}

}  // namespace roster::http::scim
