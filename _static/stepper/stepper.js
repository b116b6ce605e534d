/* The unrolled RNN of section 18-3, stepped by hand in the page, without a kernel.
 *
 * Fills each <div class="hello-stepper"> that rnnbook.show.stepper wrote into the
 * page. The div holds a <script type="application/json"> with the tiny model's
 * weights (float32 values), its vocabulary, the sentence, the input characters
 * to start from and Keras' own numbers for them. The reader steps through the
 * characters; when they change one, this script computes 18-2's equations
 * again from the weights, step by step, carrying the state:
 *
 *   s_t = tanh(x_t U + s_{t-1} W + b),   o_t = softmax(s_t V + c),   s_0 = 0.
 *
 * Words in the page's language (<html lang>). No framework, nothing fetched.
 * The element's `helloStepper` property is the widget (the browser tests read
 * its numbers).
 */
(function () {
  'use strict';

  var FORMAT = 'rnnbook.stepper/1';
  var CHANGED = 1e-6;              // a state farther than this from the original's has changed
  var counter = 0;

  var WORDS = {
    en: {
      region: 'The unrolled RNN, stepped by hand',
      intro: 'The network trained above, running in your browser with the same weights: ' +
             'step through the characters it reads, or change one and watch every step after it.',
      input: 'Input characters x₁ … x{T}',
      inputHelp: 'Only characters of the vocabulary: {chars}',
      previous: 'Previous', next: 'Next', reset: 'Original sentence',
      slider: 'Time step',
      stepOf: 'Step {t} of {T}',
      chain: 'The network unrolled over the input characters (the current step is highlighted)',
      state: 'State s{t}',
      stateHelp: 'One cell per number of the state: blue below 0, red above 0, ' +
                 'fading into the background near 0 (tanh keeps every number between −1 and 1).',
      numbers: 'The state as numbers',
      output: 'Output o{t}: the probability of each next character',
      mostLikely: 'most likely', expected: 'expected',
      distance: 'How far each state moved from the original sentence’s: ‖sₜ − sₜ(original)‖',
      unchanged: 'Every state is the original sentence’s.',
      changedFrom: 'The states differ from the original sentence’s from step {t} on: ' +
                   'the change travels along the chain.',
      announce: 'Step {t} of {T}: reads {x}; most likely next {top} ({p})',
      announceExpected: '; expected {y}',
      announceMoved: '; the state moved {d} from the original’s',
      unknown: 'The model does not know {chars}. Its vocabulary: {vocab}. ' +
               'The steps below still show the last text it could read.',
      empty: 'Type at least one character.',
      space: 'space',
      quote: '“{c}”',
      cell: 's{t}[{i}] = {v}',   // {n}: the same position counted from 1
      moved: 'step {t}: moved {d}',
      list: ', '
    },
    zh: {
      region: '手動逐步執行的展開RNN',
      intro: '上面訓練好的網路，用同一組權重在你的瀏覽器中執行：一步一步看它讀入的字元，' +
             '或改掉其中一個字元，看看之後的每一步怎麼跟著改變。',
      input: '輸入的字元 x₁ … x{T}',
      inputHelp: '只能用字彙表裡的字元：{chars}',
      previous: '上一步', next: '下一步', reset: '還原句子',
      slider: '時間步',
      stepOf: '第{t}步，共{T}步',
      chain: '沿著輸入字元展開的網路（目前的時間步有標示）',
      state: '狀態 s{t}',
      stateHelp: '狀態的每個數字一格：小於0是藍色，大於0是紅色，越接近0越接近背景色' +
                 '（tanh讓每個數字都在−1和1之間）。',
      numbers: '以數字列出狀態',
      output: '輸出 o{t}：下一個字元是各個字元的機率',
      mostLikely: '最可能', expected: '預期',
      distance: '每個狀態離原句子的狀態有多遠：‖sₜ − sₜ(原句)‖',
      unchanged: '每個狀態都和原句子的一樣。',
      changedFrom: '從第{t}步開始，狀態和原句子的不同：這個改變沿著狀態鏈一路傳下去。',
      announce: '第{t}步，共{T}步：讀入{x}；最可能的下一個字元是{top}（{p}）',
      announceExpected: '；預期是{y}',
      announceMoved: '；狀態離原句子的狀態{d}',
      unknown: '模型不認得{chars}。它的字彙表：{vocab}。下面仍顯示它最後能讀的文字。',
      empty: '請至少輸入一個字元。',
      space: '空格',
      quote: '「{c}」',
      cell: '第{n}個數字：{v}',
      moved: '第{t}步：{d}',
      list: '、'
    }
  };

  function words() {
    var lang = (document.documentElement.lang || 'en').toLowerCase();
    return lang.indexOf('zh') === 0 ? WORDS.zh : WORDS.en;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attributes[key];
      else if (key === 'className') node.className = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
  function subscript(n) {
    return String(n).split('').map(function (d) { return SUBSCRIPTS[Number(d)]; }).join('');
  }

  /* A character as the page shows it (a space as ␣) and as it is spoken. */
  function shown(c) { return c === ' ' ? '␣' : c; }
  function spoken(c, w) { return c === ' ' ? w.space : fill(w.quote, {c: c}); }

  function percent(p) {
    return p < 0.0005 ? '<0.1%' : (100 * p).toFixed(p < 0.1 ? 1 : 0) + '%';
  }

  /* ------------------------------------------------------------------ the model */

  function Model(data) {
    var weights = data.weights;
    this.vocabulary = data.vocabulary;
    this.index = {};
    var self = this;
    this.vocabulary.forEach(function (c, i) { self.index[c] = i; });
    this.U = weights.U;              // (K, H): row k is U's column for character k
    this.W = weights.W;              // (H, H)
    this.b = weights.b;              // (H,)
    this.V = weights.V;              // (H, K)
    this.c = weights.c;              // (K,)
    this.H = this.W.length;
    this.K = this.vocabulary.length;
  }

  /* The characters of `text` the model does not know, in order of first appearance. */
  Model.prototype.unknown = function (text) {
    var self = this, seen = [];
    Array.from(text).forEach(function (c) {
      if (!(c in self.index) && seen.indexOf(c) < 0) seen.push(c);
    });
    return seen;
  };

  /* Every step's state s_t (H) and distribution o_t (K) for `text` (known characters only). */
  Model.prototype.forward = function (text) {
    var H = this.H, K = this.K, U = this.U, W = this.W, V = this.V;
    var s = new Float64Array(H), states = [], distributions = [];
    var self = this;
    Array.from(text).forEach(function (c) {
      var x = U[self.index[c]];                 // x_t U for a one-hot x_t: one row of U
      var next = new Float64Array(H);
      for (var j = 0; j < H; j++) {
        var a = x[j] + self.b[j];
        for (var i = 0; i < H; i++) a += s[i] * W[i][j];
        next[j] = Math.tanh(a);
      }
      var logits = new Float64Array(K), top = -Infinity;
      for (var k = 0; k < K; k++) {
        var z = self.c[k];
        for (var h = 0; h < H; h++) z += next[h] * V[h][k];
        logits[k] = z;
        if (z > top) top = z;
      }
      var total = 0, o = new Float64Array(K);
      for (k = 0; k < K; k++) { o[k] = Math.exp(logits[k] - top); total += o[k]; }
      for (k = 0; k < K; k++) o[k] /= total;
      states.push(next);
      distributions.push(o);
      s = next;
    });
    return {text: text, states: states, distributions: distributions};
  };

  function distance(a, b) {
    var sum = 0;
    for (var i = 0; i < a.length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return Math.sqrt(sum);
  }

  function argmax(values) {
    var best = 0;
    for (var i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
  }

  /* ------------------------------------------------------------------ the widget */

  function Stepper(root, data) {
    this.root = root;
    this.w = words();
    this.id = 'hello-stepper-' + (++counter);
    this.data = data;
    this.model = new Model(data);
    this.sentence = data.sentence;
    this.maxSteps = data.maxSteps || 40;
    this.original = this.model.forward(data.inputs);
    this.keras = data.keras;
    this.build();
    this.setText(data.inputs);
    this.go(1, false);
  }

  Stepper.prototype.build = function () {
    var w = this.w, id = this.id, self = this, root = this.root;
    var vocabulary = this.model.vocabulary;
    root.classList.add('stepper-widget');
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', w.region);

    this.input = el('input', {id: id + '-input', type: 'text', spellcheck: 'false',
                              autocomplete: 'off', autocapitalize: 'off',
                              maxlength: String(this.maxSteps),
                              'aria-describedby': id + '-help ' + id + '-message'});
    this.input.value = this.data.inputs;
    this.inputLabel = el('label', {'for': this.input.id});
    // The vocabulary in the code font, where I and l, 0 and O look different.
    var help = el('span', {id: id + '-help', className: 'stepper-help',
                           text: fill(w.inputHelp, {chars: ''})},
                  [el('span', {className: 'stepper-vocabulary',
                               text: vocabulary.map(shown).join(' ')})]);
    this.message = el('p', {id: id + '-message', className: 'stepper-message', role: 'status'});
    this.resetButton = el('button', {type: 'button', className: 'stepper-button',
                                     text: w.reset});

    this.previous = el('button', {type: 'button', className: 'stepper-button',
                                  text: '← ' + w.previous, 'aria-label': w.previous});
    this.next = el('button', {type: 'button', className: 'stepper-button',
                              text: w.next + ' →', 'aria-label': w.next});
    this.slider = el('input', {id: id + '-step', type: 'range', min: '1', step: '1',
                               value: '1'});
    this.stepText = el('span', {className: 'stepper-step', 'aria-hidden': 'true'});

    this.chain = el('ol', {className: 'stepper-chain'});
    this.chainBox = el('div', {className: 'stepper-chain-box', role: 'region', tabindex: '0',
                               'aria-label': w.chain}, [this.chain]);

    this.stateLabel = el('p', {className: 'stepper-label', id: id + '-state-label'});
    this.cells = el('div', {className: 'stepper-cells', 'aria-hidden': 'true'});
    this.numbers = el('p', {className: 'stepper-numbers'});
    var legend = el('p', {className: 'stepper-legend'}, [
      el('span', {text: '−1', 'aria-hidden': 'true'}),
      el('span', {className: 'stepper-legend-bar', 'aria-hidden': 'true'}),
      el('span', {text: '+1', 'aria-hidden': 'true'}),
      el('span', {className: 'stepper-help', text: w.stateHelp})]);
    this.outputLabel = el('p', {className: 'stepper-label', id: id + '-output-label'});
    this.bars = el('ol', {className: 'stepper-bars', 'aria-labelledby': id + '-output-label'});
    this.distanceNote = el('p', {className: 'stepper-distance-note'});

    this.spoken = el('div', {className: 'visually-hidden', 'aria-live': 'polite'});

    var script = root.querySelector('script.hello-stepper-data');   // kept: Keras' numbers
    root.textContent = '';
    if (script) root.appendChild(script);
    [
      el('p', {className: 'stepper-intro', text: w.intro}),
      el('div', {className: 'stepper-field'}, [
        this.inputLabel,
        el('div', {className: 'stepper-input-row'}, [this.input, this.resetButton]),
        help]),
      this.message,
      el('div', {className: 'stepper-controls'}, [
        this.previous,
        el('span', {className: 'stepper-slider'}, [
          el('label', {'for': this.slider.id, className: 'stepper-slider-label', text: w.slider}),
          this.slider]),
        this.next, this.stepText]),
      this.chainBox,
      el('p', {className: 'stepper-help stepper-distance-help', text: w.distance}),
      this.distanceNote,
      el('div', {className: 'stepper-panels'}, [
        el('div', {className: 'stepper-panel stepper-state'}, [
          this.stateLabel, this.cells, legend,
          el('details', {className: 'stepper-details'}, [
            el('summary', {text: w.numbers}), this.numbers])]),
        el('div', {className: 'stepper-panel stepper-output'}, [this.outputLabel, this.bars])]),
      this.spoken
    ].forEach(function (node) { root.appendChild(node); });

    this.previous.addEventListener('click', function () { self.go(self.t - 1, true); });
    this.next.addEventListener('click', function () { self.go(self.t + 1, true); });
    this.slider.addEventListener('input', function () { self.go(Number(self.slider.value), true); });
    this.input.addEventListener('input', function () { self.setText(self.input.value, true); });
    this.resetButton.addEventListener('click', function () {
      self.input.value = self.data.inputs;
      self.setText(self.data.inputs, true);
    });
    // In the chain's box the arrow keys scroll it; Home and End go to the first and
    // last step (rather than scrolling the whole page).
    this.chainBox.addEventListener('keydown', function (event) {
      if (event.key !== 'Home' && event.key !== 'End') return;
      event.preventDefault();
      self.go(event.key === 'Home' ? 1 : self.steps, true);
    });
    this.chain.addEventListener('click', function (event) {
      var column = event.target.closest && event.target.closest('[data-t]');
      if (column) self.go(Number(column.getAttribute('data-t')), true);
    });
  };

  /* The reader's text: computed again if the model knows every character. */
  Stepper.prototype.setText = function (text, announce) {
    var w = this.w, model = this.model;
    var unknown = model.unknown(text);
    var length = Array.from(text).length;
    if (!length || unknown.length) {
      this.input.setAttribute('aria-invalid', 'true');
      this.message.classList.add('stepper-error');
      this.message.textContent = !length ? w.empty : fill(w.unknown, {
        chars: unknown.map(function (c) { return spoken(c, w); }).join(w.list),
        vocab: model.vocabulary.map(shown).join(' ')});
      return false;
    }
    this.input.removeAttribute('aria-invalid');
    this.message.classList.remove('stepper-error');
    this.message.textContent = '';
    this.result = model.forward(text);
    var original = this.original;
    this.distances = this.result.states.map(function (s, t) {
      return t < original.states.length ? distance(s, original.states[t]) : null;
    });
    this.steps = length;
    this.root.setAttribute('data-text', text);
    this.inputLabel.textContent = fill(this.w.input, {T: subscript(length)});
    this.slider.max = String(length);
    this.drawChain();
    var first = this.firstChanged();
    this.distanceNote.textContent = first ? fill(w.changedFrom, {t: first}) : w.unchanged;
    this.go(Math.min(this.t || 1, length), false);
    if (announce) this.spoken.textContent = this.distanceNote.textContent;
    return true;
  };

  /* The first step (1-based) whose state is not the original sentence's, or 0. */
  Stepper.prototype.firstChanged = function () {
    var text = Array.from(this.result.text), inputs = Array.from(this.data.inputs);
    for (var t = 0; t < text.length; t++) {
      if (t >= inputs.length || this.distances[t] > CHANGED) return t + 1;
    }
    return 0;
  };

  Stepper.prototype.drawChain = function () {
    var self = this, chain = this.chain, H = this.model.H;
    var scale = 2;                               // a distance of 2 or more fills its bar
    chain.textContent = '';
    this.columns = Array.from(this.result.text).map(function (c, t) {
      var step = t + 1, state = self.result.states[t], o = self.result.distributions[t];
      var strip = el('span', {className: 'stepper-strip', 'aria-hidden': 'true'});
      for (var i = 0; i < H; i++) strip.appendChild(self.cell(state[i], null));
      var d = self.distances[t];
      var changed = d === null || d > CHANGED;
      var bar = el('span', {className: 'stepper-distance', 'aria-hidden': 'true'});
      bar.style.setProperty('--d', d === null ? '1' : Math.min(d / scale, 1).toFixed(4));
      var top = self.model.vocabulary[argmax(o)];
      var column = el('li', {className: 'stepper-column' + (changed ? ' stepper-changed' : ''),
                             'data-t': String(step)}, [
        el('span', {className: 'stepper-node stepper-o'}, [
          el('span', {className: 'stepper-symbol', text: 'o' + subscript(step)}),
          el('span', {className: 'stepper-char', text: shown(top)})]),
        el('span', {className: 'stepper-edge', text: '↑', 'aria-hidden': 'true'}),
        el('span', {className: 'stepper-node stepper-s'}, [
          el('span', {className: 'stepper-symbol', text: 's' + subscript(step)}), strip]),
        el('span', {className: 'stepper-edge', text: '↑', 'aria-hidden': 'true'}),
        el('span', {className: 'stepper-node stepper-x'}, [
          el('span', {className: 'stepper-symbol', text: 'x' + subscript(step)}),
          el('span', {className: 'stepper-char', text: shown(c)})]),
        el('span', {className: 'stepper-distance-box', title: d === null ? ''
                    : fill(self.w.moved, {t: step, d: d.toFixed(3)})}, [bar])
      ]);
      chain.appendChild(column);
      return column;
    });
  };

  /* One coloured cell for a tanh value in [-1, 1]; `title` (hover) when asked for. */
  Stepper.prototype.cell = function (value, title) {
    var cell = el('span', {className: 'stepper-cell ' + (value < 0 ? 'stepper-neg' : 'stepper-pos')});
    cell.style.setProperty('--v', Math.min(Math.abs(value), 1).toFixed(3));
    if (title) cell.title = title;
    return cell;
  };

  /* Show step `t` (1-based, clamped); `announce` says it in the live region. */
  Stepper.prototype.go = function (t, announce) {
    var w = this.w, self = this, model = this.model;
    t = Math.max(1, Math.min(this.steps, Math.round(t) || 1));
    this.t = t;
    var text = Array.from(this.result.text), c = text[t - 1];
    var state = this.result.states[t - 1], o = this.result.distributions[t - 1];
    var best = argmax(o), top = model.vocabulary[best];
    var expected = t < this.sentence.length ? Array.from(this.sentence)[t] : null;

    this.root.setAttribute('data-step', String(t));
    this.slider.value = String(t);
    // A button that becomes disabled loses the keyboard's focus: hand it on.
    var focused = document.activeElement;
    this.previous.disabled = t <= 1;
    this.next.disabled = t >= this.steps;
    if (focused && focused.disabled && this.root.contains(focused)) {
      var other = focused === this.previous ? this.next : this.previous;
      (other.disabled ? this.slider : other).focus();
    }
    var label = fill(w.stepOf, {t: t, T: this.steps});
    this.stepText.textContent = label;
    this.slider.setAttribute('aria-valuetext', label + ': ' + spoken(c, w));
    this.columns.forEach(function (column, i) {
      var current = i === t - 1;
      column.classList.toggle('stepper-current', current);
      if (current) column.setAttribute('aria-current', 'step');
      else column.removeAttribute('aria-current');
    });
    // The current column in the middle of the chain's box: the steps before it and
    // after it stay in view (the browser stops the scroll at either end).
    var column = this.columns[t - 1], box = this.chainBox;
    var left = column.getBoundingClientRect().left - box.getBoundingClientRect().left +
               box.scrollLeft;
    box.scrollLeft = left - (box.clientWidth - column.offsetWidth) / 2;

    // The state s_t.
    this.stateLabel.textContent = fill(w.state, {t: subscript(t)});
    this.cells.textContent = '';
    var sub = subscript(t);
    Array.prototype.forEach.call(state, function (v, i) {
      self.cells.appendChild(self.cell(v, fill(w.cell, {t: sub, i: i, n: i + 1, v: v.toFixed(3)})));
    });
    this.numbers.textContent = Array.prototype.map.call(state, function (v) {
      return (v < 0 ? '−' : '+') + Math.abs(v).toFixed(3);
    }).join(' ');

    // The output o_t, one bar a character of the vocabulary.
    this.outputLabel.textContent = fill(w.output, {t: sub});
    this.bars.textContent = '';
    model.vocabulary.forEach(function (char, k) {
      var marks = [];
      if (k === best) marks.push(w.mostLikely);
      if (char === expected) marks.push(w.expected);
      var item = el('li', {className: (k === best ? 'stepper-top ' : '') +
                                       (char === expected ? 'stepper-expected' : '')});
      var symbol = el('span', {className: 'stepper-char'}, [
        el('span', {'aria-hidden': 'true', text: shown(char)}),
        el('span', {className: 'visually-hidden', text: spoken(char, w)})]);
      var bar = el('span', {className: 'stepper-bar', 'aria-hidden': 'true'});
      bar.style.setProperty('--p', o[k].toFixed(4));
      item.appendChild(symbol);
      item.appendChild(bar);
      item.appendChild(el('span', {className: 'stepper-p', text: percent(o[k])}));
      item.appendChild(el('span', {className: 'stepper-marks', text: marks.join(' · ')}));
      self.bars.appendChild(item);
    });

    if (announce) {
      var said = fill(w.announce, {t: t, T: this.steps, x: spoken(c, w), top: spoken(top, w),
                                   p: percent(o[best])});
      if (expected !== null) said += fill(w.announceExpected, {y: spoken(expected, w)});
      var d = this.distances[t - 1];
      if (d !== null && d > CHANGED) said += fill(w.announceMoved, {d: d.toFixed(2)});
      this.spoken.textContent = said + (w === WORDS.zh ? '。' : '.');
    }
  };

  /* Plain arrays of the current numbers, for the browser tests. */
  Stepper.prototype.numbersNow = function () {
    function rows(list) { return list.map(function (row) { return Array.from(row); }); }
    return {text: this.result.text, states: rows(this.result.states),
            distributions: rows(this.result.distributions), distances: this.distances.slice()};
  };

  function start() {
    var nodes = document.querySelectorAll('div.hello-stepper');
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.helloStepper) return;
      var script = node.querySelector('script.hello-stepper-data');
      var data;
      try {
        data = JSON.parse(script.textContent);
      } catch (error) {
        return;                                  // leave the page's own words in place
      }
      if (data.format !== FORMAT) return;
      node.helloStepper = new Stepper(node, data);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
