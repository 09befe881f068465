#!/usr/bin/env node
// The differential fuzzing driver: generates programs from seeds, runs them in batches on Node
// (interp.js) and on vow (the vow_interp binary), compares the traces and reports the first
// divergence, shrunk to a minimal program.
//
//   node fuzz.js --vow PATH/TO/vow_interp [--seeds FROM:TO] [--batch N] [--no-shrink]
//                [--programs FILE_OR_DIR ...] [--keep-going] [--out FILE] [--avoid FEATURE]
//                [--with FEATURE]
//
// --avoid leaves a feature out of generated programs (see gen.js), to fuzz on past a known
// divergence; the same seed then gives a different program. --with turns on a feature that is
// off by default (one with a known divergence, e.g. raise-listener).
//
// --programs runs the given programs (a .prog file holds one program, or several after
// "=== name" lines; a directory means every *.prog in it) instead of generated ones.
// Exit status: 0 when every trace matched, 1 on a divergence, 2 on a usage or setup error.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { generate } = require('./gen');
const { parse, pretty } = require('./sexpr');

function usage(msg) {
  if (msg) console.error('fuzz.js: ' + msg);
  console.error('usage: node fuzz.js --vow VOW_INTERP [--seeds FROM:TO] [--batch N] ' +
                '[--no-shrink] [--keep-going] [--programs FILE_OR_DIR ...] [--out FILE]');
  process.exit(2);
}

const args = { avoid: [], with: [], seeds: null, batch: 1000, shrink: true, programs: [], keepGoing: false, out: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const next = () => { if (i + 1 >= process.argv.length) usage(a + ' needs a value'); return process.argv[++i]; };
  if (a === '--vow') args.vow = path.resolve(next());
  else if (a === '--seeds') args.seeds = next().split(':').map(Number);
  else if (a === '--batch') args.batch = Number(next());
  else if (a === '--no-shrink') args.shrink = false;
  else if (a === '--keep-going') args.keepGoing = true;
  else if (a === '--programs') args.programs.push(next());
  else if (a === '--out') args.out = next();
  else if (a === '--avoid') args.avoid.push(next());
  else if (a === '--with') args.with.push(next());
  else usage('unknown argument ' + a);
}
if (!args.vow) usage('--vow is required');
if (!fs.existsSync(args.vow)) usage('no vow interpreter at ' + args.vow);
if (!args.seeds && args.programs.length === 0) args.seeds = [1, 1001];

const interpJs = path.join(__dirname, 'interp.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vow-fuzz-'));
let fileCounter = 0;

function run(cmd, argv) {
  return new Promise((resolve, reject) => {
    // Short LeakSanitizer reports (when vow_interp is built with --config=asan).
    const env = { ...process.env };
    env.LSAN_OPTIONS = (env.LSAN_OPTIONS ? env.LSAN_OPTIONS + ':' : '') + 'max_leaks=3';
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(),
    }));
  });
}

function splitTraces(text) {
  const map = new Map();
  let cur = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('=== ')) {
      cur = [];
      map.set(line.slice(4).trim(), cur);
    } else if (cur && line !== '') {
      cur.push(line);
    }
  }
  return map;
}

