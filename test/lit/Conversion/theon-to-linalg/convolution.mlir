// RUN: theon-opt %s --convert-theon-to-linalg --canonicalize --split-input-file | FileCheck %s

// conv2d: the padded input, then one image at a time: its windows
// gathered into columns (im2col, one parallel generic) and multiplied by
// the filters, straight into the image's slice of the NCHW result.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 2 + d1, d4 * 2 + d2)>
// CHECK-LABEL: func.func @conv2d
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<2x3x10x10xf32>
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %arg0 into %[[FILL]][0, 0, 1, 1] [2, 3, 8, 8] [1, 1, 1, 1]
// CHECK: %[[FILTERS:.*]] = tensor.collapse_shape %arg1 {{.*}} : tensor<4x3x3x3xf32> into tensor<4x27xf32>
// CHECK: %[[LOOP:.*]] = scf.for %[[N:[^ ]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<2x4x16xf32>)
// CHECK:   %[[IMAGE:.*]] = tensor.extract_slice %[[PADDED]][%[[N]], 0, 0, 0] [1, 3, 10, 10] [1, 1, 1, 1] : tensor<2x3x10x10xf32> to tensor<3x10x10xf32>
// CHECK:   %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[IMAGE]] : tensor<3x10x10xf32>) outs(%{{.*}} : tensor<3x3x3x4x4xf32>)
// CHECK:   %[[MATRIX:.*]] = tensor.collapse_shape %[[COLS]] {{.*}} into tensor<27x16xf32>
// CHECK:   %[[SLOT:.*]] = tensor.extract_slice %[[ACC]][%[[N]], 0, 0] [1, 4, 16] [1, 1, 1] : tensor<2x4x16xf32> to tensor<4x16xf32>
// CHECK:   %[[ZEROED:.*]] = linalg.fill {{.*}} outs(%[[SLOT]] : tensor<4x16xf32>)
// CHECK:   %[[PRODUCT:.*]] = linalg.matmul ins(%[[FILTERS]], %[[MATRIX]] : tensor<4x27xf32>, tensor<27x16xf32>) outs(%[[ZEROED]] : tensor<4x16xf32>)
// CHECK:   tensor.insert_slice %[[PRODUCT]] into %[[ACC]][%[[N]], 0, 0] [1, 4, 16] [1, 1, 1]
// CHECK: tensor.expand_shape %[[LOOP]] {{.*}} : tensor<2x4x16xf32> into tensor<2x4x4x4xf32>
func.func @conv2d(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x4x4xf32> {
  %y = theon.conv2d %x, %w strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x4x4xf32>
  return %y : tensor<2x4x4x4xf32>
}

// -----

// One image: one product over all positions, the (F, N, OH, OW) result
// transposed to NCHW.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0 * 3 + d1, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[TO_NCHW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d0, d3, d4)>
// CHECK-LABEL: func.func @conv2d_one_image
// CHECK-NOT: scf.for
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}]{{.*}} ins(%arg0 : tensor<1x3x6x6xf32>) outs(%{{.*}} : tensor<1x3x3x3x1x4x4xf32>)
// CHECK: %[[MATRIX:.*]] = tensor.collapse_shape %[[COLS]] {{.*}} into tensor<27x16xf32>
// CHECK: %[[PRODUCT:.*]] = linalg.matmul ins(%{{.*}}, %[[MATRIX]] : tensor<4x27xf32>, tensor<27x16xf32>)
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[PRODUCT]] {{.*}} : tensor<4x16xf32> into tensor<1x4x1x4x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[TO_NCHW]], #{{.*}}]{{.*}} ins(%[[SPLIT]] : tensor<1x4x1x4x4xf32>) outs(%{{.*}} : tensor<1x1x4x4x4xf32>)
func.func @conv2d_one_image(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A filter wider than the output (the filter gradient's convolutions): the
// columns are stored positions first, so that the gather runs along image
// rows, and the product reads them transposed.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d0 * 2 + d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B_TRANSPOSED:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @conv2d_wide_filter
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}]{{.*}} outs(%{{.*}} : tensor<1x3x3x3x2x6x6xf32>)
// CHECK: %[[MATRIX:.*]] = tensor.collapse_shape %[[COLS]] {{.*}} into tensor<27x72xf32>
// CHECK: linalg.matmul indexing_maps = [#[[A]], #[[B_TRANSPOSED]], #[[C]]] ins(%{{.*}}, %[[MATRIX]] : tensor<4x72xf32>, tensor<27x72xf32>)
func.func @conv2d_wide_filter(%x: tensor<3x2x8x8xf32>, %w: tensor<4x2x6x6xf32>) -> tensor<3x4x3x3xf32> {
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<3x2x8x8xf32>, tensor<4x2x6x6xf32> -> tensor<3x4x3x3xf32>
  return %y : tensor<3x4x3x3xf32>
}

