#!/usr/bin/env node
// The reference interpreter: runs fuzz programs on Node's native promises and timers and prints
// their traces. Usage: node interp.js FILE   (FILE holds programs, each after a "=== name" line;
// the output holds each program's trace after the same "=== name" line).
//
// Programs run one after another in this process. Each starts inside a setImmediate callback
// (its top level is followed by a checkpoint, as a main module is) and ends when none of its
// timers and immediates is left; the next program then starts from a fresh immediate.
'use strict';

const fs = require('fs');
const { EventEmitter, once: eventsOnce, on: eventsOn } = require('events');
const timersPromises = require('timers/promises');
const { AsyncLocalStorage } = require('async_hooks');
const { parse } = require('./sexpr');

function splitPrograms(text) {
  const progs = [];
  let cur = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('=== ')) {
      cur = { name: line.slice(4).trim(), lines: [] };
      progs.push(cur);
    } else if (cur) {
      cur.lines.push(line);
    }
  }
  return progs.map((p) => ({ name: p.name, body: p.lines.join('\n') }));
}

// ---- formatting values and reasons (the C++ interpreter prints the same) ----
function fmtReason(e) {
  if (e instanceof AggregateError) return 'Agg[' + e.errors.map(fmtReason).join(',') + ']';
  if (e instanceof TypeError) return 'TypeError';
  // DOMException: the default reason of abort() (AbortError) and AbortSignal.timeout's
  // (TimeoutError). Node's AbortError (what an operation given {signal} rejects with): its cause.
  if (e instanceof DOMException) return 'DOM(' + e.name + ':' + e.message + ')';
  if (e instanceof Error && e.name === 'AbortError') {
    return 'AbortError(' + e.message + ' cause=' + ('cause' in e ? fmtReason(e.cause) : 'none') + ')';
  }
  if (e instanceof Error) return 'E(' + e.message + ')';
  return 'NonError(' + String(e) + ')';
}
function fmt(v) {
  if (v === undefined) return 'u';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return '"' + v + '"';
  if (Array.isArray(v)) return '[' + v.map(fmt).join(',') + ']';
  // An iterator result (next(), return(), throw() of a generator or an events.on iterator).
  if (v && typeof v === 'object' && 'done' in v) return v.done ? '{done}' : '{value:' + fmt(v.value) + '}';
  if (v && v.status === 'fulfilled') return '{f:' + fmt(v.value) + '}';
  if (v && v.status === 'rejected') return '{r:' + fmtReason(v.reason) + '}';
  return '?' + String(v);
}
function lab(x) { return typeof x === 'object' ? x.str : String(x); }
function val(x) {
  if (x === 'u') return undefined;
  if (typeof x === 'object') return x.str;
  return x;
}

let out = [];
let current = null;  // the running program's state

function log(s) { out.push(s); }

// (als "c" S...), (store L), (enter "c"): one AsyncLocalStorage for every program.
const als = new AsyncLocalStorage();

process.on('unhandledRejection', (reason, promise) => {
  log('unhandled ' + idOf(promise) + ' ' + fmtReason(reason));
  if (current && current.onUnhandled) runBody(current, current.onUnhandled);
});
process.on('rejectionHandled', (promise) => {
  log('handled ' + idOf(promise));
});
// (raise "m") throws new Error(m) from a callback; the loop goes on after this handler (Node's own
// handler code then calls setImmediate(noop)). vow_interp's catch around run() prints the same.
// An unhandled rejection with a non-error reason would arrive wrapped (ERR_UNHANDLED_REJECTION);
// with the unhandledRejection listener above installed no rejection arrives here at all.
process.on('uncaughtException', (e) => {
  log('caught ' + fmtCaught(e));
  if (current) current.caught = true;
});
function fmtCaught(e) {
  if (e && e.code === 'ERR_UNHANDLED_REJECTION') return e.name + ' ' + e.code;
  return fmtReason(e);
}
function idOf(promise) {
  if (!current) return '?';
  const id = current.ids.get(promise);
  return id === undefined ? '?' : 'p' + id;
}

function newState() {
  return { P: new Map(), kinds: new Map(), res: new Map(), ids: new Map(), macros: new Map(), outstanding: 0,
           maxDelay: 0, S: new Map(), C: new Map(), listeners: new Map(), emitter: new EventEmitter(),
           G: new Map() };
}

// The signal of id C (a controller's, a timeout's, any()'s, AbortSignal.abort()'s), or undefined.
function sig(st, c) { return c === undefined ? undefined : st.S.get(c); }

