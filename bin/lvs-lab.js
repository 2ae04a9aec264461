#!/usr/bin/env node
// Runs the compiled CLI (npm run build writes out/).
import process from 'node:process';
import { run } from '../out/main/cli/lvs-lab.js';

await run(process.argv.slice(2));
