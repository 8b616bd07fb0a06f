# `make package`: a Debian package built by CPack (issue 20). It installs
#   /usr/bin/cachelab, /usr/bin/cachelab-live, /usr/bin/cachelab-gui   (whichever parts this build has)
#   /usr/lib/cachelab/libcachelab_sim.so                                 (private: the binaries find it by RUNPATH)
#   /usr/share/cachelab/scenarios/...                                    (demos, capacity studies, lessons, validation)
#   /usr/share/doc/cachelab/...                                          (the READMEs and docs/)
# and declares its dependencies from the shared libraries it links (dpkg-shlibdeps), so `apt install ./cachelab_*.deb`
# pulls libhiredis, Qt and the rest from Debian. redis-server is only recommended: the simulator needs no Redis.
set(CACHELAB_PRIVATE_LIBDIR lib/cachelab)
install(TARGETS cachelab_sim LIBRARY DESTINATION ${CACHELAB_PRIVATE_LIBDIR} COMPONENT cachelab)
foreach(exe cachelab cachelab-live cachelab-gui)
  if(TARGET ${exe})
    # $ORIGIN keeps the package relocatable: the same binaries run from a scratch root (CI's install check).
    set_target_properties(${exe} PROPERTIES INSTALL_RPATH "$ORIGIN/../${CACHELAB_PRIVATE_LIBDIR}")
    install(TARGETS ${exe} RUNTIME DESTINATION bin COMPONENT cachelab)
  endif()
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION share/cachelab/scenarios COMPONENT cachelab)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/cachelab COMPONENT cachelab)
foreach(doc sim gui live results)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${doc}/README.md)
    install(FILES ${PROJECT_SOURCE_DIR}/${doc}/README.md DESTINATION share/doc/cachelab/${doc} COMPONENT cachelab)
  endif()
endforeach()
if(EXISTS ${PROJECT_SOURCE_DIR}/docs)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/doc/cachelab COMPONENT cachelab)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cachelab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "cachelab developers <cachelab@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # cachelab_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)  # release binaries without symbols: the package is what users download
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/sim)  # our own libcachelab_sim.so
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server (>= 5:7.0), redis-tools")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Discrete-event simulator and test lab for cache clusters
 cachelab simulates Redis Cluster and its kin (slots, routing, gossip and failover, memory and eviction,
 clients, stampede protections) from a scenario file, runs the same workload against real Redis
 (cachelab live), and shows both in a Qt dashboard (cachelab-gui).")
include(CPack)
