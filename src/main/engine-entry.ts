import { runEngineProcess } from '../core/engine-process.js';

void runEngineProcess();