// A delay raised to the largest before it (see README.md), for every timer a program makes.
function delay(st, d) {
  st.maxDelay = Math.max(st.maxDelay, d);
  return st.maxDelay;
}

// A no-op timer (immediate) made right after an AbortSignal.timeout or a timers/promises timer
// (immediate) of the same delay, so it runs just after it: it keeps the program going until
// that one has run (an unref'd timeout signal keeps neither Node's loop nor vow's alive) and
// tells interp.js when the program is over. vow_interp makes the same one.
function companionTimer(st, d) {
  st.outstanding++;
  setTimeout(() => macroDone(st), d);
}
function companionImmediate(st) {
  st.outstanding++;
  setImmediate(() => macroDone(st));
}

function define(st, id, p, kind) {
  st.P.set(id, p);
  st.kinds.set(id, kind);
  if (!st.ids.has(p)) st.ids.set(p, id);  // Promise.resolve(p) is p: the first id names it
}

function getV(st, id) {  // a promise of kind 'v', or undefined
  return st.kinds.get(id) === 'v' ? st.P.get(id) : undefined;
}

function runBody(st, stmts) {
  for (const s of stmts) exec(st, s);
}

// A handler: (h LABEL ACTION STMT...). `arg` is what it logs. `self` is the id it produces.
function handler(st, h, self, isFinally) {
  const label = h[1];
  const act = h[2];
  const body = h.slice(3);
  return (arg) => {
    log(isFinally ? lab(label) : lab(label) + ' ' + arg);
    runBody(st, body);
    switch (act[0]) {
      case 'ret': return val(act[1]);
      case 'retp': {
        // A missing promise (or one that is not of kind 'v') reads as Promise.resolve(u).
        const p = getV(st, act[1]);
        return p === undefined ? Promise.resolve(undefined) : p;
      }
      case 'retself': return st.P.get(self);
      case 'throw': throw new Error(act[1].str);
      default: throw new Error('bad action ' + act[0]);
    }
  };
}

// (await M) / (awaitc M) in an async body (async, gen, forawait): awaits p_M, logs `NAME value`
// or `NAME !reason`; await rethrows. The await itself is the caller's (a helper async function
// would cost ticks): `try { awaitDone(name, await awaitTarget(st, b)); } catch (e) { awaitFailed(...) }`.
function awaitTarget(st, b) {
  const q = getV(st, b[1]);
  return q === undefined ? Promise.resolve(undefined) : q;
}
function awaitFailed(name, b, e) {
  log(name + ' !' + fmtReason(e));
  if (b[0] === 'await') throw e;
}

// (gen G (h LABEL ACTION ITEM...)): the body of an async generator. Its items run one at a time
// from an explicit stack of frames (so that vow_interp, whose coroutine cannot yield from a nested
// call, runs the same steps): (yield V), (yieldp M) (`yield p_M`), (await M) / (awaitc M),
// (throw "m"), (return), (guard L (ITEM...) (ITEM...)) (`try {...} finally { log L; ... }`), or
// any statement. An abrupt completion (a throw, or a return: the (return) item or a return()
// resumption at a yield) unwinds to the innermost guard, whose cleanup runs and then carries it on
// (unless the cleanup ends abruptly itself); past the last guard it ends the generator.
async function* genBody(st, h) {
  const name = lab(h[1]);
  log(name);
  const stack = [{ list: h, i: 3, guard: null, cleanup: false, exit: null }];
  let c = null;  // the abrupt completion being carried: {e: reason} or {ret: true}
  for (;;) {
    if (c !== null) {
      let f;
      while ((f = stack.pop()) !== undefined && !(f.guard !== null && !f.cleanup)) { /* unwind */ }
      if (f === undefined) {
        if ('e' in c) throw c.e;
        return;
      }
      log(lab(f.guard[1]));
      stack.push({ list: f.guard[3], i: 0, guard: f.guard, cleanup: true, exit: c });
      c = null;
      continue;
    }
    const f = stack[stack.length - 1];
    if (f.i >= f.list.length) {
      stack.pop();
      if (stack.length === 0) break;
      if (!f.cleanup) {
        log(lab(f.guard[1]));
        stack.push({ list: f.guard[3], i: 0, guard: f.guard, cleanup: true, exit: null });
      } else if (f.exit !== null) {
        c = f.exit;
      }
      continue;
    }
    const b = f.list[f.i++];
    let normal = false;
    step: try {  // eslint-disable-line no-labels
      switch (b[0]) {
        case 'yield': yield val(b[1]); break;
        case 'yieldp': {
          const q = getV(st, b[1]);
          yield (q === undefined ? Promise.resolve(undefined) : q);
          break;
        }
        case 'await': case 'awaitc':
          try {
            log(name + ' ' + fmt(await awaitTarget(st, b)));
          } catch (e) {
            awaitFailed(name, b, e);
          }
          break;
        case 'throw': throw new Error(b[1].str);
        case 'return': c = { ret: true }; break;
        case 'guard': stack.push({ list: b[2], i: 0, guard: b, cleanup: false, exit: null }); break;
        default: exec(st, b);
      }
      normal = true;
    } catch (e) {
      c = { e };
      normal = true;
    } finally {
      // Neither normal nor a throw: return() resumed the yield with a return completion. Keep
      // it and go on unwinding by hand (the break overrides the return).
      if (!normal) {
        c = { ret: true };
        break step;  // eslint-disable-line no-unsafe-finally
      }
    }
  }
  if (h[2][0] === 'throw') throw new Error(h[2][1].str);
}

