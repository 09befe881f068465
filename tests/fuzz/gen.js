// The seeded program generator. generate(seed) returns a program (a list of statements, see
// README.md); the same seed always gives the same program.
//
// Determinism in Node: a program's trace must not depend on the clock. Timers and immediates
// race (whether a timer is due when the loop comes round depends on time), so a program uses one
// "flavor":
//   N   no timers and no immediates (nextTick, queueMicrotask and promises only)
//   T   setTimeout anywhere, no setImmediate
//   I   setImmediate anywhere, no setTimeout
//   TI  one top-level setTimeout whose callback may nest setImmediates anywhere inside it
//   IT  one top-level setImmediate whose callback may nest setTimeouts anywhere inside it
// and both interpreters raise each delay to the largest used before it (in execution order), so
// timers fire in creation order whatever the clock reads.
//
// Uncaught exceptions, (raise "m"): a callback throws; both interpreters trace `caught E(m)` from
// their 'uncaughtException' handler (vow: a catch around run()) and the loop goes on. Where the
// loop goes on is deterministic, but a throw can leave ticks and microtasks behind for "the next
// checkpoint", and whether that comes before or after another timer depends on whether that
// timer is already due: so a throw that can leave anything behind is only generated where no
// timer can be pending (see raiseAt below).
'use strict';

