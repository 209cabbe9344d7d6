// RUN: theon-opt %s --theon-linalg-to-loops-pipeline | \
// RUN:   FileCheck %s --implicit-check-not=linalg. --implicit-check-not=tensor. --implicit-check-not=bufferization.

// Second stage of theon-cpu-pipeline: bufferize, turn results into
// caller-owned out-params, free temporaries, and lower linalg to scf loops.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#red = affine_map<(d0, d1) -> (d0)>

// Both results are written straight into the out-params: no alloc, no copy.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3xf32>, %[[OUT0:.*]]: memref<2x3xf32>, %[[OUT1:.*]]: memref<2xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[VX:.*]] = memref.load %[[X]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NEXT:        %[[VB:.*]] = memref.load %[[B]][%[[J]]] : memref<3xf32>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[VX]], %[[VB]] : f32
// CHECK-NEXT:        %[[T:.*]] = math.tanh %[[S]] : f32
// CHECK-NEXT:        memref.store %[[T]], %[[OUT0]][%[[I]], %[[J]]] : memref<2x3xf32>
// The fill of the accumulator.
// CHECK:         scf.for %[[K:.*]] =
// CHECK-NEXT:      memref.store %{{.*}}, %[[OUT1]][%[[K]]] : memref<2xf32>
// The reduction reads the first result back from its out-param.
// CHECK:         scf.for %[[I2:.*]] =
// CHECK-NEXT:      scf.for %[[J2:.*]] =
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[OUT0]][%[[I2]], %[[J2]]] : memref<2x3xf32>
// CHECK-NEXT:        %[[ACC:.*]] = memref.load %[[OUT1]][%[[I2]]] : memref<2xf32>
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[V]], %[[ACC]] : f32
// CHECK-NEXT:        memref.store %[[SUM]], %[[OUT1]][%[[I2]]] : memref<2xf32>
// CHECK-NOT:     memref.dealloc
// CHECK:         return{{$}}
func.func @kernel(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %s = arith.addf %in, %in_0 : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  } -> tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %1 = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<2x3xf32>) outs(%f : tensor<2xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2xf32>
}

// A small temporary that is not returned lives on the stack (a slot of
// theon-pack-buffers): no malloc, no free.
// CHECK-LABEL: func.func @temporary
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2xf32>)
// CHECK:         %[[TMP:.*]] = memref.alloca() {{.*}}: memref<2x3xf32>
// CHECK:         %[[FLAT:.*]] = memref.collapse_shape %[[TMP]] {{\[\[}}0, 1]] : memref<2x3xf32> into memref<6xf32>
// CHECK:         math.exp
// CHECK:         memref.store %{{.*}}, %[[FLAT]]
// CHECK:         memref.load %[[TMP]]
// CHECK:         memref.store %{{.*}}, %[[OUT]]
// CHECK-NOT:     memref.dealloc
// CHECK:         return{{$}}
func.func @temporary(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.exp %in : f32
    linalg.yield %v : f32
  } -> tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %1 = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<2x3xf32>) outs(%f : tensor<2xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

// A large temporary (64 KiB) stays on the heap, freed at both returns; if
// the allocation fails (theon-return-on-failure), the function returns
// before using it.
// CHECK-LABEL: func.func @large_temporary
// CHECK:         %[[BIG:.*]] = memref.alloc() {{.*}}: memref<128x128xf32>
// CHECK-NEXT:    %[[STATUS:.*]] = call @theon_call_failed() : () -> i32
// CHECK:         %[[FAILED:.*]] = arith.cmpi ne, %[[STATUS]]
// CHECK:         cf.cond_br %[[FAILED]], ^[[EXIT:.*]], ^[[BODY:.*]]
// CHECK:       ^[[BODY]]:
// CHECK:         math.exp
// CHECK:         memref.dealloc %[[BIG]] : memref<128x128xf32>
// CHECK:         return{{$}}
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    memref.dealloc %[[BIG]] : memref<128x128xf32>
// CHECK-NEXT:    return{{$}}
func.func @large_temporary(%x: tensor<128x128xf32>) -> tensor<128xf32> {
  %e = tensor.empty() : tensor<128x128xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<128x128xf32>) outs(%e : tensor<128x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.exp %in : f32
    linalg.yield %v : f32
  } -> tensor<128x128xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<128xf32>) -> tensor<128xf32>
  %1 = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<128x128xf32>) outs(%f : tensor<128xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<128xf32>
  return %1 : tensor<128xf32>
}

// The caller provides the out-params of the callee (small: on its stack);
// its own result is copied into its out-param.
// CHECK-LABEL: func.func @caller
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3xf32>, %[[OUT:.*]]: memref<2xf32>)
// CHECK-DAG:     %[[A0:.*]] = memref.alloca() {{.*}}: memref<2x3xf32>
// CHECK-DAG:     %[[A1:.*]] = memref.alloca() {{.*}}: memref<2xf32>
// CHECK:         call @kernel(%[[X]], %[[B]], %[[A0]], %[[A1]]) : (memref<2x3xf32>, memref<3xf32>, memref<2x3xf32>, memref<2xf32>) -> ()
// CHECK:         memref.copy %[[A1]], %[[OUT]] : memref<2xf32> to memref<2xf32>
// CHECK-NOT:     memref.dealloc
// CHECK:         return{{$}}
func.func @caller(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  %0:2 = call @kernel(%x, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2xf32>)
  return %0#1 : tensor<2xf32>
}
