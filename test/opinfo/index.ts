// test/opinfo/index.ts — every op family's entries, in one list for the generated tests.
import { elementwiseInfos } from './elementwise.js';
import { everydayInfos } from './everyday.js';
import { productInfos } from './products.js';
import { selectionAndSpecialInfos } from './selection.js';
import { indexingInfos } from './indexing.js';
import { linalgInfos } from './linalg.js';
import { nnFunctionalInfos } from './nn-functional.js';
import { nnLayerInfos } from './nn-layers.js';
import { reduceInfos } from './reduce.js';
import type { OpInfo } from './types.js';
import { viewInfos } from './views.js';

export const allOpInfos: OpInfo[] = [...elementwiseInfos, ...viewInfos, ...linalgInfos, ...indexingInfos, ...reduceInfos, ...nnLayerInfos, ...nnFunctionalInfos, ...everydayInfos, ...productInfos, ...selectionAndSpecialInfos];
