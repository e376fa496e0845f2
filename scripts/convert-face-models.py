#!/usr/bin/python3
"""Convert the face models shipped as TF.js graph models inside @vladmandic/human to ONNX.

Usage (Debian's python3 has onnx + numpy; the pyenv python3 on PATH may not):
    /usr/bin/python3 scripts/convert-face-models.py node_modules/@vladmandic/human/models resources/models/face

Reads <src>/blazeface.{json,bin} and <src>/emotion.{json,bin}, writes <dst>/blazeface.onnx,
<dst>/emotion.onnx and <dst>/manifest.json (source package, sha256 of every input and output).

How: a TF.js graph model is a TF GraphDef serialised as JSON (modelTopology.node) plus a
weights manifest pointing into the .bin. Each node is mapped to ONNX (opset 13). Only the ops
these two graphs use are implemented; anything else stops the conversion with its name, so a
new model version can never be converted silently wrong.

Layout: the ONNX graph keeps the TF.js NHWC input and output shapes (callers feed the same
tensors to either runtime); inside, 4-D tensors are NCHW (one Transpose after the input,
weights stored OIHW), and layout-sensitive ops (Pad, Mean, Reshape) are rewritten for it.
TF "SAME" padding is turned into explicit, possibly asymmetric pads (TF puts the odd pixel
at the end), computed from the static shapes tracked here.

Output is deterministic: same inputs -> byte-identical .onnx files.
"""

import base64
import hashlib
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
MODELS = {
    'blazeface': 'BlazeFace face detector (MediaPipe "back" model, 256x256)',
    'emotion': 'mini-Xception facial expression classifier, 7 emotions (oarriaga/face_classification)',
}
TRAINED_ON = {
    'blazeface': 'MediaPipe face detection data (Google, not published)',
    'emotion': 'FER2013 (ICML 2013 representation-learning challenge, 48x48 grey faces), per oarriaga/face_classification',
}
DTYPES = {'float32': np.float32, 'int32': np.int32}


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_weights(model_dir, manifest):
    """Const name -> numpy array, read in manifest order from the concatenated shards."""
    weights = {}
    for group in manifest:
        blob = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        offset = 0
        for w in group['weights']:
            if 'quantization' in w:
                raise SystemExit(f"weight {w['name']}: quantized weights are not supported; use an unquantized model")
            dtype = DTYPES.get(w['dtype'])
            if dtype is None:
                raise SystemExit(f"weight {w['name']}: dtype {w['dtype']} is not supported")
            count = int(np.prod(w['shape'])) if w['shape'] else 1
            size = count * np.dtype(dtype).itemsize
            weights[w['name']] = np.frombuffer(blob[offset:offset + size], dtype=dtype).reshape(w['shape']).copy()
            offset += size
        if offset != len(blob):
            raise SystemExit(f"weights manifest covers {offset} bytes but the shards hold {len(blob)}")
    return weights


def attr_str(node, key):
    return base64.b64decode(node['attr'][key]['s']).decode()


def attr_ints(node, key):
    return [int(i) for i in node['attr'][key]['list'].get('i', [])]


