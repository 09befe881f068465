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
//   a statement kind    ('clear', 'busy', 'async', ...) anywhere
function generate(seed, opts = {}) {
  const avoid = new Set(opts.avoid || []);
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
  const value = () => pick([() => int(10), () => ({ str: pick(['a', 'b', 'c']) }), () => 'u'])();
  const message = () => ({ str: pick(['x', 'y', 'z', 'w']) + int(10) });

  // A scope: the ids visible here ({id, kind, pending}), innermost last.
  function child(scope) { return { ids: scope.ids.slice() }; }
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

  // macros: which of 'timeout' / 'imm' may be scheduled here.
  function statement(scope, depth, macros) {
    budget--;
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
      case 'tick': return ['tick', label('t'), ...body(child(scope), depth + 1, macros, 1 + int(3))];
      case 'micro': return ['micro', label('m'), ...body(child(scope), depth + 1, macros, 1 + int(3))];
      case 'imm': {
        const l = label('i');
        macroLabels.push(l);
        return ['imm', l, ...body(child(scope), depth + 1, macros, 1 + int(3))];
      }
      case 'timeout': {
        const l = label('T');
        macroLabels.push(l);
        return ['timeout', l, int(4), ...body(child(scope), depth + 1, macros, 1 + int(3))];
      }
      case 'log': return ['log', label('L')];
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
    return out;
  }

  const top = { ids: [] };
  if (flavor === 'TI' || flavor === 'IT') {
    const prefix = body(top, 0, [], 2 + int(5));
    const inner = flavor === 'TI' ? ['imm'] : ['timeout'];
    const wrapBody = body(child(top), 1, inner, 3 + int(6));
    const suffix = body(top, 0, [], int(3));
    const wrap = flavor === 'TI' ? ['timeout', label('T'), int(4), ...wrapBody] :
        ['imm', label('i'), ...wrapBody];
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

module.exports = { generate };

if (require.main === module) {
  const { pretty } = require('./sexpr');
  const [from, to] = (process.argv[2] || '1:5').split(':').map(Number);
  for (let s = from; s < to; s++) {
    const p = generate(s);
    process.stdout.write('=== seed-' + s + ' ' + p.flavor + '\n' + pretty(p.stmts) + '\n');
  }
}
