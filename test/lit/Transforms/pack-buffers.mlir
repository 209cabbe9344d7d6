// RUN: theon-opt %s --allow-unregistered-dialect --theon-pack-buffers="max-alloc-bytes=4096 budget-bytes=6000 arena-above-kernels=-1" | FileCheck %s
// RUN: theon-opt %s --allow-unregistered-dialect --theon-pack-buffers="arena-above-kernels=-1" | FileCheck %s --check-prefix=DEFAULT
// RUN: theon-opt %s --allow-unregistered-dialect --theon-pack-buffers="max-alloc-bytes=4096 budget-bytes=6000" | FileCheck %s --check-prefix=SLOTS

// The stack arena (what a function of more than arena-above-kernels
// kernels gets; -1 here for all) comes first, the slots (what shorter
// functions get) at the end.

// All four live at once. Smallest first, within the per-buffer limit and
// the stack budget: 400 + 4000 bytes fit in 6000 (the second at 448, the
// next multiple of 64); the 4000-byte i32 buffer would end past 6000 and
// the 8000-byte one exceeds the limit, so both share one heap buffer,
// largest first. An allocation inside a loop stays as it is.
// CHECK-LABEL: func.func @budget
// CHECK-DAG:     %[[STACK:.*]] = memref.alloca() {alignment = 64 : i64} : memref<4448xi8>
// CHECK-DAG:     %[[HEAP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<12000xi8>
// CHECK-DAG:     memref.view %[[STACK]][%c448{{.*}}][] : memref<4448xi8> to memref<1000xf32>
// CHECK-DAG:     memref.view %[[STACK]][%c0{{.*}}][] : memref<4448xi8> to memref<100xf32>
// CHECK-DAG:     memref.view %[[HEAP]][%c8000{{.*}}][] : memref<12000xi8> to memref<1000xi32>
// CHECK-DAG:     memref.view %[[HEAP]][%c0{{.*}}][] : memref<12000xi8> to memref<2000xf32>
// CHECK:         scf.for
// CHECK:           memref.alloc() : memref<4xf32>
// DEFAULT-LABEL: func.func @budget
// DEFAULT:         memref.alloca() {alignment = 64 : i64} : memref<16512xi8>
// DEFAULT-NOT:     memref.alloc()
// DEFAULT:         scf.for
// DEFAULT:           memref.alloc() : memref<4xf32>
func.func @budget(%out: memref<4xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<1000xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<100xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<1000xi32>
  %d = memref.alloc() {alignment = 64 : i64} : memref<2000xf32>
  "test.use"(%a, %b, %c, %d) : (memref<1000xf32>, memref<100xf32>, memref<1000xi32>, memref<2000xf32>) -> ()
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    %t = memref.alloc() : memref<4xf32>
    "test.use"(%t) : (memref<4xf32>) -> ()
  }
  return
}

// Lifetimes that do not overlap share bytes: %a dies (last use, through a
// view) before %b is first used; %c is live with both.
// CHECK-LABEL: func.func @reuse
// CHECK:         %[[ARENA:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2024xi8>
// CHECK-DAG:     memref.view %[[ARENA]][%c0{{.*}}][] : memref<2024xi8> to memref<250xf32>
// CHECK-DAG:     memref.view %[[ARENA]][%c0{{.*}}][] : memref<2024xi8> to memref<10x25xf32>
// CHECK-DAG:     memref.view %[[ARENA]][%c1024{{.*}}][] : memref<2024xi8> to memref<250xf32>
func.func @reuse() {
  %a = memref.alloc() : memref<250xf32>
  %b = memref.alloc() : memref<10x25xf32>
  %c = memref.alloc() : memref<250xf32>
  "test.write"(%a, %c) : (memref<250xf32>, memref<250xf32>) -> ()
  %flat = memref.expand_shape %a [[0, 1]] output_shape [10, 25] : memref<250xf32> into memref<10x25xf32>
  "test.read"(%flat) : (memref<10x25xf32>) -> ()
  "test.write"(%b) : (memref<10x25xf32>) -> ()
  "test.read"(%b, %c) : (memref<10x25xf32>, memref<250xf32>) -> ()
  return
}

// A branch back to an earlier block: positions are no lifetimes, and no
// two buffers share bytes. Dynamic shapes stay on the heap as they are.
// CHECK-LABEL: func.func @loop
// CHECK:         %[[ARENA:.*]] = memref.alloca() {alignment = 64 : i64} : memref<128xi8>
// CHECK-DAG:     memref.view %[[ARENA]][%{{.*}}][] : memref<128xi8> to memref<16xf32>
// CHECK-DAG:     memref.view %[[ARENA]][%{{.*}}][] : memref<128xi8> to memref<16xf32>
// CHECK:         memref.alloc(%{{.*}}) : memref<?xf32>
func.func @loop(%n: index, %again: i1) {
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  %d = memref.alloc(%n) : memref<?xf32>
  cf.br ^body
^body:
  "test.use"(%a) : (memref<16xf32>) -> ()
  "test.use"(%b, %d) : (memref<16xf32>, memref<?xf32>) -> ()
  cf.cond_br %again, ^body, ^done
^done:
  return
}

// Slots: one alloca each, so that LLVM knows they do not alias. Within the
// 6000-byte budget (smallest first): 100xf32 and 1000xf32; the rest share
// the heap buffer as above.
// SLOTS-LABEL: func.func @budget
// SLOTS-DAG:     memref.alloca() {alignment = 64 : i64} : memref<100xf32>
// SLOTS-DAG:     memref.alloca() {alignment = 64 : i64} : memref<1000xf32>
// SLOTS-DAG:     %[[HEAP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<12000xi8>
// SLOTS-DAG:     memref.view %[[HEAP]][%c8000{{.*}}][] : memref<12000xi8> to memref<1000xi32>
// SLOTS-DAG:     memref.view %[[HEAP]][%c0{{.*}}][] : memref<12000xi8> to memref<2000xf32>
// Two buffers of one type whose lifetimes do not overlap share a slot; one
// of another type, or live at the same time, gets its own.
// SLOTS-LABEL: func.func @reuse
// SLOTS:         %[[A:.*]] = memref.alloca() {alignment = 64 : i64} : memref<250xf32>
// SLOTS:         %[[B:.*]] = memref.alloca() {alignment = 64 : i64} : memref<10x25xf32>
// SLOTS:         %[[C:.*]] = memref.alloca() {alignment = 64 : i64} : memref<250xf32>
// SLOTS-NOT:     memref.alloca
// SLOTS:         "test.write"(%[[A]], %[[C]])
// SLOTS-LABEL: func.func @same_type
// SLOTS:         %[[S:.*]] = memref.alloca() {alignment = 64 : i64} : memref<250xf32>
// SLOTS-NOT:     memref.alloca
// SLOTS:         "test.write"(%[[S]])
// SLOTS:         "test.read"(%[[S]])
// SLOTS:         "test.write"(%[[S]])
// SLOTS:         "test.read"(%[[S]])
func.func @same_type() {
  %a = memref.alloc() : memref<250xf32>
  %b = memref.alloc() : memref<250xf32>
  "test.write"(%a) : (memref<250xf32>) -> ()
  "test.read"(%a) : (memref<250xf32>) -> ()
  "test.write"(%b) : (memref<250xf32>) -> ()
  "test.read"(%b) : (memref<250xf32>) -> ()
  return
}