// -----

// Groups: channel g*Cg + c in the gather, the product batched over groups;
// dilation scales the filter taps.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0 * 2 + d1, d5 * 2 + d2, d6 + d3 * 2)>
// CHECK-LABEL: func.func @conv2d_groups
// CHECK-NOT: tensor.insert_slice
// CHECK: linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}]{{.*}} ins(%arg0 : tensor<1x4x5x5xf32>) outs(%{{.*}} : tensor<2x2x2x2x1x2x3xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x8xf32>, tensor<2x8x6xf32>)
func.func @conv2d_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x2x2xf32>) -> tensor<1x6x2x3xf32> {
  %y = theon.conv2d %x, %w strides = [2, 1], padding = [0, 0, 0, 0], dilations = [1, 2], groups = 2
      : tensor<1x4x5x5xf32>, tensor<6x2x2x2xf32> -> tensor<1x6x2x3xf32>
  return %y : tensor<1x6x2x3xf32>
}

// -----

// The input's gradient: per image (and group), the filters transposed
// times g, then each tap's plane of that product added back over the
// strided window positions of the image's zero, padded dx (col2im), in
// loops over the taps; its inside copied into the image's slice. Small
// (under 2^22 multiply-adds): the images in a serial loop.
// CHECK-DAG: #[[A_TRANSPOSED:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK: %[[TAPS:.*]] = tensor.collapse_shape %arg0 {{.*}} into tensor<4x27xf32>
// CHECK: %[[LOOP:.*]] = scf.for %[[N:[^ ]+]] = {{.*}} iter_args(%[[DX:.*]] = %{{.*}}) -> (tensor<2x3x7x7xf32>)
// CHECK:   %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<3x9x9xf32>
// CHECK:   %[[ROWS:.*]] = tensor.extract_slice %{{.*}}[%[[N]], 0, 0] [1, 4, 16] [1, 1, 1] : tensor<2x4x16xf32> to tensor<4x16xf32>
// CHECK:   %[[COLS:.*]] = linalg.matmul indexing_maps = [#[[A_TRANSPOSED]], #[[B]], #{{.*}}] ins(%[[TAPS]], %[[ROWS]] : tensor<4x27xf32>, tensor<4x16xf32>) outs(%{{.*}} : tensor<27x16xf32>)
// CHECK:   %[[PLANES:.*]] = tensor.expand_shape %[[COLS]] {{.*}} into tensor<3x3x3x4x4xf32>
// CHECK:   %[[ADDED:.*]] = scf.for %[[A:[^ ]+]] = {{.*}} iter_args(%[[ROW_ACC:.*]] = %[[ZERO]])
// CHECK:     scf.for %[[B:[^ ]+]] = {{.*}} iter_args(%[[TAP_ACC:.*]] = %[[ROW_ACC]])
// CHECK:       %[[PLANE:.*]] = tensor.extract_slice %[[PLANES]][0, %[[A]], %[[B]], 0, 0] [3, 1, 1, 4, 4] [1, 1, 1, 1, 1] : tensor<3x3x3x4x4xf32> to tensor<3x4x4xf32>
// CHECK:       %[[TARGET:.*]] = tensor.extract_slice %[[TAP_ACC]][0, %[[A]], %[[B]]] [3, 4, 4] [1, 2, 2] : tensor<3x9x9xf32> to tensor<3x4x4xf32>
// CHECK:       %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[PLANE]] : tensor<3x4x4xf32>) outs(%[[TARGET]] : tensor<3x4x4xf32>)
// CHECK:         arith.addf
// CHECK:       tensor.insert_slice %[[SUM]] into %[[TAP_ACC]][0, %[[A]], %[[B]]] [3, 4, 4] [1, 2, 2]
// CHECK:   %[[INSIDE:.*]] = tensor.extract_slice %[[ADDED]][0, 1, 1] [3, 7, 7] [1, 1, 1] : tensor<3x9x9xf32> to tensor<3x7x7xf32>
// CHECK:   %[[SLOT:.*]] = tensor.extract_slice %[[DX]][%[[N]], 0, 0, 0] [1, 3, 7, 7] [1, 1, 1, 1]
// CHECK:   %[[COPIED:.*]] = linalg.copy ins(%[[INSIDE]] : tensor<3x7x7xf32>) outs(%[[SLOT]] : tensor<3x7x7xf32>)
// CHECK:   tensor.insert_slice %[[COPIED]] into %[[DX]][%[[N]], 0, 0, 0] [1, 3, 7, 7] [1, 1, 1, 1]
// CHECK: return %[[LOOP]]
func.func @conv2d_grad_input(%w: tensor<4x3x3x3xf32>, %g: tensor<2x4x4x4xf32>) -> tensor<2x3x7x7xf32> {
  %dx = theon.conv2d_grad_input %w, %g strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<4x3x3x3xf32>, tensor<2x4x4x4xf32> -> tensor<2x3x7x7xf32>
  return %dx : tensor<2x3x7x7xf32>
}

