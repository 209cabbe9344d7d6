# lit configuration for Theon's FileCheck tests.
import os
import lit.formats

config.name = "Theon"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.theon_tools_dir, "..", "test", "lit")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py.in", "Inputs"]

config.environment["PATH"] = os.pathsep.join(
    [config.theon_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# The runner utils print memrefs; Theon's runtime provides the BLAS gemm that
# theon-linalg-to-blas calls.
runner_libs = ",".join([os.path.join(config.llvm_lib_dir, lib) for lib in
                        ["libmlir_runner_utils.so", "libmlir_c_runner_utils.so"]] +
                       [config.theon_runtime_lib])
config.substitutions.append(("%mlir_runner_libs", runner_libs))
config.substitutions.append(("%theon_opt", os.path.join(config.theon_tools_dir, "theon-opt")))

# PTX from the GPU pipeline is assembled by CUDA's ptxas where it is found
# (tests that need it say "REQUIRES: ptxas").
import shutil
ptxas = os.environ.get("THEON_PTXAS") or shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
if os.path.isfile(ptxas) and os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found: the GPU tests that assemble PTX are skipped")
if os.path.isfile("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc"):
    config.available_features.add("libdevice")
config.substitutions.append(("%ptx", "python3 " + os.path.join(config.test_source_root, "Inputs", "ptx.py")))
