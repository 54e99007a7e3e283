// test/opinfo/index.ts — every op family's entries, in one list for the generated tests.
import { elementwiseInfos } from './elementwise.js';
import { indexingInfos } from './indexing.js';
import { linalgInfos } from './linalg.js';
import { nnFunctionalInfos } from './nn-functional.js';
import { nnFunctional2Infos } from './nn-functional2.js';
import { nnLayerInfos } from './nn-layers.js';
import { nnLayer2Infos } from './nn-layers2.js';
import { embeddingBagInfos, nnLoss2Infos } from './nn-losses2.js';
import { reduceInfos } from './reduce.js';
import type { OpInfo } from './types.js';
import { viewInfos } from './views.js';

export const allOpInfos: OpInfo[] = [...elementwiseInfos, ...viewInfos, ...linalgInfos, ...indexingInfos, ...reduceInfos, ...nnLayerInfos, ...nnFunctionalInfos, ...nnFunctional2Infos, ...nnLayer2Infos, ...nnLoss2Infos, ...embeddingBagInfos];
