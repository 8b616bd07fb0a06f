#include "cachelab/analytic/popularity.hpp"

#include <cmath>

namespace cachelab::analytic {

std::vector<PopClass> zipf_classes(uint64_t n, double alpha, uint64_t exact_head) {
  std::vector<PopClass> out;
  const uint64_t head = std::min(n, exact_head);
  out.reserve(head + 4097);
  double norm = 0;
  for (uint64_t k = 1; k <= head; ++k) {
    const double w = std::pow(static_cast<double>(k), -alpha);
    out.push_back({1.0, w, k});
    norm += w;
  }
  if (n > head) {
    // Sum_{k=head+1}^{n} g(k) ~ Integral_{head+1/2}^{n+1/2} g(x) dx; with x = e^t, dx = x dt. Simpson in t with an
    // even number of panels: node weight (h/3) * {1,4,2,...,4,1} * x_j, so the class count is that weight.
    const int panels = 4096;
    const double t0 = std::log(static_cast<double>(head) + 0.5), t1 = std::log(static_cast<double>(n) + 0.5);
    const double h = (t1 - t0) / panels;
    for (int j = 0; j <= panels; ++j) {
      const double x = std::exp(t0 + j * h);
      const double simpson = (j == 0 || j == panels) ? 1.0 : (j % 2 ? 4.0 : 2.0);
      const double count = h / 3.0 * simpson * x;
      const double w = std::pow(x, -alpha);
      out.push_back({count, w, 0});
      norm += count * w;
    }
  }
  for (auto& c : out) c.p /= norm;
  return out;
}

std::vector<PopClass> uniform_classes(uint64_t n) {
  return {{static_cast<double>(n), 1.0 / static_cast<double>(n), 0}};
}

std::vector<PopClass> pmf_classes(const std::vector<double>& weights) {
  double norm = 0;
  for (double w : weights) norm += w;
  std::vector<PopClass> out;
  out.reserve(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) out.push_back({1.0, weights[i] / norm, i + 1});
  return out;
}

double total_keys(const std::vector<PopClass>& classes) {
  double n = 0;
  for (const auto& c : classes) n += c.count;
  return n;
}

}  // namespace cachelab::analytic
