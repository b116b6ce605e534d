/* The Shakespeare model in the page (section 18-3): write, watch, and colour by surprise.
 *
 * Fills each <div class="charmodel" data-model="shakespeare"> placeholder with the
 * widget. Nothing is downloaded until the reader first asks the model for
 * something; then worker.js (a Web Worker) fetches the manifest and the
 * float16 weights that booktools.extensions.model_export wrote beside this script, and
 * does all the computing. Words in the page's language (<html lang>).
 */
(function () {
  'use strict';

  var HERE = document.currentScript && document.currentScript.src;
  var PACE_MS = 15;              // one character every PACE_MS: fast, still readable
  var BARS = 10;                 // the most likely characters shown as bars
  var HOT_NATS = 6;              // the loss of the strongest colour
  var MAX_LENGTH = 2000;
  var counter = 0;

  var WORDS = {
    en: {
      region: 'The Shakespeare model, running in your browser',
      intro: 'The model of this section runs here, in your browser, with no kernel: ' +
             '{params} parameters, the same weights Python loads, stored as {size} of float16. ' +
             'They are downloaded the first time you press Write or Colour.',
      writeLegend: 'Write',
      prompt: 'Prompt', promptHelp: 'The text the model reads before it writes (a line break is allowed).',
      temperature: 'Temperature', topK: 'Top-k', all: 'all', length: 'Characters to write',
      write: 'Write', stop: 'Stop',
      output: 'What the model writes', outputEmpty: 'Press Write: the text appears here.',
      bars: 'The step\'s most likely characters (the one drawn is marked)',
      barsEmpty: 'The probabilities of the next character appear here as the model writes.',
      drawn: 'drawn', space: 'space', newline: 'line break',
      loading: 'Loading the weights ({size})…',
      writing: 'Writing…',
      done: 'Done: {count} characters, {ms} ms of computing per character in your browser; ' +
            'the first character came {first} ms after you pressed Write.',
      doneLater: 'Done: {count} characters, {ms} ms of computing per character in your browser.',
      stopped: 'Stopped after {count} characters.',
      unknown: 'The model does not know these characters: {chars}. It knows English letters, ' +
               'digits and common punctuation.',
      empty: 'Type at least one character.',
      failed: 'The model could not be loaded: {message}',
      fileUrl: 'This interactive model needs the book served by a web server (for example ' +
               '`make serve`): a browser does not run it from a file opened directly.',
      surpriseLegend: 'Colour a passage by surprise',
      heldOut: 'A passage of a held-out play', own: 'Your own text',
      passage: 'Passage', ownText: 'Your text',
      ownDefault: 'To be, or not to be, that is the question:\n',
      colour: 'Colour',
      surpriseOutput: 'The passage, coloured by surprise',
      scale: 'The stronger the colour, the more the character surprised the model ' +
             '(−log p of the character, in nats). ' +
             'The first character has no prediction.',
      summary: 'Mean loss: {nats} nats = {bits} bits per character, over {count} characters.',
      tooShort: 'Give the model at least two characters.',
      cell: '{char}: {nats} nats (p = {p})',
      quote: '“{c}”',
      plays: {}
    },
    zh: {
      region: '在你的瀏覽器裡執行的莎士比亞模型',
      intro: '這一節的模型就在這裡、在你的瀏覽器中執行，不需要另外啟動Python：{params}個參數，' +
             '與Python載入的是同一組權重，以float16儲存共{size}。' +
             '第一次按下「開始寫」或「上色」時才會下載。',
      writeLegend: '讓模型寫文字',
      prompt: '提示文字', promptHelp: '模型開始寫之前先讀的文字（可以換行）。',
      temperature: '溫度', topK: 'top-k', all: '全部', length: '要寫的字元數',
      write: '開始寫', stop: '停止',
      output: '模型寫出的文字', outputEmpty: '按下「開始寫」，文字會出現在這裡。',
      bars: '這一步最可能的字元（標記的是抽到的那一個）',
      barsEmpty: '模型寫的時候，這裡會顯示下一個字元的機率。',
      drawn: '抽到', space: '空格', newline: '換行',
      loading: '正在載入權重（{size}）…',
      writing: '正在寫…',
      done: '完成：寫了{count}個字元，在你的瀏覽器中每個字元計算{ms}毫秒；' +
            '按下「開始寫」後{first}毫秒出現第一個字元。',
      doneLater: '完成：寫了{count}個字元，在你的瀏覽器中每個字元計算{ms}毫秒。',
      stopped: '已停止，寫了{count}個字元。',
      unknown: '模型不認得這些字元：{chars}。它認得英文字母、數字和常見的標點符號。',
      empty: '請至少輸入一個字元。',
      failed: '無法載入模型：{message}',
      fileUrl: '這個互動模型需要透過網頁伺服器開啟本書（例如`make serve`）：' +
               '直接開啟檔案時，瀏覽器不會執行它。',
      surpriseLegend: '依「意外程度」替一段文字上色',
      heldOut: '一段沒拿來訓練的劇本', own: '你自己的文字',
      passage: '段落', ownText: '你的文字',
      ownDefault: 'To be, or not to be, that is the question:\n',
      colour: '上色',
      surpriseOutput: '依意外程度上色的段落',
      scale: '顏色越濃，表示模型對這個字元越意外（該字元的−log p，單位nats）。第一個字元沒有預測。',
      summary: '平均損失：每個字元{nats} nats＝{bits}位元，共{count}個字元。',
      tooShort: '請至少給模型兩個字元。',
      cell: '{char}：{nats} nats（p = {p}）',
      quote: '「{c}」',
      plays: {'Macbeth': '馬克白', 'Much Ado About Nothing': '無事生非',
              'Richard II': '理查二世', 'The Tempest': '暴風雨'}
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

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1) + ' MB';
  }

  /* A character as the bars and the colouring show it: visible symbol + words for readers. */
  function charLabel(c, w) {
    var span = el('span', {className: 'charmodel-char'});
    if (c === '\n' || c === ' ') {
      span.appendChild(el('span', {'aria-hidden': 'true', text: c === '\n' ? '↵' : '␣'}));
      span.appendChild(el('span', {className: 'charmodel-sr',
                                   text: c === '\n' ? w.newline : w.space}));
    } else {
      span.textContent = c;
    }
    return span;
  }

  function Widget(root) {
    this.root = root;
    this.w = words();
    this.id = 'charmodel-' + (++counter);
    this.model = root.getAttribute('data-model') || 'shakespeare';
    // The build's digest of the worker and the weights: an updated book misses the cache.
    var version = root.getAttribute('data-version');
    var query = version ? '?v=' + encodeURIComponent(version) : '';
    this.manifestUrl = new URL(this.model + '.json' + query, HERE || document.baseURI).href;
    this.workerUrl = new URL('worker.js' + query, HERE || document.baseURI).href;
    this.worker = null;
    this.ready = null;           // a Promise, once loading started
    this.job = 0;
    this.build();
  }

  Widget.prototype.build = function () {
    var w = this.w, id = this.id, self = this;
    var root = this.root;
    root.classList.add('charmodel-widget');
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', w.region);

    this.intro = el('p', {className: 'charmodel-intro'});
    this.setIntro(root.getAttribute('data-parameters'), root.getAttribute('data-bytes'));

    // --- writing
    this.prompt = el('textarea', {id: id + '-prompt', rows: '2', spellcheck: 'false',
                                  autocomplete: 'off', 'aria-describedby': id + '-prompt-help'});
    this.prompt.value = 'P';
    this.temperature = el('input', {id: id + '-temperature', type: 'range', min: '0.1',
                                    max: '2', step: '0.1', value: '0.8'});
    this.temperatureValue = el('output', {id: id + '-temperature-value',
                                          'for': id + '-temperature', text: '0.8'});
    this.topK = el('select', {id: id + '-topk'});
    [1, 3, 5, 10, 20, 40, 0].forEach(function (k) {
      var option = el('option', {value: String(k), text: k ? String(k) : w.all});
      if (k === 20) option.selected = true;
      self.topK.appendChild(option);
    });
    this.length = el('input', {id: id + '-length', type: 'number', min: '1',
                               max: String(MAX_LENGTH), step: '1', value: '400',
                               inputmode: 'numeric'});
    this.writeButton = el('button', {type: 'submit', className: 'charmodel-button',
                                     text: w.write});
    this.stopButton = el('button', {type: 'button', className: 'charmodel-button',
                                    text: w.stop});
    this.stopButton.disabled = true;

    function field(label, control, extra) {
      return el('div', {className: 'charmodel-field'},
                [el('label', {'for': control.id, text: label}), control].concat(extra || []));
    }
    this.writeForm = el('form', {className: 'charmodel-form charmodel-write', 'aria-label': w.writeLegend}, [
      el('div', {className: 'charmodel-field charmodel-prompt'}, [
        el('label', {'for': this.prompt.id, text: w.prompt}), this.prompt,
        el('span', {id: id + '-prompt-help', className: 'charmodel-help', text: w.promptHelp})]),
      field(w.temperature, this.temperature, [this.temperatureValue]),
      field(w.topK, this.topK),
      field(w.length, this.length),
      el('div', {className: 'charmodel-actions'}, [this.writeButton, this.stopButton])
    ]);

    this.output = el('pre', {className: 'charmodel-output'});
    this.outputBox = el('div', {className: 'charmodel-output-box', role: 'region',
                                tabindex: '0', 'aria-labelledby': id + '-output-label'},
                        [this.output]);
    this.clearOutput();
    this.bars = el('ol', {className: 'charmodel-bars', id: id + '-bars',
                          'aria-labelledby': id + '-bars-label'});
    this.bars.appendChild(el('li', {className: 'charmodel-placeholder', text: w.barsEmpty}));
    var panels = el('div', {className: 'charmodel-panels'}, [
      el('div', {className: 'charmodel-panel charmodel-text'}, [
        el('p', {className: 'charmodel-label', id: id + '-output-label', text: w.output}),
        this.outputBox]),
      el('div', {className: 'charmodel-panel charmodel-distribution'}, [
        el('p', {className: 'charmodel-label', id: id + '-bars-label', text: w.bars}),
        this.bars])
    ]);
    this.status = el('p', {className: 'charmodel-status', role: 'status'});
    // What a screen reader hears of the text: whole lines, not every character.
    this.spoken = el('div', {className: 'charmodel-sr', 'aria-live': 'polite'});

    // --- surprise
    var plays = el('select', {id: id + '-passage'});
    this.passageSelect = plays;
    this.ownText = el('textarea', {id: id + '-own', rows: '3', spellcheck: 'false'});
    this.ownText.value = w.ownDefault;
    this.useHeldOut = el('input', {type: 'radio', name: id + '-source', id: id + '-heldout',
                                   value: 'heldout'});
    this.useHeldOut.checked = true;
    this.useOwn = el('input', {type: 'radio', name: id + '-source', id: id + '-ownsource',
                               value: 'own'});
    this.colourButton = el('button', {type: 'submit', className: 'charmodel-button',
                                      text: w.colour});
    this.heat = el('pre', {className: 'charmodel-heat'});
    this.heatBox = el('div', {className: 'charmodel-output-box charmodel-heat-box',
                              role: 'region', tabindex: '0', hidden: 'hidden',
                              'aria-label': w.surpriseOutput}, [this.heat]);
    this.summary = el('p', {className: 'charmodel-summary', role: 'status'});
    this.scale = el('p', {className: 'charmodel-scale', hidden: 'hidden'}, [
      el('span', {className: 'charmodel-scale-bar', 'aria-hidden': 'true'}),
      el('span', {text: ' ' + w.scale})]);
    this.surpriseForm = el('form', {className: 'charmodel-form charmodel-surprise'}, [
      el('fieldset', {}, [
        el('legend', {text: w.surpriseLegend}),
        el('div', {className: 'charmodel-row'}, [
        el('div', {className: 'charmodel-choice'}, [
          el('div', {className: 'charmodel-radio'}, [
            this.useHeldOut, el('label', {'for': this.useHeldOut.id, text: w.heldOut})]),
          el('div', {className: 'charmodel-field'}, [
            el('label', {'for': plays.id, className: 'charmodel-sr', text: w.passage}),
            plays])]),
        el('div', {className: 'charmodel-choice'}, [
          el('div', {className: 'charmodel-radio'}, [
            this.useOwn, el('label', {'for': this.useOwn.id, text: w.own})]),
          el('div', {className: 'charmodel-field charmodel-prompt'}, [
            el('label', {'for': this.ownText.id, className: 'charmodel-sr', text: w.ownText}),
            this.ownText])]),
        el('div', {className: 'charmodel-actions'}, [this.colourButton])])
      ])
    ]);
    this.setPassages(JSON.parse(root.getAttribute('data-passages') || '[]'));

    root.textContent = '';
    [this.intro, this.writeForm, panels, this.status, this.spoken, this.surpriseForm,
     this.scale, this.heatBox, this.summary].forEach(function (n) { root.appendChild(n); });

    this.temperature.addEventListener('input', function () {
      self.temperatureValue.textContent = Number(self.temperature.value).toFixed(1);
    });
    this.writeForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.write();
    });
    this.stopButton.addEventListener('click', function () { self.stop(); });
    this.surpriseForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.colour();
    });
    this.passageSelect.addEventListener('change', function () { self.useHeldOut.checked = true; });
    this.ownText.addEventListener('input', function () { self.useOwn.checked = true; });
  };

  Widget.prototype.setIntro = function (parameters, bytes) {
    var w = this.w;
    this.intro.textContent = fill(w.intro, {
      params: parameters ? Number(parameters).toLocaleString(document.documentElement.lang || 'en')
                         : '~830,000',
      size: bytes ? megabytes(Number(bytes), w) : '1.7 MB'});
  };

  Widget.prototype.setPassages = function (passages) {
    var w = this.w, select = this.passageSelect;
    this.passages = passages;
    select.textContent = '';
    if (!passages.length) {
      select.appendChild(el('option', {value: '', text: '…'}));
      return;
    }
    passages.forEach(function (passage, i) {
      var title = w.plays[passage.play] || passage.play;
      var first = passage.text.split('\n')[0].replace(/:$/, '');
      select.appendChild(el('option', {value: String(i), text: title + ' (' + first + ')'}));
    });
  };

  Widget.prototype.say = function (text, failed) {
    this.status.textContent = text;
    this.status.classList.toggle('charmodel-error', !!failed);
  };

  /* Start the worker and load the model, once; a Promise of the 'ready' message. */
  Widget.prototype.load = function () {
    if (this.ready) return this.ready;
    var self = this, w = this.w;
    this.ready = new Promise(function (resolve, reject) {
      if (location.protocol === 'file:') { reject(new Error(w.fileUrl)); return; }
      var worker;
      try {
        worker = new Worker(self.workerUrl);
      } catch (error) {
        reject(error);
        return;
      }
      self.worker = worker;
      worker.onmessage = function (event) {
        var message = event.data;
        if (message.type === 'ready') {
          self.info = message;
          self.setIntro(message.parameters, message.bytes);
          self.setPassages(message.passages);
          resolve(message);
        } else if (message.type === 'error' && message.stage === 'load') {
          reject(new Error(message.message));
        } else {
          self.receive(message);
        }
      };
      worker.onerror = function (event) {
        event.preventDefault();
        reject(new Error(event.message || 'worker.js'));
      };
      worker.postMessage({type: 'load', url: self.manifestUrl});
    });
    this.ready.catch(function () { self.ready = null; });
    return this.ready;
  };

  Widget.prototype.failed = function (error) {
    var w = this.w;
    var message = error && error.message || String(error);
    this.say(message === w.fileUrl ? message : fill(w.failed, {message: message}), true);
    this.running = false;
    this.writeButton.disabled = false;
    this.stopButton.disabled = true;
  };

  Widget.prototype.write = function () {
    var w = this.w, self = this;
    var clicked = performance.now();
    var prompt = this.prompt.value;
    var length = Math.round(Number(this.length.value));
    if (!(length >= 1)) length = 1;
    if (length > MAX_LENGTH) length = MAX_LENGTH;
    this.length.value = String(length);
    if (!prompt.length) { this.say(w.empty, true); this.prompt.focus(); return; }
    var first = !this.info;
    if (first) {
      this.say(fill(w.loading, {size: megabytes(Number(this.root.getAttribute('data-bytes'))
                                                || 1.66e6, w)}));
    }
    this.writeButton.disabled = true;
    this.stopButton.disabled = false;
    this.running = true;
    this.load().then(function () {
      if (!self.running) return;
      self.job += 1;
      self.current = {job: self.job, clicked: clicked, first: null, unspoken: '',
                      spokenAt: 0, text: '', firstLoad: first};
      self.worker.postMessage({
        type: 'generate', job: self.job, prompt: prompt, length: length,
        temperature: Number(self.temperature.value), topK: Number(self.topK.value) || null,
        pace: PACE_MS, bars: BARS});
    }).catch(function (error) { self.failed(error); });
  };

  Widget.prototype.stop = function () {
    if (this.worker) this.worker.postMessage({type: 'stop'});
    this.running = false;
    this.stopButton.disabled = true;
    this.writeButton.disabled = false;
  };

  /* The output box as it was before the first run: its placeholder only. */
  Widget.prototype.clearOutput = function () {
    this.output.textContent = '';
    this.output.appendChild(el('span', {className: 'charmodel-placeholder',
                                        text: this.w.outputEmpty}));
  };

  Widget.prototype.receive = function (message) {
    var w = this.w;
    if (message.type === 'surprise' || (message.type === 'unknown' && message.job === this.surpriseJob)) {
      this.showSurprise(message);
      return;
    }
    var run = this.current;
    if (!run || message.job !== run.job) return;            // an older run's last words
    if (message.type === 'unknown') {
      this.say(message.empty ? w.empty : fill(w.unknown, {chars: message.characters.map(function (c) {
        return fill(w.quote, {c: c});
      }).join(' ')}), true);
      this.clearOutput();                       // no earlier text under the message
      this.stop();
      return;
    }
    if (message.type === 'error') { this.failed(new Error(message.message)); return; }
    if (message.type === 'prompted') {
      this.output.textContent = '';
      this.output.appendChild(el('span', {className: 'charmodel-prompt-text',
                                          text: this.prompt.value}));
      this.written = document.createTextNode('');
      this.output.appendChild(this.written);
      this.say(w.writing);
      this.spoken.textContent = '';
      run.unspoken = this.prompt.value;
      return;
    }
    if (message.type === 'chars') {
      if (run.first === null) {
        run.first = performance.now() - run.clicked;
        this.root.setAttribute('data-first-char-ms', run.first.toFixed(0));
      }
      this.written.appendData(message.text);
      run.text += message.text;
      this.outputBox.scrollTop = this.outputBox.scrollHeight;
      this.showBars(message.drawnFrom, message.chosen);
      this.speak(message.text, false);
      return;
    }
    if (message.type === 'done') {
      this.speak('', true);
      this.running = false;
      this.writeButton.disabled = false;
      this.stopButton.disabled = true;
      this.root.setAttribute('data-ms-per-char',
                             message.msPerChar == null ? '' : message.msPerChar.toFixed(3));
      var values = {count: message.count, ms: message.msPerChar == null ? '–'
                      : message.msPerChar.toFixed(2), first: Math.round(run.first || 0)};
      this.say(message.stopped ? fill(w.stopped, values)
               : fill(run.firstLoad ? w.done : w.doneLater, values));
    }
  };

  /* Hand the screen reader whole lines, at most one announcement every two seconds. */
  Widget.prototype.speak = function (text, last) {
    var run = this.current;
    run.unspoken += text;
    var cut = last ? run.unspoken.length : run.unspoken.lastIndexOf('\n') + 1;
    var now = performance.now();
    if (cut > 0 && (last || now - run.spokenAt > 2000)) {
      var said = run.unspoken.slice(0, cut).trim();
      run.unspoken = run.unspoken.slice(cut);
      run.spokenAt = now;
      if (said) this.spoken.textContent = said;
    }
  };

  Widget.prototype.showBars = function (top, chosen) {
    var w = this.w, bars = this.bars, vocabulary = this.info.vocabulary;
    bars.textContent = '';
    top.forEach(function (pair) {
      var c = vocabulary[pair[0]], p = pair[1];
      var item = el('li', {className: pair[0] === chosen ? 'charmodel-chosen' : ''});
      item.appendChild(charLabel(c, w));
      var bar = el('span', {className: 'charmodel-bar', 'aria-hidden': 'true'});
      bar.style.setProperty('--p', p.toFixed(4));
      item.appendChild(bar);
      item.appendChild(el('span', {className: 'charmodel-p',
                                   text: p < 0.0005 ? '<0.1%' : (100 * p).toFixed(p < 0.1 ? 1 : 0) + '%'}));
      if (pair[0] === chosen) {
        item.appendChild(el('span', {className: 'charmodel-mark', text: w.drawn}));
      }
      bars.appendChild(item);
    });
  };

  Widget.prototype.colour = function () {
    var w = this.w, self = this;
    var text;
    this.colourButton.disabled = true;
    this.load().then(function () {
      if (self.useOwn.checked) text = self.ownText.value;
      else text = (self.passages[Number(self.passageSelect.value) || 0] || {}).text || '';
      if (Array.from(text).length < 2) {
        self.summary.textContent = w.tooShort;
        self.colourButton.disabled = false;
        return;
      }
      self.job += 1;
      self.surpriseJob = self.job;
      self.surpriseText = text;
      self.worker.postMessage({type: 'surprise', job: self.job, text: text});
    }).catch(function (error) {
      self.colourButton.disabled = false;
      self.summary.textContent = error && error.message === w.fileUrl ? w.fileUrl
        : fill(w.failed, {message: error && error.message || String(error)});
    });
  };

  Widget.prototype.showSurprise = function (message) {
    var w = this.w, heat = this.heat;
    this.colourButton.disabled = false;
    if (message.type === 'unknown') {
      this.summary.textContent = fill(w.unknown, {chars: message.characters.map(function (c) {
        return fill(w.quote, {c: c});
      }).join(' ')});
      heat.textContent = '';                    // no earlier passage under the message
      return;
    }
    var chars = Array.from(this.surpriseText), losses = message.losses;
    heat.textContent = '';
    chars.forEach(function (c, t) {
      var span = el('span', {className: 'charmodel-cell'});
      if (c === '\n') span.textContent = '↵';
      else span.textContent = c;
      if (t > 0) {
        var nats = losses[t - 1];
        span.style.setProperty('--s', Math.min(nats / HOT_NATS, 1).toFixed(3));
        span.title = fill(w.cell, {char: c === '\n' ? w.newline : c === ' ' ? w.space : c,
                                   nats: nats.toFixed(2), p: Math.exp(-nats).toFixed(3)});
      }
      heat.appendChild(span);
      if (c === '\n') heat.appendChild(document.createTextNode('\n'));
    });
    var mean = losses.reduce(function (a, b) { return a + b; }, 0) / losses.length;
    this.root.setAttribute('data-mean-loss', mean.toFixed(6));
    this.heatBox.hidden = false;
    this.scale.hidden = false;
    this.summary.textContent = fill(w.summary, {nats: mean.toFixed(3),
                                                bits: (mean / Math.LN2).toFixed(3),
                                                count: losses.length});
  };

  function start() {
    var nodes = document.querySelectorAll('div.charmodel');
    Array.prototype.forEach.call(nodes, function (node) {
      if (!node.charmodel) node.charmodel = new Widget(node);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