// Runs programs [{name, text}] on both sides; returns [{name, text, node, vow}] for each program.
async function runBoth(progs) {
  const file = path.join(tmp, 'batch' + fileCounter++ + '.txt');
  fs.writeFileSync(file, progs.map((p) => '=== ' + p.name + '\n' + p.text + '\n').join(''));
  const [n, v] = await Promise.all([run(process.execPath, [interpJs, file]), run(args.vow, [file])]);
  fs.unlinkSync(file);
  const nt = splitTraces(n.stdout);
  const vt = splitTraces(v.stdout);
  const crash = (r, who) => (r.code !== 0 || r.signal) ?
      [who + ' exited with ' + (r.signal || r.code) + ': ' + crashSummary(r.stderr)] : [];
  const results = progs.map((p) => ({
    ...p,
    node: nt.has(p.name) ? nt.get(p.name) : crash(n, 'node').concat(['<no trace>']),
    vow: vt.has(p.name) ? vt.get(p.name) : crash(v, 'vow_interp').concat(['<no trace>']),
  }));
  // A crash loses the traces of the programs after the one that crashed: run those again.
  const lost = results.findIndex((r) => !nt.has(r.name) || !vt.has(r.name));
  // The ones before it ran again too: the crash hid how vow_interp would have exited (leaks).
  if (lost >= 0 && (lost > 0 || lost + 1 < progs.length)) {
    const before = lost > 0 ? await runBoth(progs.slice(0, lost)) : [];
    const after = lost + 1 < progs.length ? await runBoth(progs.slice(lost + 1)) : [];
    return before.concat([results[lost]], after);
  }
  // vow_interp failing at exit with every trace printed (LeakSanitizer reports leaks at exit):
  // bisect the batch to find which programs; alone, a failing exit is a divergence.
  const vowBad = v.code !== 0 || v.signal;
  if (lost < 0 && vowBad) {
    if (progs.length === 1) {
      results[0].vow = results[0].vow.concat(['vow_interp exited with ' + (v.signal || v.code) +
                                              ': ' + crashSummary(v.stderr)]);
      return results;
    }
    // Bisect: a half that exits cleanly keeps its results. Without --keep-going only the first
    // failing program matters: once the left half has one, the right half keeps the batch's
    // traces unchecked.
    const mid = progs.length >> 1;
    const left = await runBoth(progs.slice(0, mid));
    const right = args.keepGoing || left.every(same) ? await runBoth(progs.slice(mid)) :
        results.slice(mid);
    return left.concat(right);
  }
  return results;
}

function crashSummary(stderr) {
  const lines = stderr.trim().split('\n');
  const asan = lines.findIndex((l) => /ERROR: (Address|Leak)Sanitizer|runtime error:/.test(l));
  const pick = asan >= 0 ? lines.slice(asan, asan + 4) : lines.slice(-3);
  return pick.map((l) => l.trim()).join(' | ');
}

const same = (r) => r.node.length === r.vow.length && r.node.every((l, i) => l === r.vow[i]);

// ---- shrinking: delete statements (at any depth) while the program still diverges ----------
function candidates(stmts) {
  const out = [];
  // Every way to delete one statement; bodies are the lists after a form's atoms.
  function walk(list, rebuild) {
    for (let i = 0; i < list.length; i++) {
      const without = list.slice(0, i).concat(list.slice(i + 1));
      out.push(rebuild(without));
      const s = list[i];
      if (!Array.isArray(s)) continue;
      // Recurse into nested statement lists: callbacks' bodies and handlers' bodies.
      const bodyStart = bodyIndex(s);
      if (bodyStart >= 0 && s.length > bodyStart) {
        // Unwrap: the callback's statements in its place.
        out.push(rebuild(list.slice(0, i).concat(s.slice(bodyStart), list.slice(i + 1))));
      }
      if (bodyStart >= 0) {
        const head = s.slice(0, bodyStart);
        walk(s.slice(bodyStart), (b) => rebuild(list.slice(0, i).concat([head.concat(b)], list.slice(i + 1))));
      }
      for (let k = 0; k < s.length; k++) {
        const h = s[k];
        if (Array.isArray(h) && (h[0] === 'h' || h[0] === 'f')) {
          // Simplify the action to (ret u), then shrink the handler's body.
          if (!(h[2][0] === 'ret' && h[2][1] === 'u')) {
            const simple = [h[0], h[1], ['ret', 'u'], ...h.slice(3)];
            out.push(rebuild(list.slice(0, i).concat([s.slice(0, k).concat([simple], s.slice(k + 1))], list.slice(i + 1))));
          }
          walk(h.slice(3), (b) => {
            const nh = h.slice(0, 3).concat(b);
            return rebuild(list.slice(0, i).concat([s.slice(0, k).concat([nh], s.slice(k + 1))], list.slice(i + 1)));
          });
        }
      }
      // A generator body's guard: unwrap it (its try part then its cleanup in its place), and
      // shrink both parts.
      if (s[0] === 'guard' && Array.isArray(s[2]) && Array.isArray(s[3])) {
        out.push(rebuild(list.slice(0, i).concat(s[2], s[3], list.slice(i + 1))));
        walk(s[2], (b) => rebuild(list.slice(0, i).concat([[s[0], s[1], b, s[3]]], list.slice(i + 1))));
        walk(s[3], (b) => rebuild(list.slice(0, i).concat([[s[0], s[1], s[2], b]], list.slice(i + 1))));
      }
      // Shorten combinator lists.
      if (['all', 'allSettled', 'race', 'any', 'any-signal'].includes(s[0]) && Array.isArray(s[2])) {
        for (let k = 0; k < s[2].length; k++) {
          const l = s[2].slice(0, k).concat(s[2].slice(k + 1));
          out.push(rebuild(list.slice(0, i).concat([[s[0], s[1], l]], list.slice(i + 1))));
        }
      }
    }
  }
  walk(stmts, (x) => x);
  return out;
}
function bodyIndex(s) {
  switch (s[0]) {
    case 'tick': case 'micro': case 'imm': return 2;
    case 'onunhandled': return 1;
    case 'on-abort': case 'on-abort-once': case 'onabort': return 3;
    case 'timeout': return 3;
    default: return -1;
  }
}
function size(stmts) { return JSON.stringify(stmts).length; }

