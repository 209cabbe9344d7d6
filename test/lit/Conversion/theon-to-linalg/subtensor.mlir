// RUN: theon-opt %s --convert-theon-to-linalg --canonicalize | FileCheck %s

// subtensor: a positive-stride extract_slice (axis 1 walked backwards from 3
// in steps of 2 is elements 1 and 3) whose integer-indexed axis a
// collapse_shape removes (not a rank-reducing slice: with several unit axes
// its dropped axis is ambiguous), reversed by a generic.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0) -> (-d0 + 1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @slices
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[1, 1] [1, 2] [1, 2] : tensor<3x4xf32> to tensor<1x2xf32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[S]] {{\[}}[0, 1]] : tensor<1x2xf32> into tensor<2xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[REV]], #[[ID]]]{{.*}} ins(%[[C]] : tensor<2xf32>)
// set_subtensor: insert_slice of the values.
// CHECK: %[[SET:.*]] = tensor.insert_slice %arg1 into %arg0[0, 1] [3, 2] [1, 1] : tensor<3x2xf32> into tensor<3x4xf32>
// inc_subtensor: the values reversed, given their axis back, added to the
// slice, inserted back.
// CHECK: %[[V:.*]] = linalg.generic {indexing_maps = [#[[REV]], #[[ID]]]{{.*}} ins(%arg2 : tensor<2xf32>)
// CHECK: %[[VE:.*]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
// CHECK: %[[CUR:.*]] = tensor.extract_slice %arg0[2, 1] [1, 2] [1, 2] : tensor<3x4xf32> to tensor<1x2xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[CUR]], %[[VE]] : tensor<1x2xf32>, tensor<1x2xf32>)
// CHECK: arith.addf
// CHECK: %[[INC:.*]] = tensor.insert_slice %[[SUM]] into %arg0[2, 1] [1, 2] [1, 2] : tensor<1x2xf32> into tensor<3x4xf32>
// CHECK: return %[[R]], %[[SET]], %[[INC]]
func.func @slices(%x: tensor<3x4xf32>, %v: tensor<3x2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %r = theon.subtensor %x starts = [1, 3], steps = [1, -2], sizes = [1, 2], dropped = [0] : tensor<3x4xf32> -> tensor<2xf32>
  %u = theon.update_subtensor %x[starts = [0, 1], steps = [1, 1], sizes = [3, 2], dropped = []], %v {set} : tensor<3x4xf32>, tensor<3x2xf32> -> tensor<3x4xf32>
  %i = theon.update_subtensor %x[starts = [2, 3], steps = [1, -2], sizes = [1, 2], dropped = [0]], %w : tensor<3x4xf32>, tensor<2xf32> -> tensor<3x4xf32>
  return %r, %u, %i : tensor<2xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// A dynamic axis: an index from its end is an offset from tensor.dim; the
// whole axis, a slice of tensor.dim rows.
// CHECK-LABEL: func.func @dynamic_axis
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[N:.*]] = tensor.dim %arg0, %[[C0]] : tensor<?x3xf32>
// CHECK-DAG: %[[LAST:.*]] = arith.addi %[[N]], %{{.*}} : index
// CHECK: tensor.extract_slice %arg0[%[[LAST]], 0] [1, 3] [1, 1] : tensor<?x3xf32> to tensor<1x3xf32>
// CHECK: %[[N2:.*]] = tensor.dim %arg0, %[[C0]] : tensor<?x3xf32>
// CHECK: tensor.extract_slice %arg0[0, 1] [%[[N2]], 2] [1, 1] : tensor<?x3xf32> to tensor<?x2xf32>
func.func @dynamic_axis(%x: tensor<?x3xf32>) -> (tensor<3xf32>, tensor<?x2xf32>) {
  %last = theon.subtensor %x starts = [-1, 0], steps = [1, 1], sizes = [1, 3], dropped = [0] : tensor<?x3xf32> -> tensor<3xf32>
  %cols = theon.subtensor %x starts = [0, 1], steps = [1, 1], sizes = [-9223372036854775808, 2], dropped = [] : tensor<?x3xf32> -> tensor<?x2xf32>
  return %last, %cols : tensor<3xf32>, tensor<?x2xf32>
}
