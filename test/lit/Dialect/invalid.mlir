// RUN: theon-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of the theon ops.

//===----------------------------------------------------------------------===//
// Operand types (ODS constraints)
//===----------------------------------------------------------------------===//

func.func @float_only_unary_on_int(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'theon.exp' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2x3xi32>'}}
  %0 = theon.exp %a : tensor<2x3xi32>
  return
}

// -----

func.func @float_only_round_on_int(%a: tensor<4xi64>) {
  // expected-error @+1 {{'theon.round' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values}}
  %0 = theon.round %a : tensor<4xi64>
  return
}

// -----

func.func @float_only_sigmoid_on_int(%a: tensor<3xi64>) {
  // expected-error @+1 {{'theon.sigmoid' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %0 = theon.sigmoid %a : tensor<3xi64>
  return
}

// -----

func.func @float_only_log1p_on_int(%a: tensor<i8>) {
  // expected-error @+1 {{'theon.log1p' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<i8>'}}
  %0 = theon.log1p %a : tensor<i8>
  return
}

// -----

func.func @float_only_div_on_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{'theon.div' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = theon.div %a, %a : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return
}

// -----

func.func @float_only_pow_on_int(%a: tensor<i64>) {
  // expected-error @+1 {{'theon.pow' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<i64>'}}
  %0 = theon.pow %a, %a : tensor<i64>, tensor<i64> -> tensor<i64>
  return
}

// -----

func.func @float_only_mean_on_int(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'theon.mean' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2x3xi32>'}}
  %0 = theon.mean %a axes = [0] : tensor<2x3xi32> -> tensor<3xi32>
  return
}

// -----

func.func @numeric_op_on_bool(%a: tensor<2xi1>) {
  // expected-error @+1 {{'theon.neg' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi1>'}}
  %0 = theon.neg %a : tensor<2xi1>
  return
}

// -----

func.func @add_on_bool(%a: tensor<2xi1>) {
  // expected-error @+1 {{'theon.add' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 8-bit signless integer}}
  %0 = theon.add %a, %a : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  return
}

// -----

func.func @sum_on_bool(%a: tensor<2xi1>) {
  // expected-error @+1 {{'theon.sum' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 8-bit signless integer}}
  %0 = theon.sum %a axes = [0] : tensor<2xi1> -> tensor<i1>
  return
}

// -----

func.func @unsupported_element_type(%a: tensor<2xf16>) {
  // expected-error @+1 {{'theon.abs' op operand #0 must be ranked tensor of}}
  %0 = theon.abs %a : tensor<2xf16>
  return
}

// -----

// Only the scan, the slices of its sequences and outputs and the
// elementwise ops take a dynamic extent (a scan's number of steps).
func.func @dynamic_shape(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'theon.argmax' op operand #0 must be statically shaped tensor of 32-bit float or 64-bit float or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?x3xf32>'}}
  %0 = theon.argmax %a axis = 0 : tensor<?x3xf32> -> tensor<3xi64>
  return
}

// -----

