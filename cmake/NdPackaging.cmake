# Installation and the Debian package (issue 10).
#
# `cmake --install <build> --prefix P` (`make install PREFIX=P`; DESTDIR is honoured)
# installs:
#   P/bin/newsdesk                        the binary (apps/newsdesk/CMakeLists.txt)
#   ETC/newsdesk/newsdesk.toml            the default configuration; ETC is /etc when P is
#                                         /usr, else P/etc
#   UNITS/newsdesk.service                the systemd unit; UNITS is /lib/systemd/system
#                                         when P is /usr, else P/lib/systemd/system
#   P/share/man/man1/newsdesk.1.gz        generated from --help at build time (help2man)
#   P/share/doc/newsdesk/                 README, operations and configuration docs,
#                                         copyright, changelog
# The binary reads no data files at run time: the gazetteer (src/text) and the site CSS
# (src/web/site_css.cc) are compiled in; only the configuration and the database are read.
#
# `cpack -G DEB` in a build directory (the `package` target; `make package`) packages that
# build as newsdesk_<version>_<arch>.deb with prefix /usr: conffile
# /etc/newsdesk/newsdesk.toml, the unit running as the system user newsdesk with the state
# directory /var/lib/newsdesk, maintainer scripts from packaging/, Depends computed by
# dpkg-shlibdeps.

include(GNUInstallDirs)

set(ND_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(ND_PACKAGING_OUT ${PROJECT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${ND_PACKAGING_OUT})

# The man page, regenerated whenever the binary is relinked.
find_program(ND_HELP2MAN help2man)
if(ND_HELP2MAN)
  set(ND_MANPAGE ${ND_PACKAGING_OUT}/newsdesk.1.gz)
  add_custom_command(OUTPUT ${ND_MANPAGE}
    COMMAND sh ${ND_PACKAGING_DIR}/gen_manpage.sh $<TARGET_FILE:newsdesk> ${ND_MANPAGE}
    DEPENDS newsdesk ${ND_PACKAGING_DIR}/gen_manpage.sh
    COMMENT "Generating the newsdesk(1) man page from --help"
    VERBATIM)
  add_custom_target(nd_manpage ALL DEPENDS ${ND_MANPAGE})
  install(FILES ${ND_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page is built or installed (scripts/setup "
                 "installs help2man)")
endif()

set(ND_DEB_MAINTAINER "newsdesk maintainers <newsdesk@example.org>"
    CACHE STRING "Maintainer field of the Debian package and its changelog")

# Documentation, with the Debian copyright file and a compressed changelog.
configure_file(${ND_PACKAGING_DIR}/changelog.in ${ND_PACKAGING_OUT}/changelog @ONLY)
execute_process(COMMAND gzip -9 -n -f ${ND_PACKAGING_OUT}/changelog)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${ND_PACKAGING_DIR}/copyright
              ${ND_PACKAGING_OUT}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# The configuration and the unit go under /etc and /lib when the prefix is /usr, which is
# only known at install time (cpack installs with prefix /usr into a staging DESTDIR), so
# this install step computes the paths and writes the unit with the binary's real path.
install(CODE "set(ND_PACKAGING_DIR \"${ND_PACKAGING_DIR}\")
set(ND_PACKAGING_OUT \"${ND_PACKAGING_OUT}\")")
install(CODE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(nd_etc_dir "/etc")
    set(nd_unit_dir "/lib/systemd/system")
  else()
    set(nd_etc_dir "${CMAKE_INSTALL_PREFIX}/etc")
    set(nd_unit_dir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  endif()
  set(ND_BINDIR "${CMAKE_INSTALL_PREFIX}/bin")
  set(ND_CONFIG "${nd_etc_dir}/newsdesk/newsdesk.toml")
  # One generated unit per prefix, so that installs to two prefixes at once never mix.
  string(MD5 nd_prefix_hash "${CMAKE_INSTALL_PREFIX}")
  set(nd_unit "${ND_PACKAGING_OUT}/unit-${nd_prefix_hash}/newsdesk.service")
  configure_file("${ND_PACKAGING_DIR}/newsdesk.service.in" "${nd_unit}" @ONLY)
  file(INSTALL DESTINATION "${nd_etc_dir}/newsdesk" TYPE FILE
       FILES "${ND_PACKAGING_DIR}/newsdesk.toml")
  file(INSTALL DESTINATION "${nd_unit_dir}" TYPE FILE FILES "${nd_unit}")
]])

# The Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME newsdesk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "newsdesk")
set(CPACK_PACKAGE_CONTACT "${ND_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "self-hosted news desk: sources to stories, site, API and feeds")
# Lines of at most 80 characters (lintian); a blank line separates paragraphs.
set(CPACK_PACKAGE_DESCRIPTION
    "newsdesk reads the news sources an editor picks (RSS, Atom, JSON Feed,
OPML, single pages), extracts each article, groups the reports about one
event into a story, writes a short article per story in which every
sentence cites its report, links related stories, and publishes a web
site, a JSON API and feeds in English, Simplified and Traditional Chinese.

This package runs it as the systemd service newsdesk.service (system user
newsdesk, archive in /var/lib/newsdesk, configuration in
/etc/newsdesk/newsdesk.toml), serving on 127.0.0.1:8080.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ND_PACKAGING_DIR}/conffiles ${ND_PACKAGING_DIR}/postinst ${ND_PACKAGING_DIR}/prerm
    ${ND_PACKAGING_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# Install with prefix /usr into the staging directory (DESTDIR), so that the install step
# above sees /usr and places /etc and /lib paths.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
