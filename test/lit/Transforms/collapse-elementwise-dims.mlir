// RUN: theon-opt %s --theon-collapse-elementwise-dims --split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// An elementwise op on contiguous buffers with identity maps runs over one
// flat loop of views: no copies.
// CHECK-LABEL: func.func @identity
// CHECK-DAG: %[[A:.*]] = memref.collapse_shape %arg0 {{\[\[}}0, 1]] : memref<100x10xf32> into memref<1000xf32>
// CHECK-DAG: %[[B:.*]] = memref.collapse_shape %arg1 {{\[\[}}0, 1]] : memref<100x10xf32> into memref<1000xf32>
// CHECK-DAG: %[[C:.*]] = memref.collapse_shape %arg2 {{\[\[}}0, 1]] : memref<100x10xf32> into memref<1000xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[A]], %[[B]] : memref<1000xf32>, memref<1000xf32>) outs(%[[C]] : memref<1000xf32>)
// CHECK-NOT: memref.copy
func.func @identity(%a: memref<100x10xf32>, %b: memref<100x10xf32>, %c: memref<100x10xf32>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<100x10xf32>, memref<100x10xf32>) outs(%c : memref<100x10xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Rank 3: all three loops become one.
// CHECK-LABEL: func.func @rank3
// CHECK: memref.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : memref<2x3x4xf32> into memref<24xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]}
func.func @rank3(%a: memref<2x3x4xf32>, %c: memref<2x3x4xf32>) {
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : memref<2x3x4xf32>) outs(%c : memref<2x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// A broadcast operand (a bias added to every row) needs both loops: unchanged.
// CHECK-LABEL: func.func @broadcast
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @broadcast(%a: memref<32x100xf32>, %b: memref<100xf32>, %c: memref<32x100xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<32x100xf32>, memref<100xf32>) outs(%c : memref<32x100xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>

// A transposed read: unchanged.
// CHECK-LABEL: func.func @transposed
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @transposed(%a: memref<4x3xf32>, %c: memref<3x4xf32>) {
  linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x3xf32>) outs(%c : memref<3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// A reduction: unchanged.
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "reduction"]
func.func @row_sum(%a: memref<32x10xf32>, %s: memref<32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<32x10xf32>) outs(%s : memref<32xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>

// A rank-0 operand (upstream's collapsing crashed on its map): unchanged.
// CHECK-LABEL: func.func @scalar_operand
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @scalar_operand(%a: memref<4x3xf32>, %s: memref<f32>, %c: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %s : memref<4x3xf32>, memref<f32>) outs(%c : memref<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A strided view (a column slice) cannot be collapsed into one dimension.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: memref.collapse_shape
// CHECK: iterator_types = ["parallel", "parallel"]
func.func @strided(%a: memref<4x3xf32, strided<[6, 1]>>, %c: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x3xf32, strided<[6, 1]>>) outs(%c : memref<4x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}
