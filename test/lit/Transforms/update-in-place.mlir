// RUN: theon-opt %s --theon-update-in-place --split-input-file --verify-diagnostics | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// The new value's computation writes into the argument (its empty init is
// replaced), and is stored there: the argument becomes writable.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[W:.*]]: tensor<4xf32> {bufferization.writable = true, theon.update_result = 1 : i64}, %[[G:.*]]: tensor<4xf32> {bufferization.writable = false})
// CHECK: %[[NEW:.*]] = linalg.generic {{.*}} ins(%[[W]], %[[G]] : tensor<4xf32>, tensor<4xf32>) outs(%[[W]] : tensor<4xf32>)
// CHECK: %[[M:.*]] = bufferization.materialize_in_destination %[[NEW]] in %[[W]]
// CHECK: return %{{.*}}, %[[M]]
func.func @elementwise(%w: tensor<4xf32> {theon.update_result = 1 : i64}, %g: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%w, %g : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %c = arith.constant dense<1.0> : tensor<f32>
  return %c, %new : tensor<f32>, tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// The update is computed before another read of the old value: it moves
// after it, so bufferization need not copy.
// CHECK-LABEL: func.func @sink_after_reader
// CHECK: %[[READ:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK: %[[NEW:.*]] = linalg.generic {{.*}} outs(%arg0 : tensor<4xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK: bufferization.materialize_in_destination %[[NEW]] in %arg0
func.func @sink_after_reader(%w: tensor<4xf32> {theon.update_result = 1 : i64}) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %new = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %read = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %read, %new : tensor<4xf32>, tensor<4xf32>
}

// -----

// A swap: each new value is the other argument. Both are copied first, and
// only then stored; the outputs that return the arguments themselves are
// copies made before any store.
// CHECK-LABEL: func.func @swap
// CHECK-SAME: (%[[A:.*]]: tensor<2xf32> {{{.*}}theon.update_result = 2 : i64}, %[[B:.*]]: tensor<2xf32> {{{.*}}theon.update_result = 3 : i64})
// CHECK-DAG: %[[OUTA:.*]] = linalg.copy ins(%[[A]] : tensor<2xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK-DAG: %[[OUTB:.*]] = linalg.copy ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[NEWA:.*]] = linalg.copy ins(%[[B]] : tensor<2xf32>) outs(%[[A]] : tensor<2xf32>)
// CHECK: %[[NEWB:.*]] = linalg.copy ins(%[[A]] : tensor<2xf32>) outs(%[[B]] : tensor<2xf32>)
// CHECK: %[[MA:.*]] = bufferization.materialize_in_destination %[[NEWA]] in %[[A]]
// CHECK: %[[MB:.*]] = bufferization.materialize_in_destination %[[NEWB]] in %[[B]]
// CHECK: return %[[OUTA]], %[[OUTB]], %[[MA]], %[[MB]]
func.func @swap(%a: tensor<2xf32> {theon.update_result = 2 : i64}, %b: tensor<2xf32> {theon.update_result = 3 : i64}) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  return %a, %b, %b, %a : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Without the attribute nothing is written in place, and the arguments, the
// caller's arrays, are marked read only (bufferization copies before a
// write into one).
// CHECK-LABEL: func.func @no_updates
// CHECK-SAME: (%{{.*}}: tensor<4xf32> {bufferization.writable = false})
// CHECK-NOT: materialize_in_destination
func.func @no_updates(%w: tensor<4xf32>) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}

// -----

// expected-error @below {{argument 0 names result 3, but the function has 1 results}}
func.func @bad_index(%w: tensor<4xf32> {theon.update_result = 3 : i64}) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}

// -----

// A loop that carries the argument (a scatter_add into it) is moved last
// and writes in place: no materialize_in_destination.
// CHECK-LABEL: func.func @scatter_loop
// CHECK: %[[S:.*]] = linalg.generic
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %arg0)
// CHECK-NOT: materialize_in_destination
// CHECK: return %[[S]], %[[R]]
#id1 = affine_map<(d0) -> (d0)>
func.func @scatter_loop(%w: tensor<4xf32> {theon.update_result = 1 : i64}, %u: tensor<1xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %w) -> (tensor<4xf32>) {
    %n = tensor.insert_slice %u into %acc[%i] [1] [1] : tensor<1xf32> into tensor<4xf32>
    scf.yield %n : tensor<4xf32>
  }
  %e = tensor.empty() : tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4xf32>
  return %s, %r : tensor<4xf32>, tensor<4xf32>
}

// -----

// The new value also an output: the insert writes into a copy of the
// argument, the output is a copy of it, and the store is materialized.
// CHECK-LABEL: func.func @insert_also_output
// CHECK: %[[C:.*]] = linalg.copy ins(%arg0 : tensor<4xf32>)
// CHECK: %[[N:.*]] = tensor.insert_slice %arg1 into %[[C]]
// CHECK: %[[OUT:.*]] = linalg.copy ins(%[[N]] : tensor<4xf32>)
// CHECK: %[[M:.*]] = bufferization.materialize_in_destination %[[N]] in %arg0
// CHECK: return %[[OUT]], %[[M]]
func.func @insert_also_output(%w: tensor<4xf32> {theon.update_result = 1 : i64}, %u: tensor<1xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %n = tensor.insert_slice %u into %w[0] [1] [1] : tensor<1xf32> into tensor<4xf32>
  return %n, %n : tensor<4xf32>, tensor<4xf32>
}

// -----

// expected-error @below {{argument 0 has type 'tensor<4xf32>' but its update, result 0, has type 'tensor<5xf32>'}}
func.func @bad_type(%w: tensor<4xf32> {theon.update_result = 0 : i64}, %v: tensor<5xf32>) -> tensor<5xf32> {
  return %v : tensor<5xf32>
}

// -----

// Regression (#11): memref arguments (IR after bufferization) crashed the
// pass; they are reported.
// expected-error @below {{argument 0 has type 'memref<4xf32>': theon-update-in-place runs on tensors, before bufferization}}
func.func @memrefs(%w: memref<4xf32> {theon.update_result = 1 : i64}, %x: memref<2xf32>) -> (memref<f32>, memref<4xf32>, memref<2xf32>) {
  %c = memref.alloc() : memref<f32>
  return %c, %w, %x : memref<f32>, memref<4xf32>, memref<2xf32>
}

// -----

// Regression (#11): a first block ending in cf.br was taken for the return,
// and the pass wrote wrong IR.
// expected-error @below {{theon-update-in-place expects a function of one block, got 2}}
func.func @branch(%w: tensor<4xf32> {theon.update_result = 0 : i64}) -> tensor<4xf32> {
  cf.br ^bb1
^bb1:
  %e = theon.exp %w : tensor<4xf32>
  return %e : tensor<4xf32>
}
