#include "learner.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

namespace mlp {

std::int32_t DataSet::n_classes() const {
  return labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
}

DataSet read_csv(const std::string &path) {
  // A first line that is not all numbers is a header (digits.csv has one).
  int skiprows = 0;
  {
    std::ifstream in(path);
    std::string first, cell;
    if (in && std::getline(in, first)) {
      std::stringstream cells(first);
      while (std::getline(cells, cell, ',')) {
        char *end = nullptr;
        std::strtod(cell.c_str(), &end);
        if (end == cell.c_str())
          skiprows = 1;
      }
    }
  }
  theon::Array table = theon::loadtxt(path, ',', skiprows, theon::DType::Float64);
  if (table.size() == 0)
    throw theon::ValueError("read_csv: '" + path + "' has no data rows");
  if (table.ndim() == 1) // loadtxt squeezes a single row
    table = table.reshape({1, table.size()});
  std::int64_t rows = table.shape()[0], cols = table.shape()[1];
  if (cols < 2)
    throw theon::ValueError("read_csv: '" + path + "': expected a label and at least one feature per row");
  DataSet data;
  data.n_features = cols - 1;
  std::vector<double> values = table.to_vector<double>();
  for (std::int64_t r = 0; r < rows; ++r) {
    double label = values[static_cast<std::size_t>(r * cols)];
    if (label < 0 || label != std::floor(label))
      throw theon::ValueError("read_csv: '" + path + "', data row " + std::to_string(r + 1) +
                              ": the label must be a non-negative integer, got " +
                              std::to_string(label));
    data.labels.push_back(static_cast<std::int32_t>(label));
    for (std::int64_t j = 1; j < cols; ++j)
      data.features.push_back(static_cast<float>(values[static_cast<std::size_t>(r * cols + j)]));
  }
  return data;
}

DataSet synthetic(std::int64_t n, std::int64_t n_features, std::int32_t n_classes,
                  std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 1);
  std::vector<float> centers(static_cast<std::size_t>(n_classes * n_features));
  for (auto &c : centers)
    c = normal(rng);
  DataSet data;
  data.n_features = n_features;
  std::uniform_int_distribution<std::int32_t> label(0, n_classes - 1);
  for (std::int64_t i = 0; i < n; ++i) {
    std::int32_t y = label(rng);
    data.labels.push_back(y);
    for (std::int64_t j = 0; j < n_features; ++j)
      data.features.push_back(0.3f * centers[static_cast<std::size_t>(y * n_features + j)] +
                              normal(rng));
  }
  return data;
}

DataSet shuffled(const DataSet &data, std::uint64_t seed) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(data.rows()));
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<std::int64_t>(i);
  std::mt19937_64 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng() % i]);
  DataSet out;
  out.n_features = data.n_features;
  out.labels.reserve(data.labels.size());
  out.features.reserve(data.features.size());
  for (std::int64_t r : order) {
    out.labels.push_back(data.labels[static_cast<std::size_t>(r)]);
    auto row = data.features.begin() + r * data.n_features;
    out.features.insert(out.features.end(), row, row + data.n_features);
  }
  return out;
}

std::pair<DataSet, DataSet> split(const DataSet &data, double fraction) {
  std::int64_t nTest = static_cast<std::int64_t>(std::round(data.rows() * fraction));
  std::int64_t nTrain = data.rows() - nTest;
  DataSet train, test;
  train.n_features = test.n_features = data.n_features;
  auto f = data.features.begin();
  train.labels.assign(data.labels.begin(), data.labels.begin() + nTrain);
  test.labels.assign(data.labels.begin() + nTrain, data.labels.end());
  train.features.assign(f, f + nTrain * data.n_features);
  test.features.assign(f + nTrain * data.n_features, data.features.end());
  return {train, test};
}

Learner::Learner(std::int64_t batch_size, double learning_rate, std::int64_t n_hidden,
                 double dropout)
    : batch_size_(batch_size), learning_rate_(learning_rate), n_hidden_(n_hidden),
      dropout_(dropout) {
  if (!(dropout >= 0 && dropout < 1))
    throw theon::ValueError("Learner: dropout must be in [0, 1), got " + std::to_string(dropout));
}

void Learner::init_model(std::int64_t n_features, std::int32_t n_classes) {
  W1_ = theon::shared(Array::uniform({n_features, n_hidden_}, -0.005, 0.005), "W1", true);
  B1_ = theon::shared(Array::zeros({n_hidden_}), "B1");
  W2_ = theon::shared(Array::uniform({n_hidden_, n_classes}, -0.005, 0.005), "W2", true);
  B2_ = theon::shared(Array::zeros({n_classes}), "B2");
  params_ = {W1_, B1_, W2_, B2_};
}

Variable Learner::softmax(const Variable &X) {
  auto e_x = T::exp(X - X.max(1).dimshuffle(0, 'x'));
  return e_x / e_x.sum(1).dimshuffle(0, 'x');
}

