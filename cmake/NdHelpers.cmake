# nd_add_library(name SOURCES ... DEPS ...): one static library per stage; includes are
# rooted at src/ ("core/status.h").
function(nd_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# nd_add_test(name SOURCES ... DEPS ...): a GoogleTest binary registered with ctest. Tests
# find fixtures through ND_TEST_DATA_DIR and the source tree through ND_SOURCE_DIR.
function(nd_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    ND_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    ND_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