def same_pads(size, kernel, stride, dilation):
    """TF SAME padding for one spatial axis: (begin, end), the odd pixel going to the end."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv_out(size, kernel, stride, dilation, pad):
    return (size + pad[0] + pad[1] - ((kernel - 1) * dilation + 1)) // stride + 1


class Converter:
    def __init__(self, name, topology, weights):
        self.name = name
        self.nodes = topology['node']
        self.weights = weights
        self.onnx_nodes = []
        self.initializers = []
        # TF tensor name -> (onnx tensor name, shape in the ONNX layout, layout 'NCHW' or 'plain')
        self.tensors = {}
        self.ops_seen = set()
        self.counter = 0

    def fresh(self, hint):
        self.counter += 1
        return f'{hint}__{self.counter}'

    def const(self, hint, array):
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def emit(self, op, inputs, outputs, node_name, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=node_name, **attrs))

    def inp(self, node, i):
        ref = node['input'][i].split(':')[0].lstrip('^')
        if ref in self.tensors:
            return self.tensors[ref]
        raise SystemExit(f"{self.name}: node {node['name']} reads {ref}, which is not computed yet")

    def const_value(self, node, i):
        ref = node['input'][i].split(':')[0]
        if ref not in self.weights:
            raise SystemExit(f"{self.name}: node {node['name']} needs constant input {ref}")
        return self.weights[ref]

    def convert(self):
        inputs, outputs = [], []
        for node in self.nodes:
            op = node['op']
            self.ops_seen.add(op)
            handler = getattr(self, 'op_' + op, None)
            if handler is None:
                raise SystemExit(f"{self.name}: TF op {op} (node {node['name']}) is not supported by this converter")
            result = handler(node)
            if op == 'Placeholder':
                inputs.append(result)
        # Graph outputs: the Identity nodes nobody consumes, in name order (Identity, Identity_1...).
        consumed = {i.split(':')[0].lstrip('^') for n in self.nodes for i in n.get('input', [])}
        finals = sorted((n['name'] for n in self.nodes if n['op'] == 'Identity' and n['name'] not in consumed),
                        key=lambda s: (len(s), s))
        for name in finals:
            tensor, shape, layout = self.tensors[name]
            if layout == 'NCHW':
                raise SystemExit(f'{self.name}: 4-D graph outputs are not supported ({name})')
            out_name = f'{name}:0'
            self.emit('Identity', [tensor], [out_name], f'output/{name}')
            outputs.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, shape))
        graph = helper.make_graph(self.onnx_nodes, self.name, inputs, outputs, self.initializers)
        model = helper.make_model(graph, producer_name='sentiscope convert-face-models.py',
                                  opset_imports=[helper.make_opsetid('', OPSET)])
        model.ir_version = 7
        onnx.checker.check_model(model, full_check=True)
        return model

    # --- ops ---------------------------------------------------------------------------

    def op_Const(self, node):
        pass  # read from the weights manifest when an op needs it

    def op_Placeholder(self, node):
        dims = [int(d['size']) for d in node['attr']['shape']['shape']['dim']]
        onnx_dims = ['batch' if d < 0 else d for d in dims]
        name = f"{node['name']}:0"
        info = helper.make_tensor_value_info(name, TensorProto.FLOAT, onnx_dims)
        if len(dims) == 4:
            nchw = self.fresh('input_nchw')
            self.emit('Transpose', [name], [nchw], 'input/to_nchw', perm=[0, 3, 1, 2])
            n, h, w, c = dims
            self.tensors[node['name']] = (nchw, [n, c, h, w], 'NCHW')
        else:
            self.tensors[node['name']] = (name, dims, 'plain')
        return info

    def op_Identity(self, node):
        self.tensors[node['name']] = self.inp(node, 0)

    def check_nhwc(self, node):
        if 'data_format' in node['attr'] and attr_str(node, 'data_format') != 'NHWC':
            raise SystemExit(f"{self.name}: {node['name']}: only NHWC data_format is supported")

    def conv(self, node, weight_oihw, bias, group, relu):
        self.check_nhwc(node)
        x, (n, _, h, w), layout = self.inp(node, 0)
        assert layout == 'NCHW'
        strides = attr_ints(node, 'strides')[1:3]
        dil = attr_ints(node, 'dilations')[1:3]
        kh, kw = weight_oihw.shape[2:]
        padding = attr_str(node, 'padding')
        if padding == 'SAME':
            ph, pw = same_pads(h, kh, strides[0], dil[0]), same_pads(w, kw, strides[1], dil[1])
        elif padding == 'VALID':
            ph, pw = (0, 0), (0, 0)
        else:
            raise SystemExit(f"{self.name}: {node['name']}: padding {padding} is not supported")
        args = [x, self.const(node['name'] + '/weight', weight_oihw.astype(np.float32))]
        if bias is not None:
            args.append(self.const(node['name'] + '/bias', bias.astype(np.float32)))
        out = self.fresh(node['name'])
        self.emit('Conv', args, [out], node['name'], kernel_shape=[int(kh), int(kw)], strides=strides, dilations=dil,
                  pads=[ph[0], pw[0], ph[1], pw[1]], group=group)
        if relu:
            act = self.fresh(node['name'] + '/relu')
            self.emit('Relu', [out], [act], node['name'] + '/relu')
            out = act
        shape = [n, weight_oihw.shape[0], conv_out(h, kh, strides[0], dil[0], ph), conv_out(w, kw, strides[1], dil[1], pw)]
        self.tensors[node['name']] = (out, shape, 'NCHW')

    def op__FusedConv2D(self, node):
        fused = [base64.b64decode(s).decode() for s in node['attr']['fused_ops']['list'].get('s', [])]
        if fused not in (['BiasAdd'], ['BiasAdd', 'Relu']):
            raise SystemExit(f"{self.name}: {node['name']}: fused ops {fused} are not supported")
        if int(node['attr'].get('num_args', {}).get('i', '1')) != 1:
            raise SystemExit(f"{self.name}: {node['name']}: only one fused argument (the bias) is supported")
        filt = self.const_value(node, 1)  # HWIO
        bias = self.const_value(node, 2)
        self.conv(node, filt.transpose(3, 2, 0, 1), bias, 1, fused[-1] == 'Relu')

    def op_Conv2D(self, node):
        self.conv(node, self.const_value(node, 1).transpose(3, 2, 0, 1), None, 1, False)

    def op_DepthwiseConv2dNative(self, node):
        filt = self.const_value(node, 1)  # H, W, Cin, multiplier
        kh, kw, cin, mult = filt.shape
        # TF output channel c*mult + m -> ONNX grouped conv with group = Cin.
        weight = filt.transpose(2, 3, 0, 1).reshape(cin * mult, 1, kh, kw)
        self.conv(node, weight, None, cin, False)

    def binary(self, node, onnx_op):
        a, sa, la = self.inp(node, 0)
        b, sb, lb = self.inp(node, 1)
        if la != lb or sa != sb:
            raise SystemExit(f"{self.name}: {node['name']}: broadcasting {sa} with {sb} is not supported")
        out = self.fresh(node['name'])
        self.emit(onnx_op, [a, b], [out], node['name'])
        self.tensors[node['name']] = (out, sa, la)

    def op_AddV2(self, node):
        self.binary(node, 'Add')

    def op_Add(self, node):
        self.binary(node, 'Add')

    def unary(self, node, onnx_op, **attrs):
        x, shape, layout = self.inp(node, 0)
        out = self.fresh(node['name'])
        self.emit(onnx_op, [x], [out], node['name'], **attrs)
        self.tensors[node['name']] = (out, shape, layout)

    def op_Relu(self, node):
        self.unary(node, 'Relu')

    def op_Sigmoid(self, node):
        self.unary(node, 'Sigmoid')

    def op_Softmax(self, node):
        x, shape, layout = self.inp(node, 0)
        if layout != 'plain':
            raise SystemExit(f"{self.name}: {node['name']}: Softmax over a 4-D tensor is not supported")
        self.unary(node, 'Softmax', axis=len(shape) - 1)

    def op_MaxPool(self, node):
        self.check_nhwc(node)
        x, (n, c, h, w), layout = self.inp(node, 0)
        k = attr_ints(node, 'ksize')[1:3]
        s = attr_ints(node, 'strides')[1:3]
        padding = attr_str(node, 'padding')
        if padding == 'SAME':
            # ONNX MaxPool pads with -inf, like TF's SAME max pooling ignores the border.
            ph, pw = same_pads(h, k[0], s[0], 1), same_pads(w, k[1], s[1], 1)
        else:
            ph, pw = (0, 0), (0, 0)
        out = self.fresh(node['name'])
        self.emit('MaxPool', [x], [out], node['name'], kernel_shape=k, strides=s, pads=[ph[0], pw[0], ph[1], pw[1]])
        self.tensors[node['name']] = (out, [n, c, conv_out(h, k[0], s[0], 1, ph), conv_out(w, k[1], s[1], 1, pw)], 'NCHW')

    def op_Pad(self, node):
        x, shape, layout = self.inp(node, 0)
        pads = self.const_value(node, 1).astype(np.int64)  # [rank, 2], NHWC order
        if layout == 'NCHW':
            pads = pads[[0, 3, 1, 2]]
        onnx_pads = np.concatenate([pads[:, 0], pads[:, 1]]).astype(np.int64)
        out = self.fresh(node['name'])
        self.emit('Pad', [x, self.const(node['name'] + '/pads', onnx_pads)], [out], node['name'], mode='constant')
        self.tensors[node['name']] = (out, [d + int(p[0] + p[1]) for d, p in zip(shape, pads)], layout)

    def op_Mean(self, node):
        x, shape, layout = self.inp(node, 0)
        axes = [int(a) for a in np.atleast_1d(self.const_value(node, 1))]
        axes = [a % len(shape) for a in axes]
        if layout == 'NCHW':
            axes = [[0, 2, 3, 1][a] for a in axes]  # NHWC axis -> NCHW axis
        keep = bool(node['attr'].get('keep_dims', {}).get('b', False))
        if keep and layout == 'NCHW':
            raise SystemExit(f"{self.name}: {node['name']}: Mean with keep_dims on 4-D tensors is not supported")
        out = self.fresh(node['name'])
        self.emit('ReduceMean', [x], [out], node['name'], axes=sorted(axes), keepdims=int(keep))
        self.tensors[node['name']] = (out, [d for i, d in enumerate(shape) if keep or i not in axes], 'plain')

    def op_Reshape(self, node):
        x, shape, layout = self.inp(node, 0)
        if layout == 'NCHW':
            # TF reshapes NHWC memory order: go back to NHWC first.
            nhwc = self.fresh(node['name'] + '/to_nhwc')
            self.emit('Transpose', [x], [nhwc], node['name'] + '/to_nhwc', perm=[0, 2, 3, 1])
            x, shape = nhwc, [shape[0], shape[2], shape[3], shape[1]]
        target = self.const_value(node, 1).astype(np.int64)
        total = int(np.prod(shape))
        known = int(np.prod([d for d in target if d != -1]))
        out_shape = [int(d) if d != -1 else total // known for d in target]
        out = self.fresh(node['name'])
        self.emit('Reshape', [x, self.const(node['name'] + '/shape', target)], [out], node['name'])
        self.tensors[node['name']] = (out, out_shape, 'plain')


def convert(src_dir, dst_dir, name):
    json_path = os.path.join(src_dir, f'{name}.json')
    with open(json_path) as f:
        spec = json.load(f)
    if spec.get('format') != 'graph-model':
        raise SystemExit(f'{json_path}: not a TF.js graph model (format {spec.get("format")})')
    weights = read_weights(src_dir, spec['weightsManifest'])
    converter = Converter(name, spec['modelTopology'], weights)
    model = converter.convert()
    model.doc_string = f"{MODELS[name]}. Converted from TF.js ({spec.get('generatedBy')}, converted by {spec.get('convertedBy')})."
    out_path = os.path.join(dst_dir, f'{name}.onnx')
    with open(out_path, 'wb') as f:
        f.write(model.SerializeToString())
    bins = [p for g in spec['weightsManifest'] for p in g['paths']]
    g = model.graph
    return {
        'description': MODELS[name],
        'trainedOn': TRAINED_ON[name],
        'file': f'{name}.onnx',
        'sha256': sha256(out_path),
        'bytes': os.path.getsize(out_path),
        'opset': OPSET,
        'inputs': [{'name': i.name, 'shape': [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim], 'layout': 'NHWC'} for i in g.input],
        'outputs': [{'name': o.name, 'shape': [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]} for o in g.output],
        'tfOps': sorted(converter.ops_seen),
        'source': {
            'files': {p: sha256(os.path.join(src_dir, p)) for p in [f'{name}.json', *bins]},
            'generatedBy': spec.get('generatedBy'),
            'convertedBy': spec.get('convertedBy'),
        },
    }


def find_package_json(src_dir):
    d = os.path.abspath(src_dir)
    while d != os.path.dirname(d):
        p = os.path.join(d, 'package.json')
        if os.path.exists(p):
            return p
        d = os.path.dirname(d)
    return None


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    src_dir, dst_dir = argv[1], argv[2]
    os.makedirs(dst_dir, exist_ok=True)
    pkg_path = find_package_json(src_dir)
    pkg = json.load(open(pkg_path)) if pkg_path else {}
    manifest = {
        'generatedBy': 'scripts/convert-face-models.py',
        'package': {'name': pkg.get('name'), 'version': pkg.get('version'), 'license': pkg.get('license')},
        'licenses': {
            'blazeface': 'Apache-2.0 (MediaPipe BlazeFace); TF.js packaging MIT (@vladmandic/human)',
            'emotion': 'MIT (oarriaga/face_classification); TF.js packaging MIT (@vladmandic/human)',
        },
        'models': {name: convert(src_dir, dst_dir, name) for name in MODELS},
    }
    with open(os.path.join(dst_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write('\n')
    for name, m in manifest['models'].items():
        print(f"{name}: {m['bytes']} bytes, sha256 {m['sha256']}, TF ops {', '.join(m['tfOps'])}")


if __name__ == '__main__':
    main(sys.argv)
