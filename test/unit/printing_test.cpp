// debugprint, pp and to_dot: the exact text for small graphs, and DOT that
// Graphviz renders when the build found it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_util.h"
#include "theon/theon.h"

namespace T = theon::tensor;
using theon::Array;

namespace {

TEST(Printing, DebugprintIsTheanosTree) {
  auto x = T::dmatrix("x");
  auto w = theon::shared(Array::zeros({2, 2}, theon::DType::Float64), "w");
  auto h = T::tanh(T::dot(x, w));
  auto y = (h * h).set_name("y");
  std::ostringstream out;
  theon::debugprint(y, out);
  EXPECT_EQ(out.str(), "mul [id A] 'y' float64 matrix\n"
                       " |tanh [id B] float64 matrix\n"
                       " | |dot [id C] float64 matrix\n"
                       " | | |x [id D] float64 matrix (input)\n"
                       " | | |w [id E] float64 matrix (shared)\n"
                       " |tanh [id B] float64 matrix\n");
  auto f = theon::function({x}, {y}, theon::Updates{{w, w + 1.0}});
  std::ostringstream fout;
  theon::debugprint(f, fout);
  EXPECT_NE(fout.str().find("w <-\n add [id F] float64 matrix\n  |w [id E] float64 matrix (shared)\n"
                            "  |constant{1} [id G] float64 scalar\n"),
            std::string::npos)
      << fout.str();
  EXPECT_THROW(theon::debugprint(theon::Variable(), out), theon::ValueError);
}

TEST(Printing, PpIsInfix) {
  auto x = T::dvector("x");
  auto y = T::dvector("y");
  EXPECT_EQ(theon::pp(x + y * 2.0), "(x + (y * constant{2}))");
  EXPECT_EQ(theon::pp(-T::exp(x) / T::sum(y)), "(-exp(x) / sum(y))");
  EXPECT_EQ(theon::pp(T::cast(x, theon::DType::Float32)), "x.astype(float32)");
}


/// Renders `dot` to SVG with Graphviz when CMake found it; the SVG's text.
std::string RenderSvg(const std::string &dot, const std::string &name) {
#ifdef THEON_DOT_EXECUTABLE
  std::string base = testing::TempDir() + "theon_" + name;
  std::ofstream(base + ".dot") << dot;
  std::string command = std::string("'") + THEON_DOT_EXECUTABLE + "' -Tsvg '" + base +
                        ".dot' -o '" + base + ".svg' 2> '" + base + ".err'";
  int rc = std::system(command.c_str());
  std::ifstream err(base + ".err"), svg(base + ".svg");
  std::stringstream e, text;
  e << err.rdbuf();
  text << svg.rdbuf();
  EXPECT_EQ(rc, 0) << e.str() << "\n" << dot;
  EXPECT_EQ(e.str(), "") << dot; // no warnings either
  for (const char *suffix : {".dot", ".svg", ".err"})
    std::remove((base + suffix).c_str());
  return text.str();
#else
  (void)dot;
  (void)name;
  return "";
#endif
}

TEST(Printing, ToDotDrawsTheUsersGraphAndTheCompiledOne) {
  auto x = T::dmatrix("x");
  auto w = theon::shared(Array::zeros({2, 2}, theon::DType::Float64), "w");
  auto cost = T::sum(T::sqr(T::tanh(T::dot(x, w)))).set_name("cost");
  auto f = theon::function({x}, {cost}, theon::Updates{{w, w - 0.1 * theon::grad(cost, w)}});
  std::string dot = theon::to_dot(f);
  EXPECT_EQ(dot.rfind("digraph theon {\n", 0), 0u) << dot;
  EXPECT_NE(dot.find("[label=\"sum 'cost'\\nfloat64 scalar\", shape=box]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"x\\nfloat64 matrix\", shape=ellipse"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"w\\nfloat64 matrix\", shape=box, style=\"rounded,filled\""),
            std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"output 0\", shape=plaintext]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"update\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"grad[0] 'grad_w'\\nfloat64 matrix\""), std::string::npos) << dot;
  EXPECT_EQ(dot.back(), '\n');
  std::string svg = RenderSvg(dot, "user");
#ifdef THEON_DOT_EXECUTABLE
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("cost"), std::string::npos);
#endif
  // Names with quotes and backslashes stay inside their labels.
  auto odd = T::dvector("a \"quoted\\\" name");
  std::string oddDot = theon::to_dot(T::exp(odd));
  EXPECT_NE(oddDot.find("a \\\"quoted\\\\\\\" name"), std::string::npos) << oddDot;
  RenderSvg(oddDot, "odd");
  // The optimized graph: after autodiff, stabilization and fusion.
  EXPECT_THROW(theon::to_dot(f, true), theon::ValueError); // not compiled yet
  f(theon_test::Iota({3, 2}));
  std::string optimized = theon::to_dot(f, true);
  EXPECT_NE(optimized.find("digraph"), std::string::npos);
  EXPECT_NE(optimized.find("linalg.generic"), std::string::npos) << optimized;
  EXPECT_EQ(optimized.find("theon.grad"), std::string::npos) << optimized;
  RenderSvg(optimized, "optimized");
  EXPECT_THROW(theon::to_dot(theon::Variable()), theon::ValueError);
}

} // namespace
