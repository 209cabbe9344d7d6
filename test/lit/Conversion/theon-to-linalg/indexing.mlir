// RUN: theon-opt %s --convert-theon-to-linalg --split-input-file | FileCheck %s

// take: a parallel generic reading the index vector, gathering with
// tensor.extract; negative indices wrap and the index is clamped.
// CHECK-LABEL: func.func @take
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%arg1 : tensor<4xi32>)
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: tensor.extract %arg0[%{{.*}}, %[[J]]] : tensor<5x3xf32>
func.func @take(%x: tensor<5x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  return %t : tensor<4x3xf32>
}

// -----

// scatter_add: a sequential scf.for over the updates, one row slice each.
// CHECK-LABEL: func.func @scatter_add
// CHECK: %[[R:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %arg0) -> (tensor<5x3xf32>)
// CHECK: tensor.extract %arg1
// CHECK: tensor.extract_slice %[[ACC]]{{.*}} : tensor<5x3xf32> to tensor<1x3xf32>
// CHECK: tensor.extract_slice %arg2{{.*}} : tensor<4x3xf32> to tensor<1x3xf32>
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: tensor.insert_slice
// CHECK: scf.yield
// CHECK: return %[[R]]
func.func @scatter_add(%x: tensor<5x3xf32>, %i: tensor<4xi64>, %u: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %s = theon.scatter_add %x[%i], %u : tensor<5x3xf32>, tensor<4xi64>, tensor<4x3xf32> -> tensor<5x3xf32>
  return %s : tensor<5x3xf32>
}

// -----

// scatter_add {set}: the row slice of the update is written as is (the last
// write of a repeated row wins).
// CHECK-LABEL: func.func @scatter_set
// CHECK: scf.for
// CHECK-NOT: linalg.generic
// CHECK: %[[U:.*]] = tensor.extract_slice %arg2
// CHECK-NEXT: tensor.insert_slice %[[U]]
func.func @scatter_set(%x: tensor<5xi64>, %i: tensor<4xi64>, %u: tensor<4xi64>) -> tensor<5xi64> {
  %s = theon.scatter_add %x[%i], %u {set} : tensor<5xi64>, tensor<4xi64>, tensor<4xi64> -> tensor<5xi64>
  return %s : tensor<5xi64>
}

// -----

// An empty base has no row to write: the scatter is the base.
// CHECK-LABEL: func.func @scatter_into_empty
// CHECK-NOT: scf.for
// CHECK: return %arg0
func.func @scatter_into_empty(%x: tensor<0x3xf32>, %i: tensor<4xi64>, %u: tensor<4x3xf32>) -> tensor<0x3xf32> {
  %s = theon.scatter_add %x[%i], %u : tensor<0x3xf32>, tensor<4xi64>, tensor<4x3xf32> -> tensor<0x3xf32>
  return %s : tensor<0x3xf32>
}

// -----

