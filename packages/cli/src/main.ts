#!/usr/bin/env node
// The `mesocosm` command: master, agent, local, marathon, chronos. See `mesocosm --help`.
import { runAgent } from './commands/agent.js';
import { runChronos } from './commands/chronos.js';
import { runLocal } from './commands/local.js';
import { runMarathon } from './commands/marathon.js';
import { runMaster } from './commands/master.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  master: runMaster,
  agent: runAgent,
  local: runLocal,
  marathon: runMarathon,
  chronos: runChronos,
});
process.exit(code);