// -----

// Dilation scales the taps' offsets; groups loop inside the images (one
// image here: its loop folds away), each group's filters and g rows
// sliced at its offset. Without padding the taps add into the result.
// CHECK-LABEL: func.func @conv2d_grad_input_groups
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<4x5x5xf32>
// CHECK: scf.for %[[G:[^ ]+]] = {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// CHECK:   %[[CHANNEL:.*]] = arith.muli %[[G]], %c2
// CHECK:   %[[FILTER:.*]] = arith.muli %[[G]], %c3
// CHECK:   tensor.extract_slice %{{.*}}[0, %[[FILTER]], 0] [1, 3, 6] [1, 1, 1] : tensor<1x6x6xf32> to tensor<3x6xf32>
// CHECK:   tensor.extract_slice %{{.*}}[%[[FILTER]], 0] [3, 8] [1, 1] : tensor<6x8xf32> to tensor<3x8xf32>
// CHECK:   scf.for %[[A:[^ ]+]] =
// CHECK:     scf.for %[[B:[^ ]+]] =
// CHECK:       %[[COLUMN:.*]] = arith.muli %[[B]], %c2
// CHECK:       tensor.extract_slice %{{.*}}[%[[CHANNEL]], %[[A]], %[[COLUMN]]] [2, 2, 3] [1, 2, 1] : tensor<4x5x5xf32> to tensor<2x2x3xf32>
func.func @conv2d_grad_input_groups(%w: tensor<6x2x2x2xf32>, %g: tensor<1x6x2x3xf32>) -> tensor<1x4x5x5xf32> {
  %dx = theon.conv2d_grad_input %w, %g strides = [2, 1], padding = [0, 0, 0, 0], dilations = [1, 2], groups = 2
      : tensor<6x2x2x2xf32>, tensor<1x6x2x3xf32> -> tensor<1x4x5x5xf32>
  return %dx : tensor<1x4x5x5xf32>
}

// -----

