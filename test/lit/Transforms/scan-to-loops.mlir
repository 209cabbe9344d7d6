// RUN: theon-opt %s --theon-scan-to-loops --split-input-file | FileCheck %s

// One scf.for over the steps; the body once. Row t of each sequence is read
// with tensor.extract_slice, each output is written into row t of its
// stack, then each new state is copied into the buffer of the one it
// replaces (linalg.copy into the carried value): an output may be a
// state's current value, which that copy overwrites.
// CHECK-LABEL: func.func @rnn
// CHECK-DAG: %[[STACK:.*]] = tensor.empty() : tensor<5x3xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %[[C0]] to %[[C5]] step %{{.*}} iter_args(%[[H:[^ ]*]] = %arg1, %[[HS:[^ ]*]] = %[[STACK]]) -> (tensor<3xf32>, tensor<5x3xf32>)
// CHECK:   %[[ROW:.*]] = tensor.extract_slice %arg0[%[[T]], 0] [1, 3] [1, 1] : tensor<6x3xf32> to tensor<3xf32>
// CHECK:   %[[M:.*]] = theon.dot %[[H]], %arg2
// CHECK:   %[[A:.*]] = theon.add %[[M]], %[[ROW]]
// CHECK:   %[[N:.*]] = theon.tanh %[[A]]
// CHECK:   %[[ROWS:.*]] = tensor.insert_slice %[[N]] into %[[HS]][%[[T]], 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<5x3xf32>
// CHECK:   %[[NEXT:.*]] = linalg.copy ins(%[[N]] : tensor<3xf32>) outs(%[[H]] : tensor<3xf32>)
// CHECK:   scf.yield %[[NEXT]], %[[ROWS]]
// CHECK: return %[[LOOP]]#0, %[[LOOP]]#1
// CHECK-NOT: theon.scan
func.func @rnn(%x: tensor<6x3xf32>, %h0: tensor<3xf32>, %w: tensor<3x3xf32>) -> (tensor<3xf32>, tensor<5x3xf32>) {
  %h, %hs = theon.scan length = 5 sequences(%x : tensor<6x3xf32>) init(%h0 : tensor<3xf32>)
      params(%w : tensor<3x3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>, %wp: tensor<3x3xf32>):
    %m = theon.dot %hp, %wp : tensor<3xf32>, tensor<3x3xf32> -> tensor<3xf32>
    %a = theon.add %m, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %n = theon.tanh %a : tensor<3xf32>
    theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<5x3xf32>
  return %h, %hs : tensor<3xf32>, tensor<5x3xf32>
}

// -----

// Taps shift states along: a state whose new value is another state's
// current one is copied aside first, so that the write into the other
// state's buffer cannot come before this read.
// CHECK-LABEL: func.func @shifted_states
// CHECK: scf.for %{{.*}} iter_args(%[[S1:[^ ]*]] = %arg0, %[[S2:[^ ]*]] = %arg1,
// CHECK:   %[[N:.*]] = theon.add %[[S1]], %[[S2]]
// CHECK:   %[[EMPTY:.*]] = tensor.empty() : tensor<f64>
// CHECK:   %[[ASIDE:.*]] = linalg.copy ins(%[[S1]] : tensor<f64>) outs(%[[EMPTY]] : tensor<f64>)
// CHECK:   %[[NEW1:.*]] = linalg.copy ins(%[[N]] : tensor<f64>) outs(%[[S1]] : tensor<f64>)
// CHECK:   %[[NEW2:.*]] = linalg.copy ins(%[[ASIDE]] : tensor<f64>) outs(%[[S2]] : tensor<f64>)
// CHECK:   scf.yield %[[NEW1]], %[[NEW2]], %{{.*}}
func.func @shifted_states(%a: tensor<f64>, %b: tensor<f64>) -> tensor<4xf64> {
  %r:3 = theon.scan length = 4 init(%a, %b : tensor<f64>, tensor<f64>) {
  ^bb0(%s1: tensor<f64>, %s2: tensor<f64>):
    %n = theon.add %s1, %s2 : tensor<f64>, tensor<f64> -> tensor<f64>
    theon.yield %n, %s1, %n : tensor<f64>, tensor<f64>, tensor<f64>
  } -> tensor<f64>, tensor<f64>, tensor<4xf64>
  return %r#2 : tensor<4xf64>
}

// -----

