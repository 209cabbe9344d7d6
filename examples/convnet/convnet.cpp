#include "convnet.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

namespace convnet {

namespace T = theon::tensor;
namespace nnet = theon::tensor::nnet;
using theon::Array;
using theon::Variable;

namespace {

std::uint32_t bigEndian(std::ifstream &in, const std::string &path) {
  unsigned char b[4];
  if (!in.read(reinterpret_cast<char *>(b), 4))
    throw theon::IOError("read_mnist: '" + path + "' ends inside its header");
  return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) |
         std::uint32_t(b[3]);
}

/// One IDX file: its dimensions and its unsigned bytes.
std::vector<unsigned char> readIdx(const std::string &path, std::uint32_t magic,
                                   std::vector<std::uint32_t> &dims) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw theon::IOError("read_mnist: cannot open '" + path + "'");
  if (bigEndian(in, path) != magic)
    throw theon::IOError("read_mnist: '" + path + "' is not an IDX file of unsigned bytes with " +
                         std::to_string(magic & 0xff) + " dimensions");
  std::uint64_t count = 1;
  for (std::uint32_t k = 0; k < (magic & 0xff); ++k) {
    dims.push_back(bigEndian(in, path));
    count *= dims.back();
  }
  std::vector<unsigned char> bytes(count);
  if (!in.read(reinterpret_cast<char *>(bytes.data()), static_cast<std::streamsize>(count)))
    throw theon::IOError("read_mnist: '" + path + "' is shorter than its header says");
  return bytes;
}

mlp::DataSet readSet(const std::string &dir, const std::string &prefix) {
  std::vector<std::uint32_t> imageDims, labelDims;
  std::vector<unsigned char> pixels = readIdx(dir + "/" + prefix + "-images-idx3-ubyte", 0x803, imageDims);
  std::vector<unsigned char> labels = readIdx(dir + "/" + prefix + "-labels-idx1-ubyte", 0x801, labelDims);
  if (imageDims[0] != labelDims[0])
    throw theon::IOError("read_mnist: " + prefix + " has " + std::to_string(imageDims[0]) +
                         " images but " + std::to_string(labelDims[0]) + " labels");
  mlp::DataSet data;
  data.n_features = std::int64_t(imageDims[1]) * imageDims[2];
  data.labels.assign(labels.begin(), labels.end());
  data.features.reserve(pixels.size());
  for (unsigned char p : pixels)
    data.features.push_back(static_cast<float>(p) / 255.0f);
  return data;
}

/// He's uniform initialization for a layer with `fanIn` inputs per unit.
theon::SharedVariable weights(theon::Shape shape, std::int64_t fanIn, const std::string &name) {
  double bound = std::sqrt(6.0 / static_cast<double>(fanIn));
  return theon::shared(Array::uniform(std::move(shape), -bound, bound), name, true);
}

} // namespace

std::pair<mlp::DataSet, mlp::DataSet> read_mnist(const std::string &dir) {
  return {readSet(dir, "train"), readSet(dir, "t10k")};
}

ConvNet::ConvNet(std::int64_t side, std::int32_t n_classes, std::int64_t filters1,
                 std::int64_t filters2, std::uint64_t seed, std::int64_t channels)
    : side_(side), channels_(channels), n_classes_(n_classes), rng_(seed) {
  if (side < 4)
    throw theon::ValueError("ConvNet: images must be at least 4x4, got side " + std::to_string(side));
  std::int64_t pooled = side / 2 / 2;
  W1_ = weights({filters1, channels, 3, 3}, channels * 9, "W1");
  b1_ = theon::shared(Array::zeros({filters1}), "b1");
  W2_ = weights({filters2, filters1, 3, 3}, filters1 * 9, "W2");
  b2_ = theon::shared(Array::zeros({filters2}), "b2");
  W3_ = weights({filters2 * pooled * pooled, n_classes}, filters2 * pooled * pooled, "W3");
  b3_ = theon::shared(Array::zeros({n_classes}), "b3");
  params_ = {W1_, b1_, W2_, b2_, W3_, b3_};
}