// The filters' gradient: per image, g's rows times the image's columns
// transposed, added into one zero-filled (F, C*KH*KW) accumulator; no
// transposed copy of the input or of g. Small: one serial loop.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3 * 2 + d1, d4 * 2 + d2)>
// CHECK-DAG: #[[B_TRANSPOSED:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @conv2d_grad_filters
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %arg0 into %{{.*}}[0, 0, 1, 1] [2, 3, 7, 7] [1, 1, 1, 1]
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<4x27xf32>
// CHECK: %[[LOOP:.*]] = scf.for %[[N:[^ ]+]] = {{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (tensor<4x27xf32>)
// CHECK:   %[[IMAGE:.*]] = tensor.extract_slice %[[PADDED]][%[[N]], 0, 0, 0] [1, 3, 9, 9] [1, 1, 1, 1] : tensor<2x3x9x9xf32> to tensor<3x9x9xf32>
// CHECK:   %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}]{{.*}} ins(%[[IMAGE]] : tensor<3x9x9xf32>) outs(%{{.*}} : tensor<3x3x3x4x4xf32>)
// CHECK:   %[[MATRIX:.*]] = tensor.collapse_shape %[[COLS]] {{.*}} into tensor<27x16xf32>
// CHECK:   %[[ROWS:.*]] = tensor.extract_slice %{{.*}}[%[[N]], 0, 0] [1, 4, 16] [1, 1, 1] : tensor<2x4x16xf32> to tensor<4x16xf32>
// CHECK:   %[[SUM:.*]] = linalg.matmul indexing_maps = [#{{.*}}, #[[B_TRANSPOSED]], #{{.*}}] ins(%[[ROWS]], %[[MATRIX]] : tensor<4x16xf32>, tensor<27x16xf32>) outs(%[[ACC]] : tensor<4x27xf32>)
// CHECK:   scf.yield %[[SUM]]
// CHECK: tensor.expand_shape %{{.*}} : tensor<4x27xf32> into tensor<4x3x3x3xf32>
func.func @conv2d_grad_filters(%x: tensor<2x3x7x7xf32>, %g: tensor<2x4x4x4xf32>) -> tensor<4x3x3x3xf32> {
  %dw = theon.conv2d_grad_filters %x, %g strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32> -> tensor<4x3x3x3xf32>
  return %dw : tensor<4x3x3x3xf32>
}

// -----

// A filter wider than the output: the columns positions first, so that
// the gather runs along the image's rows, and B read as it is.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d0 + d3, d1 + d4)>
// CHECK-LABEL: func.func @conv2d_grad_filters_wide
// CHECK: linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}]{{.*}} outs(%{{.*}} : tensor<2x2x2x6x6xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<4x72xf32>) outs(%{{.*}} : tensor<4x72xf32>)
func.func @conv2d_grad_filters_wide(%x: tensor<1x2x7x7xf32>, %g: tensor<1x4x2x2xf32>) -> tensor<4x2x6x6xf32> {
  %dw = theon.conv2d_grad_filters %x, %g strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 1
      : tensor<1x2x7x7xf32>, tensor<1x4x2x2xf32> -> tensor<4x2x6x6xf32>
  return %dw : tensor<4x2x6x6xf32>
}

// -----

