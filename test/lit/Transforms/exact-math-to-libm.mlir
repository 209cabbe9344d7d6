// RUN: theon-opt %s --theon-exact-math-to-libm | FileCheck %s

// expm1 becomes libm's (LLVM would lower it to exp(x) - 1); exp and log stay
// math ops for the LLVM lowering, with their intrinsics.
// CHECK:       func.func private @expm1(f64) -> f64
// CHECK-LABEL: func.func @f
// CHECK:         call @expm1(%arg0) : (f64) -> f64
// CHECK:         math.exp %arg0 : f64
// CHECK:         math.log %arg0 : f64
func.func @f(%x: f64) -> (f64, f64, f64) {
  %0 = math.expm1 %x : f64
  %1 = math.exp %x : f64
  %2 = math.log %x : f64
  return %0, %1, %2 : f64, f64, f64
}
