// The seed program: the cheat sheet's Learner learns the synthetic set.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "learner.h"

TEST(SeedMlp, LearnsWellAboveChance) {
  mlp::DataSet data = mlp::synthetic(2000, 64, 10, 3);
  auto [train, test] = mlp::split(data, 0.25);
  mlp::Learner learner(32, 0.1, 50);
  std::ostringstream log;
  double lastCost = learner.fit(train, 600, 200, -1, nullptr, log);
  double accuracy = learner.classification_accuracy(test);
  EXPECT_GT(accuracy, 0.5) << log.str(); // chance is 0.1
  EXPECT_LT(lastCost, 1.0) << log.str();  // log(10) = 2.3 at the start
  EXPECT_EQ(learner.train_function().num_compiled(), 1u);
}

// The README's main job on the data it ships: the digits, shuffled with
// the default seed, reach over 93 % after 1000 steps (97 % after 3000).
TEST(SeedMlp, LearnsTheShippedDigits) {
  mlp::DataSet data = mlp::read_csv(THEON_MLP_DIGITS);
  ASSERT_EQ(data.rows(), 1797);
  ASSERT_EQ(data.n_features, 64);
  ASSERT_EQ(data.n_classes(), 10);
  auto [train, test] = mlp::split(mlp::shuffled(data, 42), 0.2);
  mlp::Learner learner(32, 0.1, 100);
  std::ostringstream log;
  learner.fit(train, 1000, 500, -1, nullptr, log);
  EXPECT_GT(learner.classification_accuracy(test), 0.93) << log.str();
}

// A fixed seed gives the same order, and every row exactly once.
TEST(SeedMlp, ShuffleIsAPermutationFixedBySeed) {
  mlp::DataSet data = mlp::synthetic(50, 3, 5, 1);
  mlp::DataSet a = mlp::shuffled(data, 7), b = mlp::shuffled(data, 7), c = mlp::shuffled(data, 8);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.features, b.features);
  EXPECT_NE(a.features, c.features);
  std::vector<float> sortedA = a.features, sortedData = data.features;
  std::sort(sortedA.begin(), sortedA.end());
  std::sort(sortedData.begin(), sortedData.end());
  EXPECT_EQ(sortedA, sortedData);
}

TEST(SeedMlp, CsvReaderReportsBadRows) {
  std::string path = ::testing::TempDir() + "/theon_bad.csv";
  {
    std::ofstream out(path);
    out << "1,0.5,0.25\n0,abc,1\n";
  }
  try {
    mlp::read_csv(path);
    FAIL();
  } catch (const theon::ValueError &e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(mlp::read_csv(path + ".missing"), theon::IOError);
}

TEST(SeedMlp, CsvRoundTrip) {
  std::string path = ::testing::TempDir() + "/theon_good.csv";
  {
    std::ofstream out(path);
    out << "label,a,b\n2,0.5,0.25\n0,1,2\n";
  }
  mlp::DataSet d = mlp::read_csv(path);
  EXPECT_EQ(d.rows(), 2);
  EXPECT_EQ(d.n_features, 2);
  EXPECT_EQ(d.n_classes(), 3);
  EXPECT_EQ(d.features, (std::vector<float>{0.5f, 0.25f, 1, 2}));
}

// A trained Learner saved and loaded into a new Learner predicts the same.
TEST(SeedMlp, SaveAndLoad) {
  mlp::DataSet data = mlp::read_csv(THEON_MLP_DIGITS);
  auto [train, test] = mlp::split(mlp::shuffled(data, 42), 0.2);
  mlp::Learner learner(32, 0.1, 20);
  std::ostringstream quiet;
  learner.fit(train, 50, 50, -1, nullptr, quiet);
  std::string path = ::testing::TempDir() + "/theon_learner.npz";
  learner.save(path);
  mlp::Learner restored(32, 0.1, /*n_hidden, read from the file=*/1);
  restored.load(path);
  theon::Array x = theon::Array::copy_of(test.features.data(), {test.rows(), test.n_features});
  EXPECT_EQ(restored.predict(x).to_vector<float>(), learner.predict(x).to_vector<float>());
  EXPECT_EQ(restored.classification_accuracy(test), learner.classification_accuracy(test));
  EXPECT_THROW(mlp::Learner(32, 0.1, 20).save(path), theon::ValueError);
  EXPECT_THROW(mlp::Learner(32, 0.1, 20).load(path + ".missing"), theon::IOError);
}
