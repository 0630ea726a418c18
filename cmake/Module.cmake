# vidgen_module(NAME DEPS...): one static library per folder under src/. Its dependencies are the layering of
# ARCHITECTURE.md: a module that includes a header of one it does not list fails to build.
function(vidgen_module name)
  cmake_parse_arguments(M "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)  # a module that is only headers so far
    add_library(vidgen_${name} INTERFACE)
    target_include_directories(vidgen_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(vidgen_${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(vidgen_${name} STATIC ${sources})
  target_include_directories(vidgen_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(vidgen_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# vidgen_test(MODULE DEPS... [PROPERTIES ...]): one GoogleTest binary per module from
# tests/<module>/*_test.cpp; PROPERTIES are added to each discovered test (a ctest fixture, for example).
function(vidgen_test name)
  cmake_parse_arguments(T "" "" "PROPERTIES" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(${name}_tests ${sources})
  target_link_libraries(${name}_tests PRIVATE ${T_UNPARSED_ARGUMENTS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name}_tests PRIVATE
    VIDGEN_SOURCE_DIR="${PROJECT_SOURCE_DIR}" VIDGEN_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
  gtest_discover_tests(${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "VIDGEN_QUIET=1" ${T_PROPERTIES})
endfunction()
