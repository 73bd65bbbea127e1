#!/usr/bin/env node
// docs/sdk.md, "Run it": the render farm as a program.
// #region main
import { renderFrames } from './render-farm.js';

const master = process.env['MESOCOSM_MASTER'] ?? '127.0.0.1:5060'; // where `mesocosm master` listens by default
const results = await renderFrames({ master, frames: Number(process.argv[2] ?? 6) });
for (const r of results) console.log(`frame ${r.frame}: ${r.state} on ${r.hostname} after ${r.attempts} attempt(s)`);
process.exitCode = results.every((r) => r.state === 'TASK_FINISHED') ? 0 : 1;
// #endregion main
