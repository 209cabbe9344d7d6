// The seed program: the cheat sheet's Learner learns the synthetic set.
#include <gtest/gtest.h>

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
    EXPECT_NE(std::string(e.what()).find(":2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(mlp::read_csv(path + ".missing"), theon::ValueError);
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
