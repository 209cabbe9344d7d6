// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// Elementwise ops run through the whole CPU pipeline. The kernels take their
// inputs as arguments so nothing is constant-folded at compile time.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

// ((m + r) * c - s) with a row, a column and a scalar broadcast, then div and
// pow by the column.
func.func @broadcast_chain(%m: tensor<2x3xf32>, %r: tensor<3xf32>, %c: tensor<2x1xf32>,
                           %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = theon.add %m, %r : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = theon.mul %0, %c : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  %2 = theon.sub %1, %s : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %3 = theon.div %m, %c : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  %4 = theon.pow %m, %c : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// An outer product from (2, 1) and (1, 3).
func.func @outer(%c: tensor<2x1xf32>, %r: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = theon.mul %c, %r : tensor<2x1xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @int_ops(%a: tensor<5xi32>, %b: tensor<5xi32>)
    -> (tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>,
        tensor<5xi32>, tensor<5xi32>, tensor<5xi32>) {
  %0 = theon.add %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %1 = theon.sub %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %2 = theon.mul %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %3 = theon.maximum %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %4 = theon.minimum %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %5 = theon.neg %a : tensor<5xi32>
  %6 = theon.abs %a : tensor<5xi32>
  %7 = theon.sign %a : tensor<5xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<5xi32>, tensor<5xi32>, tensor<5xi32>,
      tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>
}

// maximum and minimum propagate NaN.
func.func @nan_extremes(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = theon.maximum %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = theon.minimum %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// Comparisons, printed as 0/1 through a cast to i32.
func.func @compare(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<6x4xi32> {
  %0 = theon.eq %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %1 = theon.ne %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %2 = theon.lt %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %3 = theon.le %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %4 = theon.gt %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %5 = theon.ge %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  %r0 = theon.dimshuffle %0 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %r1 = theon.dimshuffle %1 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %r2 = theon.dimshuffle %2 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %r3 = theon.dimshuffle %3 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %r4 = theon.dimshuffle %4 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %r5 = theon.dimshuffle %5 [x, 0] : tensor<4xi1> -> tensor<1x4xi1>
  %all = tensor.concat dim(0) %r0, %r1, %r2, %r3, %r4, %r5
      : (tensor<1x4xi1>, tensor<1x4xi1>, tensor<1x4xi1>, tensor<1x4xi1>, tensor<1x4xi1>,
         tensor<1x4xi1>) -> tensor<6x4xi1>
  %i = theon.cast %all : tensor<6x4xi1> to tensor<6x4xi32>
  return %i : tensor<6x4xi32>
}

// Booleans compare unsigned (false < true); integers signed.
func.func @compare_int(%p: tensor<4xi1>, %q: tensor<4xi1>, %a: tensor<4xi32>, %b: tensor<4xi32>)
    -> (tensor<4xi32>, tensor<4xi32>) {
  %0 = theon.lt %p, %q : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %1 = theon.ge %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi1>
  %2 = theon.cast %0 : tensor<4xi1> to tensor<4xi32>
  %3 = theon.cast %1 : tensor<4xi1> to tensor<4xi32>
  return %2, %3 : tensor<4xi32>, tensor<4xi32>
}

// The condition broadcasts with both values.
func.func @select(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = theon.select %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// pow follows C pow: odd integer powers of negatives, pow(x, 0) = 1 even for
// NaN, 0^-1 = inf, and a fractional power of a negative is NaN.
func.func @pow_edges(%a: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<6xf32> {
  %0 = theon.pow %a, %b : tensor<6xf32>, tensor<6xf32> -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

func.func @main() {
  %m = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %r = arith.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
  %c = arith.constant dense<[[2.0], [-1.0]]> : tensor<2x1xf32>
  %s = arith.constant dense<1.0> : tensor<f32>
  %b:3 = call @broadcast_chain(%m, %r, %c, %s)
      : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>, tensor<f32>)
      -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  // CHECK:      rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[2, 1, 9],
  // CHECK-NEXT:  [-5.5, -5, -9]]
  %b0 = tensor.cast %b#0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: {{\[}}[0.5, 1, 1.5],
  // CHECK-NEXT:  [-4, -5, -6]]
  %b1 = tensor.cast %b#1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b1) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: {{\[}}[1, 4, 9],
  // CHECK-NEXT:  [0.25, 0.2, 0.166667]]
  %b2 = tensor.cast %b#2 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b2) : (tensor<*xf32>) -> ()

  %row = arith.constant dense<[[10.0, 20.0, 30.0]]> : tensor<1x3xf32>
  %o = call @outer(%c, %row) : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK:      data =
  // CHECK-NEXT: {{\[}}[20, 40, 60],
  // CHECK-NEXT:  [-10, -20, -30]]
  %ou = tensor.cast %o : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%ou) : (tensor<*xf32>) -> ()

  %ia = arith.constant dense<[-7, 0, 3, 2147483647, -2147483648]> : tensor<5xi32>
  %ib = arith.constant dense<[2, -5, 3, 1, 1]> : tensor<5xi32>
  %i:8 = call @int_ops(%ia, %ib) : (tensor<5xi32>, tensor<5xi32>)
      -> (tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>,
          tensor<5xi32>, tensor<5xi32>, tensor<5xi32>)
  // add wraps around.
  // CHECK:      sizes = [5] strides = [1] data =
  // CHECK-NEXT: [-5, -5, 6, -2147483648, -2147483647]
  %i0 = tensor.cast %i#0 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i0) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-9, 5, 0, 2147483646, 2147483647]
  %i1 = tensor.cast %i#1 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i1) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-14, 0, 9, 2147483647, -2147483648]
  %i2 = tensor.cast %i#2 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i2) : (tensor<*xi32>) -> ()
  // Signed maximum and minimum.
  // CHECK:      data =
  // CHECK-NEXT: [2, 0, 3, 2147483647, 1]
  %i3 = tensor.cast %i#3 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i3) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-7, -5, 3, 1, -2147483648]
  %i4 = tensor.cast %i#4 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i4) : (tensor<*xi32>) -> ()
  // neg and abs of the minimum integer wrap to itself.
  // CHECK:      data =
  // CHECK-NEXT: [7, 0, -3, -2147483647, -2147483648]
  %i5 = tensor.cast %i#5 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i5) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [7, 0, 3, 2147483647, -2147483648]
  %i6 = tensor.cast %i#6 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i6) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [-1, 0, 1, 1, -1]
  %i7 = tensor.cast %i#7 : tensor<5xi32> to tensor<*xi32>
  call @printMemrefI32(%i7) : (tensor<*xi32>) -> ()

  %na = arith.constant dense<[1.0, 0x7FC00000, 3.0, -0.0]> : tensor<4xf32>
  %nb = arith.constant dense<[2.0, 1.0, 0x7FC00000, 0.0]> : tensor<4xf32>
  %n:2 = call @nan_extremes(%na, %nb) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  // maximumf/minimumf also order -0 below +0.
  // CHECK:      data =
  // CHECK-NEXT: [2, {{-?}}nan, {{-?}}nan, 0]
  %n0 = tensor.cast %n#0 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%n0) : (tensor<*xf32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [1, {{-?}}nan, {{-?}}nan, -0]
  %n1 = tensor.cast %n#1 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%n1) : (tensor<*xf32>) -> ()

  // Rows: eq, ne, lt, le, gt, ge. Column 2 compares NaN: only ne is true.
  %ca = arith.constant dense<[1.0, 2.0, 0x7FC00000, 3.0]> : tensor<4xf32>
  %cb = arith.constant dense<[1.0, 1.0, 1.0, 4.0]> : tensor<4xf32>
  %cmp = call @compare(%ca, %cb) : (tensor<4xf32>, tensor<4xf32>) -> tensor<6x4xi32>
  // CHECK:      sizes = [6, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[}}[1, 0, 0, 0],
  // CHECK-NEXT:  [0, 1, 1, 1],
  // CHECK-NEXT:  [0, 0, 0, 1],
  // CHECK-NEXT:  [1, 0, 0, 1],
  // CHECK-NEXT:  [0, 1, 0, 0],
  // CHECK-NEXT:  [1, 1, 0, 0]]
  %cu = tensor.cast %cmp : tensor<6x4xi32> to tensor<*xi32>
  call @printMemrefI32(%cu) : (tensor<*xi32>) -> ()

  %p = arith.constant dense<[false, false, true, true]> : tensor<4xi1>
  %q = arith.constant dense<[false, true, false, true]> : tensor<4xi1>
  %xa = arith.constant dense<[-1, 1, 5, -2147483648]> : tensor<4xi32>
  %xb = arith.constant dense<[1, -1, 5, 2147483647]> : tensor<4xi32>
  %ci:2 = call @compare_int(%p, %q, %xa, %xb)
      : (tensor<4xi1>, tensor<4xi1>, tensor<4xi32>, tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>)
  // CHECK:      data =
  // CHECK-NEXT: [0, 1, 0, 0]
  %ci0 = tensor.cast %ci#0 : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%ci0) : (tensor<*xi32>) -> ()
  // CHECK:      data =
  // CHECK-NEXT: [0, 1, 1, 0]
  %ci1 = tensor.cast %ci#1 : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%ci1) : (tensor<*xi32>) -> ()

  %cond = arith.constant dense<[[true], [false]]> : tensor<2x1xi1>
  %sa = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %sb = arith.constant dense<-1.0> : tensor<f32>
  %sel = call @select(%cond, %sa, %sb) : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK:      data =
  // CHECK-NEXT: {{\[}}[1, 2, 3],
  // CHECK-NEXT:  [-1, -1, -1]]
  %su = tensor.cast %sel : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%su) : (tensor<*xf32>) -> ()

  %pa = arith.constant dense<[-2.0, -8.0, 0.0, 0x7FC00000, 2.0, 4.0]> : tensor<6xf32>
  %pb = arith.constant dense<[3.0, 0.333333, -1.0, 0.0, 10.0, 0.5]> : tensor<6xf32>
  %pw = call @pow_edges(%pa, %pb) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
  // CHECK:      data =
  // CHECK-NEXT: [-8, {{-?}}nan, inf, 1, 1024, 2]
  %pu = tensor.cast %pw : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%pu) : (tensor<*xf32>) -> ()
  return
}
