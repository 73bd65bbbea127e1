// Generates the typed protobuf module from proto/ with protobufjs (pbjs + pbts).
// Output: src/generated/proto.{js,d.ts} (gitignored) and the same files in
// lib/src/generated/, since tsc does not copy plain .js files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoRoot = join(root, 'proto');
const srcOut = join(root, 'src', 'generated');
const libOut = join(root, 'lib', 'src', 'generated');
const bin = (name) => join(root, '..', '..', 'node_modules', '.bin', name);

function protoFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return protoFiles(path);
    return path.endsWith('.proto') ? [path] : [];
  });
}

mkdirSync(srcOut, { recursive: true });
mkdirSync(libOut, { recursive: true });
const js = join(srcOut, 'proto.js');
const dts = join(srcOut, 'proto.d.ts');
execFileSync(
  bin('pbjs'),
  [
    '-t',
    'static-module',
    '-w',
    'es6',
    '--es6',
    '--force-number',
    '--no-delimited',
    '--no-service',
    '--no-beautify',
    '-p',
    protoRoot,
    '-o',
    js,
    ...protoFiles(protoRoot).sort(),
  ],
  { cwd: protoRoot, stdio: 'inherit' },
);
// 64-bit integers decode as plain numbers (the types say `number`): without
// util.Long, protobufjs' reader returns numbers; configure() rebinds it.
const importLine = 'import $protobuf from "protobufjs/minimal.js";';
const generated = readFileSync(js, 'utf8');
if (!generated.includes(importLine)) throw new Error(`pbjs output changed: no '${importLine}'`);
writeFileSync(
  js,
  generated.replace(importLine, `${importLine}\n$protobuf.util.Long = undefined;\n$protobuf.configure();`),
);
execFileSync(bin('pbts'), ['--no-comments', '-o', dts, js], { stdio: 'inherit' });
copyFileSync(js, join(libOut, 'proto.js'));
copyFileSync(dts, join(libOut, 'proto.d.ts'));
