// S-expression reader/printer for fuzz programs (see README.md for the language).
'use strict';

function parse(text) {
  let i = 0;
  const out = [];
  function skip() {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') i++;
      else if (c === ';') { while (i < text.length && text[i] !== '\n') i++; }
      else break;
    }
  }
  function item() {
    skip();
    const c = text[i];
    if (c === '(') {
      i++;
      const list = [];
      for (;;) {
        skip();
        if (i >= text.length) throw new Error('unbalanced (');
        if (text[i] === ')') { i++; return list; }
        list.push(item());
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') { if (j >= text.length) throw new Error('unterminated string'); j++; }
      const s = text.slice(i + 1, j);
      i = j + 1;
      return { str: s };
    }
    let j = i;
    while (j < text.length && !' \n\t\r()";'.includes(text[j])) j++;
    if (j === i) throw new Error('unexpected ' + c + ' at ' + i);
    const tok = text.slice(i, j);
    i = j;
    return /^-?\d+$/.test(tok) ? Number(tok) : tok;
  }
  for (;;) {
    skip();
    if (i >= text.length) break;
    out.push(item());
  }
  return out;
}

function show(x) {
  if (Array.isArray(x)) return '(' + x.map(show).join(' ') + ')';
  if (typeof x === 'object') return '"' + x.str + '"';
  return String(x);
}

// Pretty printer: one statement per line, bodies indented.
function pretty(stmts, indent = '') {
  return stmts.map((s) => prettyStmt(s, indent)).join('\n');
}
function prettyStmt(s, indent) {
  if (!Array.isArray(s)) return indent + show(s);
  const flat = show(s);
  if (flat.length + indent.length <= 100) return indent + flat;
  // Atoms precede lists in every form: atoms on the first line, lists below, indented.
  const atoms = s.filter((x) => !Array.isArray(x)).map(show);
  const lists = s.filter((x) => Array.isArray(x));
  return indent + '(' + atoms.join(' ') + '\n' +
      lists.map((l) => prettyStmt(l, indent + '  ')).join('\n') + ')';
}

module.exports = { parse, show, pretty };
