# The versions cachelab is built and tested with (Debian 12, README.md "Requirements"), checked here so that an
# older system stops at configure time with the Debian package to install and the version it has, not with a
# compiler error deep in a header. Each minimum is the version Debian 12 ships: the only one we can test here.
#   cachelab_require(<what> <found version> <minimum> <Debian package>)
function(cachelab_require what found minimum package)
  if(NOT found)
    message(FATAL_ERROR "cachelab needs ${what} >= ${minimum}: not found. On Debian/Ubuntu: apt install ${package}")
  endif()
  if(found VERSION_LESS minimum)
    message(FATAL_ERROR "cachelab needs ${what} >= ${minimum} (package ${package}); found ${found}. "
                        "Install a newer ${package}, or build on Debian 12 or later (README.md, Requirements).")
  endif()
endfunction()

# C++20 as GCC 12 implements it (std::bit_cast, <bit>, designated initializers, <=> defaults); older compilers
# miss parts of the library the kernel uses.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  cachelab_require("g++" "${CMAKE_CXX_COMPILER_VERSION}" 12 g++)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  cachelab_require("clang++" "${CMAKE_CXX_COMPILER_VERSION}" 14 clang)
endif()

find_package(Boost QUIET)
cachelab_require("Boost (Boost.Graph)" "${Boost_VERSION}" 1.74 libboost-graph-dev)
find_package(Eigen3 QUIET NO_MODULE)
cachelab_require("Eigen" "${Eigen3_VERSION}" 3.4 libeigen3-dev)
find_package(nlohmann_json QUIET)
cachelab_require("nlohmann-json" "${nlohmann_json_VERSION}" 3.11 nlohmann-json3-dev)
find_package(CLI11 QUIET)
cachelab_require("CLI11" "${CLI11_VERSION}" 2.1 libcli11-dev)
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "cachelab needs pkg-config: not found. On Debian/Ubuntu: apt install pkg-config")
endif()
pkg_check_modules(CACHELAB_ZSTD_VERSION QUIET libzstd)
cachelab_require("libzstd" "${CACHELAB_ZSTD_VERSION_VERSION}" 1.4 libzstd-dev)
if(CACHELAB_LIVE)
  pkg_check_modules(CACHELAB_HIREDIS_VERSION QUIET hiredis)
  cachelab_require("hiredis (live mode; -DCACHELAB_LIVE=OFF to skip it)" "${CACHELAB_HIREDIS_VERSION_VERSION}" 0.14
                   libhiredis-dev)
endif()
if(CACHELAB_GUI)
  find_package(Qt6 QUIET COMPONENTS Core)
  cachelab_require("Qt 6 (the dashboard; -DCACHELAB_GUI=OFF to skip it)" "${Qt6_VERSION}" 6.4
                   "qt6-base-dev qt6-charts-dev qt6-svg-dev")
endif()
if(CACHELAB_TESTS)
  find_package(GTest QUIET)
  cachelab_require("GoogleTest (the tests; -DCACHELAB_TESTS=OFF to skip them)" "${GTest_VERSION}" 1.12
                   "libgtest-dev libgmock-dev")
endif()
