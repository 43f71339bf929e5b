# Writes OUTPUT, a C++ file holding every migration in FILES (in order) as a
# raw string, so the executable carries its own schema.
set(content "// Generated from src/store/migrations by EmbedMigrations.cmake.\n")
string(APPEND content "#include \"store/migrations.hpp\"\n\nnamespace roster::store {\n\n")
string(APPEND content "const std::vector<Migration>& Migrations() {\n  static const std::vector<Migration> migrations = {\n")
foreach(file IN LISTS FILES)
  get_filename_component(name ${file} NAME)
  string(REGEX MATCH "^V([0-9]+)__" _ ${name})
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ ${file} sql)
  string(APPEND content "      {${version}, \"${name}\", R\"roster_sql(${sql})roster_sql\"},\n")
endforeach()
string(APPEND content "  };\n  return migrations;\n}\n\n}  // namespace roster::store\n")
file(WRITE ${OUTPUT} "${content}")
