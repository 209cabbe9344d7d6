// theon::function's options: givens (Theano's minibatch-of-a-shared-data-set
// pattern), default input values, no default updates, and functions with no
// inputs or no outputs.
#include <gtest/gtest.h>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;
using theon::DType;

namespace {

TEST(Givens, MinibatchOfASharedDataSet) {
  // The Theano tutorial's logistic-regression loop: the data live in shared
  // variables; an integer index picks the minibatch through givens.
  const std::int64_t n = 40, batch = 10, features = 3;
  Array data = theon_test::Iota({n, features});
  auto data_x = theon::shared(data.astype(DType::Float64), "data_x");
  auto w = theon::shared(Array::zeros({features}, DType::Float64), "w");
  auto index = T::lscalar("index");
  auto x = T::dmatrix("x");
  auto cost = T::mean(T::sqr(T::dot(x, w) - 1.0));
  auto train = theon::function({index}, {cost}, theon::Updates{{w, w - 1e-4 * theon::grad(cost, w)}},
                               theon::Givens{{x, data_x[index * batch + T::arange(batch)]}});
  // The same steps with the minibatches passed as arguments.
  auto w2 = theon::shared(Array::zeros({features}, DType::Float64), "w2");
  auto cost2 = T::mean(T::sqr(T::dot(x, w2) - 1.0));
  auto direct = theon::function({x}, {cost2}, theon::Updates{{w2, w2 - 1e-4 * theon::grad(cost2, w2)}});
  for (int step = 0; step < 8; ++step) {
    std::int64_t i = step % (n / batch);
    Array all = data.astype(DType::Float64);
    Array rows = Array::copy_of(all.data<double>() + i * batch * features, {batch, features});
    double a = train(i)[0].item<double>();
    double b = direct(rows)[0].item<double>();
    EXPECT_EQ(a, b) << "step " << step;
  }
  EXPECT_EQ(w.get_value().to_vector<double>(), w2.get_value().to_vector<double>());
  EXPECT_NE(w.get_value().to_vector<double>(), (std::vector<double>{0, 0, 0}));
  // An index past the data is an IndexError, and nothing changes.
  Array before = w.get_value();
  EXPECT_THROW(train(4), theon::IndexError);
  EXPECT_EQ(w.get_value().to_vector<double>(), before.to_vector<double>());
}

TEST(Givens, ReplaceASharedVariableAndShapesFollow) {
  auto W = theon::shared(Array::full({2, 2}, 1.0, DType::Float64), "W");
  auto x = T::dvector("x");
  auto y = T::dot(W, x);
  auto other = T::dmatrix("other");
  // W replaced by an input expression: the function does not read W.
  auto f = theon::function({x, other}, {y, y.shape(0)}, theon::Updates{},
                           theon::Givens{{W, other * 2.0}});
  auto out = f(Array::from_vector(std::vector<double>{1, 1, 1}),
               theon_test::Iota({3, 3}));
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{6, 24, 42}));
  EXPECT_EQ(out[1].item<std::int64_t>(), 3);
  // The same through FunctionOptions.
  auto g = theon::function({x, other}, {y},
                           theon::FunctionOptions{}.with_givens({{W, other}}));
  EXPECT_EQ(g(Array::from_vector(std::vector<double>{1, 0}), theon_test::Iota({2, 2}))[0]
                .to_vector<double>(),
            (std::vector<double>{0, 2}));
}

TEST(Givens, BadEntriesAreClearErrors) {
  auto x = T::dmatrix("x"), v = T::dvector("v");
  auto i = T::lscalar("i");
  auto y = T::sum(x);
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, v}}), theon::TypeError);
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, T::imatrix()}}),
               theon::TypeError);
  try {
    theon::function({x}, {y}, theon::Updates{}, theon::Givens{{x, x * 2.0}});
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("which is an input of the function"), std::string::npos)
        << e.what();
  }
  auto z = T::dmatrix("z");
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, z}, {z, x}}),
               theon::ValueError);
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, z}, {x, z}}),
               theon::ValueError);
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, theon::Variable()}}),
               theon::ValueError);
  // A replacement that needs an input not listed.
  EXPECT_THROW(theon::function({i}, {y}, theon::Updates{}, theon::Givens{{x, z}}), theon::ValueError);
  auto row = T::drow("r");
  EXPECT_THROW(theon::function({x}, {T::sum(row)}, theon::Updates{}, theon::Givens{{row, x}}),
               theon::TypeError);
}

TEST(Defaults, TrailingInputsTakeTheirDefaults) {
  auto x = T::dvector("x");
  auto scale = T::dscalar("scale");
  auto shift = T::lscalar("shift");
  auto f = theon::function({x, scale, shift}, {x * scale + shift},
                           theon::FunctionOptions{}
                               .with_default(scale, Array::scalar<double>(2.0))
                               .with_default(shift, Array::scalar<std::int32_t>(1)));
  Array v = Array::from_vector(std::vector<double>{1, 2});
  EXPECT_EQ(f(v)[0].to_vector<double>(), (std::vector<double>{3, 5}));
  EXPECT_EQ(f(v, 3.0)[0].to_vector<double>(), (std::vector<double>{4, 7}));
  EXPECT_EQ(f(v, 3.0, 0)[0].to_vector<double>(), (std::vector<double>{3, 6}));
  EXPECT_THROW(f(), theon::TypeError); // x has no default
  EXPECT_THROW(theon::function({x, scale}, {x * scale},
                               theon::FunctionOptions{}.with_default(shift, Array::scalar<double>(1))),
               theon::ValueError);
  EXPECT_THROW(theon::function({x, scale}, {x * scale},
                               theon::FunctionOptions{}.with_default(scale, Array::zeros({2}))),
               theon::TypeError);
  EXPECT_THROW(theon::function({x, shift}, {x * shift},
                               theon::FunctionOptions{}.with_default(shift, Array::scalar<double>(1.5))),
               theon::TypeError);
}

TEST(FunctionShape, NoInputsNoOutputs) {
  auto counter = theon::shared(Array::scalar<std::int64_t>(0), "counter");
  auto tick = theon::function({}, {}, theon::Updates{{counter, counter + 1}});
  EXPECT_TRUE(tick().empty());
  tick();
  EXPECT_EQ(counter.get_value().item<std::int64_t>(), 2);
  auto nothing = theon::function({}, {});
  EXPECT_TRUE(nothing().empty());
  auto constant = theon::function({}, {T::arange(3) * 2});
  EXPECT_EQ(constant()[0].to_vector<std::int64_t>(), (std::vector<std::int64_t>{0, 2, 4}));
}

} // namespace
