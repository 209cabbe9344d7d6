// RUN: theon-opt %s --theon-autodiff --canonicalize --split-input-file | FileCheck %s
// One function per gradient rule: the backward ops each rule builds.

// CHECK-LABEL: func.func @log
// CHECK: theon.div %{{.*}}, %arg0
func.func @log(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.log %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh
// CHECK: %[[T:.*]] = theon.tanh %arg0
// CHECK: %[[SQ:.*]] = theon.mul %[[T]], %[[T]]
// CHECK: theon.sub %{{.*}}, %[[SQ]]
func.func @tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.tanh %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// matrix . matrix: g . B^T and A^T . g
// CHECK-LABEL: func.func @dot
// CHECK-DAG: %[[BT:.*]] = theon.dimshuffle %arg1 [1, 0] : tensor<3x5xf32> -> tensor<5x3xf32>
// CHECK-DAG: theon.dot %{{.*}}, %[[BT]] : tensor<2x5xf32>, tensor<5x3xf32> -> tensor<2x3xf32>
// CHECK-DAG: %[[AT:.*]] = theon.dimshuffle %arg0 [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-DAG: theon.dot %[[AT]], %{{.*}} : tensor<3x2xf32>, tensor<2x5xf32> -> tensor<3x5xf32>
func.func @dot(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> (tensor<2x3xf32>, tensor<3x5xf32>) {
  %d = theon.dot %a, %b : tensor<2x3xf32>, tensor<3x5xf32> -> tensor<2x5xf32>
  %s = theon.sum %d axes = [0, 1] : tensor<2x5xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3x5xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3x5xf32>
}

// -----

// max over an axis: the gradient goes where x equals the maximum, split
// evenly among ties (the mask over its count, at least 1).
// CHECK-LABEL: func.func @max
// CHECK: %[[M:.*]] = theon.max %arg0 axes = [1]
// CHECK: %[[MR:.*]] = theon.reshape %[[M]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[MB:.*]] = theon.broadcast_to %[[MR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[EQ:.*]] = theon.eq %arg0, %[[MB]]
// CHECK: %[[MASK:.*]] = theon.cast %[[EQ]] : tensor<2x3xi1> to tensor<2x3xf32>
// CHECK: %[[N:.*]] = theon.sum %[[MASK]] axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
// CHECK: %[[N1:.*]] = theon.maximum %[[N]], %{{.*}}
// CHECK: %[[NR:.*]] = theon.reshape %[[N1]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[NB:.*]] = theon.broadcast_to %[[NR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[SHARE:.*]] = theon.div %[[MASK]], %[[NB]]
// CHECK: theon.mul %{{.*}}, %[[SHARE]]
func.func @max(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = theon.max %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %s = theon.sum %m axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// take: the gradient scatters back with scatter_add into zeros.
// CHECK-LABEL: func.func @take
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<5x3xf32>
// CHECK: theon.scatter_add %[[Z]][%arg1], %{{.*}} : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x3xf32>
func.func @take(%x: tensor<5x3xf32>, %i: tensor<4xi32>) -> tensor<5x3xf32> {
  %t = theon.take %x[%i] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
  %s = theon.sum %t axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<5x3xf32>
  return %g : tensor<5x3xf32>
}

// -----

// extract_diag and alloc_diag are each other's gradient.
// CHECK-LABEL: func.func @diag
// CHECK: theon.alloc_diag %{{.*}} : tensor<3xf32> -> tensor<3x4xf32>
func.func @diag(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %d = theon.extract_diag %x : tensor<3x4xf32> -> tensor<3xf32>
  %s = theon.sum %d axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// dimshuffle: the inverse pattern, with inserted axes dropped.
// CHECK-LABEL: func.func @dimshuffle
// CHECK: theon.dimshuffle %{{.*}} [2, 0] : tensor<4x1x3xf32> -> tensor<3x4xf32>
func.func @dimshuffle(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %d = theon.dimshuffle %x [1, x, 0] : tensor<3x4xf32> -> tensor<4x1x3xf32>
  %s = theon.sum %d axes = [0, 1, 2] : tensor<4x1x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// maximum (relu): the mask x >= 0, which is where the result equals x;
// the gradient does not read the result (here nothing else does: it goes).
// CHECK-LABEL: func.func @relu
// CHECK-NOT: theon.maximum
// CHECK: %[[GE:.*]] = theon.ge %arg0, %{{.*}} : tensor<4xf32>, tensor<f32> -> tensor<4xi1>
// CHECK: theon.cast %[[GE]] : tensor<4xi1> to tensor<4xf32>
// CHECK-NOT: theon.eq
// CHECK-NOT: theon.maximum
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %r = theon.maximum %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %s = theon.sum %r axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// take_per_row: the gradient is put back in place with put_per_row.
// CHECK-LABEL: func.func @take_per_row
// CHECK: theon.put_per_row %{{.*}}[%arg1] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
func.func @take_per_row(%x: tensor<4x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %t = theon.take_per_row %x[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  %s = theon.sum %t axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}

// -----

// log_softmax: the closed form g - exp(result) * sum(g, axis).
// CHECK-LABEL: func.func @log_softmax
// CHECK: %[[LS:.*]] = theon.log_softmax %arg0 axis = 1
// CHECK: %[[S:.*]] = theon.sum %{{.*}} axes = [1] keepdims
// CHECK: %[[P:.*]] = theon.exp %[[LS]]
// CHECK: %[[M:.*]] = theon.mul %[[P]], %[[S]]
// CHECK: theon.sub %{{.*}}, %[[M]]
func.func @log_softmax(%x: tensor<4x3xf32>, %i: tensor<4xi32>) -> tensor<4x3xf32> {
  %l = theon.log_softmax %x axis = 1 : tensor<4x3xf32>
  %t = theon.take_per_row %l[%i] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
  %s = theon.sum %t axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}

// -----

// neg: -g.
// CHECK-LABEL: func.func @neg
// CHECK: %[[G:.*]] = theon.neg %{{.*}} : tensor<4xf32>
// CHECK: return %[[G]]
func.func @neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.neg %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// abs: g * sign(x).
// CHECK-LABEL: func.func @abs
// CHECK: %[[S:.*]] = theon.sign %arg0
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[S]]
// CHECK: return %[[G]]
func.func @abs(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.abs %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// sign: piecewise constant, the gradient is zeros and no backward op is built.
// CHECK-LABEL: func.func @sign
// CHECK-NOT: theon.
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NOT: theon.
// CHECK: return %[[Z]]
func.func @sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.sign %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// exp: g * result.
// CHECK-LABEL: func.func @exp
// CHECK: %[[E:.*]] = theon.exp %arg0
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[E]]
// CHECK: return %[[G]]
func.func @exp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.exp %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// log1p: g / (x + 1).
// CHECK-LABEL: func.func @log1p
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[P:.*]] = theon.add %arg0, %[[ONE]]
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @log1p(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.log1p %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// sqrt: g / (result * 2).
// CHECK-LABEL: func.func @sqrt
// CHECK: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<f32>
// CHECK: %[[R:.*]] = theon.sqrt %arg0
// CHECK: %[[M:.*]] = theon.mul %[[R]], %[[TWO]]
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[M]]
// CHECK: return %[[G]]
func.func @sqrt(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.sqrt %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// sin: g * cos(x).
// CHECK-LABEL: func.func @sin
// CHECK: %[[C:.*]] = theon.cos %arg0
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[C]]
// CHECK: return %[[G]]
func.func @sin(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.sin %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// cos: -(g * sin(x)).
// CHECK-LABEL: func.func @cos
// CHECK: %[[S:.*]] = theon.sin %arg0
// CHECK: %[[M:.*]] = theon.mul %{{.*}}, %[[S]]
// CHECK: %[[G:.*]] = theon.neg %[[M]]
// CHECK: return %[[G]]
func.func @cos(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.cos %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// sigmoid: g * (s * (1 - s)) with s the result.
// CHECK-LABEL: func.func @sigmoid
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[S:.*]] = theon.sigmoid %arg0
// CHECK: %[[D:.*]] = theon.sub %[[ONE]], %[[S]]
// CHECK: %[[P:.*]] = theon.mul %[[S]], %[[D]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.sigmoid %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// softplus: g * sigmoid(x).
// CHECK-LABEL: func.func @softplus
// CHECK: %[[S:.*]] = theon.sigmoid %arg0
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[S]]
// CHECK: return %[[G]]
func.func @softplus(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.softplus %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// floor: piecewise constant, the gradient is zeros and no backward op is built.
// CHECK-LABEL: func.func @floor
// CHECK-NOT: theon.
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NOT: theon.
// CHECK: return %[[Z]]
func.func @floor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.floor %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// ceil: piecewise constant, the gradient is zeros and no backward op is built.
// CHECK-LABEL: func.func @ceil
// CHECK-NOT: theon.
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NOT: theon.
// CHECK: return %[[Z]]
func.func @ceil(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.ceil %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// round: piecewise constant, the gradient is zeros and no backward op is built.
// CHECK-LABEL: func.func @round
// CHECK-NOT: theon.
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NOT: theon.
// CHECK: return %[[Z]]
func.func @round(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.round %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// erf: g * (2 / sqrt(pi) * exp(-(x * x))); 2 / sqrt(pi) rounds to 1.12837923 in f32.
// CHECK-LABEL: func.func @erf
// CHECK: %[[K:.*]] = arith.constant dense<1.12837923> : tensor<f32>
// CHECK: %[[SQ:.*]] = theon.mul %arg0, %arg0
// CHECK: %[[N:.*]] = theon.neg %[[SQ]]
// CHECK: %[[E:.*]] = theon.exp %[[N]]
// CHECK: %[[D:.*]] = theon.mul %[[K]], %[[E]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[D]]
// CHECK: return %[[G]]
func.func @erf(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.erf %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// add: g to both operands; the broadcast operand's share is summed over axis 0.
// CHECK-LABEL: func.func @add
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[GB:.*]] = theon.sum %[[G]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[G]], %[[GB]]
func.func @add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// sub: g and -g, the latter summed over axis 0 to the broadcast operand.
// CHECK-LABEL: func.func @sub
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[N:.*]] = theon.neg %[[G]]
// CHECK: %[[GB:.*]] = theon.sum %[[N]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[G]], %[[GB]]
func.func @sub(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.sub %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// mul: g * rhs and g * lhs, the latter summed over axis 0 to the broadcast operand.
// CHECK-LABEL: func.func @mul
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[GA:.*]] = theon.mul %[[G]], %arg1 : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
// CHECK: %[[M:.*]] = theon.mul %[[G]], %arg0 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK: %[[GB:.*]] = theon.sum %[[M]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @mul(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.mul %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// div: g / b and -((g / b) * result), the latter summed over axis 0.
// CHECK-LABEL: func.func @div
// CHECK: %[[Q:.*]] = theon.div %arg0, %arg1
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[GA:.*]] = theon.div %[[G]], %arg1 : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
// CHECK: %[[GQ:.*]] = theon.div %[[G]], %arg1
// CHECK: %[[M:.*]] = theon.mul %[[GQ]], %[[Q]]
// CHECK: %[[N:.*]] = theon.neg %[[M]]
// CHECK: %[[GB:.*]] = theon.sum %[[N]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @div(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.div %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// pow: g * (b * a^(b - 1)) and g * (result * log(a)), the latter summed over axis 0.
// CHECK-LABEL: func.func @pow
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[P:.*]] = theon.pow %arg0, %arg1
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[BM1:.*]] = theon.sub %arg1, %[[ONE]]
// CHECK: %[[PM1:.*]] = theon.pow %arg0, %[[BM1]]
// CHECK: %[[DA:.*]] = theon.mul %arg1, %[[PM1]]
// CHECK: %[[GA:.*]] = theon.mul %[[G]], %[[DA]]
// CHECK: %[[L:.*]] = theon.log %arg0
// CHECK: %[[DB:.*]] = theon.mul %[[P]], %[[L]]
// CHECK: %[[M:.*]] = theon.mul %[[G]], %[[DB]]
// CHECK: %[[GB:.*]] = theon.sum %[[M]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @pow(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.pow %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// minimum: lhs gets g where it is the result (ties included), which is
// where lhs <= rhs; rhs the rest (1 - that mask), as Theano 1.0: one
// operand takes a tie.
// CHECK-LABEL: func.func @minimum
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK-NOT: theon.minimum
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[EA:.*]] = theon.le %arg0, %arg1 : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
// CHECK: %[[MA:.*]] = theon.cast %[[EA]] : tensor<2x3xi1> to tensor<2x3xf32>
// CHECK: %[[GA:.*]] = theon.mul %[[G]], %[[MA]]
// CHECK: %[[EB:.*]] = theon.le %arg0, %arg1
// CHECK: %[[MB0:.*]] = theon.cast %[[EB]] : tensor<2x3xi1> to tensor<2x3xf32>
// CHECK: %[[MB:.*]] = theon.sub %[[ONE]], %[[MB0]]
// CHECK: %[[M:.*]] = theon.mul %[[G]], %[[MB]]
// CHECK: %[[GB:.*]] = theon.sum %[[M]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @minimum(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.minimum %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// select: cond ? g : 0 and cond ? 0 : g (the latter summed over axis 0); the
// condition gets no gradient.
// CHECK-LABEL: func.func @select
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[G:.*]] = theon.broadcast_to %{{.*}} : tensor<1x1xf32> -> tensor<2x3xf32>
// CHECK: %[[GA:.*]] = theon.select %arg0, %[[G]], %[[Z]]
// CHECK: %[[S:.*]] = theon.select %arg0, %[[Z]], %[[G]]
// CHECK: %[[GB:.*]] = theon.sum %[[S]] axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @select(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %y = theon.select %c, %a, %b : tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// cast f32 -> f64: the gradient is cast back to f32.
// CHECK-LABEL: func.func @cast
// CHECK: %[[UP:.*]] = theon.cast %arg0 : tensor<4xf32> to tensor<4xf64>
// CHECK: %[[D:.*]] = theon.div %{{.*}}, %[[UP]] : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
// CHECK: %[[G:.*]] = theon.cast %[[D]] : tensor<4xf64> to tensor<4xf32>
// CHECK: return %[[G]]
func.func @cast(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.cast %x : tensor<4xf32> to tensor<4xf64>
  %l = theon.log %y : tensor<4xf64>
  %s = theon.sum %l axes = [0] : tensor<4xf64> -> tensor<f64>
  %g = theon.grad %s wrt %x : tensor<f64>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// cast i1 -> f32 carries no gradient: d(x * (x > 0)) is g * (x > 0) alone,
// with nothing added through the mask.
// CHECK-LABEL: func.func @cast_int
// CHECK: %[[MASK:.*]] = theon.cast %{{.*}} : tensor<4xi1> to tensor<4xf32>
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[MASK]]
// CHECK-NOT: theon.
// CHECK: return %[[G]]
func.func @cast_int(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %b = theon.gt %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xi1>
  %m = theon.cast %b : tensor<4xi1> to tensor<4xf32>
  %y = theon.mul %x, %m : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// matrix . vector: outer(g, v) and A^T . g (log makes g = 1 / (A . v)).
// CHECK-LABEL: func.func @dot_matrix_vector
// CHECK: %[[D:.*]] = theon.dot %arg0, %arg1
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[D]] : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK: %[[COL:.*]] = theon.dimshuffle %[[G]] [0, x] : tensor<2xf32> -> tensor<2x1xf32>
// CHECK: %[[ROW:.*]] = theon.dimshuffle %arg1 [x, 0] : tensor<3xf32> -> tensor<1x3xf32>
// CHECK: %[[GA:.*]] = theon.mul %[[COL]], %[[ROW]] : tensor<2x1xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
// CHECK: %[[AT:.*]] = theon.dimshuffle %arg0 [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK: %[[GV:.*]] = theon.dot %[[AT]], %[[G]] : tensor<3x2xf32>, tensor<2xf32> -> tensor<3xf32>
// CHECK: return %[[GA]], %[[GV]]
func.func @dot_matrix_vector(%a: tensor<2x3xf32>, %v: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>) {
  %d = theon.dot %a, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
  %l = theon.log %d : tensor<2xf32>
  %s = theon.sum %l axes = [0] : tensor<2xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %v : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// vector . matrix: A . g and outer(v, g) (log makes g = 1 / (v . A)).
// CHECK-LABEL: func.func @dot_vector_matrix
// CHECK: %[[D:.*]] = theon.dot %arg0, %arg1
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[D]] : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
// CHECK: %[[GV:.*]] = theon.dot %arg1, %[[G]] : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
// CHECK: %[[COL:.*]] = theon.dimshuffle %arg0 [0, x] : tensor<2xf32> -> tensor<2x1xf32>
// CHECK: %[[ROW:.*]] = theon.dimshuffle %[[G]] [x, 0] : tensor<3xf32> -> tensor<1x3xf32>
// CHECK: %[[GA:.*]] = theon.mul %[[COL]], %[[ROW]] : tensor<2x1xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
// CHECK: return %[[GV]], %[[GA]]
func.func @dot_vector_matrix(%v: tensor<2xf32>, %a: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %d = theon.dot %v, %a : tensor<2xf32>, tensor<2x3xf32> -> tensor<3xf32>
  %l = theon.log %d : tensor<3xf32>
  %s = theon.sum %l axes = [0] : tensor<3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %v, %a : tensor<f32>, tensor<2xf32>, tensor<2x3xf32>
  return %g#0, %g#1 : tensor<2xf32>, tensor<2x3xf32>
}

// -----

// vector . vector: v * g and u * g with a rank-0 g (log makes g = 1 / (u . v)).
// CHECK-LABEL: func.func @dot_vector_vector
// CHECK: %[[D:.*]] = theon.dot %arg0, %arg1
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[D]] : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK: %[[GU:.*]] = theon.mul %arg1, %[[G]] : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
// CHECK: %[[GV:.*]] = theon.mul %arg0, %[[G]] : tensor<3xf32>, tensor<f32> -> tensor<3xf32>
// CHECK: return %[[GU]], %[[GV]]
func.func @dot_vector_vector(%u: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %d = theon.dot %u, %v : tensor<3xf32>, tensor<3xf32> -> tensor<f32>
  %l = theon.log %d : tensor<f32>
  %g:2 = theon.grad %l wrt %u, %v : tensor<f32>, tensor<3xf32>, tensor<3xf32>
  return %g#0, %g#1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// sum over an axis: g reshaped to keep the axis, then broadcast back.
// CHECK-LABEL: func.func @sum
// CHECK: %[[R:.*]] = theon.sum %arg0 axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[R]]
// CHECK: %[[GR:.*]] = theon.reshape %[[G]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[GX:.*]] = theon.broadcast_to %[[GR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: return %[[GX]]
func.func @sum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = theon.sum %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %l = theon.log %r : tensor<2xf32>
  %s = theon.sum %l axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// mean over an axis: g divided by the axis' size (3), then expanded as sum's.
// CHECK-LABEL: func.func @mean
// CHECK: %[[N:.*]] = arith.constant dense<3.000000e+00> : tensor<f32>
// CHECK: %[[R:.*]] = theon.mean %arg0 axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[R]]
// CHECK: %[[GN:.*]] = theon.div %[[G]], %[[N]] : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
// CHECK: %[[GR:.*]] = theon.reshape %[[GN]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[GX:.*]] = theon.broadcast_to %[[GR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: return %[[GX]]
func.func @mean(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = theon.mean %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %l = theon.log %r : tensor<2xf32>
  %s = theon.sum %l axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// prod over an axis: g * prod / x, with g and prod expanded back to x's shape.
// CHECK-LABEL: func.func @prod
// CHECK: %[[P:.*]] = theon.prod %arg0 axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
// CHECK: %[[GR:.*]] = theon.reshape %{{.*}} : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[G:.*]] = theon.broadcast_to %[[GR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[PR:.*]] = theon.reshape %[[P]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[PB:.*]] = theon.broadcast_to %[[PR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[M:.*]] = theon.mul %[[G]], %[[PB]]
// CHECK: %[[GX:.*]] = theon.div %[[M]], %arg0
// CHECK: return %[[GX]]
func.func @prod(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = theon.prod %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %s = theon.sum %r axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// min over an axis: the gradient goes where x equals the minimum, split
// evenly among ties.
// CHECK-LABEL: func.func @min
// CHECK: %[[M:.*]] = theon.min %arg0 axes = [1]
// CHECK: %[[MR:.*]] = theon.reshape %[[M]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: %[[MB:.*]] = theon.broadcast_to %[[MR]] : tensor<2x1xf32> -> tensor<2x3xf32>
// CHECK: %[[EQ:.*]] = theon.eq %arg0, %[[MB]]
// CHECK: %[[MASK:.*]] = theon.cast %[[EQ]] : tensor<2x3xi1> to tensor<2x3xf32>
// CHECK: %[[N:.*]] = theon.sum %[[MASK]] axes = [1]
// CHECK: %[[SHARE:.*]] = theon.div %[[MASK]], %{{.*}}
// CHECK: %[[GX:.*]] = theon.mul %{{.*}}, %[[SHARE]]
// CHECK: return %[[GX]]
func.func @min(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %m = theon.min %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %s = theon.sum %m axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// reshape: g reshaped back to x's shape.
// CHECK-LABEL: func.func @reshape
// CHECK: %[[R:.*]] = theon.reshape %arg0 : tensor<2x3xf32> to tensor<6xf32>
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[R]]
// CHECK: %[[GX:.*]] = theon.reshape %[[G]] : tensor<6xf32> to tensor<2x3xf32>
// CHECK: return %[[GX]]
func.func @reshape(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = theon.reshape %x : tensor<2x3xf32> to tensor<6xf32>
  %l = theon.log %r : tensor<6xf32>
  %s = theon.sum %l axes = [0] : tensor<6xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// broadcast_to: g summed over the new axis 0 and the stretched size-1 axis 2,
// then reshaped to x's shape.
// CHECK-LABEL: func.func @broadcast_to
// CHECK: %[[B:.*]] = theon.broadcast_to %arg0 : tensor<2x1xf32> -> tensor<4x2x3xf32>
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[B]]
// CHECK: %[[S:.*]] = theon.sum %[[G]] axes = [0, 2] : tensor<4x2x3xf32> -> tensor<2xf32>
// CHECK: %[[GX:.*]] = theon.reshape %[[S]] : tensor<2xf32> to tensor<2x1xf32>
// CHECK: return %[[GX]]
func.func @broadcast_to(%x: tensor<2x1xf32>) -> tensor<2x1xf32> {
  %b = theon.broadcast_to %x : tensor<2x1xf32> -> tensor<4x2x3xf32>
  %l = theon.log %b : tensor<4x2x3xf32>
  %s = theon.sum %l axes = [0, 1, 2] : tensor<4x2x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x1xf32>
  return %g : tensor<2x1xf32>
}

// -----

// scatter_add: g to the base, and the rows of g at the indices (take) to the updates.
// CHECK-LABEL: func.func @scatter_add
// CHECK: %[[R:.*]] = theon.scatter_add %arg0[%arg1], %arg2
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[R]]
// CHECK: %[[GU:.*]] = theon.take %[[G]][%arg1] : tensor<5x3xf32>, tensor<4xi32> -> tensor<4x3xf32>
// CHECK: return %[[G]], %[[GU]]
func.func @scatter_add(%x: tensor<5x3xf32>, %i: tensor<4xi32>, %u: tensor<4x3xf32>) -> (tensor<5x3xf32>, tensor<4x3xf32>) {
  %r = theon.scatter_add %x[%i], %u : tensor<5x3xf32>, tensor<4xi32>, tensor<4x3xf32> -> tensor<5x3xf32>
  %l = theon.log %r : tensor<5x3xf32>
  %s = theon.sum %l axes = [0, 1] : tensor<5x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %x, %u : tensor<f32>, tensor<5x3xf32>, tensor<4x3xf32>
  return %g#0, %g#1 : tensor<5x3xf32>, tensor<4x3xf32>
}

// -----

// put_per_row: the gradient is read back with take_per_row.
// CHECK-LABEL: func.func @put_per_row
// CHECK: %[[P:.*]] = theon.put_per_row %arg0[%arg1]
// CHECK: %[[E:.*]] = theon.exp %[[P]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[E]]
// CHECK: %[[GV:.*]] = theon.take_per_row %[[G]][%arg1] : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
// CHECK: return %[[GV]]
func.func @put_per_row(%v: tensor<4xf32>, %i: tensor<4xi32>) -> tensor<4xf32> {
  %p = theon.put_per_row %v[%i] : tensor<4xf32>, tensor<4xi32> -> tensor<4x3xf32>
  %e = theon.exp %p : tensor<4x3xf32>
  %s = theon.sum %e axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %v : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// alloc_diag: the gradient is the diagonal of g (extract_diag).
// CHECK-LABEL: func.func @alloc_diag
// CHECK: %[[D:.*]] = theon.alloc_diag %arg0
// CHECK: %[[E:.*]] = theon.exp %[[D]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[E]]
// CHECK: %[[GV:.*]] = theon.extract_diag %[[G]] : tensor<3x4xf32> -> tensor<3xf32>
// CHECK: return %[[GV]]
func.func @alloc_diag(%v: tensor<3xf32>) -> tensor<3xf32> {
  %d = theon.alloc_diag %v : tensor<3xf32> -> tensor<3x4xf32>
  %e = theon.exp %d : tensor<3x4xf32>
  %s = theon.sum %e axes = [0, 1] : tensor<3x4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %v : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// erfc: -g * (2 / sqrt(pi) * exp(-(x * x))).
// CHECK-LABEL: func.func @erfc
// CHECK: %[[K:.*]] = arith.constant dense<1.12837923> : tensor<f32>
// CHECK: %[[SQ:.*]] = theon.mul %arg0, %arg0
// CHECK: %[[N:.*]] = theon.neg %[[SQ]]
// CHECK: %[[E:.*]] = theon.exp %[[N]]
// CHECK: %[[D:.*]] = theon.mul %[[K]], %[[E]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[D]]
// CHECK: %[[R:.*]] = theon.neg %[[G]]
// CHECK: return %[[R]]
func.func @erfc(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.erfc %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// expm1: g * (y + 1).
// CHECK-LABEL: func.func @expm1
// CHECK: %[[Y:.*]] = theon.expm1 %arg0
// CHECK: %[[P:.*]] = theon.add %[[Y]], %{{.*}}
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @expm1(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.expm1 %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// exp2: g * (y * ln 2).
// CHECK-LABEL: func.func @exp2
// CHECK: %[[LN2:.*]] = arith.constant dense<0.693147182> : tensor<f32>
// CHECK: %[[Y:.*]] = theon.exp2 %arg0
// CHECK: %[[P:.*]] = theon.mul %[[Y]], %[[LN2]]
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @exp2(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.exp2 %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// log2: g / (x * ln 2).
// CHECK-LABEL: func.func @log2
// CHECK: %[[LN2:.*]] = arith.constant dense<0.693147182> : tensor<f32>
// CHECK: %[[P:.*]] = theon.mul %arg0, %[[LN2]]
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @log2(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.log2 %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// log10: g / (x * ln 10).
// CHECK-LABEL: func.func @log10
// CHECK: %[[LN10:.*]] = arith.constant dense<2.30258512> : tensor<f32>
// CHECK: %[[P:.*]] = theon.mul %arg0, %[[LN10]]
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[P]]
// CHECK: return %[[G]]
func.func @log10(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.log10 %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// mod: g to lhs, -(lhs // rhs) * g to rhs; floor_div: zero to both.
// CHECK-LABEL: func.func @mod
// CHECK: %[[Q:.*]] = theon.floor_div %arg0, %arg1
// CHECK: %[[GQ:.*]] = theon.mul %{{.*}}, %[[Q]]
// CHECK: %[[GB:.*]] = theon.neg %[[GQ]]
// CHECK: return %{{.*}}, %[[GB]]
func.func @mod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %y = theon.mod %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<4xf32>, tensor<4xf32>
  return %g#0, %g#1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// subtensor: g put back into zeros where the slice came from.
// CHECK-LABEL: func.func @subtensor
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<3x4xf32>
// CHECK: %[[G:.*]] = theon.update_subtensor %[[Z]][starts = [1, 3], steps = [1, -2], sizes = [1, 2], dropped = [0]], %{{.*}} : tensor<3x4xf32>, tensor<2xf32> -> tensor<3x4xf32>
// CHECK: return %[[G]]
func.func @subtensor(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = theon.subtensor %x starts = [1, 3], steps = [1, -2], sizes = [1, 2], dropped = [0] : tensor<3x4xf32> -> tensor<2xf32>
  %s = theon.sum %y axes = [0] : tensor<2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3x4xf32>
  return %g : tensor<3x4xf32>
}

// -----

// set_subtensor: g with the slice zeroed to x, the slice of g to v.
// CHECK-LABEL: func.func @set_subtensor
// CHECK: %[[GX:.*]] = theon.update_subtensor %{{.*}}[starts = [0, 1], steps = [1, 1], sizes = [3, 2], dropped = []], %{{.*}} {set}
// CHECK: %[[GV:.*]] = theon.subtensor %{{.*}} starts = [0, 1], steps = [1, 1], sizes = [3, 2], dropped = []
// CHECK: return %[[GX]], %[[GV]]
func.func @set_subtensor(%x: tensor<3x4xf32>, %v: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) {
  %y = theon.update_subtensor %x[starts = [0, 1], steps = [1, 1], sizes = [3, 2], dropped = []], %v {set} : tensor<3x4xf32>, tensor<3x2xf32> -> tensor<3x4xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<3x4xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %x, %v : tensor<f32>, tensor<3x4xf32>, tensor<3x2xf32>
  return %g#0, %g#1 : tensor<3x4xf32>, tensor<3x2xf32>
}

// -----

// concatenate: each operand gets its slice of g along the axis.
// CHECK-LABEL: func.func @concatenate
// CHECK: %[[GA:.*]] = theon.subtensor %{{.*}} starts = [0, 0], steps = [1, 1], sizes = [2, 3], dropped = [] : tensor<6x3xf32> -> tensor<2x3xf32>
// CHECK: %[[GB:.*]] = theon.subtensor %{{.*}} starts = [2, 0], steps = [1, 1], sizes = [4, 3], dropped = [] : tensor<6x3xf32> -> tensor<4x3xf32>
// CHECK: return %[[GA]], %[[GB]]
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  %y = theon.concatenate %a, %b axis = 0 : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  %s = theon.sum %y axes = [0, 1] : tensor<6x3xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %a, %b : tensor<f32>, tensor<2x3xf32>, tensor<4x3xf32>
  return %g#0, %g#1 : tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// cumsum: the running sum of g from the other end.
// CHECK-LABEL: func.func @cumsum
// CHECK: theon.cumsum %{{.*}} axis = 1 reverse : tensor<2x3xf32>
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = theon.cumsum %x axis = 1 : tensor<2x3xf32>
  %s = theon.sum %c axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// cumprod (Theano's rule): reverse cumsum of g * result, divided by x.
// CHECK-LABEL: func.func @cumprod
// CHECK: %[[P:.*]] = theon.cumprod %arg0 axis = 0 : tensor<3xf32>
// CHECK: %[[W:.*]] = theon.mul %{{.*}}, %[[P]]
// CHECK: %[[T:.*]] = theon.cumsum %[[W]] axis = 0 reverse
// CHECK: theon.div %[[T]], %arg0
func.func @cumprod(%x: tensor<3xf32>) -> tensor<3xf32> {
  %p = theon.cumprod %x axis = 0 : tensor<3xf32>
  %s = theon.sum %p axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// erfinv: g * (sqrt(pi) / 2 * exp(result * result)).
// CHECK-LABEL: func.func @erfinv
// CHECK: %[[K:.*]] = arith.constant dense<0.886226952> : tensor<f32>
// CHECK: %[[Y:.*]] = theon.erfinv %arg0
// CHECK: %[[SQ:.*]] = theon.mul %[[Y]], %[[Y]]
// CHECK: %[[E:.*]] = theon.exp %[[SQ]]
// CHECK: %[[D:.*]] = theon.mul %[[K]], %[[E]]
// CHECK: theon.mul %{{.*}}, %[[D]]
func.func @erfinv(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = theon.erfinv %x : tensor<4xf32>
  %s = theon.sum %y axes = [0] : tensor<4xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// dot of batches: g . y^T and x^T . g, transposing the last two axes.
// CHECK-LABEL: func.func @batch_dot
// CHECK-DAG: %[[YT:.*]] = theon.dimshuffle %arg1 [0, 2, 1]
// CHECK-DAG: %[[XT:.*]] = theon.dimshuffle %arg0 [0, 2, 1]
// CHECK-DAG: theon.dot %{{.*}}, %[[YT]] : tensor<5x2x4xf32>, tensor<5x4x3xf32> -> tensor<5x2x3xf32>
// CHECK-DAG: theon.dot %[[XT]], %{{.*}} : tensor<5x3x2xf32>, tensor<5x2x4xf32> -> tensor<5x3x4xf32>
func.func @batch_dot(%x: tensor<5x2x3xf32>, %y: tensor<5x3x4xf32>) -> (tensor<5x2x3xf32>, tensor<5x3x4xf32>) {
  %d = theon.dot %x, %y : tensor<5x2x3xf32>, tensor<5x3x4xf32> -> tensor<5x2x4xf32>
  %s = theon.sum %d axes = [0, 1, 2] : tensor<5x2x4xf32> -> tensor<f32>
  %g:2 = theon.grad %s wrt %x, %y : tensor<f32>, tensor<5x2x3xf32>, tensor<5x3x4xf32>
  return %g#0, %g#1 : tensor<5x2x3xf32>, tensor<5x3x4xf32>
}

// -----

// zero_grad: nothing flows back through it; only the direct use of x counts.
// CHECK-LABEL: func.func @zero_grad
// CHECK: %[[Z:.*]] = theon.zero_grad %arg0
// CHECK: %[[G:.*]] = theon.mul %{{.*}}, %[[Z]]
// CHECK: return %[[G]] : tensor<3xf32>
func.func @zero_grad(%x: tensor<3xf32>) -> tensor<3xf32> {
  %z = theon.zero_grad %x : tensor<3xf32>
  %m = theon.mul %z, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %s = theon.sum %m axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// grad_clip: the incoming gradient clipped, min(max(g, lo), hi).
// CHECK-LABEL: func.func @grad_clip
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<-5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[M:.*]] = theon.maximum %{{.*}}, %[[LO]]
// CHECK: theon.minimum %[[M]], %[[HI]]
func.func @grad_clip(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = theon.grad_clip %x lo = -0.5, hi = 0.5 : tensor<3xf32>
  %s = theon.sum %c axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// conv2d: its two gradient ops, with conv2d's attributes; the filters
// go to the input's gradient and the input to the filters'.
// CHECK-LABEL: func.func @conv2d
// CHECK: %[[G:.*]] = theon.broadcast_to
// CHECK: %[[DX:.*]] = theon.conv2d_grad_input %arg1, %[[G]] strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1 : tensor<4x3x3x3xf32>, tensor<2x4x4x4xf32> -> tensor<2x3x7x7xf32>
// CHECK: %[[DW:.*]] = theon.conv2d_grad_filters %arg0, %[[G]] strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1 : tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32> -> tensor<4x3x3x3xf32>
// CHECK: return %[[DX]], %[[DW]]
func.func @conv2d(%x: tensor<2x3x7x7xf32>, %w: tensor<4x3x3x3xf32>) -> (tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32>) {
  %y = theon.conv2d %x, %w strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x4x4xf32>
  %s = theon.sum %y axes = [0, 1, 2, 3] : tensor<2x4x4x4xf32> -> tensor<f32>
  %gx, %gw = theon.grad %s wrt %x, %w : tensor<f32>, tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32>
  return %gx, %gw : tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32>
}

// -----

// The input's gradient op is linear in both operands: with dxBar the
// gradient of its result, g's gradient is conv2d(dxBar, w) and w's is
// grad_filters(dxBar, g), groups kept.
// CHECK-LABEL: func.func @conv2d_grad_input
// CHECK: %[[BAR:.*]] = theon.broadcast_to
// CHECK-DAG: %[[DW:.*]] = theon.conv2d_grad_filters %[[BAR]], %arg1 strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 2 : tensor<1x4x4x4xf32>, tensor<1x6x2x2xf32> -> tensor<6x2x3x3xf32>
// CHECK-DAG: %[[DG:.*]] = theon.conv2d %[[BAR]], %arg0 strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 2 : tensor<1x4x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<1x6x2x2xf32>
// CHECK: return %[[DW]], %[[DG]]
func.func @conv2d_grad_input(%w: tensor<6x2x3x3xf32>, %g: tensor<1x6x2x2xf32>) -> (tensor<6x2x3x3xf32>, tensor<1x6x2x2xf32>) {
  %dx = theon.conv2d_grad_input %w, %g strides = [1, 1], padding = [0, 0, 0, 0], dilations = [1, 1], groups = 2
      : tensor<6x2x3x3xf32>, tensor<1x6x2x2xf32> -> tensor<1x4x4x4xf32>
  %s = theon.sum %dx axes = [0, 1, 2, 3] : tensor<1x4x4x4xf32> -> tensor<f32>
  %gw, %gg = theon.grad %s wrt %w, %g : tensor<f32>, tensor<6x2x3x3xf32>, tensor<1x6x2x2xf32>
  return %gw, %gg : tensor<6x2x3x3xf32>, tensor<1x6x2x2xf32>
}

// -----

// The filters' gradient op: with dwBar the gradient of its result, x's
// gradient is grad_input(dwBar, g) and g's is conv2d(x, dwBar).
// CHECK-LABEL: func.func @conv2d_grad_filters
// CHECK: %[[BAR:.*]] = theon.broadcast_to
// CHECK-DAG: %[[DX:.*]] = theon.conv2d_grad_input %[[BAR]], %arg1 strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1 : tensor<4x3x3x3xf32>, tensor<2x4x4x4xf32> -> tensor<2x3x7x7xf32>
// CHECK-DAG: %[[DG:.*]] = theon.conv2d %arg0, %[[BAR]] strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1 : tensor<2x3x7x7xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x4x4xf32>
// CHECK: return %[[DX]], %[[DG]]
func.func @conv2d_grad_filters(%x: tensor<2x3x7x7xf32>, %g: tensor<2x4x4x4xf32>) -> (tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32>) {
  %dw = theon.conv2d_grad_filters %x, %g strides = [2, 2], padding = [1, 1, 1, 1], dilations = [1, 1], groups = 1
      : tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32> -> tensor<4x3x3x3xf32>
  %s = theon.sum %dw axes = [0, 1, 2, 3] : tensor<4x3x3x3xf32> -> tensor<f32>
  %gx, %gg = theon.grad %s wrt %x, %g : tensor<f32>, tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32>
  return %gx, %gg : tensor<2x3x7x7xf32>, tensor<2x4x4x4xf32>
}

// -----

// pool2d: its gradient op, with the pooled value for max.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[Y:.*]] = theon.pool2d max %arg0
// CHECK: theon.pool2d_grad max %arg0, %[[Y]], %{{.*}} window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
func.func @max_pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %y = theon.pool2d max %x window = [2, 2], strides = [2, 2], padding = [0, 0] ignore_border
      : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %s = theon.sum %y axes = [0, 1, 2, 3] : tensor<1x2x2x2xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<1x2x4x4xf32>
  return %g : tensor<1x2x4x4xf32>
}

// -----

// scan: backpropagation through time as a reverse scan (`reverse`: its
// step s is the forward step 4 - s and reads the rows that step read, so
// nothing is reversed). It steps over the rows read, the state each step
// started from and the step's products, which the forward scan now also
// stacks (the state argument yielded as an output: no shifted copy of the
// history; the products kept, not recomputed), and the outputs'
// gradients; it carries the state's gradient
// (from the final state's, here zero) and sums the params'. Its body is the
// forward body cloned, its products replaced by their kept rows, then
// swept. Its stacked output is the sequence's gradient, row for row.
// CHECK-LABEL: func.func @scan
// CHECK: %[[FWD:.*]]:3 = theon.scan length = 5 sequences
// CHECK:   ^bb0(%{{[^:]*}}: tensor<3xf32>, %[[HP0:[^:]*]]: tensor<3xf32>,
// CHECK:   %[[M:.*]] = theon.dot
// CHECK:   %[[N:.*]] = theon.tanh
// CHECK:   theon.yield %[[N]], %[[HP0]], %[[M]]
// CHECK-NOT: theon.concatenate
// CHECK: %[[BWD:.*]]:3 = theon.scan length = 5 reverse sequences(%arg0, %[[FWD]]#1, %{{.*}}, %[[FWD]]#2 : tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>) init(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3x3xf32>) params(%arg2 : tensor<3x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: tensor<3xf32>, %[[HP:.*]]: tensor<3xf32>, %[[GO:.*]]: tensor<3xf32>, %[[KEPT:.*]]: tensor<3xf32>, %[[DH:.*]]: tensor<3xf32>, %[[DW:.*]]: tensor<3x3xf32>, %[[W:.*]]: tensor<3x3xf32>):
// CHECK-NOT: theon.dot %[[HP]], %[[W]]
// CHECK:   theon.add %[[KEPT]], %[[X]]
// CHECK:   theon.tanh
// CHECK:   %[[G:.*]] = theon.add %[[DH]], %[[GO]]
// CHECK:   %[[DHP:.*]] = theon.dot %[[W]], %[[DELTA:.*]] : tensor<3x3xf32>, tensor<3xf32> -> tensor<3xf32>
// CHECK:   %[[SUM:.*]] = theon.add %[[DW]], %{{.*}} : tensor<3x3xf32>, tensor<3x3xf32> -> tensor<3x3xf32>
// CHECK:   theon.yield %[[DHP]], %[[SUM]], %[[DELTA]]
// CHECK-NOT: theon.subtensor
// CHECK: return %[[BWD]]#2, %[[BWD]]#0, %[[BWD]]#1
func.func @scan(%x: tensor<5x3xf32>, %h0: tensor<3xf32>, %w: tensor<3x3xf32>) -> (tensor<5x3xf32>, tensor<3xf32>, tensor<3x3xf32>) {
  %h, %hs = theon.scan length = 5 sequences(%x : tensor<5x3xf32>) init(%h0 : tensor<3xf32>)
      params(%w : tensor<3x3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>, %wp: tensor<3x3xf32>):
    %m = theon.dot %hp, %wp : tensor<3xf32>, tensor<3x3xf32> -> tensor<3xf32>
    %a = theon.add %m, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %n = theon.tanh %a : tensor<3xf32>
    theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<5x3xf32>
  %s = theon.sum %hs axes = [0, 1] : tensor<5x3xf32> -> tensor<f32>
  %gx, %gh, %gw = theon.grad %s wrt %x, %h0, %w : tensor<f32>, tensor<5x3xf32>, tensor<3xf32>, tensor<3x3xf32>
  return %gx, %gh, %gw : tensor<5x3xf32>, tensor<3xf32>, tensor<3x3xf32>
}

// -----

// A random stream's state carried by a scan (theon::scan does this for a
// draw in the step) and yielded as an output too: the reverse scan steps
// over the state each forward step started from and redraws that step's
// numbers from it, so the recomputed step sees the forward step's mask.
// CHECK-LABEL: func.func @scan_with_draws
// CHECK: %[[FWD:.*]]:4 = theon.scan length = 4
// CHECK: ^bb0(%{{[^:]*}}: tensor<3xf32>, %[[HP:[^:]*]]: tensor<3xf32>, %[[SP:[^:]*]]: tensor<2xi64>):
// CHECK:   theon.yield %{{.*}}, %{{.*}}, %[[HP]], %[[SP]] :
// CHECK: theon.scan length = 4 reverse sequences(%{{.*}}, %[[FWD]]#2, %[[FWD]]#3, %{{.*}} : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x2xi64>, tensor<4x3xf32>)
// CHECK: ^bb0(%{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>, %[[STATE:[^:]*]]: tensor<2xi64>,
// CHECK:   theon.random uniform %[[STATE]] : tensor<2xi64> -> tensor<3xf32>
func.func @scan_with_draws(%x: tensor<4x3xf32>, %h0: tensor<3xf32>, %s0: tensor<2xi64>) -> tensor<4x3xf32> {
  %h, %s, %hs, %ss = theon.scan length = 4 sequences(%x : tensor<4x3xf32>) init(%h0, %s0 : tensor<3xf32>, tensor<2xi64>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>, %sp: tensor<2xi64>):
    %u = theon.random uniform %sp : tensor<2xi64> -> tensor<3xf32>
    %m = theon.mul %hp, %u : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %a = theon.add %m, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %n = theon.tanh %a : tensor<3xf32>
    %one = arith.constant dense<[0, 1]> : tensor<2xi64>
    %next = theon.add %sp, %one : tensor<2xi64>, tensor<2xi64> -> tensor<2xi64>
    theon.yield %n, %next, %n, %next : tensor<3xf32>, tensor<2xi64>, tensor<3xf32>, tensor<2xi64>
  } -> tensor<3xf32>, tensor<2xi64>, tensor<4x3xf32>, tensor<4x2xi64>
  %c = theon.sum %hs axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %gx = theon.grad %c wrt %x : tensor<f32>, tensor<4x3xf32>
  return %gx : tensor<4x3xf32>
}

// -----

// A scan without outputs: the forward scan is rebuilt to stack the state
// each step starts from, so that each backward step reads it.
// CHECK-LABEL: func.func @scan_state_without_history
// CHECK: %[[FWD:.*]]:2 = theon.scan length = 5 init(%arg0 : tensor<3xf32>)
// CHECK:   ^bb0(%[[HP:.*]]: tensor<3xf32>):
// CHECK:   %[[N:.*]] = theon.tanh %[[HP]]
// CHECK:   theon.yield %[[N]], %[[HP]] : tensor<3xf32>, tensor<3xf32>
// CHECK: } -> tensor<3xf32>, tensor<5x3xf32>
// CHECK-NOT: theon.concatenate
// CHECK: theon.scan length = 5 reverse sequences(%[[FWD]]#1 : tensor<5x3xf32>)
func.func @scan_state_without_history(%h0: tensor<3xf32>) -> tensor<3xf32> {
  %h = theon.scan length = 5 init(%h0 : tensor<3xf32>) {
  ^bb0(%hp: tensor<3xf32>):
    %n = theon.tanh %hp : tensor<3xf32>
    theon.yield %n : tensor<3xf32>
  } -> tensor<3xf32>
  %s = theon.sum %h axes = [0] : tensor<3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %h0 : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----

// The gradient of a reverse scan is a forward one. The reverse scan stacks
// the state each step starts from at the row the step reads (its first
// step, the last row), so the forward backward scan reads it row by row.
// CHECK-LABEL: func.func @reverse_scan
// CHECK: %[[FWD:.*]]:2 = theon.scan length = 4 reverse sequences(%arg0 : tensor<4x3xf32>)
// CHECK:   ^bb0(%{{[^:]*}}: tensor<3xf32>, %[[HP:[^:]*]]: tensor<3xf32>):
// CHECK:   theon.yield %{{.*}}, %[[HP]] :
// CHECK-NOT: theon.concatenate
// CHECK: %[[BWD:.*]]:2 = theon.scan length = 4 sequences(%arg0, %[[FWD]]#1, %{{.*}} : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>)
// CHECK: return %[[BWD]]#1
func.func @reverse_scan(%x: tensor<4x3xf32>, %h0: tensor<3xf32>) -> tensor<4x3xf32> {
  %h, %hs = theon.scan length = 4 reverse sequences(%x : tensor<4x3xf32>) init(%h0 : tensor<3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>):
    %m = theon.mul %hp, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %n = theon.tanh %m : tensor<3xf32>
    theon.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<4x3xf32>
  %s = theon.sum %hs axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  %g = theon.grad %s wrt %x : tensor<f32>, tensor<4x3xf32>
  return %g : tensor<4x3xf32>
}

// -----

// A scan of dynamic length (`length = ?`): its gradient is a reverse scan
// of dynamic length; the gradient of its last row (`x[-1]` from the end)
// goes into zeros of the stack's runtime extent (tensor.splat sized by
// tensor.dim). The gradient of an output nobody uses is a zero row in the
// backward body, not a sequence of zeros.
// CHECK-LABEL: func.func @dynamic_length
// CHECK: %[[FWD:.*]]:4 = theon.scan length = ? sequences(%arg0 : tensor<?x3xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[FWD]]#1, %{{.*}} : tensor<?x3xf32>
// CHECK: %[[Z:.*]] = tensor.splat %{{.*}}[%[[N]]] : tensor<?x3xf32>
// CHECK: %[[G:.*]] = theon.update_subtensor %[[Z]][starts = [-1, 0], steps = [1, 1], sizes = [1, 3], dropped = [0]], %{{.*}} : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK: theon.scan length = ? reverse sequences(%arg0, %[[FWD]]#2, %[[G]], %[[FWD]]#3 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK:   ^bb0(%{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3xf32>, %{{[^:]*}}: tensor<3x3xf32>, %{{[^:]*}}: tensor<3x3xf32>):
func.func @dynamic_length(%x: tensor<?x3xf32>, %h0: tensor<3xf32>, %w: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %h, %hs, %unused = theon.scan length = ? sequences(%x : tensor<?x3xf32>) init(%h0 : tensor<3xf32>)
      params(%w : tensor<3x3xf32>) {
  ^bb0(%xt: tensor<3xf32>, %hp: tensor<3xf32>, %wp: tensor<3x3xf32>):
    %m = theon.dot %hp, %wp : tensor<3xf32>, tensor<3x3xf32> -> tensor<3xf32>
    %a = theon.add %m, %xt : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %n = theon.tanh %a : tensor<3xf32>
    %e = theon.exp %a : tensor<3xf32>
    theon.yield %n, %n, %e : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  } -> tensor<3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
  %last = theon.subtensor %hs starts = [-1, 0], steps = [1, 1], sizes = [1, 3], dropped = [0] : tensor<?x3xf32> -> tensor<3xf32>
  %s = theon.sum %last axes = [0] : tensor<3xf32> -> tensor<f32>
  %gw = theon.grad %s wrt %w : tensor<f32>, tensor<3x3xf32>
  return %gw : tensor<3x3xf32>
}

// -----

// sum and mean over a dynamic axis: the gradient broadcasts back over the
// runtime extent by adding to zeros of it (tensor.splat sized by
// tensor.dim), and mean's count is computed at run time.
// CHECK-LABEL: func.func @mean_over_steps
// CHECK-DAG: %[[COUNT:.*]] = tensor.from_elements %{{.*}} : tensor<f32>
// CHECK: %[[G:.*]] = theon.div %{{.*}}, %[[COUNT]] : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK: %[[K:.*]] = theon.reshape %[[G]] : tensor<f32> to tensor<1x1xf32>
// CHECK: %[[Z:.*]] = tensor.splat %{{.*}}[%{{.*}}] : tensor<?x3xf32>
// CHECK: %[[B:.*]] = theon.add %[[K]], %[[Z]] : tensor<1x1xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
// CHECK: %[[GP:.*]] = theon.mul %[[B]], %arg0 : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
// CHECK: theon.sum %[[GP]] axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
func.func @mean_over_steps(%x: tensor<?x3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  %p = theon.mul %x, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %m = theon.mean %p axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  %g = theon.grad %m wrt %w : tensor<f32>, tensor<3xf32>
  return %g : tensor<3xf32>
}
