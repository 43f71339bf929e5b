# gtest_discover_tests(), with one addition for every test binary: a test
# that calls GTEST_SKIP counts as skipped in ctest, not as passed, so a
# missing PostgreSQL or HAProxy shows, and scripts/test.sh fails the run.
function(roster_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PROPERTIES")
  gtest_discover_tests(${target} ${arg_UNPARSED_ARGUMENTS}
    PROPERTIES SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]" ${arg_PROPERTIES})
endfunction()
