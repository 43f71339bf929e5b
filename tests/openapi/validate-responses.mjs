// Checks every answer the API tests received (tests/api/http_client.cpp
// records them when ROSTER_API_RESPONSE_LOG names a directory) against the
// OpenAPI document:
//   - the status is one the operation describes;
//   - the content type is one the answer describes, and an answer described
//     without a body has none;
//   - a JSON body is valid against the answer's schema (JSON Schema 2020-12,
//     Ajv), where an object may carry no property its schema does not name;
//   - Set-Cookie, Retry-After and WWW-Authenticate are described where sent.
// Requests to paths or methods the document does not have (the robustness
// tests send some on purpose) are counted, not checked. Fails when no
// answer was recorded: a check that saw nothing has not passed.
//
// Usage: node validate-responses.mjs OPENAPI_JSON LOG_DIRECTORY
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [documentPath, logDirectory] = process.argv.slice(2);
if (!documentPath || !logDirectory) {
  console.error('usage: node validate-responses.mjs OPENAPI_JSON LOG_DIRECTORY');
  process.exit(2);
}

const document = JSON.parse(await readFile(documentPath, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv);
// OpenAPI 3.1's own schema keywords, which say nothing about validity.
for (const keyword of ['discriminator', 'xml', 'externalDocs', 'example']) ajv.addKeyword(keyword);

// An object schema that names its properties admits no other property: the
// document must describe every field the server answers.
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, closed(property)]))
      : closed(value);
  }
  const isObject = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'));
  if (isObject && out.properties && out.additionalProperties === undefined && out.unevaluatedProperties === undefined) {
    out.unevaluatedProperties = false;
  }
  // allOf parts are evaluated together: only the whole may be closed, so
  // its parts are their open forms (a referenced one: its "__open" twin).
  if (Array.isArray(out.allOf)) {
    out.allOf = out.allOf.map((part) => (part.$ref ? { ...part, $ref: `${part.$ref}__open` } : opened(part)));
    if (out.unevaluatedProperties === undefined) out.unevaluatedProperties = false;
  }
  return out;
}

function opened(schema) {
  const { unevaluatedProperties, ...open } = schema;
  return unevaluatedProperties === false ? open : schema;
}

// The component schemas as one schema resource, so that "#/components/..."
// references inside the document resolve as they do in it.
const BASE = 'https://roster.invalid/openapi.json';
const components = {};
for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
  components[name] = closed(schema);
  components[`${name}__open`] = opened(closed(schema));
}
ajv.addSchema(JSON.parse(JSON.stringify({ $id: BASE, $defs: components }).replaceAll('"#/components/schemas/', '"#/$defs/')));

function rebased(schema) {
  return JSON.parse(JSON.stringify(closed(schema)).replaceAll('"#/components/schemas/', `"${BASE}#/$defs/`));
}

const resolve = (node) => {
  if (!node?.$ref) return node;
  return node.$ref.slice(2).split('/').reduce((at, key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
};

// Path templates, the most literal first: /members/export before /members/{user}.
const operations = [];
for (const [template, item] of Object.entries(document.paths)) {
  const segments = template.split('/');
  const literal = segments.filter((segment) => !segment.startsWith('{')).length;
  operations.push({ template, segments, literal, item });
}
operations.sort((a, b) => b.literal - a.literal);

function operationOf(method, target) {
  // Methods are case-sensitive: "get" is no GET (the server answers 405).
  if (method !== method.toUpperCase()) return null;
  const segments = target.split('?')[0].split('/');
  for (const candidate of operations) {
    if (candidate.segments.length !== segments.length) continue;
    if (!candidate.segments.every((segment, i) => segment.startsWith('{') || segment === segments[i])) continue;
    const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
    const operation = candidate.item[verb];
    return operation ? { name: `${method} ${candidate.template}`, operation } : null;
  }
  return null;
}

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(rebased(schema ?? {})));
  return validators.get(key);
}

const failures = new Map(); // message -> { count, example }
function fail(name, status, message, target) {
  const key = `${name} ${status}: ${message}`;
  const entry = failures.get(key) ?? { count: 0, target: target.length > 120 ? `${target.slice(0, 120)}…` : target };
  entry.count += 1;
  failures.set(key, entry);
}

let files;
try {
  files = (await readdir(logDirectory)).filter((file) => file.endsWith('.jsonl'));
} catch {
  files = [];
}
let checked = 0;
let skipped = 0;
const seen = new Set();
for (const file of files) {
  const text = await readFile(path.join(logDirectory, file), 'utf8');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const answer = JSON.parse(line);
    const found = operationOf(answer.method, answer.target);
    if (!found) {
      skipped += 1;
      continue;
    }
    checked += 1;
    const { name, operation } = found;
    const status = String(answer.status);
    seen.add(`${name} ${status}`);
    const described = operation.responses?.[status] ?? operation.responses?.[`${status[0]}XX`] ?? operation.responses?.default;
    if (!described) {
      fail(name, status, 'the status is not described', answer.target);
      continue;
    }
    const response = resolve(described);
    for (const header of Object.keys(answer.headers ?? {})) {
      const documented = Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === header);
      if (!documented) fail(name, status, `the ${header} header is not described`, answer.target);
    }
    const mediaType = (answer.content_type ?? '').split(';')[0].trim().toLowerCase();
    if (!response.content) {
      if (answer.body_size > 0 && answer.method !== 'HEAD') fail(name, status, `a ${mediaType} body where none is described`, answer.target);
      continue;
    }
    const media = response.content[mediaType];
    if (!media) {
      if (answer.body_size > 0 || answer.method !== 'HEAD') {
        fail(name, status, `content type "${mediaType}" is not one of ${Object.keys(response.content).join(', ')}`, answer.target);
      }
      continue;
    }
    if (answer.method === 'HEAD' || !/json$/.test(mediaType) || mediaType === 'application/x-ndjson') continue;
    if (answer.json === null && answer.body_size > 0) {
      fail(name, status, 'the body is not JSON', answer.target);
      continue;
    }
    const validate = validatorFor(`${name} ${status} ${mediaType}`, media.schema);
    if (!validate(answer.json)) {
      for (const error of validate.errors) {
        const where = error.instancePath || '(body)';
        const detail = error.params?.unevaluatedProperty ? ` "${error.params.unevaluatedProperty}"` : '';
        fail(name, status, `${where} ${error.message}${detail}`, answer.target);
      }
    }
  }
}

const described = [];
for (const { template, item } of operations) {
  for (const [method, operation] of Object.entries(item)) {
    for (const status of Object.keys(operation.responses ?? {})) described.push(`${method.toUpperCase()} ${template} ${status}`);
  }
}
const unseen = described.filter((key) => !seen.has(key));
console.log(`${checked} answers checked from ${files.length} files, ${skipped} to paths or methods the document does not have`);
console.log(`${described.length - unseen.length} of the ${described.length} described answers were seen`);

if (checked === 0) {
  console.error(`no answers recorded in ${logDirectory}: did the API tests run with ROSTER_API_RESPONSE_LOG?`);
  process.exit(1);
}
if (failures.size > 0) {
  console.error(`${failures.size} kinds of answers do not match the document:`);
  for (const [message, { count, target }] of [...failures].sort()) console.error(`  ${message} (${count}×, e.g. ${target})`);
  process.exit(1);
}
console.log('every recorded answer matches the document');
