;; The prefilter's hot loop in WebAssembly: the same automaton walk as `Prefilter.walkInJs` in
;; prefilter.ts, about 2.5x faster than the JavaScript loop (no bounds checks, no tagging).
;; The build assembles this file into dist/prefilter.wasm (src/config/build-rules.ts).
;;
;; Memory, laid out by prefilter.ts (`Kernel`):
;;   bytes 0-3     the state the last call stopped in
;;   bytes 4-7     where the last call's events end
;;   bytes 8-263   the character class of each byte (0 for bytes no pattern has)
;;   from 264      the transition table, i32: entry (state + class) holds the next state, states
;;                 pre-multiplied by the class count, as in prefilter.ts
;;   after it      the event buffer, then the input (copied in by chunks)
(module
  (memory (export "memory") 1)

  ;; Walks the bytes [p, end) from state s. At each state at or above outputFrom (a pattern ends
  ;; there) it appends an event, the pair (state, position after the byte), to [events, eventsEnd).
  ;; Returns the position it stopped at: end, or after the event that filled the buffer.
  (func (export "scan")
    (param $s i32) (param $p i32) (param $end i32) (param $outputFrom i32)
    (param $events i32) (param $eventsEnd i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s
          (i32.load offset=264
            (i32.shl
              (i32.add (local.get $s) (i32.load8_u offset=8 (i32.load8_u (local.get $p))))
              (i32.const 2))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $s) (local.get $outputFrom)))
        (i32.store (local.get $events) (local.get $s))
        (i32.store offset=4 (local.get $events) (local.get $p))
        (local.set $events (i32.add (local.get $events) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $events) (local.get $eventsEnd)))))
    (i32.store (i32.const 0) (local.get $s))
    (i32.store (i32.const 4) (local.get $events))
    (local.get $p))
)
