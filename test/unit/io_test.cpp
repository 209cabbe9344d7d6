// .npy/.npz save and load (byte layout checked against NumPy's format, and
// against NumPy itself when python3-numpy is present), checkpoints of shared
// variables, loadtxt, and every bad file.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "test_util.h"
#include "theon/io.h"
#include "theon/theon.h"

using theon::Array;
using theon::DType;
using theon::Shape;

namespace {

std::string TempPath(const std::string &name) {
  return ::testing::TempDir() + "theon_io_" + name;
}

std::string ReadBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

TEST(Npy, RoundTripEveryDtypeAndShape) {
  std::mt19937 rng(3);
  for (DType dtype : {DType::Bool, DType::Int8, DType::Int16, DType::Int32, DType::Int64,
                      DType::Float32, DType::Float64})
    for (const Shape &shape : {Shape{}, Shape{0}, Shape{5}, Shape{2, 3}, Shape{2, 1, 4}}) {
      Array a = theon_test::Random(shape, dtype, rng, {-50, 50});
      std::string path = TempPath("rt.npy");
      theon::save(path, a);
      Array b = theon::load(path);
      EXPECT_EQ(b.dtype(), dtype);
      EXPECT_EQ(b.shape(), shape);
      EXPECT_EQ(b.to_vector<double>(), a.to_vector<double>());
    }
}

TEST(Npy, HeaderIsNumPys) {
  std::string path = TempPath("header.npy");
  theon::save(path, Array::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}));
  std::string bytes = ReadBytes(path);
  ASSERT_GE(bytes.size(), 64u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  std::size_t headerLen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  EXPECT_EQ((10 + headerLen) % 64, 0u);
  std::string header = bytes.substr(10, headerLen);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0), 0u) << header;
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.size(), 10 + headerLen + 6 * 4);
  theon::save(path, Array::from_vector(std::vector<std::int64_t>{7}));
  EXPECT_NE(ReadBytes(path).find("'shape': (1,), }"), std::string::npos);
}

// A file as NumPy writes a Fortran-ordered, big-endian array: read in C
// order, native endian.
TEST(Npy, FortranOrderAndBigEndian) {
  std::string header = "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }";
  header += std::string(64 - (10 + header.size() + 1) % 64, ' ') + "\n";
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  // Column-major values of [[1, 2, 3], [4, 5, 6]]: 1 4 2 5 3 6, big endian.
  for (int v : {1, 4, 2, 5, 3, 6}) {
    bytes += '\0';
    bytes += static_cast<char>(v);
  }
  std::string path = TempPath("fortran.npy");
  WriteBytes(path, bytes);
  Array a = theon::load(path);
  EXPECT_EQ(a.dtype(), DType::Int16);
  EXPECT_EQ(a.shape(), (Shape{2, 3}));
  EXPECT_EQ(a.to_vector<std::int16_t>(), (std::vector<std::int16_t>{1, 2, 3, 4, 5, 6}));
}

TEST(Npy, BadFilesAreErrors) {
  EXPECT_THROW_MSG(theon::load(TempPath("missing.npy")), theon::IOError, "cannot open",
                   "missing.npy");
  std::string path = TempPath("bad.npy");
  WriteBytes(path, "not numpy at all");
  EXPECT_THROW_MSG(theon::load(path), theon::IOError, "not a .npy file");
  theon::save(path, Array::from_vector(std::vector<double>{1, 2, 3}));
  std::string good = ReadBytes(path);
  WriteBytes(path, good.substr(0, good.size() - 5));
  EXPECT_THROW_MSG(theon::load(path), theon::IOError, "truncated", "24 bytes");
  WriteBytes(path, good.substr(0, 20));
  EXPECT_THROW_MSG(theon::load(path), theon::IOError, "truncated .npy header");
  std::string complex = good;
  complex.replace(complex.find("<f8"), 3, "<c8");
  WriteBytes(path, complex);
  EXPECT_THROW_MSG(theon::load(path), theon::TypeError, "'<c8'", "not one of Theon's");
  std::string noShape = good;
  noShape.replace(noShape.find("'shape'"), 7, "'shapf'");
  WriteBytes(path, noShape);
  EXPECT_THROW_MSG(theon::load(path), theon::IOError, "no 'shape'");
  EXPECT_THROW_MSG(theon::save("/nonexistent-dir/x.npy", Array::zeros({2})), theon::IOError,
                   "cannot write");
}

