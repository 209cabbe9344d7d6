// RUN: theon-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders of the theon ops.

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    return %[[X]] : tensor<2x3xf32>
func.func @cast_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.cast %x : tensor<2x3xf32> to tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A real conversion stays.
// CHECK-LABEL: func.func @cast_kept
// CHECK-SAME:    (%[[X:.*]]: tensor<2xf32>)
// CHECK-NEXT:    %[[C:.*]] = theon.cast %[[X]] : tensor<2xf32> to tensor<2xf64>
// CHECK-NEXT:    return %[[C]]
func.func @cast_kept(%x: tensor<2xf32>) -> tensor<2xf64> {
  %0 = theon.cast %x : tensor<2xf32> to tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xi32>)
// CHECK-NEXT:    return %[[X]] : tensor<2x3xi32>
func.func @reshape_identity(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = theon.reshape %x : tensor<2x3xi32> to tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// reshape(reshape(x)) reads x directly; the inner reshape dies.
// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = theon.reshape %[[X]] : tensor<2x3x4xf32> to tensor<4x6xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = theon.reshape %x : tensor<2x3x4xf32> to tensor<24xf32>
  %1 = theon.reshape %0 : tensor<24xf32> to tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A chain that comes back to the input's shape folds away entirely.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf64>)
// CHECK-NEXT:    return %[[X]] : tensor<2x3xf64>
func.func @reshape_round_trip(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = theon.reshape %x : tensor<2x3xf64> to tensor<6xf64>
  %1 = theon.reshape %0 : tensor<6xf64> to tensor<3x2xf64>
  %2 = theon.reshape %1 : tensor<3x2xf64> to tensor<2x3xf64>
  return %2 : tensor<2x3xf64>
}

// -----

// The inner reshape stays while something else uses it.
// CHECK-LABEL: func.func @reshape_reshape_shared
// CHECK-SAME:    (%[[X:.*]]: tensor<6xf32>)
// CHECK-NEXT:    %[[A:.*]] = theon.reshape %[[X]] : tensor<6xf32> to tensor<2x3xf32>
// CHECK-NEXT:    %[[B:.*]] = theon.reshape %[[X]] : tensor<6xf32> to tensor<3x2xf32>
// CHECK-NEXT:    return %[[A]], %[[B]]
func.func @reshape_reshape_shared(%x: tensor<6xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
  %0 = theon.reshape %x : tensor<6xf32> to tensor<2x3xf32>
  %1 = theon.reshape %0 : tensor<2x3xf32> to tensor<3x2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @dimshuffle_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>, %[[S:.*]]: tensor<i1>)
// CHECK-NEXT:    return %[[X]], %[[S]] : tensor<3x4xf32>, tensor<i1>
func.func @dimshuffle_identity(%x: tensor<3x4xf32>, %s: tensor<i1>) -> (tensor<3x4xf32>, tensor<i1>) {
  %0 = theon.dimshuffle %x [0, 1] : tensor<3x4xf32> -> tensor<3x4xf32>
  %1 = theon.dimshuffle %s [] : tensor<i1> -> tensor<i1>
  return %0, %1 : tensor<3x4xf32>, tensor<i1>
}

// -----

// Permutations, new axes and dropped axes are not identities.
// CHECK-LABEL: func.func @dimshuffle_kept
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>, %[[U:.*]]: tensor<1x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = theon.dimshuffle %[[X]] [1, 0]
// CHECK-NEXT:    %[[N:.*]] = theon.dimshuffle %[[X]] [0, 1, x]
// CHECK-NEXT:    %[[D:.*]] = theon.dimshuffle %[[U]] [1]
// CHECK-NEXT:    return %[[T]], %[[N]], %[[D]]
func.func @dimshuffle_kept(%x: tensor<3x4xf32>, %u: tensor<1x4xf32>)
    -> (tensor<4x3xf32>, tensor<3x4x1xf32>, tensor<4xf32>) {
  %0 = theon.dimshuffle %x [1, 0] : tensor<3x4xf32> -> tensor<4x3xf32>
  %1 = theon.dimshuffle %x [0, 1, x] : tensor<3x4xf32> -> tensor<3x4x1xf32>
  %2 = theon.dimshuffle %u [1] : tensor<1x4xf32> -> tensor<4xf32>
  return %0, %1, %2 : tensor<4x3xf32>, tensor<3x4x1xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x1xi64>)
// CHECK-NEXT:    return %[[X]] : tensor<2x1xi64>
func.func @broadcast_to_identity(%x: tensor<2x1xi64>) -> tensor<2x1xi64> {
  %0 = theon.broadcast_to %x : tensor<2x1xi64> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_kept
// CHECK-SAME:    (%[[X:.*]]: tensor<2x1xi64>)
// CHECK-NEXT:    %[[B:.*]] = theon.broadcast_to %[[X]] : tensor<2x1xi64> -> tensor<2x5xi64>
// CHECK-NEXT:    return %[[B]]
func.func @broadcast_to_kept(%x: tensor<2x1xi64>) -> tensor<2x5xi64> {
  %0 = theon.broadcast_to %x : tensor<2x1xi64> -> tensor<2x5xi64>
  return %0 : tensor<2x5xi64>
}

// -----

// Pure ops without uses are erased.
// CHECK-LABEL: func.func @dead_ops
// CHECK-NEXT:    return
func.func @dead_ops(%x: tensor<2x3xf32>, %v: tensor<3xf32>) {
  %0 = theon.add %x, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = theon.exp %0 : tensor<2x3xf32>
  %2 = theon.sum %1 axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %3 = theon.dot %x, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
  return
}
