# Every third-party dependency, found once, as imported targets. All are Debian 12
# packages installed by scripts/setup.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
find_package(LibXml2 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)
find_package(ZLIB REQUIRED)
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

# CLD2 and Snowball ship no CMake or pkg-config files.
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
add_library(nd_dep_cld2 INTERFACE)
target_include_directories(nd_dep_cld2 INTERFACE ${CLD2_INCLUDE_DIR})
target_link_libraries(nd_dep_cld2 INTERFACE ${CLD2_LIBRARY})

find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY NAMES stemmer REQUIRED)
add_library(nd_dep_stemmer INTERFACE)
target_include_directories(nd_dep_stemmer INTERFACE ${STEMMER_INCLUDE_DIR})
target_link_libraries(nd_dep_stemmer INTERFACE ${STEMMER_LIBRARY})

if(ND_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
