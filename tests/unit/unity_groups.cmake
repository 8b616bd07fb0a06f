# The unit tests compile in groups of about eight files per unit (issue 20 part 2): each test file spends most of its
# compile time parsing the same headers (GoogleTest, nlohmann/json, the kernel's), so a group parses them once.
# Groups are named here, not formed by CMake's batches, so adding a test file never changes a group: a file listed
# nowhere compiles alone. Each group compiles cleanly as one unit (no name of one file's anonymous namespace clashes
# with another's); keep it so when adding a file to a group.
# Alone on purpose: files whose parameterised tests take a type from their anonymous namespace (GCC's
# -Wsubobject-linkage fires once that file is not the main file) or whose using-directives make a name ambiguous
# next to another file: replay_bundled_trace, replay_theory, scenario_errors, workload_cli.
set(CACHELAB_UNIT_TEST_GROUPS
  "analytic_availability analytic_che analytic_estimate_popularity analytic_estimate analytic_queue arrivals client_pause clients_pool_warm"
  "clients config_once control_cron_hz control_digest control_failover control_invariants determinism dict_chains"
  "event_queue expiry failover_integration fault_declarations faults_link_slow gossip_adopt hardening_cli"
  "hardening_input hardening_output histogram hotspots lesson memory_model number_format origin"
  "plan_failure plan_grid plan_section policy_equivalence readme_claims rebalance replay_cli"
  "replay_policies replay_redis replay_stream replicas_ttl replication report results_core"
  "rng routing runaway_digits samplers sampling_hit_ratio sharding slots"
  "staleness store_maxmemory_20mb store_sampling store summary_outcomes sweep_shard_env time"
  "topology topology_zones validation_lru workload_popularity workload_stream faults sweep")

# Puts each listed test's source (unit/<name>_test.cpp) into unity group unit_<n> of `target`.
function(cachelab_unit_test_groups target)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
  set(n 0)
  foreach(group IN LISTS CACHELAB_UNIT_TEST_GROUPS)
    separate_arguments(names UNIX_COMMAND "${group}")
    list(TRANSFORM names PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/unit/")
    list(TRANSFORM names APPEND "_test.cpp")
    set_source_files_properties(${names} TARGET_DIRECTORY ${target} PROPERTIES UNITY_GROUP unit_${n})
    math(EXPR n "${n} + 1")
  endforeach()
endfunction()