Variable ConvNet::model(const Variable &X) const {
  // As in a Theano LeNet: "half" keeps the size, 2x2 max pooling halves it.
  Variable h1 = nnet::relu(nnet::conv2d(X, W1_, "half") + b1_.dimshuffle('x', 0, 'x', 'x'));
  Variable p1 = nnet::pool_2d(h1, {2, 2}, /*ignore_border=*/true);
  Variable h2 = nnet::relu(nnet::conv2d(p1, W2_, "half") + b2_.dimshuffle('x', 0, 'x', 'x'));
  Variable p2 = nnet::pool_2d(h2, {2, 2}, /*ignore_border=*/true);
  return nnet::softmax(T::dot(p2.flatten(2), W3_) + b3_);
}

theon::Function &ConvNet::build_training(double learning_rate) {
  auto X = T::tensor4("X");
  auto Y = T::ivector("Y");
  Variable cost = T::mean(nnet::categorical_crossentropy(model(X), Y));
  theon::Updates updates;
  for (auto &V : params_) { // Adagrad, as the cheat sheet's Learner
    Variable G = theon::grad(cost, V);
    auto A = theon::shared(Array::zeros(V.get_value(true).shape(), V.dtype()), "A_" + V.name());
    Variable A2 = A + T::sqr(G);
    updates.add(A, A2);
    updates.add(V, V - learning_rate * G / T::sqrt(A2 + 1e-6));
  }
  train_ = theon::function({X, Y}, {cost}, updates, {false, "train"});
  return *train_;
}

double ConvNet::fit(const mlp::DataSet &data, std::int64_t n_steps, std::int64_t batch,
                    double learning_rate, std::int64_t print_n, std::ostream &out) {
  if (data.rows() == 0)
    throw theon::ValueError("ConvNet::fit: no training data");
  if (data.n_features != channels_ * side_ * side_)
    throw theon::ValueError("ConvNet::fit: rows of " + std::to_string(data.n_features) +
                            " features are not " + std::to_string(channels_) + "x" +
                            std::to_string(side_) + "x" + std::to_string(side_) + " images");
  build_training(learning_rate);
  std::uniform_int_distribution<std::int64_t> pick(0, data.rows() - 1);
  Array x({batch, channels_, side_, side_}, theon::DType::Float32);
  Array y({batch}, theon::DType::Int32);
  std::vector<double> costs;
  double last = 0;
  for (std::int64_t step = 0; step < n_steps; ++step) {
    for (std::int64_t r = 0; r < batch; ++r) {
      std::int64_t row = pick(rng_);
      y.data<std::int32_t>()[r] = data.labels[static_cast<std::size_t>(row)];
      std::copy_n(data.features.begin() + row * data.n_features, data.n_features,
                  x.data<float>() + r * data.n_features);
    }
    costs.push_back((*train_)(x, y)[0].item<double>());
    if ((step + 1) % print_n == 0) {
      last = std::accumulate(costs.begin(), costs.end(), 0.0) / static_cast<double>(costs.size());
      out << step + 1 << " " << last << "\n";
      costs.clear();
    }
  }
  return last;
}

double ConvNet::classification_accuracy(const mlp::DataSet &test) {
  if (test.rows() == 0)
    throw theon::ValueError("classification_accuracy: empty test set");
  if (!predict_) {
    auto X = T::tensor4("X");
    predict_ = theon::function({X}, {T::argmax(model(X), 1)}, {false, "predict"});
  }
  // In chunks: the columns of a whole test set's convolutions need not fit.
  const std::int64_t chunk = 500;
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < test.rows(); start += chunk) {
    std::int64_t n = std::min(chunk, test.rows() - start);
    Array x = Array::copy_of(test.features.data() + start * test.n_features, {n, channels_, side_, side_});
    std::vector<std::int64_t> best = (*predict_)(x)[0].to_vector<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i)
      correct += best[static_cast<std::size_t>(i)] == test.labels[static_cast<std::size_t>(start + i)];
  }
  return static_cast<double>(correct) / static_cast<double>(test.rows());
}

} // namespace convnet
