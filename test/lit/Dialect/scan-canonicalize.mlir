// RUN: theon-opt %s --canonicalize --split-input-file | FileCheck %s

// An output no one reads goes, with the body's work for it.
// CHECK-LABEL: func.func @unused_output
// CHECK: %[[R:.*]]:2 = theon.scan length = 4
// CHECK-NOT: theon.exp
// CHECK: theon.yield %{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>
// CHECK: } -> tensor<3xf32>, tensor<4x3xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @unused_output(%x: tensor<4x3xf32>, %h0: tensor<3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>) {
  %h, %hs, %es = theon.scan length = 4 sequences(%x : tensor<4x3xf32>) init(%h0 : tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>):
    %a = theon.add %hp, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %e = theon.exp %a : tensor<3xf32>
    theon.yield %a, %a, %e : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
  return %h, %hs : tensor<3xf32>, tensor<4x3xf32>
}

// -----

// A state whose final value is unused and that feeds only itself (a sum
// no one reads) goes, and so does the sequence only it read.
// CHECK-LABEL: func.func @dead_state
// CHECK: theon.scan length = 4 sequences(%arg0 : tensor<4x3xf32>) init(%arg2 : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>):
// CHECK-NOT: theon.sum
// CHECK: } -> tensor<3xf32>
func.func @dead_state(%x: tensor<4x3xf32>, %y: tensor<4x3xf32>, %h0: tensor<3xf32>, %s0: tensor<f32>) -> tensor<3xf32> {
  %h, %s = theon.scan length = 4 sequences(%x, %y : tensor<4x3xf32>, tensor<4x3xf32>) init(%h0, %s0 : tensor<3xf32>, tensor<f32>) {
  ^bb0(%xt: tensor<3xf32>, %yt: tensor<3xf32>, %hp: tensor<3xf32>, %sp: tensor<f32>):
    %a = theon.add %hp, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %t = theon.sum %yt axes = [0] : tensor<3xf32> -> tensor<f32>
    %n = theon.add %sp, %t : tensor<f32>, tensor<f32> -> tensor<f32>
    theon.yield %a, %n : tensor<3xf32>, tensor<f32>
  } -> tensor<3xf32>, tensor<f32>
  return %h : tensor<3xf32>
}

// -----

// A state whose final value is unused stays when another state reads it.
// CHECK-LABEL: func.func @state_read_by_another
// CHECK: theon.scan length = 4 init(%arg0, %arg1 : tensor<3xf32>, tensor<3xf32>)
func.func @state_read_by_another(%a0: tensor<3xf32>, %b0: tensor<3xf32>) -> tensor<3xf32> {
  %a, %b = theon.scan length = 4 init(%a0, %b0 : tensor<3xf32>, tensor<3xf32>) {
  ^bb0(%ap: tensor<3xf32>, %bp: tensor<3xf32>):
    %n = theon.add %ap, %bp : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %m = theon.exp %bp : tensor<3xf32>
    theon.yield %n, %m : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<3xf32>
  return %a : tensor<3xf32>
}

// -----

// A constant param becomes a constant in the body; an unread param goes.
// CHECK-LABEL: func.func @constant_and_unread_params
// CHECK: theon.scan length = 4 init(%arg0 : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%[[HP:[^:]*]]: tensor<3xf32>):
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: theon.add %[[HP]], %[[ONE]]
func.func @constant_and_unread_params(%h0: tensor<3xf32>, %w: tensor<3x3xf32>) -> tensor<3xf32> {
  %one = arith.constant dense<1.0> : tensor<f32>
  %h = theon.scan length = 4 init(%h0 : tensor<3xf32>) params(%one, %w : tensor<f32>, tensor<3x3xf32>) {
  ^bb0(%hp: tensor<3xf32>, %c: tensor<f32>, %wp: tensor<3x3xf32>):
    %n = theon.add %hp, %c : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
    theon.yield %n : tensor<3xf32>
  } -> tensor<3xf32>
  return %h : tensor<3xf32>
}

// -----

// A scan none of whose results is used goes entirely.
// CHECK-LABEL: func.func @unused_scan
// CHECK-NOT: theon.scan
func.func @unused_scan(%h0: tensor<3xf32>) -> tensor<3xf32> {
  %h = theon.scan length = 4 init(%h0 : tensor<3xf32>) {
  ^bb0(%hp: tensor<3xf32>):
    %n = theon.exp %hp : tensor<3xf32>
    theon.yield %n : tensor<3xf32>
  } -> tensor<3xf32>
  return %h0 : tensor<3xf32>
}
