#include "cachelab/analytic/availability.hpp"

#include <cmath>

#include <Eigen/Dense>

namespace cachelab::analytic {

Availability shard_availability(const AvailabilityInputs& in, int masters) {
  const int r = in.replicas, n = r + 1;
  const double lam = 1 / (in.mtbf_h * 3600), mu = 1 / (in.mttr_h * 3600), fo = 1 / in.failover_s;
  // Index: f*2 + phase. Phase 1 only exists for 1 <= f <= r (a replica is left to promote); unused states keep
  // a zero row/column apart from a self-loop fixed below so the system stays non-singular.
  const int states = 2 * (n + 1);
  auto idx = [](int f, int phase) { return f * 2 + phase; };
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(states, states);
  auto add = [&](int from, int to, double rate) {
    Q(from, to) += rate;
    Q(from, from) -= rate;
  };
  for (int f = 0; f <= n; ++f) {
    const int alive = n - f;
    if (f == n) {  // all down: a repair brings one node back as master
      add(idx(n, 0), idx(n - 1, 0), n * mu);
      continue;
    }
    // serving: master + (alive - 1) replicas up
    const int s = idx(f, 0);
    if (alive >= 2)
      add(s, idx(f + 1, 1), lam);  // master dies, a replica can take over
    else
      add(s, idx(n, 0), lam);  // master was the last copy
    if (alive >= 2) add(s, idx(f + 1, 0), (alive - 1) * lam);
    if (f > 0) add(s, idx(f - 1, 0), f * mu);
    // failing over (only with f >= 1 and a live replica)
    if (f >= 1) {
      const int p = idx(f, 1);
      add(p, idx(f, 0), fo);
      if (alive >= 2)
        add(p, idx(f + 1, 1), alive * lam);
      else
        add(p, idx(n, 0), alive * lam);
      add(p, idx(f - 1, 1 * (f - 1 >= 1)), f * mu);
    }
  }
  // Stationary: pi Q = 0, sum pi = 1. Unreachable states (phase 1 at f = 0 and at f = n) are pinned to 0.
  Eigen::MatrixXd A = Q.transpose();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(states);
  for (int unused : {idx(0, 1), idx(n, 1)}) {
    A.row(unused).setZero();
    A(unused, unused) = 1;
  }
  A.row(0).setOnes();  // replace the first balance equation by the normalisation
  b(0) = 1;
  A(0, idx(0, 1)) = 0;
  A(0, idx(n, 1)) = 0;
  const Eigen::VectorXd pi = A.fullPivLu().solve(b);
  Availability out{};
  out.state_probabilities.assign(pi.data(), pi.data() + states);
  double down = pi(idx(n, 0));
  for (int f = 1; f <= r; ++f) down += pi(idx(f, 1));
  out.shard_unavailable = down;
  out.expected_keyspace_down = down;
  out.cluster_any_unavailable = 1 - std::pow(1 - down, masters);
  out.downtime_min_per_year = down * 365.25 * 24 * 60;
  return out;
}

}  // namespace cachelab::analytic
