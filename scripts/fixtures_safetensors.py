# scripts/fixtures_safetensors.py — writes test/fixtures/tensors.safetensors (+ safetensors.json) from PyTorch tensors,
# and checks safetensors files written by kindling.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_safetensors.py
#   or: /usr/bin/python3 scripts/fixtures_safetensors.py --check FILE   (prints the tensors of FILE as JSON)
# The safetensors package is not installed here, so the format is written and read by hand, following the
# spec (huggingface/safetensors README) and the library's serializer: u64 little-endian header length,
# compact JSON header with __metadata__ first and tensors ordered by descending dtype alignment then name,
# padded with spaces to a multiple of 8, then the little-endian C-order data.
import json
import os
import struct
import sys

import numpy as np
import torch

CODES = {torch.bool: 'BOOL', torch.uint8: 'U8', torch.int32: 'I32', torch.float32: 'F32', torch.float64: 'F64',
         torch.int64: 'I64'}
DTYPES = {code: dtype for dtype, code in CODES.items()}
RANK = {'BOOL': 0, 'U8': 1, 'I32': 9, 'F32': 11, 'F64': 12, 'I64': 13}  # order in the library's Dtype enum
NUMPY = {'BOOL': '<u1', 'U8': '<u1', 'I32': '<i4', 'F32': '<f4', 'F64': '<f8', 'I64': '<i8'}


def serialize(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-RANK[CODES[kv[1].dtype]], kv[0].encode('utf-8')))
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode('utf-8'))}
    for name, t in items:
        code = CODES[t.dtype]
        blob = t.contiguous().numpy().astype(NUMPY[code]).tobytes()
        header[name] = {'dtype': code, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(blobs)


def deserialize(data):
    (n,) = struct.unpack('<Q', data[:8])
    assert n <= 100_000_000 and 8 + n <= len(data), 'bad header length'
    assert n % 8 == 0, 'header not padded to 8 bytes'
    header = json.loads(data[8:8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', {})
    body = data[8 + n:]
    covered = 0
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]['data_offsets']):
        begin, end = info['data_offsets']
        assert begin == covered, f'{name}: gap or overlap'
        count = int(np.prod(info['shape'], dtype=np.int64))
        assert end - begin == count * np.dtype(NUMPY[info['dtype']]).itemsize, f'{name}: size mismatch'
        arr = np.frombuffer(body[begin:end], dtype=NUMPY[info['dtype']]).reshape(info['shape'])
        out[name] = torch.from_numpy(arr.copy()).to(DTYPES[info['dtype']])
        covered = end
    assert covered == len(body), 'trailing bytes'
    return out, metadata, header


def reference():
    torch.manual_seed(0)
    tensors = {
        'weight': torch.randn(2, 3),
        'bias': torch.randn(3, dtype=torch.float64),
        'step': torch.tensor(2**40 + 3),
        'big': torch.tensor([-(2**53), 2**53 - 1, -1]),
        'ids': torch.tensor([[-7, 0], [2**31 - 1, -2**31]], dtype=torch.int32),
        'mask': torch.tensor([True, False, False, True]),
        'pixels': torch.tensor([[0, 255], [17, 128]], dtype=torch.uint8),
        'empty': torch.zeros(0, 3),
        '0': torch.tensor([1.5]),
        'layer.é': torch.tensor([-0.0, float('inf'), float('nan')], dtype=torch.float32),
    }
    metadata = {'format': 'pt', 'producer': 'kindling fixtures'}
    return tensors, metadata


def jsonable(t):
    values = t.reshape(-1).tolist()
    if t.is_floating_point():
        return [v if v == v and abs(v) != float('inf') else repr(v) for v in values]
    return values


def main():
    root = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        with open(sys.argv[2], 'rb') as f:
            data = f.read()
        tensors, metadata, header = deserialize(data)
        tensors_ref, metadata_ref = reference()
        same = serialize(tensors, metadata) == data
        print(json.dumps({'metadata': metadata, 'order': list(header), 'rewritten_identically': same,
                          'tensors': {k: {'dtype': str(v.dtype), 'shape': list(v.shape), 'values': jsonable(v)}
                                      for k, v in tensors.items()}}))
        return
    tensors, metadata = reference()
    data = serialize(tensors, metadata)
    with open(os.path.join(root, 'tensors.safetensors'), 'wb') as f:
        f.write(data)
    back, _, _ = deserialize(data)
    assert all(torch.equal(back[k], v) or k == 'layer.é' for k, v in tensors.items())
    expected = {'torch': torch.__version__, 'metadata': metadata,
                'tensors': {k: {'dtype': CODES[v.dtype], 'shape': list(v.shape), 'values': jsonable(v)}
                            for k, v in tensors.items()}}
    with open(os.path.join(root, 'safetensors.json'), 'w') as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
