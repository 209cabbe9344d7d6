// RUN: theon-opt %s -split-input-file -verify-diagnostics

func.func @take_matrix_index(%x: tensor<5x3xf32>, %i: tensor<2x2xi32>) {
  // expected-error @+1 {{expects a 1-d index tensor, got rank 2}}
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<2x2xi32> -> tensor<2x3xf32>
  return
}

// -----

func.func @take_bad_result(%x: tensor<5x3xf32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{expects the result of shape (4, 3), got (5, 3)}}
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xi32> -> tensor<5x3xf32>
  return
}

// -----

func.func @take_float_index(%x: tensor<5x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{must be statically shaped tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values}}
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_bad_updates(%x: tensor<5x3xf32>, %i: tensor<4xi32>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{expects updates of shape (4, 3), got (4, 2)}}
  %s = theon.scatter_add %x[%i], %u : tensor<5x3xf32>, tensor<4xi32>, tensor<4x2xf32> -> tensor<5x3xf32>
  return
}

// -----

func.func @scatter_bad_result(%x: tensor<5x3xf32>, %i: tensor<4xi32>, %u: tensor<4x3xf32>) {
  // expected-error @+1 {{result type 'tensor<5x4xf32>' differs from the base type 'tensor<5x3xf32>'}}
  %s = theon.scatter_add %x[%i], %u : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x4xf32>
  return
}

// -----

func.func @diag_length(%x: tensor<5x3xf32>) {
  // expected-error @+1 {{the diagonal of a matrix of shape (5, 3) has 3 elements, not 5}}
  %d = theon.extract_diag %x : tensor<5x3xf32> -> tensor<5xf32>
  return
}

// -----

func.func @diag_rank(%x: tensor<2x2x2xf32>) {
  // expected-error @+1 {{expects a matrix, got rank 3}}
  %d = theon.extract_diag %x : tensor<2x2x2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @alloc_diag_length(%v: tensor<3xf32>) {
  // expected-error @+1 {{the diagonal of a matrix of shape (4, 4) has 4 elements, not 3}}
  %d = theon.alloc_diag %v : tensor<3xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @grad_non_scalar(%c: tensor<2xf32>, %w: tensor<2xf32>) {
  // expected-error @+1 {{cost must be a scalar (rank 0), got shape (2,)}}
  %g = theon.grad %c wrt %w : tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @grad_int_wrt(%c: tensor<f32>, %w: tensor<2xi32>) {
  // expected-error @+1 {{must be variadic of statically shaped tensor of 32-bit float or 64-bit float values}}
  %g = theon.grad %c wrt %w : tensor<f32>, tensor<2xi32>
  return
}

// -----

func.func @alloc_diag_element_type(%v: tensor<3xf32>) {
  // expected-error @+1 {{changes the element type from 'f32' to 'f64'}}
  %d = theon.alloc_diag %v : tensor<3xf32> -> tensor<3x3xf64>
  return
}

// -----

func.func @take_per_row_count(%x: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{expects one index and one value per row (4), got 2 indices and 4 values}}
  %t = theon.take_per_row %x[%i] : tensor<4x3xf32>, tensor<2xi32> -> tensor<4xf32>
  return
}

// -----

func.func @put_per_row_rank(%v: tensor<4xf32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{expects a matrix, got rank 3}}
  %t = theon.put_per_row %v[%i] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3x1xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for a tensor of rank 2}}
  %l = theon.log_softmax %x axis = 2 : tensor<4x3xf32>
  return
}

// -----

func.func @log_softmax_negative_axis(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{axis -1 is out of range for a tensor of rank 2}}
  %l = theon.log_softmax %x axis = -1 : tensor<4x3xf32>
  return
}
