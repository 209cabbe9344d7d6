// RUN: theon-opt %s --split-input-file --theon-gpu-block-reductions --verify-diagnostics | FileCheck %s
// RUN: theon-opt %s --split-input-file --theon-gpu-block-reductions=min-extent=8192 | FileCheck %s --check-prefix=LONG
// RUN: not theon-opt %s --split-input-file --theon-gpu-block-reductions=block-size=0 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: theon-gpu-block-reductions: block-size, min-extent and max-outputs must be positive

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A row sum of exp: one block of 256 threads per row; each thread folds
// every 256th element (from its thread id, starting at 0.0), the block's
// partial sums are combined by gpu.all_reduce, and thread 0 adds the total
// to the output's initial value.
// CHECK-LABEL: func.func @row_sum_of_exp(
// CHECK-SAME: %[[X:.*]]: memref<16x4096xf32>, %[[OUT:.*]]: memref<16xf32>
// CHECK-DAG: %[[ROWS:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[THREADS:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 4096 : index
// CHECK: gpu.launch blocks(%[[B:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[ROWS]], %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[THREADS]],
// CHECK: %[[ROW:.*]] = arith.remui %[[B]], %{{.*}} : index
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PARTIAL:.*]] = scf.for %[[K:[a-z0-9_]+]] = %[[T]] to %[[N]] step %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK: %[[V:.*]] = memref.load %[[X]]
// CHECK: %[[E:.*]] = math.exp %[[V]] : f32
// CHECK: %[[NEXT:.*]] = arith.addf %[[ACC]], %[[E]] : f32
// CHECK: scf.yield %[[NEXT]]
// CHECK: %[[TOTAL:.*]] = gpu.all_reduce add %[[PARTIAL]] uniform
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[T]], %c0{{.*}} : index
// CHECK: scf.if %[[FIRST]]
// CHECK: %[[OLD:.*]] = memref.load %[[OUT]]
// CHECK: %[[NEW:.*]] = arith.addf %[[TOTAL]], %[[OLD]] : f32
// CHECK: memref.store %[[NEW]], %[[OUT]]
// CHECK: gpu.terminator
// CHECK-NOT: linalg.generic
// LONG-LABEL: func.func @row_sum_of_exp(
// LONG: linalg.generic
func.func @row_sum_of_exp(%x: memref<16x4096xf32>, %out: memref<16xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<16x4096xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %e = math.exp %in : f32
    %s = arith.addf %e, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#all = affine_map<(d0) -> (d0)>
#none = affine_map<(d0) -> ()>

// A maximum of 100000 to a scalar: too long for one block. Its range is
// split over 13 blocks (each thread folding about 32 elements, from -inf):
// block b starts at b * 256 + thread and strides by 13 * 256, and thread 0
// stores the block's total in a partials buffer. A second launch, one block
// of a warp, combines the 13 totals and folds in the output's initial
// value; then the partials are freed.
// CHECK-LABEL: func.func @max_all(
// CHECK: %[[PARTIALS:.*]] = memref.alloc() : memref<13xf64>
// CHECK: gpu.launch blocks(%[[B:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c13, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256,
// CHECK: %[[CHUNK:.*]] = arith.remui %[[B]], %{{.*}} : index
// CHECK: %[[OFF:.*]] = arith.muli %[[CHUNK]], %{{.*}} : index
// CHECK: %[[START:.*]] = arith.addi %[[OFF]], %[[T]] : index
// CHECK: arith.constant 0xFFF0000000000000 : f64
// CHECK: %[[STRIDE:.*]] = arith.constant 3328 : index
// CHECK: scf.for %{{.*}} = %[[START]] to %{{.*}} step %[[STRIDE]]
// CHECK: arith.maximumf
// CHECK: gpu.all_reduce maximumf
// CHECK: memref.store %{{.*}}, %[[PARTIALS]][%[[B]]] : memref<13xf64>
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads({{.*}}) in (%{{.*}} = %c32,
// CHECK: scf.for
// CHECK: memref.load %[[PARTIALS]]
// CHECK: gpu.all_reduce maximumf
// CHECK: memref.load %{{.*}}[] : memref<f64>
// CHECK: arith.maximumf
// CHECK: memref.store %{{.*}}[] : memref<f64>
// CHECK: memref.dealloc %[[PARTIALS]]
// LONG-LABEL: func.func @max_all(
// LONG: gpu.all_reduce maximumf
func.func @max_all(%x: memref<100000xf64>, %out: memref<f64>) {
  linalg.generic {indexing_maps = [#all, #none], iterator_types = ["reduction"]}
      ins(%x : memref<100000xf64>) outs(%out : memref<f64>) {
  ^bb0(%in: f64, %acc: f64):
    %m = arith.maximumf %acc, %in : f64
    linalg.yield %m : f64
  }
  return
}

// -----

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// A matrix product with few outputs (4x100, 784 deep): a block per output;
// 2-d outputs come from the block id (column = id mod 100, row = id / 100),
// and each operand is read through its own indexing map.
// CHECK-LABEL: func.func @product(
// CHECK-SAME: %[[A:.*]]: memref<4x784xf32>, %[[B:.*]]: memref<784x100xf32>
// CHECK: gpu.launch blocks(%[[ID:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c400
// CHECK: %[[COL:.*]] = arith.remui %[[ID]], %[[C100:.*]] : index
// CHECK: %[[REST:.*]] = arith.divui %[[ID]], %[[C100]] : index
// CHECK: %[[ROW:.*]] = arith.remui %[[REST]], %{{.*}} : index
// CHECK: scf.for %[[K:[a-z0-9_]+]] =
// CHECK: memref.load %[[A]][%[[ROW]], %[[K]]]
// CHECK: memref.load %[[B]][%[[K]], %[[COL]]]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: gpu.all_reduce add
func.func @product(%a: memref<4x784xf32>, %b: memref<784x100xf32>, %c: memref<4x100xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x784xf32>, memref<784x100xf32>) outs(%c : memref<4x100xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A short row (32 < min-extent) and many outputs (10000 > max-outputs):
// a thread per output does as well; left to the loop path.
// CHECK-LABEL: func.func @short_rows(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @short_rows(%x: memref<16x32xf32>, %out: memref<16xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<16x32xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK-LABEL: func.func @many_rows(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @many_rows(%x: memref<10000x64xf32>, %out: memref<10000xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<10000x64xf32>) outs(%out : memref<10000xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// 100 elements: two warps, not 256 threads. Integer sums start from 0.
// CHECK-LABEL: func.func @int_sum(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c3, {{.*}} threads({{.*}}) in (%{{.*}} = %c128,
// CHECK: arith.constant 0 : i64
// CHECK: arith.addi
// CHECK: gpu.all_reduce add
func.func @int_sum(%x: memref<3x100xi64>, %out: memref<3xi64>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<3x100xi64>) outs(%out : memref<3xi64>) {
  ^bb0(%in: i64, %acc: i64):
    %s = arith.addi %in, %acc : i64
    linalg.yield %s : i64
  }
  return
}

// -----

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Not a combine of an element and the output: the output is read twice
// (a running value that is not a fold), or two outputs (an argmax).
// CHECK-LABEL: func.func @not_a_fold(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @not_a_fold(%x: memref<4x1000xf32>, %out: memref<4xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x1000xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %h = arith.mulf %acc, %acc : f32
    %s = arith.addf %in, %h : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK-LABEL: func.func @argmax(
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @argmax(%x: memref<4x1000xf32>, %max: memref<4xf32>, %at: memref<4xi64>) {
  linalg.generic {indexing_maps = [#rows, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x1000xf32>) outs(%max, %at : memref<4xf32>, memref<4xi64>) {
  ^bb0(%in: f32, %m: f32, %i: i64):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i64
    %gt = arith.cmpf ogt, %in, %m : f32
    %nm = arith.select %gt, %in, %m : f32
    %ni = arith.select %gt, %ji, %i : i64
    linalg.yield %nm, %ni : f32, i64
  }
  return
}

// -----

#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// linalg.index in the body becomes the loop's indices: sum of x * column.
// CHECK-LABEL: func.func @weighted(
// CHECK: scf.for %[[K:[a-z0-9_]+]] =
// CHECK: arith.index_cast %[[K]] : index to i64
// CHECK: gpu.all_reduce add
func.func @weighted(%x: memref<2x500xf32>, %out: memref<2xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<2x500xf32>) outs(%out : memref<2xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %p = arith.mulf %in, %jf : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}
