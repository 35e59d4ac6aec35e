// Imported first by each entry point, for its side effect: the heap flags are set before the
// modules below it are loaded (ES imports run in order; a call in the entry's body would come
// after all of them).
import { useLeanHeap } from './heap.js';

useLeanHeap();