// A dynamic extent broadcasts with itself or a 1, not with a static extent
// it would have to equal at run time.
func.func @dynamic_meets_static(%a: tensor<?x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+2 {{shapes (?, 3) and (4, 3) cannot be broadcast together}}
  // expected-error @+1 {{'theon.add' op failed to infer returned types}}
  %0 = theon.add %a, %b : tensor<?x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @not_a_tensor(%a: f32) {
  // expected-error @+1 {{custom op 'theon.neg' invalid kind of type specified: expected builtin.tensor, but found 'f32'}}
  %0 = theon.neg %a : f32
  return
}

// -----

func.func @argmax_on_bool(%a: tensor<4xi1>) {
  // expected-error @+1 {{'theon.argmax' op operand #0 must be statically shaped tensor of 32-bit float or 64-bit float or 8-bit signless integer}}
  %0 = theon.argmax %a axis = 0 : tensor<4xi1> -> tensor<i64>
  return
}

// -----

func.func @broadcast_to_dynamic(%a: tensor<3xf32>) {
  // expected-error @+1 {{'theon.broadcast_to' op result #0 must be statically shaped tensor of 32-bit float or 64-bit float or 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<?x3xf32>'}}
  %0 = theon.broadcast_to %a : tensor<3xf32> -> tensor<?x3xf32>
  return
}

// -----

func.func @unary_changes_shape(%a: tensor<2xf32>) {
  // expected-error @+1 {{'theon.neg' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "theon.neg"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @unary_changes_element_type(%a: tensor<2xf32>) {
  // expected-error @+1 {{'theon.sqrt' op requires the same type for all operands and results}}
  %0 = "theon.sqrt"(%a) : (tensor<2xf32>) -> tensor<2xf64>
  return
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_mismatch(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{shapes (2, 3) and (2,) cannot be broadcast together}}
  // expected-error @+1 {{'theon.add' op failed to infer returned types}}
  %0 = theon.add %a, %b : tensor<2x3xf32>, tensor<2xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_mismatch_inner(%a: tensor<4x1x5xi32>, %b: tensor<3x4xi32>) {
  // expected-error @+2 {{shapes (4, 1, 5) and (3, 4) cannot be broadcast together}}
  // expected-error @+1 {{'theon.maximum' op failed to infer returned types}}
  %0 = theon.maximum %a, %b : tensor<4x1x5xi32>, tensor<3x4xi32> -> tensor<4x3x5xi32>
  return
}

// -----

func.func @mixed_element_types(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+2 {{operands have different element types 'f32' and 'f64'}}
  // expected-error @+1 {{'theon.mul' op failed to infer returned types}}
  %0 = theon.mul %a, %b : tensor<2x3xf32>, tensor<2x3xf64> -> tensor<2x3xf32>
  return
}

// -----

func.func @wrong_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'theon.sub' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  // expected-error @+1 {{'theon.sub' op failed to infer returned types}}
  %0 = theon.sub %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @wrong_result_element_type(%a: tensor<3xi32>) {
  // expected-error @+2 {{'theon.add' op inferred type(s) 'tensor<3xi32>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{'theon.add' op failed to infer returned types}}
  %0 = theon.add %a, %a : tensor<3xi32>, tensor<3xi32> -> tensor<3xi64>
  return
}

// -----

func.func @compare_mixed_types(%a: tensor<3xi32>, %b: tensor<3xi64>) {
  // expected-error @+2 {{operands have different element types 'i32' and 'i64'}}
  // expected-error @+1 {{'theon.lt' op failed to infer returned types}}
  %0 = theon.lt %a, %b : tensor<3xi32>, tensor<3xi64> -> tensor<3xi1>
  return
}

// -----

func.func @compare_wrong_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'theon.eq' op inferred type(s) 'tensor<2x3xi1>' are incompatible with return type(s) of operation 'tensor<2x1xi1>'}}
  // expected-error @+1 {{'theon.eq' op failed to infer returned types}}
  %0 = theon.eq %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x1xi1>
  return
}

// -----