function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// opts.avoid: features to leave out, to fuzz on past a known divergence (see README.md):
//   'unhandled-attach'  handlers attached from the unhandledRejection listener
//   'raise'             uncaught exceptions: (raise "m") in callbacks
//   'abort'             cancellation statements (controller, abort, sleep, once, ...), or one
//                       of their kinds ('sleep', 'on-abort', ...)
//   'gen'               async generators and for-await (gen, gnext, forawait, onev, interval,
//                       ...), or one of their kinds ('interval', 'guard', 'gthrow', ...)
// opts.with: features that are off unless named (known vow divergences, see README.md):
//   'raise-listener'    the unhandledRejection listener throws
//   'raise-micro'       a queueMicrotask callback throws
//   'raise-tick'        a nextTick callback throws
//   'raise-imm-clear'   an immediate throws in a program that clears immediates
//   'raise-abort'       an abort listener throws (rethrown from a nextTick, as 'raise-tick')
//   'als'               AsyncLocalStorage: (als "c" S...), (store L), (enter "c")
//   a statement kind    ('clear', 'busy', 'async', ...) anywhere
function generate(seed, opts = {}) {
  const avoid = new Set(opts.avoid || []);
  const withFeatures = new Set(opts.with || []);
  for (const f of ['raise-listener', 'raise-micro', 'raise-tick', 'raise-imm-clear', 'raise-abort']) {
    if (!withFeatures.has(f)) avoid.add(f);
  }
  const rnd = mulberry32(seed * 2654435761 + 12345);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const chance = (p) => rnd() < p;
  function weighted(table) {
    let total = 0;
    for (const [w] of table) total += w;
    let x = rnd() * total;
    for (const [w, v] of table) { if ((x -= w) < 0) return v; }
    return table[table.length - 1][1];
  }

  // Statement kinds named in opts.avoid (e.g. 'clear', 'busy') are never generated.
  const weightedKind = (table) => weighted(table.map(([w, k]) => [avoid.has(k) ? 0 : w, k]));
  const flavor = pick(['N', 'T', 'T', 'I', 'I', 'TI', 'IT']);
  let nextId = 1;
  let nextLabel = 1;
  const macroLabels = [];  // labels of the timers and immediates made so far, for (clear L)
  let budget = 8 + int(chance(0.2) ? 70 : 30);  // statements left
  const maxDepth = 3;
  const label = (p) => ({ str: p + nextLabel++ });
  const als = withFeatures.has('als');
  const store = () => ({ str: 'c' + nextLabel++ });

  // (raise "m") is drawn from a stream of its own, so that the main stream (and so every other
  // statement of a seed's program) is the same with or without it: `--avoid raise` gives the
  // programs of before the feature, and without it those same programs get raises added.
  const raiseRnd = mulberry32(seed * 2246822519 + 98765);
  let nextRaise = 1;
  // A raise, with probability p, or null. `where` names the callback it ends and whether a throw
  // there is deterministic (what it leaves behind must not race a timer):
  //   'micro'     always: a throwing microtask leaves nothing behind (the drain goes on)
  //   'tick'      ticks and microtasks left wait for the next checkpoint: only where no timer can
  //               be pending when it runs: flavor N, or where immediates may be made (flavor I,
  //               or inside TI's timer, which is the last timer); not in TI's or IT's top level,
  //               whose handlers may run while the timer is pending
  //   'imm'       the rest of the batch, then the ticks left: immediates made by statement() are
  //               never pending with a timer (flavors I and TI's timer); not IT's immediate
  //   'timeout'   the next due timer runs without a checkpoint before it: TI's only timer at its
  //               end; other timers only as their first statement (nothing left behind)
  //   'listener'  the unhandledRejection listener throws: as 'tick' (N and I only)
  function raiseAt(where, macros, p) {
    if (avoid.has('raise')) return null;
    let ok;
    switch (where) {
      case 'micro': ok = !avoid.has('raise-micro'); break;
      case 'imm': case 'timeout': ok = true; break;
      case 'tick': ok = !avoid.has('raise-tick') && (flavorN() || macros.includes('imm')); break;
      case 'listener': ok = !avoid.has('raise-listener') && (flavorN() || flavor === 'I'); break;
      case 'abort-listener':  // thrown again from a nextTick by the signal's dispatch
        ok = !avoid.has('raise-abort') && (flavorN() || macros.includes('imm'));
        break;
      default: ok = false;
    }
    if (!ok || raiseRnd() >= p) return null;
    return ['raise', { str: 'r' + nextRaise++ }];
  }
  const withRaise = (stmt, where, macros, p) => {
    const r = raiseAt(where, macros, p);
    return r ? [...stmt, r] : stmt;
  };
  // Cancellation (AbortController, signals, abort listeners, operations taking a {signal}): drawn
  // from a stream of their own too. A fraction of programs has them (abortOn); in those, each
  // statement is one of them with probability 0.3. Programs without them are, seed for seed,
  // those of before the feature (and `--avoid abort` gives exactly those).
  const abortRnd = mulberry32(seed * 3266489917 + 4242);
  const abortOn = !avoid.has('abort') && abortRnd() < 0.35;
  const abortLabels = [];  // labels of the abort listeners made so far, for (off-abort C L)
  // > 0 while generating an abort listener's body: no (any-signal ...) there. Node 20 fails an
  // internal assertion (ERR_INTERNAL_ASSERTION, nodejs/node#54601, whatwg/dom#1293) when
  // AbortSignal.any() is given, during a signal's abort event, a composite signal that depends on
  // it: the composite is aborted only after the listeners ran.
  let listenerDepth = 0;
  const aint = (n) => Math.floor(abortRnd() * n);
  const apick = (a) => a[aint(a.length)];
  const achance = (p) => abortRnd() < p;
  const aweighted = (table) => {
    table = table.map(([w, k]) => [avoid.has(k) ? 0 : w, k]);
    let total = 0;
    for (const [w] of table) total += w;
    let x = abortRnd() * total;
    for (const [w, v] of table) { if ((x -= w) < 0) return v; }
    return null;
  };
  // Async generators and for-await (issue 16): drawn from a stream of their own too. A fraction
  // of programs has them (genOn); in those, each statement is one with probability 0.3.
  // `--avoid gen` gives, seed for seed, the programs of before.
  const genRnd = mulberry32(seed * 2891336453 + 1357);
  const genOn = !avoid.has('gen') && genRnd() < 0.3;
  // Flavor N is where a program may have (one) timers/promises setInterval loop: its ticks are
  // the only timed events there, so they cannot race anything. A raise that leaves ticks behind
  // for the next checkpoint would race the interval: such programs count as not N for raiseAt.
  const flavorN = () => flavor === 'N' && !genOn;
  let intervalMade = false;
  let onevMade = false;  // an events.on iterator exists: emit statements are drawn
  const gint = (n) => Math.floor(genRnd() * n);
  const gpick = (a) => a[gint(a.length)];
  const gchance = (p) => genRnd() < p;
  const gweighted = (table) => {
    table = table.map(([w, k]) => [avoid.has(k) ? 0 : w, k]);
    let total = 0;
    for (const [w] of table) total += w;
    if (total === 0) return null;
    let x = genRnd() * total;
    for (const [w, v] of table) { if ((x -= w) < 0) return v; }
    return table[table.length - 1][1];
  };
  const grecent = (list) => list[list.length - 1 - gint(Math.min(list.length, 4))];
  const gvalue = () => gpick([() => gint(10), () => ({ str: gpick(['a', 'b', 'c']) }), () => 'u'])();
  const gmessage = () => ({ str: gpick(['g', 'q']) + gint(10) });
  const gawait = (v) => [gchance(0.6) ? 'await' : 'awaitc', grecent(v).id];

  // The items of an async generator's body (or of a guard's try part): statements, yields,
  // awaits, guards (try/finally whose cleanup awaits), throws and returns.
  function genItems(scope, depth, macros, n, guardDepth) {
    const out = [];
    for (let i = 0; i < n && budget > 0; i++) {
      const v = vIds(scope);
      const k = gweighted([
        [3, 'yield'], [v.length ? 1.5 : 0, 'yieldp'], [v.length ? 2 : 0, 'await'],
        [guardDepth < 2 ? 1.2 : 0, 'guard'], [0.4, 'gthrow-item'], [0.3, 'greturn-item'],
        [3, 'stmt'],
      ]) || 'yield';
      if (k === 'stmt') {
        out.push(statement(scope, depth + 1, macros));
        continue;
      }
      budget--;
      switch (k) {
        case 'yield': out.push(['yield', gvalue()]); break;
        case 'yieldp': out.push(['yieldp', grecent(v).id]); break;
        case 'await': out.push(gawait(v)); break;
        case 'gthrow-item': out.push(['throw', gmessage()]); break;
        case 'greturn-item': out.push(['return']); break;
        case 'guard': {
          const l = label('C');
          const b = genItems(child(scope), depth, macros, 1 + gint(3), guardDepth + 1);
          out.push(['guard', l, b, cleanupItems(child(scope), depth, macros, 1 + gint(3))]);
          break;
        }
      }
    }
    return out;
  }
  // A guard's cleanup (JS: finally { log L; ... }): mostly awaits, sometimes a yield or a throw.
  function cleanupItems(scope, depth, macros, n) {
    const out = [];
    for (let i = 0; i < n && budget > 0; i++) {
      const v = vIds(scope);
      const k = gweighted([[v.length ? 3 : 0, 'await'], [2, 'stmt'], [0.5, 'yield'], [0.25, 'throw']]) || 'stmt';
      if (k === 'stmt') {
        out.push(statement(scope, depth + 1, macros));
        continue;
      }
      budget--;
      if (k === 'await') out.push(gawait(v));
      else if (k === 'yield') out.push(['yield', gvalue()]);
      else out.push(['throw', gmessage()]);
    }
    return out;
  }
  // A for-await loop's body: it may run many times, so it defines nothing.
  function loopItems(scope) {
    const out = [];
    for (let i = gint(3); i > 0 && budget > 0; i--) {
      budget--;
      const v = vIds(scope);
      const pend = scope.ids.filter((x) => x.pending);
      const all = scope.ids.filter((x) => x.kind !== 'x');
      const k = gweighted([[2, 'log'], [v.length ? 2 : 0, 'await'], [pend.length ? 1.5 : 0, 'settle'],
        [all.length ? 1 : 0, 'attach']]);
      if (k === 'log') out.push(['log', label('L')]);
      else if (k === 'await') out.push(gawait(v));
      else if (k === 'settle') {
        const t = gpick(pend).id;
        out.push(gchance(0.5) ? ['resolve', t, gvalue()] : ['reject', t, gmessage()]);
      } else if (k === 'attach') out.push(['attach', grecent(all).id, label('A')]);
    }
    return out;
  }
  // How a for-await loop leaves after K items: (ret u) breaks, (throw "m") throws.
  const loopExit = () => (gchance(0.7) ? ['ret', 'u'] : ['throw', gmessage()]);
  const maybeSignal = (scope) => (scope.sigs.length && gchance(0.6) ? grecent(scope.sigs).id : 0);

  function genStatement(scope, depth, macros) {
    const gens = scope.gens;
    const deeper = depth < maxDepth;
    const kind = gweighted([
      [deeper ? (gens.length ? 1.5 : 6) : 0, 'gen'],
      [gens.length ? 4 : 0, 'gnext'],
      [gens.length ? 1.5 : 0, 'greturn'],
      [gens.length ? 1.2 : 0, 'gthrow'],
      [gens.length ? 3.5 : 0, 'forawait'],
      [1.2, 'onev'],
      [onevMade ? 2.5 : 0, 'gemit'],
      [onevMade ? 0.7 : 0, 'emit-end'],
      [flavor === 'N' && !intervalMade ? 1.5 : 0, 'interval'],
    ]);
    const def = (kind) => {
      const id = nextId++;
      scope.ids.push({ id, kind, pending: false });
      return id;
    };
    switch (kind) {
      case 'gen': {
        // (gen G (h L ACTION ITEM...)): ACTION (ret u) ends the body, (throw "m") throws at its end.
        const h = ['h', label('G'), gchance(0.15) ? ['throw', gmessage()] : ['ret', 'u']];
        h.push(...genItems(child(scope), depth, macros, 1 + gint(5), 0));
        const id = nextId++;
        scope.gens.push({ id, kind: 'g' });
        return ['gen', id, h];
      }
      case 'gnext': case 'greturn': {
        const g = grecent(gens);
        const l = gchance(0.7) ? [label('R')] : [];
        return [kind, def(g.kind === 'g' ? 'r' : 'e'), g.id, ...l];
      }
      case 'gthrow': {
        const g = grecent(gens);
        const m = gmessage();
        const l = gchance(0.7) ? [label('R')] : [];
        // events.on's throw() returns nothing: no promise to name.
        const id = g.kind === 'g' ? def('r') : nextId++;
        return ['gthrow', id, g.id, m, ...l];
      }
      case 'forawait': {
        const g = grecent(gens);
        const k = gchance(0.45) ? 0 : 1 + gint(3);
        const h = ['h', label('F'), loopExit(), ...loopItems(scope)];
        return ['forawait', def('v'), g.id, k, h];
      }
      case 'onev': {
        const e = { str: gpick(['e1', 'e2']) };
        const close = gchance(0.5) ? 1 : 0;
        const c = maybeSignal(scope);
        const id = nextId++;
        scope.gens.push({ id, kind: 'e' });
        onevMade = true;
        return ['onev', id, e, close, c];
      }
      case 'gemit': return ['emit', { str: gpick(['e1', 'e2']) }, gvalue()];
      case 'emit-end': return ['emit-end'];
      case 'interval': {
        intervalMade = true;
        const d = gint(3);
        const v = gvalue();
        const c = maybeSignal(scope);
        const k = 1 + gint(3);
        return ['interval', def('v'), d, v, c, k, ['h', label('V'), loopExit()]];
      }
    }
    return null;
  }

  const value = () => pick([() => int(10), () => ({ str: pick(['a', 'b', 'c']) }), () => 'u'])();
  const message = () => ({ str: pick(['x', 'y', 'z', 'w']) + int(10) });

  // A scope: the ids visible here ({id, kind, pending}), innermost last.
  // Signals ({id, ctl}: ctl for a controller's, which (abort C) aborts) are in scope.sigs.
  // Async generators and events.on iterators ({id, kind: 'g' | 'e'}) are in scope.gens.
  function child(scope) {
    return { ids: scope.ids.slice(), sigs: scope.sigs.slice(), gens: scope.gens.slice() };
  }
  function vIds(scope) { return scope.ids.filter((x) => x.kind === 'v'); }
  function recent(list) {
    // Prefer the newest ids, so chains grow long.
    if (list.length === 0) return undefined;
    const k = Math.min(list.length, 1 + int(4));
    return chance(0.7) ? list[list.length - 1 - int(k)] : pick(list);
  }

  function action(scope) {
    const v = vIds(scope);
    return weighted([
      [10, () => ['ret', value()]],
      [4, () => ['throw', message()]],
      [v.length ? 4 : 0, () => ['retp', recent(v).id]],
      [0.6, () => ['retself']],
    ])();
  }

  function handler(scope, prefix, depth, macros) {
    const h = [prefix, label(prefix === 'f' ? 'f' : 'h'), action(scope)];
    if (depth < maxDepth && chance(0.25)) h.push(...body(child(scope), depth + 1, macros, 1 + int(3)));
    return h;
  }

  function body(scope, depth, macros, n) {
    const out = [];
    for (let i = 0; i < n && budget > 0; i++) out.push(statement(scope, depth, macros));
    return out;
  }

  // A cancellation statement (see abortOn), or null if none fits here. A listener's body is
  // generated with this place's macros: it runs when the signal aborts, which is never before
  // the listener was added, and the flavors only ever allow more later (see raiseAt).
  function abortStatement(scope, depth, macros) {
    const ctls = scope.sigs.filter((x) => x.ctl);
    const sigs = scope.sigs;
    const newestSig = (list) => list[list.length - 1 - aint(Math.min(list.length, 3))].id;
    const maybeSig = () => (sigs.length && achance(0.85) ? [newestSig(sigs)] : []);
    const defSig = (ctl) => {
      const id = nextId++;
      scope.sigs.push({ id, ctl });
      return id;
    };
    const aval = () => apick([() => aint(10), () => ({ str: apick(['a', 'b', 'c']) }), () => 'u'])();
    const areason = () => (achance(0.75) ? [{ str: apick(['x', 'y', 'z', 'w']) + aint(10) }] : []);
    const event = () => ({ str: apick(['e1', 'e2']) });
    const kind = aweighted([
      [ctls.length ? 1 : 5, 'controller'],
      [ctls.length ? 4.5 : 0, 'abort'],
      [sigs.length ? 5 : 0, 'on-abort'],
      [abortLabels.length ? 0.8 : 0, 'off-abort'],
      [sigs.length ? 1 : 0, 'onabort'],
      [macros.includes('timeout') ? 3 : 0, 'sleep'],
      [macros.includes('imm') ? 3 : 0, 'imm-p'],
      [macros.includes('timeout') ? 1.2 : 0, 'timeout-signal'],
      [sigs.length && listenerDepth === 0 ? 1 : 0, 'any-signal'],
      [0.4, 'abort-signal'],
      [2, 'once'],
      [1.5, 'emit'],
      [0.4, 'emit-error'],
      [sigs.length ? 0.6 : 0, 'sigstate'],
    ]);
    // A listener that throws: Node's EventTarget rethrows from a nextTick (so where a tick may).
    const listenerBody = () => {
      listenerDepth++;
      const b = depth < maxDepth && achance(0.6) ? body(child(scope), depth + 1, macros, 1 + aint(3)) : [];
      listenerDepth--;
      const r = raiseAt('abort-listener', macros, 0.1);
      return r ? [...b, r] : b;
    };
    const def = (kind) => {
      const id = nextId++;
      scope.ids.push({ id, kind, pending: false });
      return id;
    };
    switch (kind) {
      case 'controller': return ['controller', defSig(true)];
      case 'abort': return ['abort', newestSig(ctls), ...areason()];
      case 'abort-signal': { const r = areason(); return ['abort-signal', defSig(false), ...r]; }
      case 'timeout-signal': return ['timeout-signal', defSig(false), aint(4)];
      case 'any-signal': {
        const list = [];
        for (let i = 1 + aint(3); i > 0; i--) list.push(newestSig(sigs));
        return ['any-signal', defSig(false), list];
      }
      case 'on-abort': {
        const c = newestSig(sigs);
        const l = label('k');
        abortLabels.push({ c, l });
        return [achance(0.3) ? 'on-abort-once' : 'on-abort', c, l, ...listenerBody()];
      }
      case 'off-abort': { const { c, l } = apick(abortLabels); return ['off-abort', c, l]; }
      case 'onabort': {
        const c = newestSig(sigs);
        return achance(0.2) ? ['onabort', c] : ['onabort', c, label('k'), ...listenerBody()];
      }
      case 'sigstate': return ['sigstate', newestSig(sigs), label('s')];
      case 'sleep': {
        const d = aint(4);
        const v = aval();
        const c = maybeSig();
        return ['sleep', def('v'), d, v, ...c];
      }
      case 'imm-p': { const v = aval(); const c = maybeSig(); return ['imm-p', def('v'), v, ...c]; }
      case 'once': {
        const e = event();
        const c = maybeSig();
        return ['once', def('o'), e, ...c];
      }
      case 'emit': { const e = event(); return ['emit', e, aval()]; }
      case 'emit-error': return ['emit-error', { str: 'v' + aint(10) }];
    }
    return null;
  }

  // macros: which of 'timeout' / 'imm' may be scheduled here.
  function statement(scope, depth, macros) {
    budget--;
    if (abortOn && achance(0.3)) {
      const a = abortStatement(scope, depth, macros);
      if (a) return a;
    }
    if (genOn && gchance(0.3)) {
      const g = genStatement(scope, depth, macros);
      if (g) return g;
    }
    const all = scope.ids.filter((x) => x.kind !== 'x');  // 'x': an executor's own promise
    const v = vIds(scope);
    const pend = scope.ids.filter((x) => x.pending);
    const deeper = depth < maxDepth;
    const def = (kind, pending = false) => {
      const id = nextId++;
      scope.ids.push({ id, kind, pending });
      return id;
    };
    const kind = weightedKind([
      [3, 'pending'], [2, 'resolved'], [1.2, 'rejected'], [v.length ? 0.8 : 0, 'adopt'],
      [all.length ? 9 : 0, 'chain'],
      [v.length ? 1.5 : 0, 'comb'],
      [pend.length ? (depth > 0 ? 5 : 1.5) : 0, 'settle'],
      [deeper ? 2 : 0, 'tick'], [deeper ? 2 : 0, 'micro'],
      [deeper && macros.includes('imm') ? 2.5 : 0, 'imm'],
      [deeper && macros.includes('timeout') ? 2.5 : 0, 'timeout'],
      [deeper ? 2 : 0, 'async'],
      [deeper ? 1.2 : 0, 'exec'],
      [v.length ? 0.6 : 0, 'resolvedp'],
      [0.5, 'log'],
      [all.length ? 1.2 : 0, 'attach'],
      [macros.includes('timeout') ? 0.4 : 0, 'busy'],
      [macroLabels.length ? 0.8 : 0, 'clear'],
      // AsyncLocalStorage (--with als; weight 0 otherwise, which leaves the random stream as
      // it was): a run() block, a getStore() print, an enterWith().
      [als && deeper ? 1.5 : 0, 'als'],
      [als ? 1.2 : 0, 'store'],
      [als ? 0.4 : 0, 'enter'],
    ]);
    switch (kind) {
      case 'pending': return ['pending', def('v', true)];
      case 'resolved': return ['resolved', def('v'), value()];
      case 'rejected': return ['rejected', def('v'), message()];
      case 'adopt': { const m = recent(v).id; return ['adopt', def('v'), m]; }
      case 'chain': {
        const src = recent(all);
        const op = weighted([[4, 'then'], [2, 'then2'], [3, 'catch'], [2, 'finally']]);
        // Handlers see the scope as it is before this statement's id exists.
        const hs = op === 'then2' ?
            [handler(scope, 'h', depth, macros), handler(scope, 'h', depth, macros)] :
            [handler(scope, op === 'finally' ? 'f' : 'h', depth, macros)];
        const id = def(op === 'finally' ? src.kind : 'v');
        return [op, id, src.id, ...hs];
      }
      case 'comb': {
        const op = pick(['all', 'allSettled', 'race', 'any']);
        const n = int(4);
        const list = [];
        for (let i = 0; i < n; i++) list.push(recent(v).id);
        const id = def(op === 'all' ? 'a' : op === 'allSettled' ? 's' : 'v');
        return [op, id, list];
      }
      case 'settle': {
        const target = pick(pend).id;
        return weighted([
          [4, () => ['resolve', target, value()]],
          [3, () => ['reject', target, message()]],
          [v.length ? 2 : 0, () => ['resolvep', target, recent(v).id]],
        ])();
      }
      case 'tick':
        return withRaise(['tick', label('t'), ...body(child(scope), depth + 1, macros, 1 + int(3))],
            'tick', macros, 0.1);
      case 'micro':
        return withRaise(['micro', label('m'), ...body(child(scope), depth + 1, macros, 1 + int(3))],
            'micro', macros, 0.1);
      case 'imm': {
        const l = label('i');
        macroLabels.push(l);
        return withRaise(['imm', l, ...body(child(scope), depth + 1, macros, 1 + int(3))],
            'imm', macros, 0.12);
      }
      case 'timeout': {
        const l = label('T');
        macroLabels.push(l);
        const d = int(4);
        const b = body(child(scope), depth + 1, macros, 1 + int(3));
        // Other timers may be due with this one: a raise only as the first statement, so that
        // it leaves nothing behind (the statements after it are dead code, kept so that the
        // main random stream stays the same).
        const r = raiseAt('timeout', macros, 0.08);
        return r ? ['timeout', l, d, r, ...b] : ['timeout', l, d, ...b];
      }
      case 'log': return ['log', label('L')];
      case 'als': return ['als', store(), ...body(scope, depth + 1, macros, 1 + int(3))];
      case 'store': return ['store', label('S')];
      case 'enter': return ['enter', store()];
      case 'busy': return ['busy', 1 + int(3)];
      case 'attach': return ['attach', recent(all).id, label('A')];
      case 'clear': return ['clear', pick(macroLabels)];
      case 'resolvedp': { const m = recent(v).id; return ['resolvedp', def('v'), m]; }
      case 'exec': {
        const id = nextId++;
        const inner = child(scope);
        inner.ids.push({ id, kind: 'x', pending: true });
        const h = ['h', label('e'), action(scope)];
        h.push(...body(inner, depth + 1, macros, int(3)));
        scope.ids.push({ id, kind: 'v', pending: true });
        return ['exec', id, h];
      }
      case 'async': {
        // An async function: statements and awaits of promises visible so far.
        const inner = child(scope);
        const h = ['h', label('a'), null];
        const n = 1 + int(4);
        for (let i = 0; i < n && budget > 0; i++) {
          const vv = vIds(inner);
          if (vv.length && chance(0.55)) {
            budget--;
            h.push([chance(0.6) ? 'await' : 'awaitc', recent(vv).id]);
          } else {
            h.push(statement(inner, depth + 1, macros));
          }
        }
        h[2] = action(inner);
        return ['async', def('v'), h];
      }
    }
    throw new Error('unreachable');
  }

  // (onunhandled STMT...): statements the 'unhandledRejection' listener runs after logging, each
  // time it is called. They define nothing (they may run many times).
  function onUnhandled(scope) {
    const pend = scope.ids.filter((x) => x.pending);
    const simple = () => weighted([
      [2, () => ['log', label('U')]],
      [pend.length ? 2 : 0, () => ['resolve', pick(pend).id, value()]],
      [pend.length ? 2 : 0, () => ['reject', pick(pend).id, message()]],
      [scope.ids.length && !avoid.has('unhandled-attach') ? 2 : 0,
        () => ['attach', pick(scope.ids).id, label('A')]],
    ])();
    const out = ['onunhandled'];
    const n = 1 + int(2);
    for (let i = 0; i < n; i++) {
      out.push(weighted([
        [2, () => ['tick', label('t'), simple()]],
        [2, () => ['micro', label('m'), simple()]],
        [2, simple],
      ])());
    }
    return withRaise(out, 'listener', [], 0.2);
  }

  const top = { ids: [], sigs: [], gens: [] };
  if (flavor === 'TI' || flavor === 'IT') {
    const prefix = body(top, 0, [], 2 + int(5));
    const inner = flavor === 'TI' ? ['imm'] : ['timeout'];
    const wrapBody = body(child(top), 1, inner, 3 + int(6));
    const suffix = body(top, 0, [], int(3));
    let wrap = flavor === 'TI' ? ['timeout', label('T'), int(4), ...wrapBody] :
        ['imm', label('i'), ...wrapBody];
    // TI's timer is the last timer: a raise at its end leaves ticks to the check phase's
    // checkpoint, deterministically. IT's immediate makes timers: no raise in it.
    if (flavor === 'TI') wrap = withRaise(wrap, 'timeout', [], 0.15);
    const stmts = [...prefix, wrap, ...suffix];
    if (chance(0.3)) stmts.push(onUnhandled(top));
    return { flavor, stmts };
  }
  const macros = flavor === 'T' ? ['timeout'] : flavor === 'I' ? ['imm'] : [];
  const stmts = [];
  while (budget > 0) stmts.push(...body(top, 0, macros, 1));
  if (chance(0.3)) stmts.push(onUnhandled(top));
  return { flavor, stmts };
}

