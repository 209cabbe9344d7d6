// RUN: theon-opt %s --theon-scan-batch-products --split-input-file | FileCheck %s

// Two states that only sum products: dot(x_t^T, g_t), whose x_t is a row of
// a sequence (read from the sequence after the loop), and dot(h_t^T, g_t),
// whose h_t the scan now stacks as an output. Both leave the loop and
// become one product over the 5 * 4 stacked rows each; zero inits add
// nothing.
// CHECK-LABEL: func.func @weight_gradients
// CHECK-SAME: (%[[X:.*]]: tensor<5x4x2xf32>, %[[G:.*]]: tensor<5x4x3xf32>, %[[W:.*]]: tensor<2x3xf32>)
// CHECK: %[[HS:.*]] = theon.scan length = 5 sequences(%[[X]], %[[G]] : tensor<5x4x2xf32>, tensor<5x4x3xf32>) params(%[[W]] : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%[[XT:.*]]: tensor<4x2xf32>, %[[GT:.*]]: tensor<4x3xf32>, %[[WP:.*]]: tensor<2x3xf32>):
// CHECK-NEXT: %[[H:.*]] = theon.dot %[[XT]], %[[WP]]
// CHECK-NEXT: theon.yield %[[H]] : tensor<4x3xf32>
// CHECK-NEXT: } -> tensor<5x4x3xf32>
// CHECK: %[[XR:.*]] = theon.reshape %[[X]] : tensor<5x4x2xf32> to tensor<20x2xf32>
// CHECK: %[[GR:.*]] = theon.reshape %[[G]] : tensor<5x4x3xf32> to tensor<20x3xf32>
// CHECK: %[[XRT:.*]] = theon.dimshuffle %[[XR]] [1, 0] : tensor<20x2xf32> -> tensor<2x20xf32>
// CHECK: %[[DW:.*]] = theon.dot %[[XRT]], %[[GR]] : tensor<2x20xf32>, tensor<20x3xf32> -> tensor<2x3xf32>
// CHECK: %[[HR:.*]] = theon.reshape %[[HS]] : tensor<5x4x3xf32> to tensor<20x3xf32>
// CHECK: %[[HRT:.*]] = theon.dimshuffle %[[HR]] [1, 0]
// CHECK: %[[DH:.*]] = theon.dot %[[HRT]], %{{.*}} : tensor<3x20xf32>, tensor<20x3xf32> -> tensor<3x3xf32>
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
// CHECK: %[[XR:.*]] = theon.reshape %[[ROWS]] : tensor<5x4x2xf32> to tensor<20x2xf32>
// CHECK: %[[P:.*]] = theon.dot
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
// CHECK-NOT: theon.reshape
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
