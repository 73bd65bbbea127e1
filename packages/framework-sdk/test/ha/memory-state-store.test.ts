import { MemoryStateStore } from '../../src/ha/index.js';
import { describeStateStore } from './state-store-conformance.js';

describeStateStore('MemoryStateStore', async () => ({ store: new MemoryStateStore() }), false);
