;; Every movie's score for one user, f32x4 SIMD:
;;
;;   out[i] = f32((base + bi[i]) + dot_i),   dot_i = q_iᵀx in float32
;;
;; See lib/models/factor-scorer.ts for the layout and the JavaScript reference
;; it is tested against bit for bit.
;;
;; All pointers are byte addresses into the imported memory. q rows are k
;; float32s, k a positive multiple of 4 (the caller zero-pads); nMovies is a
;; multiple of 4 (the caller pads q, bi and out with zero rows). x is k
;; float32s, bi nMovies float64s, out nMovies float32s.
;;
;; Four movies per step share each load of four factors of x; movie m keeps a
;; four-lane accumulator a_m (lane l sums factors f ≡ l mod 4, in factor
;; order), and the four accumulators are transposed and reduced together, so
;; dot_m = (a_m[0] + a_m[2]) + (a_m[1] + a_m[3]). The biases are added in
;; float64, as the double-precision estimate adds them, and each score is
;; rounded to float32 once.
(module
  (import "env" "memory" (memory 1))
  (func (export "scoreAll")
    (param $nMovies i32) (param $k i32) (param $base f64)
    (param $x i32) (param $qi i32) (param $bi i32) (param $out i32)
    (local $row i32) (local $i i32) (local $fb i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $s01 v128) (local $s23 v128) (local $dots v128) (local $basev v128) (local $biAt i32)

    ;; row = bytes per q row
    (local.set $row (i32.shl (local.get $k) (i32.const 2)))
    (local.set $basev (f64x2.splat (local.get $base)))
    (local.set $q0 (local.get $qi))
    (block $done
      (loop $movies
        (br_if $done (i32.ge_u (local.get $i) (local.get $nMovies)))
        (local.set $q1 (i32.add (local.get $q0) (local.get $row)))
        (local.set $q2 (i32.add (local.get $q1) (local.get $row)))
        (local.set $q3 (i32.add (local.get $q2) (local.get $row)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $fb (i32.const 0))
        (loop $factors
          (local.set $xv (v128.load (i32.add (local.get $x) (local.get $fb))))
          (local.set $a0 (f32x4.add (local.get $a0)
            (f32x4.mul (v128.load (i32.add (local.get $q0) (local.get $fb))) (local.get $xv))))
          (local.set $a1 (f32x4.add (local.get $a1)
            (f32x4.mul (v128.load (i32.add (local.get $q1) (local.get $fb))) (local.get $xv))))
          (local.set $a2 (f32x4.add (local.get $a2)
            (f32x4.mul (v128.load (i32.add (local.get $q2) (local.get $fb))) (local.get $xv))))
          (local.set $a3 (f32x4.add (local.get $a3)
            (f32x4.mul (v128.load (i32.add (local.get $q3) (local.get $fb))) (local.get $xv))))
          (local.set $fb (i32.add (local.get $fb) (i32.const 16)))
          (br_if $factors (i32.lt_u (local.get $fb) (local.get $row))))

        ;; s01 = (a0[0]+a0[2], a1[0]+a1[2], a0[1]+a0[3], a1[1]+a1[3]); s23 likewise
        (local.set $s01 (f32x4.add
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1))
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1))))
        (local.set $s23 (f32x4.add
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3))
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3))))
        ;; dots[m] = (a_m[0]+a_m[2]) + (a_m[1]+a_m[3])
        (local.set $dots (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s23))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s23))))

        ;; out[i..i+4] = f32((base + bi) + f64(dots))
        (local.set $biAt (i32.add (local.get $bi) (i32.shl (local.get $i) (i32.const 3))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.add (local.get $basev) (v128.load (local.get $biAt)))
                (f64x2.promote_low_f32x4 (local.get $dots))))
            (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.add (local.get $basev) (v128.load offset=16 (local.get $biAt)))
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $dots) (local.get $dots)))))))

        (local.set $q0 (i32.add (local.get $q3) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $movies)))))