func.func @compare_result_not_bool(%a: tensor<3xf32>) {
  // expected-error @+1 {{'theon.ge' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = theon.ge %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @select_condition_not_bool(%c: tensor<2xi32>, %a: tensor<2xf32>) {
  // expected-error @+1 {{'theon.select' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = theon.select %c, %a, %a : tensor<2xi32>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @select_condition_mismatch(%c: tensor<3xi1>, %a: tensor<2xf32>) {
  // expected-error @+2 {{condition of shape (3,) cannot be broadcast with values of shape (2,)}}
  // expected-error @+1 {{'theon.select' op failed to infer returned types}}
  %0 = theon.select %c, %a, %a : tensor<3xi1>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @select_values_mismatch(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{shapes (2,) and (3,) cannot be broadcast together}}
  // expected-error @+1 {{'theon.select' op failed to infer returned types}}
  %0 = theon.select %c, %a, %b : tensor<i1>, tensor<2xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @select_values_element_types(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xf64>) {
  // expected-error @+2 {{operands have different element types 'f32' and 'f64'}}
  // expected-error @+1 {{'theon.select' op failed to infer returned types}}
  %0 = theon.select %c, %a, %b : tensor<2xi1>, tensor<2xf32>, tensor<2xf64> -> tensor<2xf32>
  return
}

// -----

func.func @select_wrong_result(%c: tensor<2x1xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{'theon.select' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'theon.select' op failed to infer returned types}}
  %0 = theon.select %c, %a, %a : tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

//===----------------------------------------------------------------------===//
// cast
//===----------------------------------------------------------------------===//

// -----

// The Elementwise trait rejects a shape change before CastOp::verify runs.
func.func @cast_changes_shape(%a: tensor<6xf32>) {
  // expected-error @+1 {{'theon.cast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = theon.cast %a : tensor<6xf32> to tensor<2x3xi32>
  return
}

// -----

func.func @cast_to_unsupported(%a: tensor<6xf32>) {
  // expected-error @+1 {{'theon.cast' op result #0 must be ranked tensor of 32-bit float or 64-bit float or 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<6xui32>'}}
  %0 = theon.cast %a : tensor<6xf32> to tensor<6xui32>
  return
}

//===----------------------------------------------------------------------===//
// dot
//===----------------------------------------------------------------------===//

// -----

func.func @dot_not_aligned(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+2 {{shapes (2, 3) and (4, 3) are not aligned: 3 (last dim of lhs) != 4 (first dim of rhs)}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @dot_batches_not_aligned(%a: tensor<5x2x3xf32>, %b: tensor<4x3x2xf32>) {
  // expected-error @+2 {{batched shapes (5, 2, 3) and (4, 3, 2) are not aligned: expected (B, n, m) and (B, m, k)}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<5x2x3xf32>, tensor<4x3x2xf32> -> tensor<5x2x2xf32>
  return
}

// -----

func.func @dot_vectors_not_aligned(%a: tensor<3xf64>, %b: tensor<4xf64>) {
  // expected-error @+2 {{shapes (3,) and (4,) are not aligned: 3 (last dim of lhs) != 4 (first dim of rhs)}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<3xf64>, tensor<4xf64> -> tensor<f64>
  return
}

// -----

func.func @dot_vector_matrix_not_aligned(%a: tensor<3xi32>, %b: tensor<2x3xi32>) {
  // expected-error @+2 {{shapes (3,) and (2, 3) are not aligned: 3 (last dim of lhs) != 2 (first dim of rhs)}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<3xi32>, tensor<2x3xi32> -> tensor<3xi32>
  return
}

// -----

func.func @dot_rank_3(%a: tensor<2x2x2xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{dot takes 1-D or 2-D operands, or two 3-D batches, got ranks 3 and 1}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<2x2x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @dot_rank_0(%a: tensor<2xf32>, %b: tensor<f32>) {
  // expected-error @+2 {{dot takes 1-D or 2-D operands, or two 3-D batches, got ranks 1 and 0}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
  return
}

// -----

func.func @dot_element_types(%a: tensor<2xf32>, %b: tensor<2xf64>) {
  // expected-error @+2 {{operands have different element types 'f32' and 'f64'}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<2xf32>, tensor<2xf64> -> tensor<f32>
  return
}

// -----

func.func @dot_wrong_result(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'theon.dot' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error @+1 {{'theon.dot' op failed to infer returned types}}
  %0 = theon.dot %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @dot_on_bool(%a: tensor<2xi1>) {
  // expected-error @+1 {{'theon.dot' op operand #0 must be statically shaped tensor of 32-bit float or 64-bit float or 8-bit signless integer}}
  %0 = theon.dot %a, %a : tensor<2xi1>, tensor<2xi1> -> tensor<i1>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 2 is out of range for a tensor of rank 2}}
  // expected-error @+1 {{'theon.sum' op failed to infer returned types}}
  %0 = theon.sum %a axes = [2] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis -1 is out of range for a tensor of rank 2}}
  // expected-error @+1 {{'theon.max' op failed to infer returned types}}
  %0 = theon.max %a axes = [-1] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_rank_0(%a: tensor<i32>) {
  // expected-error @+2 {{axis 0 is out of range for a tensor of rank 0}}
  // expected-error @+1 {{'theon.prod' op failed to infer returned types}}
  %0 = theon.prod %a axes = [0] : tensor<i32> -> tensor<i32>
  return
}

// -----

func.func @reduce_axes_unsorted(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axes must be sorted and unique}}
  // expected-error @+1 {{'theon.min' op failed to infer returned types}}
  %0 = theon.min %a axes = [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @reduce_axes_duplicate(%a: tensor<2x3x4xf64>) {
  // expected-error @+2 {{axes must be sorted and unique}}
  // expected-error @+1 {{'theon.mean' op failed to infer returned types}}
  %0 = theon.mean %a axes = [1, 1] : tensor<2x3x4xf64> -> tensor<2x4xf64>
  return
}

// -----

func.func @reduce_missing_keepdims(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'theon.sum' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{'theon.sum' op failed to infer returned types}}
  %0 = theon.sum %a axes = [1] keepdims : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_wrong_element_type(%a: tensor<2x3xi32>) {
  // expected-error @+2 {{'theon.sum' op inferred type(s) 'tensor<3xi32>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{'theon.sum' op failed to infer returned types}}
  %0 = theon.sum %a axes = [0] : tensor<2x3xi32> -> tensor<3xi64>
  return
}

// -----

func.func @argmax_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{axis 2 is out of range for a tensor of rank 2}}
  // expected-error @+1 {{'theon.argmax' op failed to infer returned types}}
  %0 = theon.argmax %a axis = 2 : tensor<2x3xf32> -> tensor<2xi64>
  return
}

