// scripts/opinfo-samples.ts — writes the op database's samples as JSON for scripts/fixtures_ops.py.
import { allOpInfos } from '../test/opinfo/index.js';
import { hashName, inputValues } from '../test/opinfo/values.js';

const cases = [];
for (const info of allOpInfos) {
  for (const dtype of info.dtypes ?? ['float32', 'float64']) {
    for (const sample of info.samples) {
      const key = `${info.name}/${sample.name}/${dtype}`;
      cases.push({
        key,
        py: info.py,
        dtype,
        differentiable: info.differentiable ?? true,
        inputs: sample.inputs.map((spec, k) => ({
          shape: spec.shape,
          kind: spec.kind ?? 'float',
          transposed: spec.transposed ?? false,
          grad: spec.grad ?? true,
          values: inputValues(spec, hashName(`${info.name}/${sample.name}/${k}`)),
        })),
      });
    }
  }
}
process.stdout.write(JSON.stringify(cases));
