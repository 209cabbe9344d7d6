#include "gru.h"

#include <cmath>
#include <numeric>

namespace rnn {

namespace T = theon::tensor;
using theon::Array;
using theon::Variable;
using Vars = std::vector<Variable>;

AddingBatch adding_batch(std::int64_t steps, std::int64_t batch, std::mt19937_64 &rng) {
  if (steps < 2)
    throw theon::ValueError("adding_batch: sequences need at least 2 steps, got " +
                            std::to_string(steps));
  std::uniform_real_distribution<float> number(0, 1);
  Array x = Array::zeros({steps, batch, 2}, theon::DType::Float32);
  Array y({batch}, theon::DType::Float32);
  float *xs = x.data<float>();
  for (std::int64_t b = 0; b < batch; ++b) {
    // One marker in each half, as in the usual formulation.
    std::int64_t first = std::uniform_int_distribution<std::int64_t>(0, steps / 2 - 1)(rng);
    std::int64_t second = std::uniform_int_distribution<std::int64_t>(steps / 2, steps - 1)(rng);
    float sum = 0;
    for (std::int64_t t = 0; t < steps; ++t) {
      float v = number(rng);
      xs[(t * batch + b) * 2] = v;
      if (t == first || t == second) {
        xs[(t * batch + b) * 2 + 1] = 1;
        sum += v;
      }
    }
    y.data<float>()[b] = sum;
  }
  return {x, y};
}

namespace {
theon::SharedVariable uniform(theon::Shape shape, double bound, const std::string &name) {
  return theon::shared(Array::uniform(std::move(shape), -bound, bound), name, true);
}
} // namespace

GruRegressor::GruRegressor(std::int64_t inputs, std::int64_t hidden, std::uint64_t seed)
    : hidden_(hidden), rng_(seed) {
  double bx = 1 / std::sqrt(static_cast<double>(inputs)), bh = 1 / std::sqrt(static_cast<double>(hidden));
  // Update and reset gates side by side: [z | r].
  W_ = uniform({inputs, 2 * hidden}, bx, "W");
  U_ = uniform({hidden, 2 * hidden}, bh, "U");
  b_ = theon::shared(Array::zeros({2 * hidden}), "b");
  Wh_ = uniform({inputs, hidden}, bx, "Wh");
  Uh_ = uniform({hidden, hidden}, bh, "Uh");
  bh_ = theon::shared(Array::zeros({hidden}), "bh");
  V_ = uniform({hidden, 1}, bh, "V");
  c_ = theon::shared(Array::zeros({1}), "c");
  params_ = {W_, U_, b_, Wh_, Uh_, bh_, V_, c_};
}

Variable GruRegressor::last_hidden(const Variable &x) const {
  auto h0 = T::zeros({x.shape(1), T::as_tensor(hidden_)}, theon::config().floatX);
  auto step = [&](const Vars &a) {
    const Variable &xt = a[0], &h = a[1];
    Variable gates = T::sigmoid(T::dot(xt, W_) + T::dot(h, U_) + b_);
    Variable z = gates(T::_, T::slice(0, hidden_));
    Variable r = gates(T::_, T::slice(hidden_, std::nullopt));
    Variable candidate = T::tanh(T::dot(xt, Wh_) + T::dot(r * h, Uh_) + bh_);
    return Vars{(1 - z) * h + z * candidate};
  };
  theon::ScanResult result = theon::scan(step, {x}, {h0});
  return result.outputs[0][-1];
}

theon::Function &GruRegressor::build_training(double lr) {
  auto x = T::tensor3("x");
  auto y = T::vector("y");
  Variable prediction = (T::dot(last_hidden(x), V_) + c_).flatten();
  Variable cost = T::mean(T::sqr(prediction - y));
  // Adam (Kingma & Ba), written as Theano updates.
  auto t = theon::shared(Array::scalar<float>(0), "adam_t");
  Variable t1 = t + 1.0f;
  Variable correction = T::sqrt(1.0f - T::pow(0.999f, t1)) / (1.0f - T::pow(0.9f, t1));
  theon::Updates updates{{t, t1}};
  for (auto &p : params_) {
    Variable g = theon::grad(cost, p);
    auto m = theon::shared(Array::zeros(p.get_value(true).shape()), "m_" + p.name());
    auto v = theon::shared(Array::zeros(p.get_value(true).shape()), "v_" + p.name());
    Variable m1 = 0.9f * m + 0.1f * g, v1 = 0.999f * v + 0.001f * T::sqr(g);
    updates.add(m, m1);
    updates.add(v, v1);
    updates.add(p, p - static_cast<float>(lr) * correction * m1 / (T::sqrt(v1) + 1e-8f));
  }
  train_ = theon::function({x, y}, {cost}, updates, {false, "train"});
  return *train_;
}

theon::Function &GruRegressor::build_prediction() {
  auto x = T::tensor3("x");
  predict_ = theon::function({x}, {(T::dot(last_hidden(x), V_) + c_).flatten()}, {false, "predict"});
  return *predict_;
}

double GruRegressor::fit(std::int64_t steps, std::int64_t seq_len, std::int64_t batch, double lr,
                         std::int64_t print_n, std::ostream &out) {
  build_training(lr);
  std::vector<double> costs;
  double last = 0;
  for (std::int64_t i = 0; i < steps; ++i) {
    AddingBatch b = adding_batch(seq_len, batch, rng_);
    costs.push_back((*train_)(b.x, b.y)[0].item<double>());
    if ((i + 1) % print_n == 0) {
      last = std::accumulate(costs.begin(), costs.end(), 0.0) / static_cast<double>(costs.size());
      out << i + 1 << " " << last << "\n";
      costs.clear();
    }
  }
  return last;
}

double GruRegressor::evaluate(std::int64_t seq_len, std::int64_t batch, int batches) {
  if (!predict_)
    build_prediction();
  double total = 0;
  for (int k = 0; k < batches; ++k) {
    AddingBatch b = adding_batch(seq_len, batch, rng_);
    std::vector<float> p = (*predict_)(b.x)[0].to_vector<float>();
    std::vector<float> y = b.y.to_vector<float>();
    for (std::size_t i = 0; i < p.size(); ++i)
      total += (p[i] - y[i]) * (p[i] - y[i]);
  }
  return total / static_cast<double>(batches * batch);
}

} // namespace rnn
