/* The character model's Web Worker (section 18-3): the page never waits for the model.
 *
 * Messages in (each may carry a `job` number, echoed in what answers it):
 *   {type: 'load', url}                the manifest's URL; the weights file is beside it
 *   {type: 'generate', job, prompt, length, temperature, topK, seed, pace, bars}
 *                                      read the prompt, then write `length` characters,
 *                                      one every `pace` ms (0: as fast as it can)
 *   {type: 'stop'}                     stop the generation under way
 *   {type: 'surprise', job, text}      -log P of each character given those before it
 *   {type: 'trace', job, text}         the logits after each character (the tests' parity)
 * Messages out: 'ready', 'prompted', 'chars', 'done', 'surprise', 'trace', 'unknown'
 * (characters outside the vocabulary) and 'error'.
 */
'use strict';
importScripts('gru.js' + self.location.search);   // the same version as this worker

var G = self.CharModelGRU;
var model = null;
var generation = null;   // the job under way: {job, stopped}

function now() { return performance.now(); }

function load(url) {
  var started = now();
  var manifest;
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
    return response.json();
  }).then(function (m) {
    manifest = m;
    var weights = new URL(manifest.file, new URL(url, self.location.href));
    weights.search = '?v=' + manifest.sha256.slice(0, 16);   // new weights, a new URL
    weights = weights.href;
    return fetch(weights).then(function (response) {
      if (!response.ok) throw new Error(weights + ': HTTP ' + response.status);
      return response.arrayBuffer();
    });
  }).then(function (buffer) {
    model = new G.CharModel(manifest, buffer);
    self.postMessage({type: 'ready', vocabulary: model.vocabulary.join(''),
                      passages: manifest.passages || [], parameters: manifest.parameters,
                      bytes: manifest.bytes, dtype: manifest.dtype, ms: now() - started});
  });
}

/* The ids of `text`, or null after telling the page which characters the model lacks. */
function known(job, text) {
  var encoded = model.encode(text);
  if (encoded.unknown.length) {
    self.postMessage({type: 'unknown', job: job, characters: encoded.unknown});
    return null;
  }
  return encoded.ids;
}

function top(p, n) {
  return G.topIds(p, n).map(function (id) { return [id, p[id]]; });
}

/* The n most likely characters, and the drawn one after them when it was less
   likely than those (top-k 20 draws beyond the 10 bars shown). */
function topAndDrawn(p, n, drawn) {
  var shown = top(p, n);
  if (!shown.some(function (pair) { return pair[0] === drawn; })) shown.push([drawn, p[drawn]]);
  return shown;
}

function generate(message) {
  var job = message.job;
  var ids = known(job, message.prompt);
  if (!ids) return;
  if (!ids.length) {
    self.postMessage({type: 'unknown', job: job, characters: [], empty: true});
    return;
  }
  var topK = message.topK || null, temperature = message.temperature;
  var pace = message.pace || 0, bars = message.bars || 10;
  var random = G.seededRandom(message.seed == null ? (Math.random() * 4294967296) >>> 0
                                                     : message.seed);
  var state = model.initialState(), logits = new Float64Array(model.vocabulary.length);
  var started = now();
  for (var t = 0; t < ids.length; t++) model.step(ids[t], state, logits);
  var p = G.distribution(logits, temperature, topK, model.unknownId);
  var run = {job: job, stopped: false, written: 0, computeMs: 0};
  generation = run;
  self.postMessage({type: 'prompted', job: job, ms: now() - started, top: top(p, bars)});

  function finish() {
    if (generation === run) generation = null;
    self.postMessage({type: 'done', job: job, count: run.written, stopped: run.stopped,
                      computeMs: run.computeMs,
                      msPerChar: run.written ? run.computeMs / run.written : null});
  }

  function next() {
    if (run.stopped || run.written >= message.length) { finish(); return; }
    var text = '', chosen = 0, shown = null;
    var batch = pace > 0 ? 1 : 64;                      // between chances to hear 'stop'
    var begin = now();
    for (var b = 0; b < batch && run.written < message.length; b++) {
      chosen = G.draw(p, random());
      text += model.vocabulary[chosen];
      shown = p;
      run.written += 1;
      if (run.written < message.length) {               // read it back in
        model.step(chosen, state, logits);
        p = G.distribution(logits, temperature, topK, model.unknownId);
      }
    }
    run.computeMs += now() - begin;
    self.postMessage({type: 'chars', job: job, text: text, chosen: chosen,
                      drawnFrom: topAndDrawn(shown, bars, chosen), next: top(p, bars),
                      step: run.written});
    setTimeout(next, pace);
  }
  next();
}

function surprise(message) {
  var ids = known(message.job, message.text);
  if (!ids) return;
  var started = now();
  var losses = model.surprise(ids);
  self.postMessage({type: 'surprise', job: message.job, losses: Array.from(losses),
                    ms: now() - started});
}

function trace(message) {
  var ids = known(message.job, message.text);
  if (!ids) return;
  var state = model.initialState(), rows = [];
  ids.forEach(function (id) { rows.push(Array.from(model.step(id, state))); });
  self.postMessage({type: 'trace', job: message.job, logits: rows});
}

self.onmessage = function (event) {
  var message = event.data;
  try {
    if (message.type === 'load') {
      load(message.url).catch(function (error) {
        self.postMessage({type: 'error', job: message.job, stage: 'load',
                          message: String(error && error.message || error)});
      });
      return;
    }
    if (message.type === 'stop') { if (generation) generation.stopped = true; return; }
    if (!model) throw new Error('the model is not loaded yet');
    if (message.type === 'generate') {
      if (generation) generation.stopped = true;
      generate(message);
    } else if (message.type === 'surprise') surprise(message);
    else if (message.type === 'trace') trace(message);
    else throw new Error('unknown message ' + message.type);
  } catch (error) {
    self.postMessage({type: 'error', job: message.job, stage: message.type,
                      message: String(error && error.message || error)});
  }
};
