// RUN: theon-opt %s --split-input-file --theon-verify-linalg-on-tensors --verify-diagnostics | FileCheck %s

// What theon-to-linalg-pipeline leaves passes unchanged.
// CHECK-LABEL: func.func @contract
// CHECK: linalg.generic
func.func @contract(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @theon_op_left(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'theon.exp' op is not in the linalg-on-tensors form the bufferization stage expects}}
  %r = theon.exp %x : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @buffer(%x: tensor<4xf32>) {
  // expected-error @+1 {{'memref.alloc' op is not in the linalg-on-tensors form}}
  %m = memref.alloc() : memref<4xf32>
  return
}

// -----

// A dynamic extent (a scan's number of steps, known at run time) passes.
func.func @dynamic_extent(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %c = linalg.copy ins(%x : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %c : tensor<?x4xf32>
}

// -----

func.func @element_type() -> tensor<4xf16> {
  // expected-error @+1 {{'tensor.empty' op has a result of type 'tensor<4xf16>'}}
  %e = tensor.empty() : tensor<4xf16>
  return %e : tensor<4xf16>
}