// Without 'raise-imm-clear': no raise in an immediate of a program that has a (clear L) (vow
// runs a checkpoint where a cleared immediate was, after an immediate threw: README.md). A pass
// after generation, so that the random draws stay the same.
function generateChecked(seed, opts = {}) {
  const p = generate(seed, opts);
  if ((opts.with || []).includes('raise-imm-clear')) return p;
  // An aborted (imm-p N V C) clears its immediate as (clear L) does.
  const hasClear = (l) => Array.isArray(l) && (l[0] === 'clear' || l[0] === 'imm-p' || l.some(hasClear));
  if (!hasClear(p.stmts)) return p;
  const strip = (l) => {
    if (!Array.isArray(l)) return l;
    const imm = l[0] === 'imm';
    return l.filter((x) => !(imm && Array.isArray(x) && x[0] === 'raise')).map(strip);
  };
  return { flavor: p.flavor, stmts: p.stmts.map(strip) };
}

module.exports = { generate: generateChecked };

if (require.main === module) {
  const { pretty } = require('./sexpr');
  const [from, to] = (process.argv[2] || '1:5').split(':').map(Number);
  for (let s = from; s < to; s++) {
    const p = generateChecked(s);
    process.stdout.write('=== seed-' + s + ' ' + p.flavor + '\n' + pretty(p.stmts) + '\n');
  }
}
