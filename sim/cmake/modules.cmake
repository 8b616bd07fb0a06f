# The kernel's modules and the one place their dependencies are declared (issue 14 part 5; sim/README.md, "Modules").
#
# cachelab_module(NAME [DIRS d...] [HEADERS h...] [DEPS m...] [PENDING m...])
#   DIRS     folders under src/ and include/cachelab/ that belong to the module
#   HEADERS  single headers (under include/cachelab/) that belong to it although their folder is another module's
#   DEPS     the modules it may include and call: the grain
#   PENDING  inversions that still exist and are allowed until they are moved away (each names what is left to do);
#            the include check prints them, so the list only shrinks
# Each module with sources is an OBJECT library cachelab_<name>; cachelab_sim is built from all of them. Two checks
# hold the grain: cachelab_layer_<name> links the module's objects with only its dependencies' objects and
# -Wl,--no-undefined (a call against the grain fails to link), and the CTest LayerIncludes reads every
# #include "cachelab/<module>/..." in sim/ against this table (tools/check_layers.py, via sim_modules.json).
set_property(GLOBAL PROPERTY CACHELAB_MODULES "")

function(cachelab_module name)
  cmake_parse_arguments(M "" "" "DIRS;HEADERS;DEPS;PENDING" ${ARGN})
  set_property(GLOBAL APPEND PROPERTY CACHELAB_MODULES ${name})
  set_property(GLOBAL PROPERTY CACHELAB_MODULE_${name}_DIRS "${M_DIRS}")
  set_property(GLOBAL PROPERTY CACHELAB_MODULE_${name}_HEADERS "${M_HEADERS}")
  set_property(GLOBAL PROPERTY CACHELAB_MODULE_${name}_DEPS "${M_DEPS}")
  set_property(GLOBAL PROPERTY CACHELAB_MODULE_${name}_PENDING "${M_PENDING}")
endfunction()

# Bottom to top. A module may depend only on modules declared above it (PENDING edges excepted).
cachelab_module(io       DIRS io)
cachelab_module(schema   DIRS schema)
cachelab_module(config   HEADERS scenario/scenario.hpp cache/store_config.hpp client/client_config.hpp cluster/control/control_config.hpp)  # the typed scenario and the components' config structs it holds (plain types, standard headers only)
cachelab_module(core     DIRS core dist   DEPS schema)
cachelab_module(protocol DIRS protocol    DEPS core)
cachelab_module(cache    DIRS cache       DEPS core config)
cachelab_module(replay   DIRS replay      DEPS core cache io)
cachelab_module(net      DIRS net         DEPS core schema config)
cachelab_module(faults   DIRS faults      DEPS core schema net)
cachelab_module(workload DIRS workload    DEPS core schema config protocol replay)
cachelab_module(results  DIRS results     DEPS io schema config)
cachelab_module(metrics  DIRS metrics     DEPS core protocol results)
cachelab_module(origin   DIRS origin      DEPS core cache protocol metrics config)
cachelab_module(cluster  DIRS cluster     DEPS core config cache net protocol)
cachelab_module(client   DIRS client      DEPS core cache protocol metrics origin config)
cachelab_module(analytic DIRS analytic    DEPS core io cache config protocol workload cluster client)
cachelab_module(scenario DIRS scenario    DEPS core io schema config cache faults net replay results workload)
cachelab_module(run      DIRS run         DEPS core io schema config protocol cache replay net faults workload results
                                               metrics origin cluster client analytic scenario)
cachelab_module(sweep    DIRS sweep       DEPS core io schema config results analytic scenario run)
cachelab_module(report   DIRS report      DEPS io results)
cachelab_module(lesson   DIRS lesson      DEPS core io schema config results scenario run)