TEST(Npz, ArraysByNameAndCheckpoints) {
  std::string path = TempPath("several.npz");
  theon::save_npz(path, {{"W", Array::from_vector(std::vector<float>{1, 2, 3, 4}, {2, 2})},
                         {"b", Array::from_vector(std::vector<std::int32_t>{5, 6})}});
  auto arrays = theon::load_npz(path);
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays.at("W").to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(arrays.at("b").dtype(), DType::Int32);
  EXPECT_EQ(ReadBytes(path).substr(0, 4), std::string("PK\x03\x04", 4));

  auto w = theon::shared(Array::from_vector(std::vector<double>{1, 2}), "w");
  auto b = theon::shared(Array::from_vector(std::vector<double>{3}), "b");
  std::string ckpt = TempPath("ckpt.npz");
  theon::save_shared(ckpt, {w, b});
  w.set_value(Array::from_vector(std::vector<double>{9, 9}));
  b.set_value(Array::from_vector(std::vector<double>{9}));
  theon::load_shared(ckpt, {w, b});
  EXPECT_EQ(w.get_value().to_vector<double>(), (std::vector<double>{1, 2}));
  EXPECT_EQ(b.get_value().to_vector<double>(), (std::vector<double>{3}));

  // Bad checkpoints change nothing.
  auto other = theon::shared(Array::from_vector(std::vector<double>{0}), "other");
  EXPECT_THROW_MSG(theon::load_shared(ckpt, {w, other}), theon::IOError, "no entry named 'other'");
  auto wrongShape = theon::shared(Array::zeros({3}, DType::Float64), "w");
  EXPECT_THROW_MSG(theon::load_shared(ckpt, {b, wrongShape}), theon::ShapeError, "'w'", "(2,)",
                   "(3,)");
  EXPECT_EQ(b.get_value().to_vector<double>(), (std::vector<double>{3}));
  auto wrongType = theon::shared(Array::zeros({2}, DType::Float32), "w");
  EXPECT_THROW_MSG(theon::load_shared(ckpt, {wrongType}), theon::TypeError, "float64", "float32");
  EXPECT_THROW_MSG(theon::save_shared(ckpt, {theon::shared(Array::zeros({1}))}), theon::ValueError,
                   "needs a name");
  EXPECT_THROW_MSG(theon::save_shared(ckpt, {w, wrongShape}), theon::ValueError, "two shared");
  std::string bytes = ReadBytes(ckpt);
  WriteBytes(ckpt, bytes.substr(0, 100));
  EXPECT_THROW_MSG(theon::load_npz(ckpt), theon::IOError, "truncated");
  std::string compressed = bytes;
  compressed[8] = 8; // deflate
  WriteBytes(ckpt, compressed);
  EXPECT_THROW_MSG(theon::load_npz(ckpt), theon::IOError, "savez_compressed");
}

TEST(Loadtxt, CsvAsNumPy) {
  std::string path = TempPath("data.csv");
  WriteBytes(path, "# a header\nx,y,z\n1,2,3\n\n4, 5.5 ,-6 # comment\r\n");
  Array a = theon::loadtxt(path, ',', 2);
  EXPECT_EQ(a.shape(), (Shape{2, 3}));
  EXPECT_EQ(a.to_vector<double>(), (std::vector<double>{1, 2, 3, 4, 5.5, -6}));
  EXPECT_EQ(theon::loadtxt(path, ',', 2, DType::Float32).dtype(), DType::Float32);
  WriteBytes(path, "1 2  3\n");
  EXPECT_EQ(theon::loadtxt(path, ' ').shape(), (Shape{3}));
  WriteBytes(path, "1,2\n3\n");
  EXPECT_THROW_MSG(theon::loadtxt(path), theon::ValueError, "line 2 has 1 values", "2");
  WriteBytes(path, "1,abc\n");
  EXPECT_THROW_MSG(theon::loadtxt(path), theon::ValueError, "line 1, column 2", "'abc'");
  EXPECT_THROW_MSG(theon::loadtxt(TempPath("none.csv")), theon::IOError, "cannot open");
}

// np.load of Theon's files and Theon's load of np.save's, when NumPy is
// installed (Debian's python3-numpy); skipped otherwise.
TEST(Npy, ReadableByNumPy) {
  // Debian's python3 (where python3-numpy installs), not a pyenv shim's.
  std::string python = std::ifstream("/usr/bin/python3").good() ? "/usr/bin/python3" : "python3";
  if (std::system((python + " -c 'import numpy' > /dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << "python3-numpy is not installed";
  std::string ours = TempPath("ours.npy"), theirs = TempPath("theirs.npz");
  theon::save(ours, Array::from_vector(std::vector<double>{1.5, -2, 3}, {3, 1}));
  std::string script = "import numpy as np; a = np.load('" + ours +
                       "'); assert a.shape == (3, 1) and a.dtype == np.float64 and a[1, 0] == -2; "
                       "np.savez('" + theirs + "', w=np.arange(6, dtype=np.int32).reshape(2, 3), "
                       "f=np.asfortranarray(np.arange(6.0).reshape(2, 3)))";
  ASSERT_EQ(std::system((python + " -c \"" + script + "\"").c_str()), 0);
  auto arrays = theon::load_npz(theirs);
  EXPECT_EQ(arrays.at("w").to_vector<std::int32_t>(), (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(arrays.at("f").to_vector<double>(), (std::vector<double>{0, 1, 2, 3, 4, 5}));
}

} // namespace
