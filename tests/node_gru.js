/* Runs _static/charmodel/gru.js in Node, as the page's worker runs it, for tests/test_model_export.py.
 *
 *   node tests/node_gru.js GRU_JS MANIFEST IDS_JSON
 *
 * Loads the manifest and its binary (booktools.extensions.model_export), steps the ids from
 * the zero state and prints JSON: {"logits": [[V numbers] per id], "surprise": [...]}.
 * An error gru.js raises goes to stderr, with exit status 1.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const [gruPath, manifestPath, idsJson] = process.argv.slice(2);
const G = require(path.resolve(gruPath));
try {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const bytes = fs.readFileSync(path.join(path.dirname(manifestPath), manifest.file));
  // An ArrayBuffer of the file alone, as fetch() gives the worker.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = new G.CharModel(manifest, buffer);
  const ids = JSON.parse(idsJson);
  const state = model.initialState();
  const logits = ids.map((id) => Array.from(model.step(id, state)));
  const surprise = Array.from(model.surprise(ids));
  process.stdout.write(JSON.stringify({logits: logits, surprise: surprise}));
} catch (error) {
  process.stderr.write(String(error.message || error) + '\n');
  process.exit(1);
}
