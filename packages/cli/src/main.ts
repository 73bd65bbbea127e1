#!/usr/bin/env node
// The `mesocosm` command: master, agent, local. See `mesocosm --help`.
import { runAgent } from './commands/agent.js';
import { runLocal } from './commands/local.js';
import { runMaster } from './commands/master.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), { master: runMaster, agent: runAgent, local: runLocal });
process.exit(code);
