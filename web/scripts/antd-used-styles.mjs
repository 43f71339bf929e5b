// antd's static stylesheet cut down to the components the console can render.
//
// antd/dist/antd.css styles every antd component (1 MB, 109 KB compressed):
// the browser parses all of it on a first visit and matches its selectors on
// every style recalculation. A component that no module of the console
// imports, directly or through another antd component, renders no element,
// so the rules that need one of its class names can never match. Those go;
// everything else (resets, motion, keyframes, the theme's variables) stays.
//
// Which components can render: the antd modules reachable by imports from
// the console's sources, and the class prefixes they ask for
// (`getPrefixCls('btn')`). A class belongs to the longest known prefix it
// starts with (`ant-input-number-handler` to `input-number`, not `input`).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const PREFIX_CALL = /getPrefixCls\(\s*['"]([a-z-]+)['"]/g;
const IMPORT = /(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* filesUnder(dir, pattern) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full, pattern);
    else if (pattern.test(entry.name)) yield full;
  }
}

function prefixesIn(code) {
  return [...code.matchAll(PREFIX_CALL)].map((match) => match[1]);
}

function importsIn(code) {
  return [...code.matchAll(IMPORT)].map((match) => match[1] ?? match[2]);
}

/** The file a specifier names inside antd's ES build, or null if it is elsewhere. */
function resolveAntd(specifier, from, antdEs) {
  let target;
  if (specifier.startsWith('antd/es/')) target = path.join(antdEs, specifier.slice('antd/es/'.length));
  else if (specifier.startsWith('.') && from.startsWith(antdEs)) target = path.resolve(path.dirname(from), specifier);
  else return null;
  for (const candidate of [target, `${target}.js`, path.join(target, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * The class prefixes of every antd component (`known`) and of those the
 * sources under `srcDir` can render (`used`), read from antd's ES build in
 * `antdEs` (node_modules/antd/es).
 */
export function antdPrefixes(srcDir, antdEsDir) {
  const antdEs = path.resolve(antdEsDir);
  const known = new Set();
  for (const file of filesUnder(antdEs, /\.js$/)) for (const prefix of prefixesIn(readFileSync(file, 'utf8'))) known.add(prefix);
  const used = new Set();
  const seen = new Set();
  const pending = [];
  for (const file of filesUnder(srcDir, /\.(ts|tsx)$/)) {
    for (const specifier of importsIn(readFileSync(file, 'utf8'))) {
      const target = resolveAntd(specifier, file, antdEs);
      if (target) pending.push(target);
    }
  }
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const prefix of prefixesIn(code)) used.add(prefix);
    for (const specifier of importsIn(code)) {
      const target = resolveAntd(specifier, file, antdEs);
      if (target && !seen.has(target)) pending.push(target);
    }
  }
  return { known, used };
}

/** Splits `text` at top-level occurrences of `separator` (outside (), [] and strings). */
function splitTopLevel(text, separator) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(' || char === '[') depth += 1;
    else if (char === ')' || char === ']') depth -= 1;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The index just past the block whose `{` is at `open`. */
function blockEnd(css, open) {
  let depth = 0;
  let quote = null;
  for (let index = open; index < css.length; index += 1) {
    const char = css[index];
    if (quote) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  throw new Error('antd-used-styles: unbalanced braces');
}

const CLASS = /\.(-?[_a-zA-Z][\w-]*)/g;

/** `selector` without what its parentheses hold. */
function outsideParentheses(selector) {
  let out = '';
  let depth = 0;
  for (const char of selector) {
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (depth === 0) out += char;
  }
  return out;
}

/**
 * The rules of `css` whose selectors can match an element of the `used`
 * components: a selector naming a class of a `known` component that is not
 * used is dropped, a rule left without selectors too. At-rules with rules
 * inside (@media, @supports, @layer) are filtered inside; others are kept.
 * `rootPrefix` is the classes' prefix (`ant`).
 */
export function keepUsedRules(css, { known, used, rootPrefix = 'ant' }) {
  const byLength = [...known].sort((a, b) => b.length - a.length);
  const owner = new Map();
  const ownerOf = (name) => {
    if (!owner.has(name)) {
      const rest = name.startsWith(`${rootPrefix}-`) ? name.slice(rootPrefix.length + 1) : null;
      owner.set(name, rest === null ? null : byLength.find((prefix) => rest === prefix || rest.startsWith(`${prefix}-`)) ?? null);
    }
    return owner.get(name);
  };
  // Classes inside :not(), :is(), :has()... do not decide: `:not(.ant-picker)`
  // matches without a picker, `:is(.ant-picker, .ant-btn)` with a button.
  const canMatch = (selector) => [...outsideParentheses(selector).matchAll(CLASS)].every((match) => {
    const prefix = ownerOf(match[1]);
    return prefix === null || used.has(prefix);
  });
  const filter = (text) => {
    let out = '';
    let index = 0;
    while (index < text.length) {
      const open = text.indexOf('{', index);
      if (open < 0) {
        out += text.slice(index);
        break;
      }
      const head = text.slice(index, open);
      const end = blockEnd(text, open);
      const body = text.slice(open + 1, end - 1);
      const trimmed = head.trim();
      if (trimmed.startsWith('@')) {
        const nested = /^@(media|supports|layer|container)\b/.test(trimmed);
        const inner = nested ? filter(body) : body;
        if (!nested || inner.trim()) out += `${head}{${inner}}`;
      } else {
        const selectors = splitTopLevel(head, ',').filter(canMatch);
        if (selectors.length > 0) out += `${selectors.join(',')}{${body}}`;
      }
      index = end;
    }
    return out;
  };
  return filter(css);
}

/** Vite plugin: antd/dist/antd.css as imported by the console, cut to the used components. */
export function antdUsedStyles({ srcDir, antdEs }) {
  return {
    name: 'roster-antd-used-styles',
    transform(code, id) {
      if (!/[\\/]antd[\\/]dist[\\/]antd\.css$/.test(id.split('?')[0])) return null;
      const prefixes = antdPrefixes(srcDir, antdEs);
      for (const file of filesUnder(srcDir, /\.(ts|tsx)$/)) this.addWatchFile(file);
      return { code: keepUsedRules(code, prefixes), map: null };
    },
  };
}
