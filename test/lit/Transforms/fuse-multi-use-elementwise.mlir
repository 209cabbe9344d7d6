// RUN: theon-opt %s --theon-fuse-multi-use-elementwise --split-input-file | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// Adagrad: the new accumulator is returned and read by the parameter's
// update. One loop computes both; the gradient is read once.
// CHECK-LABEL: func.func @adagrad
// CHECK-SAME: (%[[W:.*]]: tensor<8xf32>, %[[ACC:.*]]: tensor<8xf32>, %[[G:.*]]: tensor<8xf32>)
// CHECK: %[[F:.*]]:2 = linalg.generic {{.*}} ins(%[[ACC]], %[[G]], %[[W]] : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[GG:.*]]: f32, %[[WW:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[GG]], %[[GG]]
// CHECK-NEXT: %[[NEWACC:.*]] = arith.addf %[[A]], %[[SQ]]
// CHECK-NEXT: %[[R:.*]] = math.sqrt %[[NEWACC]]
// CHECK-NEXT: %[[D:.*]] = arith.divf %[[GG]], %[[R]]
// CHECK-NEXT: %[[NEWW:.*]] = arith.subf %[[WW]], %[[D]]
// CHECK-NEXT: linalg.yield %[[NEWACC]], %[[NEWW]]
// CHECK-NOT: linalg.generic
// CHECK: return %[[F]]#0, %[[F]]#1
func.func @adagrad(%w: tensor<8xf32>, %acc: tensor<8xf32>, %g: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %accnew = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%acc, %g : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %sq = arith.mulf %b, %b : f32
    %s = arith.addf %a, %sq : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %wnew = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel"]}
      ins(%w, %g, %accnew : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %r = math.sqrt %c : f32
    %d = arith.divf %b, %r : f32
    %s = arith.subf %a, %d : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %accnew, %wnew : tensor<8xf32>, tensor<8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Another user of the producer comes before the consumer: the fused op, at
// the consumer's place, could not provide it. Nothing changes.
// CHECK-LABEL: func.func @user_before_consumer
// CHECK: linalg.generic
// CHECK: tensor.extract
// CHECK: linalg.generic
func.func @user_before_consumer(%x: tensor<8xf32>) -> (tensor<8xf32>, f32) {
  %e = tensor.empty() : tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %c0 = arith.constant 0 : index
  %early = tensor.extract %p[%c0] : tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %c, %early : tensor<8xf32>, f32
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A reduction consumer, or a consumer that reads the producer through a
// broadcast, is left to the other passes.
// CHECK-LABEL: func.func @not_elementwise
// CHECK-COUNT-3: linalg.generic
func.func @not_elementwise(%x: tensor<4x8xf32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%v : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %b = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %p : tensor<4x8xf32>, tensor<4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.mulf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%b : tensor<4x8xf32>) outs(%p : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %p, %r, %b : tensor<4xf32>, tensor<4xf32>, tensor<4x8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// The consumer writes into the producer's result (its init): no fusion.
// CHECK-LABEL: func.func @producer_as_init
// CHECK-COUNT-2: linalg.generic
func.func @producer_as_init(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%p : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %c, %p : tensor<8xf32>, tensor<8xf32>
}