// take from an empty axis reads nothing (every index is out of range).
// CHECK-LABEL: func.func @take_from_empty
// CHECK-NOT: tensor.extract %arg0
func.func @take_from_empty(%x: tensor<0x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  %t = theon.take %x[%i] : tensor<0x3xf32>, tensor<2xi64> -> tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @extract_diag
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: tensor.extract %arg0[%[[I]], %[[I]]]
func.func @extract_diag(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  %d = theon.extract_diag %x : tensor<3x4xf32> -> tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @alloc_diag
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: %[[ON:.*]] = arith.cmpi eq, %[[I]], %[[J]]
// CHECK: arith.select %[[ON]]
func.func @alloc_diag(%v: tensor<3xf32>) -> tensor<4x3xf32> {
  %d = theon.alloc_diag %v : tensor<3xf32> -> tensor<4x3xf32>
  return %d : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @take_per_row
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg1 : tensor<4xi32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: arith.minsi
// CHECK: tensor.extract %arg0[%[[I]], %{{.*}}] : tensor<4x3xf32>
func.func @take_per_row(%x: tensor<4x3xf32>, %i: tensor<4xi32>) -> tensor<4xf32> {
  %t = theon.take_per_row %x[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  return %t : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @put_per_row
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xi32>)
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[J]]
// CHECK: arith.select %[[HIT]]
func.func @put_per_row(%v: tensor<4xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %p = theon.put_per_row %v[%i] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
  return %p : tensor<4x3xf32>
}

// -----

// log_softmax: max and sum reductions with keepdims, exp and log, fused by
// the generics' shared shapes.
// CHECK-LABEL: func.func @log_softmax
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: math.log
// CHECK-NOT: theon.
func.func @log_softmax(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %l = theon.log_softmax %x axis = 1 : tensor<4x3xf32>
  return %l : tensor<4x3xf32>
}

// -----

// Indices computed in the graph ({theon.index_site = N}, set by the front
// end) are checked: one out of [-size, size) is reported to the runtime as
// site N before the clamped read; the module declares the runtime function.
// CHECK-LABEL: func.func private @theon_index_error(i64, i64, i64)
// CHECK-LABEL: func.func @take_checked
// CHECK:         linalg.generic
// CHECK:           %[[V:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK:           %[[LOW:.*]] = arith.cmpi slt, %[[V]], %{{.*}} : i64
// CHECK:           %[[HIGH:.*]] = arith.cmpi sge, %[[V]], %{{.*}} : i64
// CHECK:           %[[BAD:.*]] = arith.ori %[[LOW]], %[[HIGH]] : i1
// CHECK:           scf.if %[[BAD]] {
// CHECK:             %[[SITE:.*]] = arith.constant 7 : i64
// CHECK:             func.call @theon_index_error(%[[SITE]], %[[V]], %{{.*}}) : (i64, i64, i64) -> ()
// CHECK:           tensor.extract
func.func @take_checked(%x: tensor<5x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %0 = theon.take %x[%i] {theon.index_site = 7 : i64} : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// cumsum: a loop along the axis; each step adds x's slice to the previous
// total's, read back from the result.
// CHECK-LABEL: func.func @cumsum
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %arg0[0, 0] [2, 1] [1, 1]
// CHECK: %[[INIT:.*]] = tensor.insert_slice %[[FIRST]]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]])
// CHECK: %[[PREV:.*]] = arith.subi %[[I]]
// CHECK: tensor.extract_slice %arg0[0, %[[I]]]
// CHECK: tensor.extract_slice %[[ACC]][0, %[[PREV]]]
// CHECK: arith.addf
// CHECK: tensor.insert_slice %{{.*}} into %[[ACC]][0, %[[I]]]
func.func @cumsum(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %c = theon.cumsum %x axis = 1 : tensor<2x4xf32>
  return %c : tensor<2x4xf32>
}

// -----

// cumprod in reverse: from the last element, multiplying.
// CHECK-LABEL: func.func @cumprod_reverse
// CHECK: tensor.extract_slice %arg0[3] [1] [1]
// CHECK: scf.for
// CHECK: arith.muli
func.func @cumprod_reverse(%x: tensor<4xi64>) -> tensor<4xi64> {
  %c = theon.cumprod %x axis = 0 reverse : tensor<4xi64>
  return %c : tensor<4xi64>
}

// -----

// scatter_add into one row: the updates summed over axis 0 into the base
// (a loop would rewrite the whole tensor each step).
// CHECK-LABEL: func.func @scatter_one_row
// CHECK-NOT: scf.for
// CHECK: %[[B:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]{{.*}} ins(%arg2 : tensor<4x3xf32>) outs(%[[B]] : tensor<3xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[S]] {{\[}}[0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
func.func @scatter_one_row(%x: tensor<1x3xf32>, %i: tensor<4xi64>, %u: tensor<4x3xf32>) -> tensor<1x3xf32> {
  %s = theon.scatter_add %x[%i], %u : tensor<1x3xf32>, tensor<4xi64>, tensor<4x3xf32> -> tensor<1x3xf32>
  return %s : tensor<1x3xf32>
}

// -----

// zero_grad and grad_clip lower to their operand.
// CHECK-LABEL: func.func @gradient_control
// CHECK-NEXT: return %arg0, %arg0
func.func @gradient_control(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %z = theon.zero_grad %x : tensor<3xf32>
  %c = theon.grad_clip %x lo = -1.0, hi = 1.0 : tensor<3xf32>
  return %z, %c : tensor<3xf32>, tensor<3xf32>
}