// From 2^22 multiply-adds on (here 16*32*144*256), the images run in
// parallel: an scf.forall over gcd(N, 8) = 8 chunks of the batch, each
// writing its own slice of 2 images in a serial loop (whose temporaries
// it reuses). The products go straight into the result's slices.
// CHECK-LABEL: func.func @conv2d_parallel
// CHECK: scf.forall (%[[K:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<16x32x256xf32>)
// CHECK:   %[[FIRST:.*]] = arith.muli %[[K]], %c2
// CHECK:   %[[CHUNK:.*]] = tensor.extract_slice %[[OUT]][%[[FIRST]], 0, 0] [2, 32, 256] [1, 1, 1]
// CHECK:   %[[FILLED:.*]] = scf.for %[[J:[^ ]+]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %[[CHUNK]])
// CHECK:     %[[IMAGE:.*]] = arith.addi %[[FIRST]], %[[J]]
// CHECK:     tensor.extract_slice %{{.*}}[%[[IMAGE]], 0, 0, 0] [1, 16, 18, 18]
// CHECK:     %[[SLOT:.*]] = tensor.extract_slice %[[ACC]][%[[J]], 0, 0] [1, 32, 256] [1, 1, 1]
// CHECK:     %[[ZEROED:.*]] = linalg.fill {{.*}} outs(%[[SLOT]] : tensor<32x256xf32>)
// CHECK:     %[[PRODUCT:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x144xf32>, tensor<144x256xf32>) outs(%[[ZEROED]] : tensor<32x256xf32>)
// CHECK:     tensor.insert_slice %[[PRODUCT]] into %[[ACC]][%[[J]], 0, 0] [1, 32, 256] [1, 1, 1]
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %[[FILLED]] into %[[OUT]][%[[FIRST]], 0, 0] [2, 32, 256] [1, 1, 1]
func.func @conv2d_parallel(%x: tensor<16x16x16x16xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<16x32x16x16xf32> {
  %y = theon.conv2d %x, %w strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<16x16x16x16xf32>, tensor<32x16x3x3xf32> -> tensor<16x32x16x16xf32>
  return %y : tensor<16x32x16x16xf32>
}

// -----

// The input's gradient in parallel (8 images: 8 chunks of one, whose loop
// folds away): each image's padded dx is its own; its inside is copied
// into the image's slice of the result.
// CHECK-LABEL: func.func @conv2d_grad_input_parallel
// CHECK: scf.forall (%[[N:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<8x16x16x16xf32>)
// CHECK:   %[[CHUNK:.*]] = tensor.extract_slice %[[OUT]][%[[N]], 0, 0, 0] [1, 16, 16, 16] [1, 1, 1, 1]
// CHECK:   linalg.fill {{.*}} -> tensor<16x18x18xf32>
// CHECK:   %[[INSIDE:.*]] = tensor.extract_slice %{{.*}}[0, 1, 1] [16, 16, 16] [1, 1, 1] : tensor<16x18x18xf32> to tensor<16x16x16xf32>
// CHECK:   %[[SLOT:.*]] = tensor.extract_slice %[[CHUNK]][0, 0, 0, 0] [1, 16, 16, 16] [1, 1, 1, 1]
// CHECK:   %[[COPIED:.*]] = linalg.copy ins(%[[INSIDE]] : tensor<16x16x16xf32>) outs(%[[SLOT]] : tensor<16x16x16xf32>)
// CHECK:   %[[WRITTEN:.*]] = tensor.insert_slice %[[COPIED]] into %[[CHUNK]]
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %[[WRITTEN]] into %[[OUT]][%[[N]], 0, 0, 0] [1, 16, 16, 16] [1, 1, 1, 1]
func.func @conv2d_grad_input_parallel(%w: tensor<32x16x3x3xf32>, %g: tensor<8x32x16x16xf32>) -> tensor<8x16x16x16xf32> {
  %dx = theon.conv2d_grad_input %w, %g strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<32x16x3x3xf32>, tensor<8x32x16x16xf32> -> tensor<8x16x16x16xf32>
  return %dx : tensor<8x16x16x16xf32>
}

// -----

// The filters' gradient in parallel: the batch in 8 chunks of images
// [k * N / 8, (k + 1) * N / 8), each summed serially into a partial of its
// own; the partials added up at the end (parallel axes first).
// CHECK-DAG: #[[PARTIAL:.*]] = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-DAG: #[[TOTAL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @conv2d_grad_filters_parallel
// CHECK: %[[PARTIALS:.*]] = scf.forall (%[[K:.*]]) in (8) shared_outs(%[[ALL:.*]] = %{{.*}}) -> (tensor<8x32x144xf32>)
// CHECK:   %[[CHUNK:.*]] = tensor.extract_slice %[[ALL]][%[[K]], 0, 0] [1, 32, 144] [1, 1, 1]
// CHECK:   %[[SLOT:.*]] = tensor.extract_slice %[[CHUNK]][0, 0, 0] [1, 32, 144] [1, 1, 1]
// CHECK:   %[[ZERO:.*]] = linalg.fill {{.*}} outs(%[[SLOT]] : tensor<32x144xf32>)
// CHECK:   %[[NEXT:.*]] = arith.addi %[[K]], %c1
// CHECK:   %[[HI:.*]] = arith.divui %{{.*}}, %c8
// CHECK:   %[[LO:.*]] = arith.divui %{{.*}}, %c8
// CHECK:   %[[SUM:.*]] = scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c1 iter_args(%{{.*}} = %[[ZERO]])
// CHECK:     linalg.matmul
// CHECK:   %[[WRITTEN:.*]] = tensor.insert_slice %[[SUM]] into %[[CHUNK]][0, 0, 0] [1, 32, 144] [1, 1, 1]
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice %[[WRITTEN]] into %[[ALL]][%[[K]], 0, 0] [1, 32, 144] [1, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[PARTIAL]], #[[TOTAL]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PARTIALS]] : tensor<8x32x144xf32>)
// CHECK:   arith.addf
func.func @conv2d_grad_filters_parallel(%x: tensor<8x16x16x16xf32>, %g: tensor<8x32x16x16xf32>) -> tensor<32x16x3x3xf32> {
  %dw = theon.conv2d_grad_filters %x, %g strides = [1, 1], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<8x16x16x16xf32>, tensor<8x32x16x16xf32> -> tensor<32x16x3x3xf32>
  return %dw : tensor<32x16x3x3xf32>
}

// -----

// Max pooling: the window as two reduction loops over an input padded with
// -inf (here only for the partial window of ignore_border = false).
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<1x2x6x6xf32>)
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 0, 0, 0] [1, 2, 5, 5]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[WINDOW]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.maximumf
func.func @max_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %y = theon.pool2d max %x window = [2, 2], strides = [2, 2], padding = [0, 0]
      : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Averages: the window's sum divided by a constant of the counts, here the
