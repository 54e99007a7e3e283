// src/optim/index.ts — torch.optim: the optimizers and torch.optim.lr_scheduler as lrScheduler.
export {
  Optimizer, type BaseOptions, type ParamGroup, type ParamGroupInput, type Params, type ParamState, type StateValue,
  type OptimizerStateDict, type SchedulerFields, type GroupValue,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export * as lrScheduler from './lr-scheduler.js';
