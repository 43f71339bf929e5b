# Installation and the Debian package (scripts/package.sh runs `cpack -G DEB`
# in the build directory; docs/install.md is the operator's side):
#
#   /usr/bin/roster                     the executable
#   /usr/share/roster/web/              the console (`roster serve` looks in
#                                       ../share/roster/web beside its bin/)
#   /lib/systemd/system/roster.service  the hardened unit, user roster
#   /etc/roster/roster.env              settings, a conffile
#
# State lives in /var/lib/roster, which the postinst creates with the user
# (packaging/debian/). Dependencies are the shared libraries the executable
# links, found by dpkg-shlibdeps, plus what the maintainer scripts run.
include(GNUInstallDirs)
# Installing (and so cpack) needs only the executable and the console, which
# scripts/package.sh builds; not every test binary of `all` as well.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS roster RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(ROSTER_BUILD_WEB)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/roster/web)
endif()
# Debian 12 keeps the units of packages in /lib/systemd/system.
install(FILES packaging/roster.service DESTINATION /lib/systemd/system)
install(FILES packaging/roster.env DESTINATION /etc/roster
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

set(CPACK_PACKAGE_NAME roster)
set(CPACK_PACKAGE_VENDOR "Roster")
set(CPACK_PACKAGE_CONTACT "Roster maintainers <roster@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted team-management server with a web console")
set(CPACK_PACKAGE_DESCRIPTION
    "Roster runs an organization's sales team: members and their roles, invitations by\n"
    "e-mail with one-time passwords, AI assistants shared between members, and the\n"
    "leads each member may see. One server process (HTTP API, web console, e-mail\n"
    "sender) on SQLite or PostgreSQL, run by systemd as the user roster.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # roster_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser: the postinst creates the user; the rest are essential.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