async function shrink(prog) {
  let best = parse(prog.text);
  let bestResult = null;
  for (let round = 0; round < 200; round++) {
    const cands = candidates(best).sort((a, b) => size(a) - size(b));
    if (cands.length === 0) break;
    const progs = cands.map((c, i) => ({ name: 'shrink-' + round + '-' + i, text: pretty(c), stmts: c }));
    const results = await runBoth(progs);
    const hit = results.find((r) => !same(r));
    if (!hit) break;
    best = hit.stmts;
    bestResult = hit;
  }
  return { stmts: best, result: bestResult };
}

function report(r, title) {
  const lines = [];
  lines.push(title);
  lines.push('--- program ---');
  lines.push(r.text);
  lines.push('--- trace diff (node | vow) ---');
  const n = Math.max(r.node.length, r.vow.length);
  let first = -1;
  for (let i = 0; i < n; i++) {
    const a = r.node[i] === undefined ? '' : r.node[i];
    const b = r.vow[i] === undefined ? '' : r.vow[i];
    if (a !== b && first < 0) first = i;
    lines.push((a === b ? '  ' : '! ') + a.padEnd(32) + ' | ' + b);
  }
  lines.push('first difference at trace line ' + (first + 1));
  return lines.join('\n');
}

function* sources() {
  for (const p of args.programs) {
    const files = fs.statSync(p).isDirectory() ?
        fs.readdirSync(p).filter((f) => f.endsWith('.prog')).sort().map((f) => path.join(p, f)) : [p];
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      if (text.includes('\n=== ') || text.startsWith('=== ')) {
        // Text before the first "=== " line is a comment.
        const parts = text.split(/^=== /m).slice(1).filter((x) => x.trim() !== '');
        for (const part of parts) {
          const nl = part.indexOf('\n');
          yield { name: path.basename(f) + ':' + part.slice(0, nl).trim(), text: part.slice(nl + 1) };
        }
      } else {
        yield { name: path.basename(f), text };
      }
    }
  }
  if (args.seeds) {
    for (let s = args.seeds[0]; s < args.seeds[1]; s++) {
      const g = generate(s, { avoid: args.avoid, with: args.with });
      yield { name: 'seed-' + s + ' ' + g.flavor, text: pretty(g.stmts) };
    }
  }
}

async function main() {
  const start = Date.now();
  let total = 0;
  let diverged = 0;
  let firstReport = null;
  let batch = [];
  const flush = async () => {
    if (batch.length === 0) return true;
    const results = await runBoth(batch);
    batch = [];
    for (const r of results) {
      total++;
      if (same(r)) continue;
      diverged++;
      let text = report(r, 'DIVERGENCE in ' + r.name);
      if (args.shrink) {
        const s = await shrink(r);
        if (s.result) text += '\n\n' + report({ ...s.result, text: pretty(s.stmts) }, 'SHRUNK (' + r.name + ')');
      }
      console.log(text + '\n');
      if (!firstReport) firstReport = text;
      if (!args.keepGoing) return false;
    }
    return true;
  };
  for (const p of sources()) {
    batch.push(p);
    if (batch.length >= args.batch && !(await flush())) break;
  }
  if (!firstReport || args.keepGoing) await flush();
  const secs = ((Date.now() - start) / 1000).toFixed(1);
  const summary = `${total} programs, ${diverged} divergent, ${secs}s`;
  console.log(summary);
  if (args.out) fs.writeFileSync(args.out, (firstReport ? firstReport + '\n\n' : '') + summary + '\n');
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(diverged ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