// (forawait N G K (h LABEL EXIT ITEM...)) and (interval ...): an async function called at once:
//   for await (const x of it) { log LABEL x; ITEM...; if (++i === K) EXIT } log LABEL done
// where EXIT (ret u) is `break` and (throw "m") throws; K = 0: no early exit. onEnd (interp.js's
// bookkeeping, no tick) runs when the loop is over.
async function forAwaitBody(st, it, k, h, onEnd) {
  const name = lab(h[1]);
  try {
    let i = 0;
    for await (const x of it) {
      log(name + ' ' + fmt(x));
      for (const b of h.slice(3)) {
        if (b[0] === 'await' || b[0] === 'awaitc') {
          try {
            log(name + ' ' + fmt(await awaitTarget(st, b)));
          } catch (e) {
            awaitFailed(name, b, e);
          }
        } else {
          exec(st, b);
        }
      }
      if (++i === k) {
        if (h[2][0] === 'throw') throw new Error(h[2][1].str);
        break;
      }
    }
    log(name + ' done');
  } finally {
    if (onEnd) onEnd();
  }
}

function exec(st, s) {
  const op = s[0];
  const id = s[1];
  switch (op) {
    case 'log': log(lab(s[1])); return;
    case 'als': als.run(s[1].str, () => runBody(st, s.slice(2))); return;
    case 'store': log(lab(s[1]) + ' ' + (als.getStore() === undefined ? 'u' : als.getStore())); return;
    case 'enter': als.enterWith(s[1].str); return;
    case 'pending': {
      const r = {};
      r.promise = new Promise((res, rej) => { r.resolve = res; r.reject = rej; });
      define(st, id, r.promise, 'v');
      st.res.set(id, r);
      return;
    }
    case 'resolvedp': {  // Promise.resolve(p_M), which is p_M itself
      const m = getV(st, s[2]);
      if (m !== undefined) define(st, id, Promise.resolve(m), 'v');
      return;
    }
    case 'exec': {
      // (exec N (h LABEL ACTION STMT...)): new Promise((resolve, reject) => ...). The resolvers
      // are p_N's from the start, so the statements may settle it; then the action: (ret V)
      // resolves with V, (retp M) with p_M, (throw M) throws, (retself) does nothing.
      const h = s[2];
      const p = new Promise((resolve, reject) => {
        st.res.set(id, { resolve, reject });
        log(lab(h[1]));
        runBody(st, h.slice(3));
        const act = h[2];
        switch (act[0]) {
          case 'ret': resolve(val(act[1])); break;
          case 'retp': { const q = getV(st, act[1]); resolve(q === undefined ? Promise.resolve(undefined) : q); break; }
          case 'throw': throw new Error(act[1].str);
          case 'retself': break;
          default: throw new Error('bad action ' + act[0]);
        }
      });
      define(st, id, p, 'v');
      return;
    }
    case 'onunhandled': st.onUnhandled = s.slice(1); return;
    case 'raise': throw new Error(s[1].str);  // (raise "m"): uncaught if in a callback
    case 'busy': {  // (busy MS): busy-wait, so that more timers are due at once
      const end = Date.now() + s[1];
      while (Date.now() < end) { /* spin */ }
      return;
    }
    case 'resolved': define(st, id, Promise.resolve(val(s[2])), 'v'); return;
    case 'rejected': define(st, id, Promise.reject(new Error(s[2].str)), 'v'); return;
    case 'adopt': {
      const m = getV(st, s[2]);
      if (m === undefined) return;
      define(st, id, new Promise((res) => res(m)), 'v');
      return;
    }
    case 'then': case 'then2': case 'catch': case 'finally': {
      const src = st.P.get(s[2]);
      if (src === undefined) return;
      const kind = st.kinds.get(s[2]);
      let p;
      if (op === 'then') {
        const f = handler(st, s[3], id, false);
        p = src.then((v) => f(fmt(v)));
      } else if (op === 'then2') {
        const f = handler(st, s[3], id, false);
        const r = handler(st, s[4], id, false);
        p = src.then((v) => f(fmt(v)), (e) => r('!' + fmtReason(e)));
      } else if (op === 'catch') {
        const r = handler(st, s[3], id, false);
        p = src.catch((e) => r('!' + fmtReason(e)));
      } else {
        const f = handler(st, s[3], id, true);
        p = src.finally(() => f(''));
      }
      define(st, id, p, op === 'finally' ? kind : 'v');
      return;
    }
    case 'async': {
      // (async N (h LABEL ACTION STMT...)): an async function called at once; (await M) and
      // (awaitc M) in its statements await p_M (awaitc catches a rejection, await rethrows it).
      const h = s[2];
      const name = lab(h[1]);
      const p = (async () => {
        log(name);
        for (const b of h.slice(3)) {
          if (b[0] === 'await' || b[0] === 'awaitc') {
            const q = getV(st, b[1]);
            try {
              const v = await (q === undefined ? Promise.resolve(undefined) : q);
              log(name + ' ' + fmt(v));
            } catch (e) {
              log(name + ' !' + fmtReason(e));
              if (b[0] === 'await') throw e;
            }
          } else {
            exec(st, b);
          }
        }
        const act = h[2];
        switch (act[0]) {
          case 'ret': return val(act[1]);
          case 'throw': throw new Error(act[1].str);
          case 'retp': { const q = getV(st, act[1]); return q === undefined ? Promise.resolve(undefined) : q; }
          case 'retself': { const q = st.P.get(id); return q === undefined ? Promise.resolve(undefined) : q; }
          default: throw new Error('bad action ' + act[0]);
        }
      })();
      define(st, id, p, 'v');
      return;
    }
    case 'all': case 'allSettled': case 'race': case 'any': {
      const list = s[2].map((m) => getV(st, m)).filter((p) => p !== undefined);
      const kind = op === 'all' ? 'a' : op === 'allSettled' ? 's' : 'v';
      define(st, id, Promise[op](list), kind);
      return;
    }
    case 'resolve': { const r = st.res.get(id); if (r) r.resolve(val(s[2])); return; }
    case 'resolvep': {
      const r = st.res.get(id);
      const m = getV(st, s[2]);
      if (r && m !== undefined) r.resolve(m);
      return;
    }
    case 'reject': { const r = st.res.get(id); if (r) r.reject(new Error(s[2].str)); return; }
    case 'tick': process.nextTick(() => { log(lab(s[1])); runBody(st, s.slice(2)); }); return;
    case 'micro': queueMicrotask(() => { log(lab(s[1])); runBody(st, s.slice(2)); }); return;
    case 'imm': {
      st.outstanding++;
      const t = { done: false };
      t.handle = setImmediate(() => {
        t.done = true;
        try {
          log(lab(s[1]));
          runBody(st, s.slice(2));
        } finally {
          macroDone(st);  // also after a (raise "m")
        }
      });
      t.clear = () => clearImmediate(t.handle);
      st.macros.set(lab(s[1]), t);
      return;
    }
    case 'clear': {  // (clear L): clearTimeout / clearImmediate of the callback labelled L
      const t = st.macros.get(lab(s[1]));
      if (t && !t.done) {
        t.done = true;
        t.clear();
        macroDone(st);
      }
      return;
    }
    case 'attach': {  // (attach M L): p_M.then(v => log, e => log), the result dropped
      const src = st.P.get(s[1]);
      if (src === undefined) return;
      const l = lab(s[2]);
      src.then((v) => log(l + ' ' + fmt(v)), (e) => log(l + ' !' + fmtReason(e)));
      return;
    }
    case 'timeout': {
      // Delays never decrease in execution order, so timers fire in creation order whatever the
      // clock does (see README.md).
      const d = delay(st, s[2]);
      st.outstanding++;
      const t = { done: false };
      t.handle = setTimeout(() => {
        t.done = true;
        try {
          log(lab(s[1]));
          runBody(st, s.slice(3));
        } finally {
          macroDone(st);  // also after a (raise "m")
        }
      }, d);
      t.clear = () => clearTimeout(t.handle);
      st.macros.set(lab(s[1]), t);
      return;
    }
    // ---- cancellation: AbortController, AbortSignal and the operations that take a signal ----
    case 'controller': {  // (controller C): new AbortController(); C names its signal
      const c = new AbortController();
      st.C.set(id, c);
      st.S.set(id, c.signal);
      return;
    }
    case 'abort': {  // (abort C ["m"]): controller.abort([new Error(m)])
      const c = st.C.get(id);
      if (c === undefined) return;
      if (s.length > 2) c.abort(new Error(s[2].str)); else c.abort();
      return;
    }
    case 'abort-signal': {  // (abort-signal C ["m"]): AbortSignal.abort([new Error(m)])
      st.S.set(id, s.length > 2 ? AbortSignal.abort(new Error(s[2].str)) : AbortSignal.abort());
      return;
    }
    case 'timeout-signal': {  // (timeout-signal C D): AbortSignal.timeout(D), and a companion
      const d = delay(st, s[2]);
      st.S.set(id, AbortSignal.timeout(d));
      companionTimer(st, d);
      return;
    }
    case 'any-signal': {  // (any-signal C (ids)): AbortSignal.any(those signals)
      const list = s[2].map((c) => sig(st, c)).filter((x) => x !== undefined);
      st.S.set(id, AbortSignal.any(list));
      return;
    }
    case 'on-abort': case 'on-abort-once': {
      // (on-abort C "L" S...): signal.addEventListener('abort', e => { log L reason; S... }[,
      // {once: true}]); the listener is kept under L for (off-abort C "L").
      const signal = sig(st, id);
      if (signal === undefined) return;
      const l = lab(s[2]);
      const fn = (e) => { log(l + ' ' + fmtReason(e.target.reason)); runBody(st, s.slice(3)); };
      signal.addEventListener('abort', fn, op === 'on-abort-once' ? { once: true } : undefined);
      st.listeners.set(l, fn);
      return;
    }
    case 'off-abort': {  // (off-abort C "L"): signal.removeEventListener('abort', L's listener)
      const signal = sig(st, id);
      const fn = st.listeners.get(lab(s[2]));
      if (signal !== undefined && fn !== undefined) signal.removeEventListener('abort', fn);
      return;
    }
    case 'onabort': {  // (onabort C "L" S...): signal.onabort = listener; (onabort C): = null
      const signal = sig(st, id);
      if (signal === undefined) return;
      if (s.length < 3) { signal.onabort = null; return; }
      const l = lab(s[2]);
      signal.onabort = (e) => { log(l + ' ' + fmtReason(e.target.reason)); runBody(st, s.slice(3)); };
      return;
    }
    case 'sigstate': {  // (sigstate C "L"): logs L and the signal's reason, or L live
      const signal = sig(st, id);
      if (signal === undefined) return;
      log(lab(s[2]) + ' ' + (signal.aborted ? fmtReason(signal.reason) : 'live'));
      return;
    }
    case 'sleep': {
      // (sleep N D V [C]): require('timers/promises').setTimeout(D, V, {signal}), and a companion
      const signal = sig(st, s[4]);
      const d = delay(st, s[2]);
      define(st, id, timersPromises.setTimeout(d, val(s[3]), signal ? { signal } : undefined), 'v');
      companionTimer(st, d);
      return;
    }
    case 'imm-p': {
      // (imm-p N V [C]): require('timers/promises').setImmediate(V, {signal}), and a companion
      const signal = sig(st, s[3]);
      define(st, id, timersPromises.setImmediate(val(s[2]), signal ? { signal } : undefined), 'v');
      companionImmediate(st);
      return;
    }
    case 'once': {
      // (once N "ev" [C]): events.once(emitter, ev, {signal}) on the program's one emitter:
      // fulfils with the emission's arguments ([V]); kind 'o'
      const signal = sig(st, s[3]);
      define(st, id, eventsOnce(st.emitter, lab(s[2]), signal ? { signal } : undefined), 'o');
      return;
    }
    case 'emit': st.emitter.emit(lab(s[1]), val(s[2])); return;  // (emit "ev" V)
    case 'emit-error': {  // (emit-error "m"): emit('error', new Error(m)) if it has listeners
      if (st.emitter.listenerCount('error') > 0) st.emitter.emit('error', new Error(s[1].str));
      return;
    }
    // ---- async generators, for-await, events.on, timers/promises setInterval ----
    case 'gen':  // (gen G (h LABEL ACTION ITEM...)): g_G = (async function* () {...})()
      st.G.set(id, { kind: 'g', it: genBody(st, s[2]) });
      return;
    case 'gnext': case 'greturn': case 'gthrow': {
      // (gnext N G [L]) p_N = g_G.next(); (greturn N G [L]) g_G.return(); (gthrow N G "m" [L])
      // g_G.throw(new Error(m)) (an events.on iterator's throw() returns nothing: no p_N). With
      // L: p_N.then(r => log L r, e => log L !e), as attach.
      const g = st.G.get(s[2]);
      if (g === undefined) return;
      let p;
      let l;
      if (op === 'gnext') {
        p = g.it.next();
        l = s[3];
      } else if (op === 'greturn') {
        p = g.it.return();
        l = s[3];
      } else {
        p = g.it.throw(new Error(s[3].str));
        l = s[4];
        if (g.kind === 'e') return;
      }
      define(st, id, p, g.kind === 'g' ? 'r' : 'e');
      if (l !== undefined) {
        const ll = lab(l);
        p.then((v) => log(ll + ' ' + fmt(v)), (e) => log(ll + ' !' + fmtReason(e)));
      }
      return;
    }
    case 'forawait': {  // (forawait N G K (h LABEL EXIT ITEM...)): see forAwaitBody
      const g = st.G.get(s[2]);
      if (g === undefined) return;
      define(st, id, forAwaitBody(st, g.it, s[3], s[4]), 'v');
      return;
    }
    case 'onev': {
      // (onev G "ev" CLOSE C): events.on(emitter, ev, {close: ['end'] if CLOSE, signal: s_C});
      // an aborted signal makes on() throw: logs `onG !reason`, defines nothing
      const signal = sig(st, s[4]);
      const opts = {};
      if (s[3]) opts.close = ['end'];
      if (signal) opts.signal = signal;
      try {
        st.G.set(id, { kind: 'e', it: eventsOn(st.emitter, lab(s[2]), opts) });
      } catch (e) {
        log('on' + id + ' !' + fmtReason(e));
      }
      return;
    }
    case 'emit-end': st.emitter.emit('end'); return;  // (emit-end): emitter.emit('end')
    case 'interval': {
      // (interval N D V C K (h LABEL EXIT)): for await over
      // require('timers/promises').setInterval(D, V, {signal: s_C}), leaving after K ticks
      const d = delay(st, s[2]);
      const signal = sig(st, s[4]);
      const it = timersPromises.setInterval(d, val(s[3]), signal ? { signal } : undefined);
      st.outstanding++;  // until the loop is over (its interval is cleared by then)
      define(st, id, forAwaitBody(st, it, s[5], s[6], () => macroDone(st)), 'v');
      return;
    }
    default:
      throw new Error('unknown statement ' + op);
  }
}

