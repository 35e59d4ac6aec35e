// Tests start their own emulator per file, through the same code the demo uses.
export { freePort, motoServerBinary, startMoto, type Moto } from '../../src/local/emulator.js';