// -----

func.func @argmin_negative_axis(%a: tensor<5xi32>) {
  // expected-error @+2 {{axis -1 is out of range for a tensor of rank 1}}
  // expected-error @+1 {{'theon.argmin' op failed to infer returned types}}
  %0 = theon.argmin %a axis = -1 : tensor<5xi32> -> tensor<i64>
  return
}

// -----

func.func @argmax_empty_axis(%a: tensor<0x3xf32>) {
  // expected-error @+2 {{axis 0 has size 0, and argmax of nothing is not defined}}
  // expected-error @+1 {{'theon.argmax' op failed to infer returned types}}
  %0 = theon.argmax %a axis = 0 : tensor<0x3xf32> -> tensor<3xi64>
  return
}

// -----

func.func @argmax_result_not_i64(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'theon.argmax' op result #0 must be statically shaped tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = theon.argmax %a axis = 1 : tensor<2x3xf32> -> tensor<2xi32>
  return
}

// -----

func.func @argmin_wrong_shape(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'theon.argmin' op inferred type(s) 'tensor<2x1xi64>' are incompatible with return type(s) of operation 'tensor<2xi64>'}}
  // expected-error @+1 {{'theon.argmin' op failed to infer returned types}}
  %0 = theon.argmin %a axis = 1 keepdims : tensor<2x3xf32> -> tensor<2xi64>
  return
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'theon.reshape' op cannot reshape 6 elements of shape (2, 3) into shape (4,) (4 elements)}}
  %0 = theon.reshape %a : tensor<2x3xf32> to tensor<4xf32>
  return
}

// -----

func.func @reshape_to_scalar(%a: tensor<2xi64>) {
  // expected-error @+1 {{'theon.reshape' op cannot reshape 2 elements of shape (2,) into shape () (1 elements)}}
  %0 = theon.reshape %a : tensor<2xi64> to tensor<i64>
  return
}

// -----

func.func @reshape_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'theon.reshape' op changes the element type from 'f32' to 'f64'}}
  %0 = theon.reshape %a : tensor<2x3xf32> to tensor<6xf64>
  return
}

//===----------------------------------------------------------------------===//
// dimshuffle
//===----------------------------------------------------------------------===//

// -----

