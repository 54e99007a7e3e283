// test/opinfo/index.ts — every op family's entries, in one list for the generated tests.
import { attentionInfos } from './attention.js';
import { elementwiseInfos } from './elementwise.js';
import { everydayInfos } from './everyday.js';
import { indexingInfos } from './indexing.js';
import { linalgInfos } from './linalg.js';
import { nnFunctionalInfos } from './nn-functional.js';
import { nnFunctional2Infos } from './nn-functional2.js';
import { nnLayerInfos } from './nn-layers.js';
import { nnLayer2Infos } from './nn-layers2.js';
import { embeddingBagInfos, nnLoss2Infos } from './nn-losses2.js';
import { productInfos } from './products.js';
import { reduceInfos } from './reduce.js';
import { selectionAndSpecialInfos } from './selection.js';
import type { OpInfo } from './types.js';
import { viewInfos } from './views.js';

// One family per line: branches adding families merge without conflicts.
export const allOpInfos: OpInfo[] = [
  ...elementwiseInfos,
  ...viewInfos,
  ...linalgInfos,
  ...indexingInfos,
  ...reduceInfos,
  ...nnLayerInfos,
  ...nnFunctionalInfos,
  ...everydayInfos,
  ...nnFunctional2Infos,
  ...attentionInfos,
  ...productInfos,
  ...nnLayer2Infos,
  ...nnLoss2Infos,
  ...selectionAndSpecialInfos,
  ...embeddingBagInfos,
];
