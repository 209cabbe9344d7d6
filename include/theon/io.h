// Saving and loading arrays: NumPy's .npy and .npz formats (np.save,
// np.load, np.savez), checkpoints of shared variables, and loadtxt for
// delimited text.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "theon/array.h"
#include "theon/shared.h"

namespace theon {

/// Writes `array` to `path` in NumPy's .npy format (version 1.0, C order,
/// little endian), readable by np.load. IOError when the file cannot be
/// written.
void save(const std::string &path, const Array &array);
/// Reads a .npy file: bool, int8/16/32/64, uint8 (as int16... no: refused),
/// float32/64, little or big endian, C or Fortran order. IOError for a
/// missing, truncated or malformed file; TypeError for a dtype Theon does
/// not have.
Array load(const std::string &path);

/// NumPy's .npz: several named arrays in one (uncompressed) zip archive, as
/// np.savez; load_npz reads np.savez files (np.savez_compressed is refused
/// with IOError).
void save_npz(const std::string &path, const std::map<std::string, Array> &arrays);
std::map<std::string, Array> load_npz(const std::string &path);

/// A checkpoint: the values of shared variables, by name, in one .npz.
/// Every variable needs a unique, non-empty name (ValueError).
void save_shared(const std::string &path, const std::vector<SharedVariable> &variables);
/// Restores each variable from the checkpoint: IOError for a missing entry,
/// TypeError for a dtype, ShapeError for a shape that differs from the
/// variable's current value. Nothing changes unless every entry fits.
void load_shared(const std::string &path, const std::vector<SharedVariable> &variables);

/// NumPy's loadtxt: numbers separated by `delimiter`, one row per line,
/// after `skiprows` lines; empty lines and text after '#' are skipped.
/// Rows must have the same length. A single row or column is 1-d, as NumPy.
Array loadtxt(const std::string &path, char delimiter = ',', int skiprows = 0,
              DType dtype = DType::Float64);

} // namespace theon
