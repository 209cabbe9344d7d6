// The tests' handle on the fake CUDA driver (FakeCuda.cpp) that runtime/cuda
// loads through THEON_CUDA_DRIVER: its settings and its log of calls.
#pragma once

#include <dlfcn.h>
#include <string>

struct FakeDriver {
  void *library = dlopen(THEON_FAKE_CUDA, RTLD_NOW); // the runtime's copy: same path, same library
  void set(const char *key, int value) {
    reinterpret_cast<void (*)(const char *, int)>(dlsym(library, "fakeCudaSet"))(key, value);
  }
  std::string log() {
    return reinterpret_cast<const char *(*)()>(dlsym(library, "fakeCudaLog"))();
  }
  void clear() { reinterpret_cast<void (*)()>(dlsym(library, "fakeCudaClear"))(); }
};
