// RUN: theon-opt %s --theon-scan-batch-products --split-input-file | FileCheck %s

// Two states that only sum products: dot(x_t^T, g_t), whose x_t is a row of
// a sequence (read from the sequence after the loop), and dot(h_t^T, g_t),
// whose h_t the scan now stacks as an output. Both leave the loop and
// become one product over the 5 * 4 stacked rows each; zero inits add
// nothing.
// The product after the loop reads the stacks' rows transposed through its
// first map: transpose(A) . C.
// CHECK-DAG: #[[$AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @weight_gradients
// CHECK-SAME: (%[[X:.*]]: tensor<5x4x2xf32>, %[[G:.*]]: tensor<5x4x3xf32>, %[[W:.*]]: tensor<2x3xf32>)
// CHECK: %[[HS:.*]] = theon.scan length = 5 sequences(%[[X]], %[[G]] : tensor<5x4x2xf32>, tensor<5x4x3xf32>) params(%[[W]] : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%[[XT:.*]]: tensor<4x2xf32>, %[[GT:.*]]: tensor<4x3xf32>, %[[WP:.*]]: tensor<2x3xf32>):
// CHECK-NEXT: %[[H:.*]] = theon.dot %[[XT]], %[[WP]]
// CHECK-NEXT: theon.yield %[[H]] : tensor<4x3xf32>
// CHECK-NEXT: } -> tensor<5x4x3xf32>
// CHECK: %[[XR:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<5x4x2xf32> into tensor<20x2xf32>
// CHECK: %[[GR:.*]] = tensor.collapse_shape %[[G]] {{\[}}[0, 1], [2]] : tensor<5x4x3xf32> into tensor<20x3xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[DW:.*]] = linalg.matmul indexing_maps = [#[[$AT]], #[[$C]], #[[$OUT]]] ins(%[[XR]], %[[GR]] : tensor<20x2xf32>, tensor<20x3xf32>) outs(%[[Z]] : tensor<2x3xf32>)
// CHECK: %[[HR:.*]] = tensor.collapse_shape %[[HS]] {{\[}}[0, 1], [2]] : tensor<5x4x3xf32> into tensor<20x3xf32>
// CHECK: %[[DH:.*]] = linalg.matmul indexing_maps = [#[[$AT]], #[[$C]], #[[$OUT]]] ins(%[[HR]], %{{.*}} : tensor<20x3xf32>, tensor<20x3xf32>)
// CHECK: return %[[DW]], %[[DH]]
func.func @weight_gradients(%x: tensor<5x4x2xf32>, %g: tensor<5x4x3xf32>, %w: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x3xf32>) {
  %z = arith.constant dense<0.0> : tensor<2x3xf32>
  %z3 = arith.constant dense<0.0> : tensor<3x3xf32>
  %r:2 = theon.scan length = 5 sequences(%x, %g : tensor<5x4x2xf32>, tensor<5x4x3xf32>) init(%z, %z3 : tensor<2x3xf32>, tensor<3x3xf32>) params(%w : tensor<2x3xf32>) {
  ^bb0(%xt: tensor<4x2xf32>, %gt: tensor<4x3xf32>, %s: tensor<2x3xf32>, %s3: tensor<3x3xf32>, %wp: tensor<2x3xf32>):
    %t = theon.dimshuffle %xt [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %gt : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
    %n = theon.add %s, %p : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
    %h = theon.dot %xt, %wp : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    %ht = theon.dimshuffle %h [1, 0] : tensor<4x3xf32> -> tensor<3x4xf32>
    %q = theon.dot %ht, %gt : tensor<3x4xf32>, tensor<4x3xf32> -> tensor<3x3xf32>
    %n3 = theon.add %q, %s3 : tensor<3x3xf32>, tensor<3x3xf32> -> tensor<3x3xf32>
    theon.yield %n, %n3 : tensor<2x3xf32>, tensor<3x3xf32>
  } -> tensor<2x3xf32>, tensor<3x3xf32>
  return %r#0, %r#1 : tensor<2x3xf32>, tensor<3x3xf32>
}

// -----

// A non-zero init is added to the product; a sequence longer than the
// scan gives its first `length` rows; the carried state h and the outputs
// keep their places.
// CHECK-LABEL: func.func @init_and_long_sequence
// CHECK-SAME: (%[[X:.*]]: tensor<7x4x2xf32>, %[[H0:.*]]: tensor<4x2xf32>, %[[A0:.*]]: tensor<2x2xf32>)
// CHECK: %[[R:.*]]:2 = theon.scan length = 5 sequences(%[[X]] : tensor<7x4x2xf32>) init(%[[H0]] : tensor<4x2xf32>) {
// CHECK: theon.yield %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<4x2xf32>
// CHECK-NEXT: } -> tensor<4x2xf32>, tensor<5x4x2xf32>
// CHECK: %[[ROWS:.*]] = theon.subtensor %[[X]] starts = [0, 0, 0], steps = [1, 1, 1], sizes = [5, 4, 2]
// CHECK: %[[XR:.*]] = tensor.collapse_shape %[[ROWS]] {{\[}}[0, 1], [2]] : tensor<5x4x2xf32> into tensor<20x2xf32>
// CHECK: %[[P:.*]] = linalg.matmul
// CHECK: %[[SUM:.*]] = theon.add %[[A0]], %[[P]]
// CHECK: return %[[R]]#0, %[[SUM]], %[[R]]#1
func.func @init_and_long_sequence(%x: tensor<7x4x2xf32>, %h0: tensor<4x2xf32>, %a0: tensor<2x2xf32>) -> (tensor<4x2xf32>, tensor<2x2xf32>, tensor<5x4x2xf32>) {
  %r:3 = theon.scan length = 5 sequences(%x : tensor<7x4x2xf32>) init(%h0, %a0 : tensor<4x2xf32>, tensor<2x2xf32>) {
  ^bb0(%xt: tensor<4x2xf32>, %h: tensor<4x2xf32>, %s: tensor<2x2xf32>):
    %n = theon.add %xt, %h : tensor<4x2xf32>, tensor<4x2xf32> -> tensor<4x2xf32>
    %t = theon.dimshuffle %xt [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %n : tensor<2x4xf32>, tensor<4x2xf32> -> tensor<2x2xf32>
    %s2 = theon.add %s, %p : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    theon.yield %n, %s2, %n : tensor<4x2xf32>, tensor<2x2xf32>, tensor<4x2xf32>
  } -> tensor<4x2xf32>, tensor<2x2xf32>, tensor<5x4x2xf32>
  return %r#0, %r#1, %r#2 : tensor<4x2xf32>, tensor<2x2xf32>, tensor<5x4x2xf32>
}

// -----

// Left alone: a sum the body also reads (%s feeds the next product), a
// product with a param as a factor (the same every step), and a scan of
// one step.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: theon.scan
// CHECK-NOT: linalg.matmul
func.func @left_alone(%x: tensor<5x4x2xf32>, %w: tensor<4x2xf32>, %y: tensor<1x4x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %z = arith.constant dense<0.0> : tensor<2x2xf32>
  %r0 = theon.scan length = 5 sequences(%x : tensor<5x4x2xf32>) init(%z : tensor<2x2xf32>) {
  ^bb0(%xt: tensor<4x2xf32>, %s: tensor<2x2xf32>):
    %m = theon.dot %xt, %s : tensor<4x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
    %t = theon.dimshuffle %xt [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %m : tensor<2x4xf32>, tensor<4x2xf32> -> tensor<2x2xf32>
    %n = theon.add %s, %p : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    theon.yield %n : tensor<2x2xf32>
  } -> tensor<2x2xf32>
  %r1 = theon.scan length = 5 sequences(%x : tensor<5x4x2xf32>) init(%z : tensor<2x2xf32>) params(%w : tensor<4x2xf32>) {
  ^bb0(%xt: tensor<4x2xf32>, %s: tensor<2x2xf32>, %wp: tensor<4x2xf32>):
    %t = theon.dimshuffle %wp [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %xt : tensor<2x4xf32>, tensor<4x2xf32> -> tensor<2x2xf32>
    %n = theon.add %s, %p : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    theon.yield %n : tensor<2x2xf32>
  } -> tensor<2x2xf32>
  %r2 = theon.scan length = 1 sequences(%y : tensor<1x4x2xf32>) init(%z : tensor<2x2xf32>) {
  ^bb0(%yt: tensor<4x2xf32>, %s: tensor<2x2xf32>):
    %t = theon.dimshuffle %yt [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %yt : tensor<2x4xf32>, tensor<4x2xf32> -> tensor<2x2xf32>
    %n = theon.add %s, %p : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
    theon.yield %n : tensor<2x2xf32>
  } -> tensor<2x2xf32>
  return %r0, %r1, %r2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A scan of runtime length: the same product, of the stacks' runtime
// number of rows (the sequence is read whole: its rows are the length).
// CHECK-LABEL: func.func @dynamic_length
// CHECK: %[[XR:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<?x4x2xf32> into tensor<?x2xf32>
// CHECK: %[[GR:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2]] : tensor<?x4x3xf32> into tensor<?x3xf32>
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%[[XR]], %[[GR]] : tensor<?x2xf32>, tensor<?x3xf32>) outs(%{{.*}} : tensor<2x3xf32>)
func.func @dynamic_length(%x: tensor<?x4x2xf32>, %g: tensor<?x4x3xf32>) -> tensor<2x3xf32> {
  %z = arith.constant dense<0.0> : tensor<2x3xf32>
  %r = theon.scan length = ? sequences(%x, %g : tensor<?x4x2xf32>, tensor<?x4x3xf32>) init(%z : tensor<2x3xf32>) {
  ^bb0(%xt: tensor<4x2xf32>, %gt: tensor<4x3xf32>, %s: tensor<2x3xf32>):
    %t = theon.dimshuffle %xt [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32>
    %p = theon.dot %t, %gt : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
    %n = theon.add %s, %p : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
    theon.yield %n : tensor<2x3xf32>
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
