#pragma once
// M/M/c queue (docs/validation.md §1.7): arrival rate lambda, service rate mu per server, c servers.
// Rates in 1/s, times in seconds. Erlang C by the Erlang B recursion (no factorials, stable for large c).
namespace cachelab::analytic {

struct Mmc {
  double lambda_per_s, mu_per_s;
  int servers;
  double offered;      // a = lambda/mu (Erlangs)
  double utilization;  // rho = a/c
  bool stable;         // rho < 1; the quantities below are +inf otherwise
  double p_wait;       // Erlang C: P(wait > 0)
  double wait_s;       // Wq
  double response_s;   // W = Wq + 1/mu
  double queue_len;    // Lq
  double in_system;    // L

  double p_wait_exceeds(double t_s) const;      // P(Wq > t) = C e^{-(c mu - lambda) t}
  double p_response_exceeds(double t_s) const;  // P(W > t), hypoexponential mixture (docs/validation.md §1.7)
  double response_quantile(double q) const;     // t with P(W <= t) = q (bisection)
  double wait_quantile(double q) const;
};

Mmc mmc(double lambda_per_s, double mu_per_s, int servers);

}  // namespace cachelab::analytic
