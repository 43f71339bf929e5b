# Rebuilds after a fresh clone cost minutes on a small machine (the test
# command builds twice: Release and the sanitizer build). When ccache is
# installed, compiles go through it with paths taken relative to the source
# tree and the build directory left out of the hash, so a second clone of the
# same commit, anywhere on the machine, reuses the objects of the first.
# ROSTER_CCACHE=OFF, or a launcher given on the command line, turns it off.
option(ROSTER_CCACHE "Compile through ccache when it is installed" ON)
if(ROSTER_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(ROSTER_CCACHE_PROGRAM ccache)
  if(ROSTER_CCACHE_PROGRAM)
    set(launcher env CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=1 ${ROSTER_CCACHE_PROGRAM})
    set(CMAKE_C_COMPILER_LAUNCHER ${launcher})
    set(CMAKE_CXX_COMPILER_LAUNCHER ${launcher})
  endif()
endif()