Variable Learner::model(const Variable &X, bool training) {
  auto h = relu(T::dot(X, W1_) + B1_);
  if (dropout_ > 0) {
    auto keep = 1 - dropout_;
    h = training ? h * srng_.binomial(h.shape(), keep, theon::config().floatX)
                 : h * static_cast<float>(keep);
  }
  return softmax(T::dot(h, W2_) + B2_);
}

Variable Learner::cross_entropy(const Variable &Yhat, const Variable &Y) {
  return T::mean(-T::log(T::diag(Yhat.T()[Y])));
}

theon::Updates Learner::update_model(const Variable &cost) {
  theon::Updates updates;
  for (auto &V : params_) {
    auto G = theon::grad(cost, V);
    auto A = theon::shared(Array::zeros(V.get_value(true).shape(), V.dtype()),
                           "A_" + V.name());
    auto A2 = A + T::sqr(G);
    auto V2 = V - learning_rate_ * G / T::sqrt(A2 + 1e-6);
    updates.add(A, A2);
    updates.add(V, V2);
  }
  return updates;
}

double Learner::fit(const DataSet &data, std::int64_t n_steps, std::int64_t print_n,
                    std::int64_t check_n, const DataSet *test, std::ostream &out) {
  if (data.rows() == 0)
    throw theon::ValueError("Learner::fit: no training data");
  build_training(data.n_features, data.n_classes());

  std::uniform_int_distribution<std::int64_t> pick(0, data.rows() - 1);
  Array x({batch_size_, data.n_features}, theon::DType::Float32);
  Array y({batch_size_}, theon::DType::Int32);
  std::vector<double> costs;
  double last = 0;
  for (std::int64_t i = 0; i < n_steps; ++i) {
    for (std::int64_t r = 0; r < batch_size_; ++r) {
      std::int64_t row = pick(rng_);
      y.data<std::int32_t>()[r] = data.labels[static_cast<std::size_t>(row)];
      std::copy_n(data.features.begin() + row * data.n_features, data.n_features,
                  x.data<float>() + r * data.n_features);
    }
    costs.push_back((*train_)(x, y)[0].item<double>());
    if ((i + 1) % print_n == 0) {
      last = std::accumulate(costs.begin(), costs.end(), 0.0) / static_cast<double>(costs.size());
      out << i + 1 << " " << last << "\n";
      costs.clear();
    }
    if (check_n > 0 && test && (i + 1) % check_n == 0)
      out << "Test classification accuracy after " << i + 1
          << " steps: " << classification_accuracy(*test) << "\n";
  }
  return last;
}

theon::Function &Learner::build_training(std::int64_t n_features, std::int32_t n_classes) {
  init_model(n_features, n_classes);
  auto X = T::matrix("X");
  auto Y = T::ivector("Y");
  auto Yhat = model(X, true);
  auto cost = cross_entropy(Yhat, Y);
  train_ = theon::function({X, Y}, {cost}, update_model(cost), {false, "train"});
  predict_.reset();
  return *train_;
}

void Learner::save(const std::string &path) const {
  if (params_.empty())
    throw theon::ValueError("Learner::save: the model has no parameters yet (fit or load first)");
  std::map<std::string, Array> arrays;
  for (const auto &p : params_)
    arrays[p.name()] = p.get_value(true);
  arrays["dropout"] = Array::scalar<double>(dropout_);
  theon::save_npz(path, arrays);
}

void Learner::load(const std::string &path) {
  auto arrays = theon::load_npz(path);
  for (const char *name : {"W1", "B1", "W2", "B2"})
    if (!arrays.count(name))
      throw theon::IOError("Learner::load: '" + path + "' has no '" + name + "'");
  const theon::Shape &w1 = arrays.at("W1").shape(), &w2 = arrays.at("W2").shape();
  if (w1.size() != 2 || w2.size() != 2)
    throw theon::ShapeError("Learner::load: W1 and W2 in '" + path + "' are not matrices");
  n_hidden_ = w1[1];
  if (arrays.count("dropout")) // predictions scale by 1 - dropout as in training
    dropout_ = arrays.at("dropout").astype(theon::DType::Float64).item<double>();
  init_model(w1[0], static_cast<std::int32_t>(w2[1]));
  theon::load_shared(path, params_); // checks every dtype and shape
  train_.reset();
  predict_.reset();
}

Array Learner::predict(const Array &x) {
  if (!predict_) {
    auto X = T::matrix("X");
    predict_ = theon::function({X}, {model(X, false)}, {false, "predict"});
  }
  return (*predict_)(x)[0];
}

double Learner::classification_accuracy(const DataSet &test) {
  if (test.rows() == 0)
    throw theon::ValueError("classification_accuracy: empty test set");
  Array x = Array::copy_of(test.features.data(), {test.rows(), test.n_features});
  Array yhat = predict(x);
  std::int64_t correct = 0;
  for (std::int64_t i = 0; i < test.rows(); ++i) {
    std::int64_t best = 0;
    for (std::int64_t k = 1; k < yhat.shape()[1]; ++k)
      if (yhat.at<float>(i, k) > yhat.at<float>(i, best))
        best = k;
    correct += best == test.labels[static_cast<std::size_t>(i)];
  }
  return static_cast<double>(correct) / static_cast<double>(test.rows());
}

} // namespace mlp
