/* The character model of section 18-3, one character at a time, in plain JavaScript.
 *
 * Reads the export of booktools.extensions.model_export (a JSON manifest and one binary
 * file of float16 tensors in Keras' layout) and computes what Keras computes:
 *
 *   ids -> Embedding -> GRU x layers (reset_after=True) -> Dense -> logits (V)
 *
 * The recurrent state is carried from step to step: each character costs one
 * GRU step per layer, whatever came before. Loaded by worker.js (importScripts)
 * and by Node (require) alike; no DOM. Numbers are computed in float64 from the
 * float16 weights (Keras, computing in float32 on the same weights, differs by a few
 * 1e-6). tests/test_model_export.py runs this file in Node against rnnbook.rnn.gru, the
 * book's NumPy GRU; tests/test_char_widget.py runs it in Chromium.
 */
(function (root) {
  'use strict';

  var FORMAT = 'rnnbook.charmodel/1';

  /* One IEEE 754 half-precision value: its 16 bits (a uint16) -> the number they hold. */
  function halfToFloat(bits) {
    var sign = bits & 0x8000 ? -1 : 1;
    var exponent = (bits >> 10) & 0x1f;
    var fraction = bits & 0x3ff;
    if (exponent === 0) return sign * fraction * Math.pow(2, -24);          // subnormal
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * Math.pow(2, exponent - 15);
  }

  var HALF_TABLE = null;
  function decodeFloat16(u16) {
    if (!HALF_TABLE) {
      HALF_TABLE = new Float32Array(65536);
      for (var b = 0; b < 65536; b++) HALF_TABLE[b] = halfToFloat(b);
    }
    var out = new Float32Array(u16.length);
    for (var i = 0; i < u16.length; i++) out[i] = HALF_TABLE[u16[i]];
    return out;
  }

  /* The tensors of the binary, by name: {shape, data (Float32Array, row-major)}. */
  function readTensors(manifest, buffer) {
    if (manifest.format !== FORMAT) {
      throw new Error('not a ' + FORMAT + ' manifest: ' + manifest.format);
    }
    if (buffer.byteLength !== manifest.bytes) {
      throw new Error('the weights file has ' + buffer.byteLength + ' bytes, the manifest says '
                      + manifest.bytes);
    }
    var tensors = {};
    manifest.tensors.forEach(function (entry) {
      var count = entry.shape.reduce(function (a, b) { return a * b; }, 1);
      var data;
      if (entry.dtype === 'float16') {
        data = decodeFloat16(new Uint16Array(buffer, entry.offset, count));
      } else if (entry.dtype === 'float32') {
        data = new Float32Array(buffer.slice(entry.offset, entry.offset + 4 * count));
      } else {
        throw new Error('tensor ' + entry.name + ' has dtype ' + entry.dtype);
      }
      tensors[entry.name] = {shape: entry.shape, data: data};
    });
    return tensors;
  }

  /* A Keras kernel (inputs, outputs), row-major, with its bias, packed for matvec: the
   * outputs in groups of four, each group's weights interleaved input by input,
   * w[(g * inputs + i) * 4 + r] = kernel[i, 4g + r], so that one pass over the array
   * reads them in order. Outputs past the last are zero (out needs 4 * groups). */
  function Packed(kernel, inputs, outputs, bias) {
    var groups = Math.ceil(outputs / 4);
    this.inputs = inputs;
    this.outputs = outputs;
    this.groups = groups;
    this.w = new Float32Array(groups * inputs * 4);
    this.bias = new Float64Array(groups * 4);
    for (var g = 0; g < groups; g++) {
      for (var r = 0; r < 4; r++) {
        var column = 4 * g + r;
        if (column >= outputs) continue;
        this.bias[column] = bias[column];
        for (var i = 0; i < inputs; i++) {
          this.w[(g * inputs + i) * 4 + r] = kernel[i * outputs + column];
        }
      }
    }
  }

  /* out = x @ kernel + bias, x of length `inputs`: four sums at a time, one pass. */
  function matvec(packed, x, out) {
    var w = packed.w, bias = packed.bias, n = packed.inputs, k = 0;
    for (var g = 0; g < packed.groups; g++) {
      var a = 0, b = 0, c = 0, d = 0;
      for (var i = 0; i < n; i++, k += 4) {
        var xi = x[i];
        a += w[k] * xi;
        b += w[k + 1] * xi;
        c += w[k + 2] * xi;
        d += w[k + 3] * xi;
      }
      var j = 4 * g;
      out[j] = bias[j] + a;
      out[j + 1] = bias[j + 1] + b;
      out[j + 2] = bias[j + 2] + c;
      out[j + 3] = bias[j + 3] + d;
    }
  }

  function sigmoid(v) { return 1 / (1 + Math.exp(-v)); }

  /* One GRU layer of Keras (reset_after=True): gate order z, r, h in kernels and biases. */
  function GRULayer(spec, tensors, inputSize) {
    var kernel = tensors[spec.tensors.kernel];
    var recurrent = tensors[spec.tensors.recurrent_kernel];
    var bias = tensors[spec.tensors.bias];
    var H = spec.units;
    if (spec.type !== 'GRU' || spec.reset_after !== true || spec.gate_order.join('') !== 'zrh'
        || spec.activation !== 'tanh' || spec.recurrent_activation !== 'sigmoid') {
      throw new Error('layer ' + spec.name + ' is not a GRU this step computes');
    }
    check(kernel, [inputSize, 3 * H], spec.tensors.kernel);
    check(recurrent, [H, 3 * H], spec.tensors.recurrent_kernel);
    check(bias, [2, 3 * H], spec.tensors.bias);
    this.units = H;
    this.inputSize = inputSize;
    this.kernel = new Packed(kernel.data, inputSize, 3 * H, bias.data.subarray(0, 3 * H));
    this.recurrent = new Packed(recurrent.data, H, 3 * H, bias.data.subarray(3 * H, 6 * H));
    this.gx = new Float64Array(4 * this.kernel.groups);
    this.gh = new Float64Array(4 * this.recurrent.groups);
    this.next = new Float64Array(H);
  }

  /* Gate pre-activations from the input, x @ kernel + bias[0] (3H): 18-2's U x_t, for
   * z, r and the candidate (the kernel is U transposed). */
  GRULayer.prototype.inputGates = function (x, out) {
    matvec(this.kernel, x, out);
  };

  /* The new state from the old one h (Float64Array H) and the input's gate
   * pre-activations gx (3H), into out (H). */
  GRULayer.prototype.update = function (gx, h, out) {
    var H = this.units, gh = this.gh;
    matvec(this.recurrent, h, gh);          // h @ recurrent_kernel + bias[1]: 18-2's W s_{t-1}
    for (var j = 0; j < H; j++) {
      var z = sigmoid(gx[j] + gh[j]);
      var r = sigmoid(gx[H + j] + gh[H + j]);
      var candidate = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
      out[j] = z * h[j] + (1 - z) * candidate;
    }
  };

  function check(tensor, shape, name) {
    if (!tensor) throw new Error('the weights have no tensor ' + name);
    if (tensor.shape.join(',') !== shape.join(',')) {
      throw new Error(name + ' has shape (' + tensor.shape + '), expected (' + shape + ')');
    }
  }

  /* The model: step(id, state) -> logits (Float64Array V), state carried by the caller. */
  function CharModel(manifest, buffer) {
    var tensors = readTensors(manifest, buffer);
    var specs = manifest.layers;
    var embedding = tensors[specs[0].tensors.embeddings];
    this.vocabulary = Array.from(manifest.vocabulary);
    var V = this.vocabulary.length;
    var E = embedding.shape[1];
    check(embedding, [V, E], specs[0].tensors.embeddings);
    this.layers = [];
    var size = E;
    for (var l = 1; l < specs.length - 1; l++) {
      var layer = new GRULayer(specs[l], tensors, size);
      this.layers.push(layer);
      size = layer.units;
    }
    var dense = specs[specs.length - 1];
    var kernel = tensors[dense.tensors.kernel], bias = tensors[dense.tensors.bias];
    check(kernel, [size, V], dense.tensors.kernel);
    check(bias, [V], dense.tensors.bias);
    this.output = new Packed(kernel.data, size, V, bias.data);
    this.scores = new Float64Array(4 * this.output.groups);
    // The first layer's input gates of every character, computed once:
    // embedding[id] @ kernel + bias[0] is a row of this (V, 3H) table.
    var first = this.layers[0], G = 3 * first.units;
    this.firstGates = new Float64Array(V * G);
    var gates = new Float64Array(first.gx.length);
    for (var id = 0; id < V; id++) {
      first.inputGates(Float64Array.from(embedding.data.subarray(id * E, (id + 1) * E)), gates);
      this.firstGates.set(gates.subarray(0, G), id * G);
    }
    this.ids = {};
    for (var k = 0; k < V; k++) this.ids[this.vocabulary[k]] = k;
    this.unknownId = manifest.unknown_id || 0;
    this.parameters = manifest.parameters;
  }

  /* The zero state of every layer, as at the start of a text. */
  CharModel.prototype.initialState = function () {
    return this.layers.map(function (layer) { return new Float64Array(layer.units); });
  };

  /* Read one character id in `state` (updated in place); return the logits (V). */
  CharModel.prototype.step = function (id, state, logits) {
    var V = this.vocabulary.length;
    logits = logits || new Float64Array(V);
    var first = this.layers[0], G = 3 * first.units;
    var gx = this.firstGates.subarray(id * G, (id + 1) * G);
    var x = null;
    for (var l = 0; l < this.layers.length; l++) {
      var layer = this.layers[l];
      if (l > 0) { layer.inputGates(x, layer.gx); gx = layer.gx; }
      layer.update(gx, state[l], layer.next);
      state[l].set(layer.next);
      x = state[l];
    }
    matvec(this.output, x, this.scores);
    logits.set(this.scores.subarray(0, V));
    return logits;
  };

  /* The ids of a text, and the characters outside the vocabulary (sorted, distinct). */
  CharModel.prototype.encode = function (text) {
    var ids = [], unknown = [], chars = Array.from(text), self = this;
    chars.forEach(function (c) {
      if (Object.prototype.hasOwnProperty.call(self.ids, c)) ids.push(self.ids[c]);
      else if (unknown.indexOf(c) < 0) unknown.push(c);
    });
    unknown.sort();
    return {ids: ids, unknown: unknown};
  };

  /* -log P(text[t+1] | text[..t]) for t = 0 .. T-2 (nats), from the zero state. */
  CharModel.prototype.surprise = function (ids) {
    var state = this.initialState(), logits = new Float64Array(this.vocabulary.length);
    var losses = new Float64Array(Math.max(ids.length - 1, 0));
    for (var t = 0; t + 1 < ids.length; t++) {
      this.step(ids[t], state, logits);
      losses[t] = logSumExp(logits) - logits[ids[t + 1]];
    }
    return losses;
  };

  function logSumExp(v) {
    var max = -Infinity, i;
    for (i = 0; i < v.length; i++) if (v[i] > max) max = v[i];
    var sum = 0;
    for (i = 0; i < v.length; i++) sum += Math.exp(v[i] - max);
    return max + Math.log(sum);
  }

  /* The distribution a character is drawn from, as rnnbook.charrnn.sampling draws it:
   * softmax(logits / temperature) over the topK largest (exactly k, ties to the smaller
   * id; null: all), never unknownId (the placeholder, id 0); topK 1 is the most likely
   * character. */
  function distribution(logits, temperature, topK, unknownId) {
    var V = logits.length, order = [], i;
    unknownId = unknownId || 0;
    for (i = 0; i < V; i++) if (i !== unknownId) order.push(i);
    order.sort(function (a, b) { return logits[b] - logits[a] || a - b; });
    var kept = topK ? order.slice(0, topK) : order;
    var p = new Float64Array(V);
    if (kept.length === 1) { p[kept[0]] = 1; return p; }
    var max = logits[kept[0]] / temperature, sum = 0;
    kept.forEach(function (k) { p[k] = Math.exp(logits[k] / temperature - max); sum += p[k]; });
    kept.forEach(function (k) { p[k] /= sum; });
    return p;
  }

  /* The n most probable ids of p, most probable first (ties to the smaller id). */
  function topIds(p, n) {
    var ids = [];
    for (var i = 0; i < p.length; i++) if (p[i] > 0) ids.push(i);
    ids.sort(function (a, b) { return p[b] - p[a] || a - b; });
    return ids.slice(0, n);
  }

  /* A draw from p, given a uniform number u in [0, 1). */
  function draw(p, u) {
    var cumulative = 0, last = 0;
    for (var i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        cumulative += p[i];
        last = i;
        if (u < cumulative) return i;
      }
    }
    return last;
  }

  /* A small seeded generator (mulberry32): the same seed, the same text. */
  function seededRandom(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  var api = {
    FORMAT: FORMAT, CharModel: CharModel, decodeFloat16: decodeFloat16, halfToFloat: halfToFloat,
    distribution: distribution, topIds: topIds, draw: draw, seededRandom: seededRandom,
    logSumExp: logSumExp
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.CharModelGRU = api;
})(typeof self !== 'undefined' ? self : this);