// A scan in a scan's body: the inner loop is lowered first, then cloned
// into the outer loop's body with it.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK:   scf.for
// CHECK-NOT: theon.scan
func.func @nested(%x: tensor<2x3xf32>, %a: tensor<f32>) -> tensor<f32> {
  %r:2 = theon.scan length = 2 sequences(%x : tensor<2x3xf32>) init(%a : tensor<f32>) {
  ^bb0(%row: tensor<3xf32>, %acc: tensor<f32>):
    %inner:2 = theon.scan length = 3 sequences(%row : tensor<3xf32>) init(%acc : tensor<f32>) {
    ^bb0(%e: tensor<f32>, %p: tensor<f32>):
      %q = theon.mul %p, %e : tensor<f32>, tensor<f32> -> tensor<f32>
      theon.yield %q, %q : tensor<f32>, tensor<f32>
    } -> tensor<f32>, tensor<3xf32>
    theon.yield %inner#0, %inner#0 : tensor<f32>, tensor<f32>
  } -> tensor<f32>, tensor<2xf32>
  return %r#0 : tensor<f32>
}

// -----

// A reverse scan's step t reads and writes row 4 - t: no reversed copies.
// CHECK-LABEL: func.func @reverse
// CHECK-DAG: %[[LAST:.*]] = arith.constant 4 : index
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:[^ ]*]] = %arg1, %[[HS:[^ ]*]] = %{{.*}})
// CHECK:   %[[R:.*]] = arith.subi %[[LAST]], %[[T]] : index
// CHECK:   %[[ROW:.*]] = tensor.extract_slice %arg0[%[[R]], 0] [1, 3] [1, 1]
// CHECK:   %[[N:.*]] = theon.add %[[H]], %[[ROW]]
// CHECK:   tensor.insert_slice %[[N]] into %[[HS]][%[[R]], 0] [1, 3] [1, 1]
func.func @reverse(%x: tensor<5x3xf32>, %h0: tensor<3xf32>) -> tensor<5x3xf32> {
  %h, %hs = theon.scan length = 5 reverse sequences(%x : tensor<5x3xf32>) init(%h0 : tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>):
    %n = theon.add %hp, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<5x3xf32>
  return %hs : tensor<5x3xf32>
}

// -----

// An output that is a state's current value goes into its stack before the
// state's buffer takes the new value.
// CHECK-LABEL: func.func @output_of_the_old_state
// CHECK: scf.for %{{.*}} iter_args(%[[H:[^ ]*]] = %arg0, %[[HS:[^ ]*]] = %{{.*}})
// CHECK:   %[[N:.*]] = theon.tanh %[[H]]
// CHECK:   tensor.insert_slice %[[H]] into %[[HS]]
// CHECK:   linalg.copy ins(%[[N]] : tensor<3xf32>) outs(%[[H]] : tensor<3xf32>)
func.func @output_of_the_old_state(%h0: tensor<3xf32>) -> tensor<4x3xf32> {
  %h, %hs = theon.scan length = 4 init(%h0 : tensor<3xf32>) {
  ^bb0(%hp: tensor<3xf32>):
    %n = theon.tanh %hp : tensor<3xf32>
    theon.yield %n, %hp : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<4x3xf32>
  return %hs : tensor<4x3xf32>
}

// -----

// A dynamic length: the loop runs as many steps as the sequence has rows
// (tensor.dim), and the stack has that many; a reverse loop starts from
// the last of them.
// CHECK-LABEL: func.func @dynamic_length
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[STACK:.*]] = tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK: %[[LAST:.*]] = arith.subi %[[N]], %[[ONE:.*]] : index
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %[[N]] step %[[ONE]] iter_args(%{{.*}} = %arg1, %[[HS:.*]] = %[[STACK]]) -> (tensor<3xf32>, tensor<?x3xf32>)
// CHECK:   %[[ROW:.*]] = arith.subi %[[LAST]], %[[T]] : index
// CHECK:   tensor.extract_slice %arg0[%[[ROW]], 0] [1, 3] [1, 1] : tensor<?x3xf32> to tensor<3xf32>
// CHECK:   tensor.insert_slice %{{.*}} into %[[HS]][%[[ROW]], 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<?x3xf32>
func.func @dynamic_length(%x: tensor<?x3xf32>, %h0: tensor<3xf32>) -> tensor<?x3xf32> {
  %h, %hs = theon.scan length = ? reverse sequences(%x : tensor<?x3xf32>) init(%h0 : tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>):
    %n = theon.add %hp, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<?x3xf32>
  return %hs : tensor<?x3xf32>
}

// -----

// With several sequences, the least number of rows.
// CHECK-LABEL: func.func @dynamic_length_of_two
// CHECK: %[[A:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[B:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[N:.*]] = arith.minsi %[[A]], %[[B]] : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[N]]
func.func @dynamic_length_of_two(%x: tensor<?x3xf32>, %y: tensor<?x3xf32>, %h0: tensor<3xf32>) -> tensor<3xf32> {
  %h = theon.scan length = ? sequences(%x, %y : tensor<?x3xf32>, tensor<?x3xf32>) init(%h0 : tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %yt: tensor<3xf32>, %hp: tensor<3xf32>):
    %n = theon.add %xt, %yt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    theon.yield %n : tensor<3xf32>
  } -> tensor<3xf32>
  return %h : tensor<3xf32>
}
