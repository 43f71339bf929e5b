// Imports one of the console's TypeScript modules under Node for its unit
// tests: TypeScript (already a build dependency) strips the types, and the
// result is imported as a data: URL. Only for modules without imports.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

export async function importTs(relativePath) {
  const url = new URL(`../src/${relativePath}`, import.meta.url);
  const source = await readFile(url, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: url.pathname,
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}
