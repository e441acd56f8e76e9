;; The prefilter's hot loop in WebAssembly: the same automaton walk as `Prefilter.markBytes` in
;; prefilter.ts, about 2.5x faster than the JavaScript loop (no bounds checks, no tagging).
;; The build assembles this file into dist/prefilter.wasm (src/config/build-rules.ts).
;;
;; Memory, written by prefilter.ts:
;;   bytes 0-255   the character class of each byte (0 for bytes no keyword has)
;;   from 256      the transition table, i32: entry (state + class) holds the next state, states
;;                 pre-multiplied by the class count, as in prefilter.ts
;;   after it      the input, copied in by chunks
(module
  (memory (export "memory") 1)
  ;; The state the last call stopped in.
  (global $state (export "state") (mut i32) (i32.const 0))

  ;; Walks the bytes [p, end) from state s. Returns the position after the first byte that reaches
  ;; a state at or above outputFrom (a keyword ends there), or end; the state is left in $state.
  (func (export "scan") (param $s i32) (param $p i32) (param $end i32) (param $outputFrom i32) (result i32)
    (loop $next
      (if (i32.ge_u (local.get $p) (local.get $end))
        (then
          (global.set $state (local.get $s))
          (return (local.get $p))))
      (local.set $s
        (i32.load offset=256
          (i32.shl
            (i32.add (local.get $s) (i32.load8_u (i32.load8_u (local.get $p))))
            (i32.const 2))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $s) (local.get $outputFrom))))
    (global.set $state (local.get $s))
    (local.get $p))
)
