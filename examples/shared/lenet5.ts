// examples/shared/lenet5.ts — LeNet-5 as an nn.Sequential, layer for layer as PyTorch's classic; shared by the
// Node CLIs (train, predict) and the browser demo (examples/web), so it imports nothing but kindling.
import { nn } from 'kindling';

/**
 * LeNet-5 for 1×28×28 images: the 28×28 input is padded by 2 to the paper's 32×32, so the
 * layers (and their indices in namedParameters: 0, 3, 7, 9, 11) are PyTorch's classic ones.
 */
export function lenet5(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), // 6×28×28
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 6×14×14
    new nn.Conv2d(6, 16, 5), // 16×10×10
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 16×5×5
    new nn.Flatten(), // 400
    new nn.Linear(400, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}
