// RUN: theon-opt %s --theon-cpu-pipeline | \
// RUN:   mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | \
// RUN:   FileCheck %s

// Whole programs: a numerically stable softmax and a logistic-regression
// step, plus kernels whose results alias an argument, a constant or each
// other's inputs (each result becomes a caller-owned out-param).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI64(tensor<*xi64>)

// softmax(x) = exp(x - max(x)) / sum(exp(x - max(x))) along the last axis.
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = theon.max %x axes = [1] keepdims : tensor<2x3xf32> -> tensor<2x1xf32>
  %d = theon.sub %x, %m : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  %e = theon.exp %d : tensor<2x3xf32>
  %s = theon.sum %e axes = [1] keepdims : tensor<2x3xf32> -> tensor<2x1xf32>
  %r = theon.div %e, %s : tensor<2x3xf32>, tensor<2x1xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// p = sigmoid(X . w + b); the mean cross-entropy loss, and predictions as
// argmax over [1 - p, p].
func.func @logreg(%x: tensor<4x2xf64>, %w: tensor<2xf64>, %b: tensor<f64>, %y: tensor<4xf64>)
    -> (tensor<4xf64>, tensor<f64>, tensor<4xi64>) {
  %z = theon.dot %x, %w : tensor<4x2xf64>, tensor<2xf64> -> tensor<4xf64>
  %zb = theon.add %z, %b : tensor<4xf64>, tensor<f64> -> tensor<4xf64>
  %p = theon.sigmoid %zb : tensor<4xf64>
  // -(y log p + (1 - y) log(1 - p)) = softplus(z) - y z
  %sp = theon.softplus %zb : tensor<4xf64>
  %yz = theon.mul %y, %zb : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %l = theon.sub %sp, %yz : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %loss = theon.mean %l axes = [0] : tensor<4xf64> -> tensor<f64>
  %one = arith.constant dense<1.0> : tensor<f64>
  %q = theon.sub %one, %p : tensor<f64>, tensor<4xf64> -> tensor<4xf64>
  %qc = theon.dimshuffle %q [0, x] : tensor<4xf64> -> tensor<4x1xf64>
  %pc = theon.dimshuffle %p [0, x] : tensor<4xf64> -> tensor<4x1xf64>
  %qp = tensor.concat dim(1) %qc, %pc : (tensor<4x1xf64>, tensor<4x1xf64>) -> tensor<4x2xf64>
  %pred = theon.argmax %qp axis = 1 : tensor<4x2xf64> -> tensor<4xi64>
  return %p, %loss, %pred : tensor<4xf64>, tensor<f64>, tensor<4xi64>
}

// Results that are not fresh buffers: the argument itself, a view of it, a
// constant, and a computed value.
func.func @aliases(%x: tensor<2x2xf32>)
    -> (tensor<2x2xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2x2xf32>) {
  %0 = theon.reshape %x : tensor<2x2xf32> to tensor<4xf32>
  %c = arith.constant dense<[42.0, -42.0]> : tensor<2xf32>
  %1 = theon.neg %x : tensor<2x2xf32>
  return %x, %0, %c, %1 : tensor<2x2xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2x2xf32>
}

func.func private @printMemrefF64(tensor<*xf64>)

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]]> : tensor<2x3xf32>
  %s = call @softmax(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // The second row would overflow exp without the max shift.
  // CHECK:      sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[}}[0.0900306, 0.244728, 0.665241],
  // CHECK-NEXT:  [0.333333, 0.333333, 0.333333]]
  %su = tensor.cast %s : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%su) : (tensor<*xf32>) -> ()

  %lx = arith.constant dense<[[1.0, 2.0], [-1.0, 0.5], [0.0, 0.0], [3.0, -4.0]]> : tensor<4x2xf64>
  %lw = arith.constant dense<[0.5, -0.25]> : tensor<2xf64>
  %lb = arith.constant dense<0.1> : tensor<f64>
  %ly = arith.constant dense<[1.0, 0.0, 1.0, 1.0]> : tensor<4xf64>
  %lr:3 = call @logreg(%lx, %lw, %lb, %ly)
      : (tensor<4x2xf64>, tensor<2xf64>, tensor<f64>, tensor<4xf64>) -> (tensor<4xf64>, tensor<f64>, tensor<4xi64>)
  // z + b = [0.1, -0.525, 0.1, 2.6]
  // CHECK:      sizes = [4] strides = [1] data =
  // CHECK-NEXT: [0.524979, 0.371684, 0.524979, 0.930862]
  %lr0 = tensor.cast %lr#0 : tensor<4xf64> to tensor<*xf64>
  call @printMemrefF64(%lr0) : (tensor<*xf64>) -> ()
  // CHECK:      rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [0.456287]
  %lr1 = tensor.cast %lr#1 : tensor<f64> to tensor<*xf64>
  call @printMemrefF64(%lr1) : (tensor<*xf64>) -> ()
  // CHECK:      sizes = [4] strides = [1] data =
  // CHECK-NEXT: [1, 0, 1, 1]
  %lr2 = tensor.cast %lr#2 : tensor<4xi64> to tensor<*xi64>
  call @printMemrefI64(%lr2) : (tensor<*xi64>) -> ()

  %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %al:4 = call @aliases(%a) : (tensor<2x2xf32>)
      -> (tensor<2x2xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2x2xf32>)
  // CHECK:      sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[1, 2],
  // CHECK-NEXT:  [3, 4]]
  %al0 = tensor.cast %al#0 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%al0) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [4] strides = [1] data =
  // CHECK-NEXT: [1, 2, 3, 4]
  %al1 = tensor.cast %al#1 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%al1) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [2] strides = [1] data =
  // CHECK-NEXT: [42, -42]
  %al2 = tensor.cast %al#2 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%al2) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[}}[-1, -2],
  // CHECK-NEXT:  [-3, -4]]
  %al3 = tensor.cast %al#3 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%al3) : (tensor<*xf32>) -> ()
  return
}
