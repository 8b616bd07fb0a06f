#include "cachelab/analytic/erlang.hpp"

#include <cmath>
#include <limits>

namespace cachelab::analytic {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

template <class Tail>
double quantile(double q, Tail tail) {
  double lo = 0, hi = 1e-6;
  while (tail(hi) > 1 - q && hi < 1e12) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (tail(mid) > 1 - q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}
}  // namespace

Mmc mmc(double lambda, double mu, int c) {
  Mmc r{};
  r.lambda_per_s = lambda;
  r.mu_per_s = mu;
  r.servers = c;
  r.offered = lambda / mu;
  r.utilization = r.offered / c;
  r.stable = r.utilization < 1;
  if (!r.stable) {
    r.p_wait = 1;
    r.wait_s = r.response_s = r.queue_len = r.in_system = kInf;
    return r;
  }
  // Erlang B: B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)); Erlang C = c B / (c - a (1 - B)).
  double b = 1;
  for (int k = 1; k <= c; ++k) b = r.offered * b / (k + r.offered * b);
  r.p_wait = c * b / (c - r.offered * (1 - b));
  r.wait_s = r.p_wait / (c * mu - lambda);
  r.response_s = r.wait_s + 1 / mu;
  r.queue_len = r.p_wait * r.utilization / (1 - r.utilization);
  r.in_system = r.queue_len + r.offered;
  return r;
}

double Mmc::p_wait_exceeds(double t) const {
  if (!stable) return 1;
  return t < 0 ? 1 : p_wait * std::exp(-(servers * mu_per_s - lambda_per_s) * t);
}

double Mmc::p_response_exceeds(double t) const {
  if (!stable) return 1;
  if (t <= 0) return 1;
  const double mu = mu_per_s, theta = servers * mu_per_s - lambda_per_s;
  const double e_mu = std::exp(-mu * t);
  // W = Wq + S: with probability 1-C just S ~ Exp(mu); with C, Exp(theta) + Exp(mu). When theta == mu the
  // hypoexponential becomes Erlang-2: P = e^{-mu t}(1 + mu t).
  double both;
  if (std::abs(theta - mu) < 1e-9 * mu)
    both = e_mu * (1 + mu * t);
  else
    both = (theta * e_mu - mu * std::exp(-theta * t)) / (theta - mu);
  return (1 - p_wait) * e_mu + p_wait * both;
}

double Mmc::response_quantile(double q) const {
  if (!stable) return kInf;
  return quantile(q, [this](double t) { return p_response_exceeds(t); });
}

double Mmc::wait_quantile(double q) const {
  if (!stable) return kInf;
  if (1 - q >= p_wait) return 0;
  return std::log(p_wait / (1 - q)) / (servers * mu_per_s - lambda_per_s);
}

}  // namespace cachelab::analytic
