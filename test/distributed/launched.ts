// test/distributed/launched.ts — a script for kindling-run in launcher.test.ts: joins the group from the
// environment the launcher sets, all-reduces rank + 1 and prints what it got; the rank named by
// FAIL_RANK exits with status 5 instead.
import * as torch from '../../src/index.js';

const dist = torch.distributed;
await dist.initProcessGroup({ timeout: 20000 });
if (process.env.FAIL_RANK === String(dist.getRank())) process.exit(5);
const t = torch.tensor([dist.getRank() + 1]);
await dist.allReduce(t);
console.log(`rank ${dist.getRank()}/${dist.getWorldSize()} local ${process.env.LOCAL_RANK} sum ${t.item()}`);
dist.destroyProcessGroup();