// real elements of each window (padding excluded).
// CHECK-LABEL: func.func @average_exc_pad
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf64>
// CHECK: tensor.insert_slice %arg0 into %{{.*}}[0, 0, 1, 1] [1, 1, 4, 4]
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[COUNTS]] :
// CHECK: arith.divf
func.func @average_exc_pad(%x: tensor<1x1x4x4xf64>) -> tensor<1x1x2x2xf64> {
  %y = theon.pool2d average_exc_pad %x window = [3, 3], strides = [2, 2], padding = [1, 1] ignore_border
      : tensor<1x1x4x4xf64> -> tensor<1x1x2x2xf64>
  return %y : tensor<1x1x2x2xf64>
}

// -----

// With the pads counted, every window holds 9.
// CHECK-LABEL: func.func @average_inc_pad
// CHECK: arith.constant dense<9.000000e+00> : tensor<2x2xf64>
func.func @average_inc_pad(%x: tensor<1x1x4x4xf64>) -> tensor<1x1x2x2xf64> {
  %y = theon.pool2d average_inc_pad %x window = [3, 3], strides = [2, 2], padding = [1, 1] ignore_border
      : tensor<1x1x4x4xf64> -> tensor<1x1x2x2xf64>
  return %y : tensor<1x1x2x2xf64>
}

// -----

// The gradient gathers. Disjoint windows (stride >= window): each input
// element lies in at most one, (y / sh, x / sw) when y % sh < kh (and
// likewise for x), so one parallel generic with no window loops and no zero
// fill writes it: g there if the element is the window's maximum, else 0.
// CHECK-LABEL: func.func @max_pool_grad
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0 : tensor<1x2x4x4xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: arith.divui
// CHECK: arith.remui
// CHECK: %[[G:.*]] = tensor.extract %arg2
// CHECK: %[[MAX:.*]] = tensor.extract %arg1
// CHECK: %[[TIE:.*]] = arith.cmpf oeq, %{{.*}}, %[[MAX]]
// CHECK: %[[HIT:.*]] = arith.andi %{{.*}}, %[[TIE]]
// CHECK: arith.select %[[HIT]], %[[G]], %{{.*}} : f32
func.func @max_pool_grad(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x2x2xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %gx = theon.pool2d_grad max %x, %y, %g window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
      : tensor<1x2x4x4xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x4x4xf32>
  return %gx : tensor<1x2x4x4xf32>
}

// -----

// Overlapping windows: the window offsets (a, b) are reduction loops; each
// names the window ((y + ph - a) / sh, (x + pw - b) / sw) when that divides
// exactly. Averages divide g by the window's count, from the same constant.
// CHECK-LABEL: func.func @average_pool_grad
// CHECK: %[[COUNTS:.*]] = arith.constant dense<{{.*}}> : tensor<2x2xf32>
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: %[[G:.*]] = tensor.extract %arg2
// CHECK: %[[COUNT:.*]] = tensor.extract %[[COUNTS]]
// CHECK: arith.divf %[[G]], %[[COUNT]]
func.func @average_pool_grad(%x: tensor<1x1x4x4xf32>, %y: tensor<1x1x2x2xf32>, %g: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %gx = theon.pool2d_grad average_exc_pad %x, %y, %g window = [3, 3], strides = [2, 2], padding = [1, 1] ignore_border
      : tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  return %gx : tensor<1x1x4x4xf32>
}
