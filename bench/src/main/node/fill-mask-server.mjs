// A small HTTP server around transformers.js' fill-mask pipeline (onnxruntime-node), for the serving
// benchmark (inference-service/bench.sh): GET /fill-mask?text=...&top_k=5 -> JSON, GET /health -> ok.
// Usage: node fill-mask-server.mjs VERSION_FOLDER PORT   (VERSION_FOLDER: a published version's
// verified copy; model.onnx, tokenizer.json, tokenizer_config.json, config.json; local files only)
import http from 'node:http';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';

const [folder, port] = process.argv.slice(2);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(path.resolve(folder));
// model.onnx sits at the top of a version folder, not in onnx/
const fillMask = await pipeline('fill-mask', path.basename(folder), {
  subfolder: '',
  dtype: 'fp32',
  device: 'cpu',
  local_files_only: true,
});

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/health') {
      res.end('ok');
      return;
    }
    if (url.pathname !== '/fill-mask') {
      res.statusCode = 404;
      res.end();
      return;
    }
    try {
      const text = url.searchParams.get('text');
      const topK = Number(url.searchParams.get('top_k') ?? 5);
      const out = await fillMask(text, { top_k: topK });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(out));
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  })
  .listen(Number(port), '127.0.0.1', () => console.log(`fill-mask server on ${port}`));
