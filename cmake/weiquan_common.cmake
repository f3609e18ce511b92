# One INTERFACE target carries what every Weiquan target shares: the language standard, the warning
# policy, the optional sanitizer instrumentation, and the header-only Result type in include/.
add_library(weiquan_common INTERFACE)
target_compile_features(weiquan_common INTERFACE cxx_std_20)
target_include_directories(weiquan_common INTERFACE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(weiquan_common INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                                -Wno-missing-field-initializers)
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string operator+ / insert at -O2
# (GCC bug 105651); the warning stays on at every other optimisation level and compiler.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(weiquan_common INTERFACE $<$<NOT:$<CONFIG:Debug>>:-Wno-restrict>)
endif()
if(WEIQUAN_SANITIZE)
  target_compile_options(weiquan_common INTERFACE -fsanitize=address,undefined
                                                  -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(weiquan_common INTERFACE -fsanitize=address,undefined)
endif()

# weiquan_module(<name> DEPS <targets...>): a library for one top-level folder. Public headers live
# under <folder>/include/weiquan/<folder>/, sources under <folder>/src/ stay private, so including
# another module's internals does not compile.
function(weiquan_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;SOURCES" ${ARGN})
  add_library(weiquan_${name} STATIC ${ARG_SOURCES})
  add_library(weiquan::${name} ALIAS weiquan_${name})
  target_include_directories(weiquan_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(weiquan_${name} PUBLIC weiquan_common ${ARG_DEPS})
endfunction()