func.func @dimshuffle_drop_non_unit(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{cannot drop dimension 1 of size 4: only broadcastable (size 1) dimensions can be dropped}}
  // expected-error @+1 {{'theon.dimshuffle' op failed to infer returned types}}
  %0 = theon.dimshuffle %a [0] : tensor<3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @dimshuffle_out_of_range(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{pattern entry 2 is out of range for a tensor of rank 2}}
  // expected-error @+1 {{'theon.dimshuffle' op failed to infer returned types}}
  %0 = theon.dimshuffle %a [2, 0, 1] : tensor<3x4xf32> -> tensor<1x3x4xf32>
  return
}

// -----

func.func @dimshuffle_repeat(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{pattern uses dimension 0 twice}}
  // expected-error @+1 {{'theon.dimshuffle' op failed to infer returned types}}
  %0 = theon.dimshuffle %a [0, 1, 0] : tensor<3x4xf32> -> tensor<3x4x3xf32>
  return
}

// -----

// Only the generic form can hold a negative entry other than 'x' (-1).
func.func @dimshuffle_negative_entry(%a: tensor<4xf32>) {
  // expected-error @+2 {{pattern entry -2 is out of range for a tensor of rank 1}}
  // expected-error @+1 {{'theon.dimshuffle' op failed to infer returned types}}
  %0 = "theon.dimshuffle"(%a) <{pattern = array<i64: -2>}> : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @dimshuffle_wrong_result(%a: tensor<3x4xf32>) {
  // expected-error @+2 {{'theon.dimshuffle' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<3x4xf32>'}}
  // expected-error @+1 {{'theon.dimshuffle' op failed to infer returned types}}
  %0 = theon.dimshuffle %a [1, 0] : tensor<3x4xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @dimshuffle_parse_negative(%a: tensor<4xf32>) {
  // expected-error @+1 {{custom op 'theon.dimshuffle' pattern entries are dimensions or 'x'}}
  %0 = theon.dimshuffle %a [-1] : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @dimshuffle_parse_keyword(%a: tensor<4xf32>) {
  // expected-error @+1 {{custom op 'theon.dimshuffle' expected integer value}}
  %0 = theon.dimshuffle %a [y] : tensor<4xf32> -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// broadcast_to
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_to_incompatible(%a: tensor<3xf32>) {
  // expected-error @+1 {{'theon.broadcast_to' op cannot broadcast shape (3,) to (2, 4)}}
  %0 = theon.broadcast_to %a : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @broadcast_to_shrink(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'theon.broadcast_to' op cannot broadcast shape (2, 3) to (2, 1)}}
  %0 = theon.broadcast_to %a : tensor<2x3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @broadcast_to_lower_rank(%a: tensor<1x3xi32>) {
  // expected-error @+1 {{'theon.broadcast_to' op cannot broadcast shape (1, 3) to (3,)}}
  %0 = theon.broadcast_to %a : tensor<1x3xi32> -> tensor<3xi32>
  return
}

// -----

func.func @broadcast_to_element_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'theon.broadcast_to' op changes the element type from 'f32' to 'f64'}}
  %0 = theon.broadcast_to %a : tensor<3xf32> -> tensor<2x3xf64>
  return
}

// -----

func.func @max_of_an_empty_axis(%a: tensor<2x0xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{axis 1 has size 0, and max of nothing is not defined}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = theon.max %a axes = [1] : tensor<2x0xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Every theon op checks that its tensors can be addressed: an element count
// or byte size that overflows 64 bits would wrap in every later size
// computation.
func.func @too_large_to_address(%x: tensor<4xf32>) -> tensor<4611686018427387905x4xf32> {
  // expected-error @+1 {{'theon.reshape' op result #0 has shape (4611686018427387905, 4), whose size in bytes does not fit in 64 bits}}
  %0 = theon.reshape %x : tensor<4xf32> to tensor<4611686018427387905x4xf32>
  return %0 : tensor<4611686018427387905x4xf32>
}

// -----

func.func @bytes_too_large(%x: tensor<1x1xf64>) -> tensor<2305843009213693952x1xf64> {
  // expected-error @+1 {{'theon.broadcast_to' op result #0 has shape (2305843009213693952, 1), whose size in bytes does not fit in 64 bits}}
  %0 = theon.broadcast_to %x : tensor<1x1xf64> -> tensor<2305843009213693952x1xf64>
  return %0 : tensor<2305843009213693952x1xf64>
}

// -----

// Bitwise ops take integers or bool.
func.func @bitwise_float(%f: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{must be ranked tensor of 1-bit signless integer or 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values}}
  %0 = theon.bitwise_and %f, %f : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @subtensor_zero_step(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{step of axis 1 is 0}}
  %0 = theon.subtensor %x starts = [0, 0], steps = [1, 0], sizes = [3, 4], dropped = [] : tensor<3x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @subtensor_out_of_range(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{axis 0: 3 elements from 2 in steps of 1 leave the dimension of size 3}}
  %0 = theon.subtensor %x starts = [2, 0], steps = [1, 1], sizes = [3, 4], dropped = [] : tensor<3x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @subtensor_dropped_size(%x: tensor<3x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{dropped axis 0 must have size 1, got 2}}
  %0 = theon.subtensor %x starts = [0, 0], steps = [1, 1], sizes = [2, 4], dropped = [0] : tensor<3x4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @subtensor_wrong_result(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{result type 'tensor<3xf32>' differs from the slice's 'tensor<4xf32>'}}
  %0 = theon.subtensor %x starts = [1, 0], steps = [1, 1], sizes = [1, 4], dropped = [0] : tensor<3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @update_subtensor_values(%x: tensor<3x4xf32>, %v: tensor<3xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{the values 'tensor<3xf32>' must have the slice's type 'tensor<4xf32>'}}
  %0 = theon.update_subtensor %x[starts = [1, 0], steps = [1, 1], sizes = [1, 4], dropped = [0]], %v : tensor<3x4xf32>, tensor<3xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @concatenate_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{operand 1 has shape (2, 4); every axis but 0 must match operand 0's (2, 3)}}
  %0 = theon.concatenate %a, %b axis = 0 : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concatenate_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = theon.concatenate %a axis = 2 : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cumsum_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{axis 2 is out of range for a tensor of rank 2}}
  %0 = theon.cumsum %a axis = 2 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cumprod_bool(%a: tensor<3xi1>) -> tensor<3xi1> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 64-bit float}}
  %0 = theon.cumprod %a axis = 0 : tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @grad_clip_bounds(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{lo (2.000000e+00) must not be above hi (1.000000e+00)}}
  %0 = theon.grad_clip %a lo = 2.0, hi = 1.0 : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @random_state_shape(%s: tensor<3xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{expects a state of type tensor<2xi64> ([key, counter]), got 'tensor<3xi64>'}}
  %0 = theon.random uniform %s : tensor<3xi64> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @random_state_type(%s: tensor<2xi32>) -> tensor<3xf32> {
  // expected-error @+1 {{expects a state of type tensor<2xi64> ([key, counter]), got 'tensor<2xi32>'}}
  %0 = theon.random uniform %s : tensor<2xi32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @random_integer_result(%s: tensor<2xi64>) -> tensor<3xi32> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit float or 64-bit float values}}
  %0 = theon.random uniform %s : tensor<2xi64> -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// -----

func.func @conv2d_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'theon.conv2d' op the input must have rank 4 (NCHW), got rank 3}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{filters of shape (4, 2, 3, 3) take 2 input channels, but the input (1, 3, 8, 8) has 3}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{groups (2) must divide the input's 4 channels and the 3 filters}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 2
      : tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32> -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv2d_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be at least 1, got 0}}
  %y = theon.conv2d %x, %w strides = [0, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_padding_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{padding needs 4 entries, got 2}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [1, 1], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_too_small(%x: tensor<1x3x4x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{a filter of extent 5 (dilated) does not fit the 4 padded rows of the input (1, 3, 4, 8)}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [2, 1], groups = 1
      : tensor<1x3x4x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x1x6xf32>
  return
}

// -----

// A stride of 2 over 7 rows and 8 rows makes the same 3 output rows: the
// gradient ops take the input's size from their result type and check it.
func.func @conv2d_grad_input_type(%w: tensor<4x3x3x3xf32>, %g: tensor<1x4x3x3xf32>) {
  // expected-error @+1 {{'theon.conv2d_grad_input' op the gradient 'tensor<1x4x3x3xf32>' should have the convolution's type 'tensor<1x4x4x4xf32>'}}
  %dx = theon.conv2d_grad_input %w, %g strides = [2, 2], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<4x3x3x3xf32>, tensor<1x4x3x3xf32> -> tensor<1x3x9x9xf32>
  return
}

// -----

func.func @conv2d_grad_filters_channels(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x6x6xf32>) {
  // expected-error @+1 {{'theon.conv2d_grad_filters' op filters of shape (4, 2, 3, 3) take 2 input channels, but the input (1, 3, 8, 8) has 3}}
  %dw = theon.conv2d_grad_filters %x, %g strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32> -> tensor<4x2x3x3xf32>
  return
}

// -----

func.func @conv2d_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x8x8xf32>' should be 'tensor<1x4x6x6xf32>'}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv2d_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf64>) {
  // expected-error @+1 {{the input's element type f32 differs from the filters' f64}}
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf64> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @pool2d_pad_not_below_window(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+1 {{padding (2) must be smaller than the window (2)}}
  %y = theon.pool2d max %x window = [2, 2], strides = [2, 2], padding = [2, 0] ignore_border
      : tensor<1x1x8x8xf32> -> tensor<1x1x6x4xf32>
  return
}

// -----

func.func @pool2d_pad_needs_ignore_border(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+1 {{padding needs ignore_border}}
  %y = theon.pool2d sum %x window = [2, 2], strides = [2, 2], padding = [1, 1]
      : tensor<1x1x8x8xf32> -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @pool2d_window_too_large(%x: tensor<1x1x2x8xf32>) {
  // expected-error @+1 {{a window of 3 does not fit the 2 padded rows of the input (1, 1, 2, 8)}}
  %y = theon.pool2d max %x window = [3, 3], strides = [1, 1], padding = [0, 0] ignore_border
      : tensor<1x1x2x8xf32> -> tensor<1x1x1x6xf32>
  return
}

// -----

func.func @pool2d_result(%x: tensor<1x1x5x5xf32>) {
  // expected-error @+1 {{result type 'tensor<1x1x2x2xf32>' should be 'tensor<1x1x3x3xf32>'}}
  %y = theon.pool2d max %x window = [2, 2], strides = [2, 2], padding = [0, 0]
      : tensor<1x1x5x5xf32> -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @pool2d_grad_types(%x: tensor<1x1x4x4xf32>, %y: tensor<1x1x2x2xf32>, %g: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{the pooled value and its gradient must have the pooling's type 'tensor<1x1x2x2xf32>', got 'tensor<1x1x2x2xf32>' and 'tensor<1x1x3x3xf32>'}}
  %gx = theon.pool2d_grad max %x, %y, %g window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
      : tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool2d_unknown_mode(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'mode' [max, sum, average_inc_pad, average_exc_pad]}}
  %y = theon.pool2d median %x window = [2, 2], strides = [2, 2], padding = [0, 0]
      : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

// -----

func.func @scan_short_sequence(%x: tensor<3x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op sequence #0 has 3 rows, fewer than the length 4}}
  %r:2 = theon.scan length = 4 sequences(%x : tensor<3x2xf32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<2xf32>, %hp: tensor<2xf32>):
    theon.yield %hp, %xt : tensor<2xf32>, tensor<2xf32>
  } -> tensor<2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @scan_row_type(%x: tensor<3x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op body argument #0 (a row of sequence #0) has type 'tensor<3x2xf32>', expected 'tensor<2xf32>'}}
  %r = theon.scan length = 3 sequences(%x : tensor<3x2xf32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<3x2xf32>, %hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_argument_count(%h: tensor<2xf32>, %w: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op body has 1 arguments, expected 2 (a row of each sequence, the states, the params)}}
  %r = theon.scan length = 3 init(%h : tensor<2xf32>) params(%w : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_state_type(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op the new value of state #0 has type 'tensor<4xf32>', its init 'tensor<2xf32>'}}
  %r = theon.scan length = 3 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    %c = theon.concatenate %hp, %hp axis = 0 : tensor<2xf32>, tensor<2xf32> -> tensor<4xf32>
    theon.yield %c : tensor<4xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_stacked_type(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op result #1 (output #0 stacked) has type 'tensor<2x2xf32>', expected 'tensor<3x2xf32>'}}
  %r:2 = theon.scan length = 3 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    theon.yield %hp, %hp : tensor<2xf32>, tensor<2xf32>
  } -> tensor<2xf32>, tensor<2x2xf32>
  return
}

// -----

func.func @scan_yield_count(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op body yields 1 values for 2 results}}
  %r:2 = theon.scan length = 3 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @scan_reads_outside(%h: tensor<2xf32>, %w: tensor<2xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %r = theon.scan length = 3 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    // expected-error @+1 {{using value defined outside the region}}
    %n = theon.add %hp, %w : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
    theon.yield %n : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_negative_length(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op length must not be negative, got -1}}
  %r = theon.scan length = -1 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_scalar_sequence(%x: tensor<f32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op sequence #0 must have at least one axis, got 'tensor<f32>'}}
  %r = theon.scan length = 0 sequences(%x : tensor<f32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<f32>, %hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_without_yield(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op body must end with theon.yield}}
  %r = theon.scan length = 3 init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    %n = theon.add %hp, %hp : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_dynamic_length_without_sequences(%h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op a dynamic length is the sequences' number of rows, but there is no sequence}}
  %r = theon.scan length = ? init(%h : tensor<2xf32>) {
  ^bb0(%hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_dynamic_length_static_sequence(%x: tensor<4x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op sequence #0 has a static number of rows, but the length is dynamic: 'tensor<4x2xf32>'}}
  %r = theon.scan length = ? sequences(%x : tensor<4x2xf32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<2xf32>, %hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_static_length_dynamic_sequence(%x: tensor<?x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op sequence #0 has a dynamic number of rows, but the length is static: 'tensor<?x2xf32>'}}
  %r = theon.scan length = 3 sequences(%x : tensor<?x2xf32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<2xf32>, %hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @scan_dynamic_row(%x: tensor<?x?xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'theon.scan' op sequence #0 has dynamic extents after its first axis: 'tensor<?x?xf32>'}}
  %r = theon.scan length = ? sequences(%x : tensor<?x?xf32>) init(%h : tensor<2xf32>) {
  ^bb0(%xt: tensor<?xf32>, %hp: tensor<2xf32>):
    theon.yield %hp : tensor<2xf32>
  } -> tensor<2xf32>
  return
}

// -----

func.func @subtensor_of_a_dynamic_axis(%x: tensor<?x2xf32>) {
  // expected-error @+1 {{'theon.subtensor' op axis 0 has a dynamic extent: it takes an index or the whole axis, not 2 elements from 1 in steps of 1}}
  %r = theon.subtensor %x starts = [1, 0], steps = [1, 1], sizes = [2, 2], dropped = [] : tensor<?x2xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @reduce_keeps_a_dynamic_axis(%a: tensor<3x?xf32>) {
  // expected-error @+2 {{axis 1 has a dynamic extent and must be reduced}}
  // expected-error @+1 {{'theon.sum' op failed to infer returned types}}
  %0 = theon.sum %a axes = [0] : tensor<3x?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @max_over_a_dynamic_axis(%a: tensor<?x3xf32>) {
  // expected-error @+2 {{axis 0 has a dynamic extent, which may be 0, and max of nothing is not defined}}
  // expected-error @+1 {{'theon.max' op failed to infer returned types}}
  %0 = theon.max %a axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  return
}
