# Runs `npm ci` in SOURCE_DIR when node_modules is missing or package-lock.json
# is newer than the last install (npm's node_modules/.package-lock.json); then
# touches STAMP, which the build step depends on, so that a fresh install
# rebuilds the console. Usage:
#   cmake -DSOURCE_DIR=... -DSTAMP=... -DNPM=... -P npm_ci.cmake

set(lock "${SOURCE_DIR}/package-lock.json")
set(installed "${SOURCE_DIR}/node_modules/.package-lock.json")

set(reason "")
if(NOT EXISTS "${installed}")
  set(reason "node_modules is missing")
elseif("${lock}" IS_NEWER_THAN "${installed}")
  set(reason "package-lock.json changed")
endif()

if(reason)
  message(STATUS "npm ci in ${SOURCE_DIR} (${reason})")
  execute_process(
    COMMAND "${NPM}" ci --no-audit --no-fund
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${SOURCE_DIR} (exit ${result})")
  endif()
  file(TOUCH "${STAMP}")
elseif(NOT EXISTS "${STAMP}")
  file(TOUCH "${STAMP}")
endif()
