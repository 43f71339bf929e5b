# The layer graph of docs/architecture.md, checked on every #include of src/:
#   cmake -DSOURCE_DIR=<repo>/src -P CheckLayers.cmake
# Each folder may include the folders listed for it (http/api is its own
# layer, "http_api"). Unit tests (*_test.cpp) are exempt: they link what
# they test with. An app/ header that includes store/, auth/ or mail/ is
# internal to app/: only app/ may include it, so that store types never
# reach the HTTP layer. Fails listing every violation.
cmake_minimum_required(VERSION 3.20)
set(allowed_core core)
set(allowed_domain core domain)
set(allowed_store core domain store)
set(allowed_auth core domain auth)
set(allowed_mail core domain store mail)
set(allowed_app core domain store auth mail app)
set(allowed_http core http)
set(allowed_http_api core domain app http http_api)
set(allowed_cli core domain store auth mail app http http_api cli)

function(layer_of path out)
  if(path MATCHES "^http/api/")
    set(${out} http_api PARENT_SCOPE)
  else()
    string(REGEX MATCH "^[a-z_]+" first "${path}")
    set(${out} "${first}" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*.cpp" "${SOURCE_DIR}/*.hpp")

# app/ headers that reach below app's public face.
set(internal_app_headers "")
foreach(source IN LISTS sources)
  if(source MATCHES "^app/.*\\.hpp$")
    file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "^#include \"(store|auth|mail)/")
    if(lines)
      list(APPEND internal_app_headers "${source}")
    endif()
  endif()
endforeach()

set(violations "")
foreach(source IN LISTS sources)
  if(source MATCHES "_test\\.cpp$")
    continue()
  endif()
  layer_of("${source}" layer)
  if(NOT DEFINED allowed_${layer})
    list(APPEND violations "${source}: folder '${layer}' is not in the layer graph")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${source}" includes REGEX "^#include \"[a-z_]+/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" included "${line}")
    layer_of("${included}" target)
    if(NOT target IN_LIST allowed_${layer})
      list(APPEND violations "${source} includes ${included}: ${layer} may not depend on ${target}")
    elseif(included IN_LIST internal_app_headers AND NOT layer STREQUAL "app")
      list(APPEND violations "${source} includes ${included}, which is internal to app/")
    endif()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "Includes that break the layers:\n  ${text}")
endif()
list(LENGTH sources count)
message(STATUS "${count} files follow the layer graph")
