# Every dependency comes from Debian 12's packages (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 CONFIG QUIET)
find_package(CURL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# TOTP (RFC 6238) for two-factor sign-in: Debian's liboath-dev.
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
find_package(PostgreSQL REQUIRED)
if(ROSTER_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

# SOCI ships no CMake config on Debian 12: find its libraries by name.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
add_library(roster_soci INTERFACE)
target_include_directories(roster_soci INTERFACE ${SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(roster_soci INTERFACE
  ${SOCI_SQLITE3_LIBRARY} ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_CORE_LIBRARY}
  PkgConfig::SQLITE3 ${PostgreSQL_LIBRARIES} ${CMAKE_DL_LIBS})
# UBSan's vptr check needs the type_info of every polymorphic class it sees
# used; Debian's libsoci does not export those of its statement classes
# (ref_counted_statement, ref_counted_prepare_info), so code that includes
# SOCI's headers (store/, the store and mail tests: only they link
# roster_soci) does not link with the check. The rest of UBSan stays on.
if(ROSTER_SANITIZE MATCHES "undefined|vptr")
  target_compile_options(roster_soci INTERFACE -fno-sanitize=vptr)
endif()

find_path(ZXCVBN_INCLUDE_DIR zxcvbn.h REQUIRED)
find_library(ZXCVBN_LIBRARY NAMES zxcvbn REQUIRED)
add_library(roster_zxcvbn INTERFACE)
target_include_directories(roster_zxcvbn INTERFACE ${ZXCVBN_INCLUDE_DIR})
target_link_libraries(roster_zxcvbn INTERFACE ${ZXCVBN_LIBRARY})
