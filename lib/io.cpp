// .npy / .npz reading and writing, checkpoints, loadtxt (include/theon/io.h).
#include "theon/io.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "theon/error.h"

namespace theon {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string descrOf(DType dtype) {
  switch (dtype) {
  case DType::Bool: return "|b1";
  case DType::Int8: return "|i1";
  case DType::Int16: return "<i2";
  case DType::Int32: return "<i4";
  case DType::Int64: return "<i8";
  case DType::Float32: return "<f4";
  case DType::Float64: return "<f8";
  }
  return "";
}

std::string readFile(const std::string &path, const char *what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw IOError(std::string(what) + ": cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void writeFile(const std::string &path, const std::string &bytes, const char *what) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw IOError(std::string(what) + ": cannot write '" + path + "': " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    throw IOError(std::string(what) + ": writing '" + path + "' failed");
}

/// The .npy bytes of `array`.
std::string npyBytes(const Array &array) {
  Array a = array.contiguous();
  // Python's tuple: "()", "(3,)", "(2, 3)".
  std::string shape = "(";
  for (std::size_t i = 0; i < a.shape().size(); ++i)
    shape += (i ? ", " : "") + std::to_string(a.shape()[i]);
  shape += a.shape().size() == 1 ? ",)" : ")";
  std::string header = "{'descr': '" + descrOf(a.dtype()) + "', 'fortran_order': False, 'shape': " +
                       shape + ", }";
  // Padded with spaces and a newline so that the data starts at a multiple
  // of 64 bytes, as NumPy writes it.
  std::size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  auto len = static_cast<std::uint16_t>(header.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  out += header;
  out.append(static_cast<const char *>(a.raw_data()),
             static_cast<std::size_t>(a.size()) * dtype_size(a.dtype()));
  return out;
}

/// The value of `key` in a .npy header dict, as text.
std::string headerField(const std::string &header, const std::string &key, const std::string &where) {
  std::size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    throw IOError(where + ": the .npy header has no '" + key + "': " + header);
  std::size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    throw IOError(where + ": malformed .npy header: " + header);
  std::size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos)
    throw IOError(where + ": malformed .npy header: " + header);
  char open = header[start];
  std::size_t end;
  if (open == '\'' || open == '"')
    end = header.find(open, start + 1) + 1;
  else if (open == '(')
    end = header.find(')', start) + 1;
  else
    end = header.find_first_of(",}", start);
  if (end == std::string::npos || end == 0)
    throw IOError(where + ": malformed .npy header: " + header);
  return header.substr(start, end - start);
}

Array parseNpy(const std::string &bytes, const std::string &where) {
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0)
    throw IOError(where + ": not a .npy file (no \\x93NUMPY magic)");
  int major = static_cast<unsigned char>(bytes[6]);
  std::size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      throw IOError(where + ": truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    headerStart = 12;
  } else {
    throw IOError(where + ": unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < headerStart + headerLen)
    throw IOError(where + ": truncated .npy header");
  std::string header = bytes.substr(headerStart, headerLen);
  std::string descr = headerField(header, "descr", where);
  descr = descr.substr(1, descr.size() - 2);
  bool fortran = headerField(header, "fortran_order", where) == "True";
  std::string shapeText = headerField(header, "shape", where);
  Shape shape;
  for (std::size_t i = 1; i < shapeText.size();) {
    std::size_t j = shapeText.find_first_of(",)", i);
    std::string item = shapeText.substr(i, j - i);
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) {
      char *endp = nullptr;
      long long d = std::strtoll(item.c_str(), &endp, 10);
      if (*endp != '\0' && *endp != 'L' || d < 0)
        throw IOError(where + ": bad shape " + shapeText + " in the .npy header");
      shape.push_back(d);
    }
    if (j == std::string::npos || shapeText[j] == ')')
      break;
    i = j + 1;
  }
  if (descr.size() < 3)
    throw IOError(where + ": bad dtype '" + descr + "' in the .npy header");
  char order = descr[0];
  std::string kind = descr.substr(1);
  static const std::map<std::string, DType> kinds = {
      {"b1", DType::Bool},  {"i1", DType::Int8},    {"i2", DType::Int16},  {"i4", DType::Int32},
      {"i8", DType::Int64}, {"f4", DType::Float32}, {"f8", DType::Float64}};
  auto found = kinds.find(kind);
  if (found == kinds.end() || (order != '<' && order != '>' && order != '|' && order != '='))
    throw TypeError(where + ": dtype '" + descr +
                    "' is not one of Theon's (bool, int8, int16, int32, int64, float32, float64)");
  DType dtype = found->second;
  std::size_t item = dtype_size(dtype);
  std::int64_t count = 1;
  for (auto d : shape)
    if (__builtin_mul_overflow(count, d, &count))
      throw IOError(where + ": shape " + shapeText + " is too large");
  std::size_t dataStart = headerStart + headerLen;
  std::size_t need = static_cast<std::size_t>(count) * item;
  if (bytes.size() - dataStart < need)
    throw IOError(where + ": truncated: the header promises " + std::to_string(need) +
                  " bytes of data, the file has " + std::to_string(bytes.size() - dataStart));
  Array out(shape, dtype);
  auto *dst = static_cast<char *>(out.raw_data());
  const char *src = bytes.data() + dataStart;
  for (std::int64_t f = 0; f < count; ++f) {
    // Fortran order: C element f is at the reversed index's position.
    std::int64_t from = f;
    if (fortran && shape.size() > 1) {
      std::int64_t rest = f, stride = 1;
      from = 0;
      std::vector<std::int64_t> idx(shape.size());
      for (std::size_t d = shape.size(); d-- > 0;) {
        idx[d] = rest % shape[d];
        rest /= shape[d];
      }
      for (std::size_t d = 0; d < shape.size(); ++d) {
        from += idx[d] * stride;
        stride *= shape[d];
      }
    }
    std::memcpy(dst + static_cast<std::size_t>(f) * item, src + static_cast<std::size_t>(from) * item, item);
    if (order == '>' && item > 1)
      std::reverse(dst + static_cast<std::size_t>(f) * item, dst + static_cast<std::size_t>(f + 1) * item);
  }
  return out;
}

// ---- zip (stored) for .npz --------------------------------------------------

std::uint32_t crc32(const std::string &data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data)
    c = table[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put16(std::string &s, std::uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string &s, std::uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
std::uint32_t get16(const std::string &s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8);
}
std::uint32_t get32(const std::string &s, std::size_t at) { return get16(s, at) | (get16(s, at + 2) << 16); }

} // namespace

void save(const std::string &path, const Array &array) { writeFile(path, npyBytes(array), "save"); }

Array load(const std::string &path) { return parseNpy(readFile(path, "load"), "load '" + path + "'"); }

void save_npz(const std::string &path, const std::map<std::string, Array> &arrays) {
  std::string out, central;
  std::uint32_t entries = 0;
  for (const auto &[name, array] : arrays) {
    if (name.empty())
      throw ValueError("save_npz: an array has an empty name");
    std::string file = name + ".npy", data = npyBytes(array);
    if (out.size() + data.size() > 0xFFFFFFFFu)
      throw ValueError("save_npz: archives above 4 GiB (zip64) are not supported");
    std::uint32_t crc = crc32(data), offset = static_cast<std::uint32_t>(out.size());
    auto size = static_cast<std::uint32_t>(data.size());
    // Local file header, stored (method 0).
    put32(out, 0x04034b50);
    put16(out, 20); put16(out, 0); put16(out, 0); put16(out, 0); put16(out, 0x21);
    put32(out, crc); put32(out, size); put32(out, size);
    put16(out, static_cast<std::uint32_t>(file.size())); put16(out, 0);
    out += file + data;
    put32(central, 0x02014b50);
    put16(central, 20); put16(central, 20); put16(central, 0); put16(central, 0);
    put16(central, 0); put16(central, 0x21);
    put32(central, crc); put32(central, size); put32(central, size);
    put16(central, static_cast<std::uint32_t>(file.size()));
    put16(central, 0); put16(central, 0); put16(central, 0); put16(central, 0);
    put32(central, 0); put32(central, offset);
    central += file;
    ++entries;
  }
  auto centralOffset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0); put16(out, 0); put16(out, entries); put16(out, entries);
  put32(out, static_cast<std::uint32_t>(central.size())); put32(out, centralOffset);
  put16(out, 0);
  writeFile(path, out, "save_npz");
}

std::map<std::string, Array> load_npz(const std::string &path) {
  std::string bytes = readFile(path, "load_npz");
  std::string where = "load_npz '" + path + "'";
  std::map<std::string, Array> arrays;
  std::size_t at = 0;
  while (at + 4 <= bytes.size() && get32(bytes, at) == 0x04034b50) {
    if (at + 30 > bytes.size())
      throw IOError(where + ": truncated zip entry header");
    std::uint32_t flags = get16(bytes, at + 6), method = get16(bytes, at + 8);
    std::uint32_t size = get32(bytes, at + 18), nameLen = get16(bytes, at + 26),
                  extraLen = get16(bytes, at + 28);
    if (at + 30 + nameLen + extraLen > bytes.size())
      throw IOError(where + ": truncated zip entry header");
    std::string name = bytes.substr(at + 30, nameLen);
    if (method != 0)
      throw IOError(where + ": entry '" + name +
                    "' is compressed (np.savez_compressed); only np.savez archives are read");
    if (flags & 0x08)
      throw IOError(where + ": entry '" + name + "' has a data descriptor; not supported");
    std::size_t start = at + 30 + nameLen + extraLen;
    if (start + size > bytes.size())
      throw IOError(where + ": truncated: entry '" + name + "' promises " + std::to_string(size) +
                    " bytes");
    std::string data = bytes.substr(start, size);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
      name.erase(name.size() - 4);
    arrays[name] = parseNpy(data, where + ", entry '" + name + "'");
    at = start + size;
  }
  if (at == 0)
    throw IOError(where + ": not a .npz (zip) file");
  return arrays;
}

void save_shared(const std::string &path, const std::vector<SharedVariable> &variables) {
  std::map<std::string, Array> arrays;
  for (const SharedVariable &v : variables) {
    if (v.is_null())
      throw ValueError("save_shared: got a null variable");
    if (v.name().empty())
      throw ValueError("save_shared: every shared variable needs a name (" + v.type_string() + ")");
    if (!arrays.emplace(v.name(), v.get_value()).second)
      throw ValueError("save_shared: two shared variables are named '" + v.name() + "'");
  }
  save_npz(path, arrays);
}

void load_shared(const std::string &path, const std::vector<SharedVariable> &variables) {
  std::map<std::string, Array> arrays = load_npz(path);
  // Every entry is checked before any variable changes.
  for (const SharedVariable &v : variables) {
    if (v.is_null())
      throw ValueError("load_shared: got a null variable");
    auto found = arrays.find(v.name());
    if (found == arrays.end())
      throw IOError("load_shared '" + path + "': no entry named '" + v.name() + "'");
    Array current = v.get_value(true);
    if (found->second.dtype() != current.dtype())
      throw TypeError("load_shared '" + path + "': '" + v.name() + "' is " +
                      dtype_name(found->second.dtype()) + " in the file, " +
                      dtype_name(current.dtype()) + " in the program");
    if (found->second.shape() != current.shape())
      throw ShapeError("load_shared '" + path + "': '" + v.name() + "' has shape " +
                       shape_to_string(found->second.shape()) + " in the file, " +
                       shape_to_string(current.shape()) + " in the program");
  }
  for (const SharedVariable &v : variables) {
    SharedVariable target = v;
    target.set_value(arrays.at(v.name()), /*borrow=*/true);
  }
}

Array loadtxt(const std::string &path, char delimiter, int skiprows, DType dtype) {
  std::ifstream in(path);
  if (!in)
    throw IOError("loadtxt: cannot open '" + path + "': " + std::strerror(errno));
  if (skiprows < 0)
    throw ValueError("loadtxt: skiprows must be >= 0, got " + std::to_string(skiprows));
  std::vector<double> values;
  std::int64_t rows = 0, cols = -1, lineNumber = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (lineNumber <= skiprows)
      continue;
    std::size_t hash = line.find('#');
    if (hash != std::string::npos)
      line.erase(hash);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      continue;
    std::int64_t n = 0;
    std::size_t start = 0;
    while (true) {
      std::size_t end = delimiter == ' ' ? line.find_first_of(" \t", start) : line.find(delimiter, start);
      std::string field = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
      std::size_t b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t");
      field = b == std::string::npos ? "" : field.substr(b, e - b + 1);
      if (!(delimiter == ' ' && field.empty())) {
        char *endp = nullptr;
        double v = std::strtod(field.c_str(), &endp);
        if (field.empty() || *endp != '\0')
          throw ValueError("loadtxt '" + path + "': line " + std::to_string(lineNumber) +
                           ", column " + std::to_string(n + 1) + ": cannot read '" + field +
                           "' as a number");
        values.push_back(v);
        ++n;
      }
      if (end == std::string::npos)
        break;
      start = end + 1;
    }
    if (cols >= 0 && n != cols)
      throw ValueError("loadtxt '" + path + "': line " + std::to_string(lineNumber) + " has " +
                       std::to_string(n) + " values, the first row " + std::to_string(cols));
    cols = n;
    ++rows;
  }
  if (rows == 0)
    return Array::from_vector(std::vector<double>{}, {0}).astype(dtype);
  Shape shape{rows, cols};
  if (rows == 1 || cols == 1) // NumPy squeezes a single row or column
    shape = {rows * cols};
  return Array::from_vector(values, shape).astype(dtype);
}

} // namespace theon