let programs = [];
let index = 0;
let result = [];

function macroDone(st) {
  if (--st.outstanding === 0) setImmediate(() => checkDone(st));
}

function checkDone(st) {
  if (st !== current || st.done || st.outstanding !== 0) return;
  // An exception leaves ticks, microtasks and rejection reports to the next checkpoint (the
  // check phase opens with one): wait for a check phase in which nothing was thrown.
  if (st.caught) {
    st.caught = false;
    setImmediate(() => checkDone(st));
    return;
  }
  st.done = true;
  result.push('=== ' + programs[index].name, ...out);
  out = [];
  index++;
  startNext();
}

function startNext() {
  if (index >= programs.length) {
    current = null;
    process.stdout.write(result.join('\n') + '\n');
    return;
  }
  // Outside every store: the previous program's last callback may have had one.
  als.exit(() => setImmediate(() => {
    const st = newState();
    current = st;
    try {
      runBody(st, parse(programs[index].body));
    } catch (e) {
      log('interp error: ' + e.message);
    }
    if (st.outstanding === 0) setImmediate(() => checkDone(st));
  }));
}

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node interp.js PROGRAMS_FILE');
    process.exit(2);
  }
  programs = splitPrograms(fs.readFileSync(file, 'utf8'));
  startNext();
}

main();
