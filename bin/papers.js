#!/usr/bin/env node
// The built CLI lives in dist/ (npm install runs the build). Nothing else here.
import { main } from '../dist/cli.js';

await main(process.argv);
