#pragma once
// Expected unavailability of a Redis Cluster shard (one master + r replicas) from a continuous-time Markov chain,
// solved for its stationary distribution with Eigen.
// States: (failed nodes f = 0..r+1, phase) with phase "serving" or "failing over" (the master died and a replica
// has not been promoted yet); f = r+1 is "all down" (no copy left: the slots are down until a repair).
//   each live node fails at rate 1/MTBF; each failed node is repaired independently at rate 1/MTTR;
//   master failure with a live replica -> failing over, which ends at rate 1/failover_s (detection + election);
//   a repaired node rejoins as a replica, except from "all down", where it comes back as the master.
// Unavailable: "failing over" and "all down". For r = 0 this is the two-state chain U = MTTR/(MTBF + MTTR).
#include <vector>

namespace cachelab::analytic {

struct AvailabilityInputs {
  int replicas = 0;
  double mtbf_h = 8760;    // mean time between failures of one node, hours
  double mttr_h = 0.5;     // mean time to repair/restart one failed node, hours
  double failover_s = 16;  // detection (node_timeout) + election, seconds
};

struct Availability {
  double shard_unavailable;                 // stationary P(shard's slots cannot be served)
  double cluster_any_unavailable;           // P(at least one of `masters` independent shards is unavailable)
  double expected_keyspace_down;            // = shard_unavailable (each shard holds its share of the keyspace)
  double downtime_min_per_year;             // shard_unavailable x minutes in a year
  std::vector<double> state_probabilities;  // index f*2 + phase (phase 1 = failing over), for tests
};

Availability shard_availability(const AvailabilityInputs& in, int masters);

}  // namespace cachelab::analytic
