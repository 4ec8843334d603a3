// Trains the notebook's CNN with TensorFlow.js 4.22's wasm backend, as Keras would: see
// index.html. Sets window.__result = { backend, threads, simd, gradientCheck, epochSeconds,
// trainRows, testAccuracy } or window.__error.
/* global tf */
const params = new URL(location.href).searchParams;
const DATA = params.get('data') ?? 'uci';
const EPOCHS = Number(params.get('epochs') ?? 10);
const THREADS = Number(params.get('threads') ?? 2);
const SEED = Number(params.get('seed') ?? 42);
const BATCH = 128;
const FILES = { uci: 'optdigits-uci.csv', digits: 'digits.csv' };

const log = (line) => {
  document.querySelector('#log').textContent += `${line}\n`;
};

/**
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter, the weight gradient of Conv2D.
 * It is Conv3DBackpropFilterV2 (which the backend has) on a depth of 1: the same inputs
 * viewed as 5-D tensors sharing their data, the filter gradient viewed back as 4-D.
 */
function registerConv2DBackpropFilter() {
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm').kernelFunc;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs: { x, dy }, backend, attrs }) => {
      const { strides, pad, dataFormat, filterShape } = attrs;
      if (dataFormat !== 'NHWC' || typeof pad !== 'string') {
        throw new Error(`Conv2DBackpropFilter: only NHWC and 'same'/'valid' (got ${dataFormat}, ${pad})`);
      }
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const as5d = (t) => ({ dataId: t.dataId, dtype: t.dtype, shape: [t.shape[0], 1, ...t.shape.slice(1)] });
      const dw = conv3d({
        inputs: { x: as5d(x), dy: as5d(dy) },
        backend,
        attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] },
      });
      return { dataId: dw.dataId, dtype: dw.dtype, shape: filterShape };
    },
  });
}

/** Conv2D's input and filter gradients on `backend` for a small fixed case. */
async function convGradients(backend) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomUniform([3, 5, 5, 2], -1, 1, 'float32', 7);
    const f = tf.randomUniform([3, 3, 2, 4], -1, 1, 'float32', 8);
    const w = tf.randomUniform([3, 5, 5, 4], -1, 1, 'float32', 9);
    const [dx, df] = tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a, b, 1, 'same'), w)))([x, f]);
    return [dx.dataSync(), df.dataSync()];
  });
}

/** The largest difference between the cpu and wasm backends' Conv2D gradients. */
async function gradientCheck() {
  const cpu = await convGradients('cpu');
  const wasm = await convGradients('wasm');
  let worst = 0;
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < cpu[k].length; i++) worst = Math.max(worst, Math.abs(cpu[k][i] - wasm[k][i]));
  }
  return worst;
}

/** The CSV's rows as { x: Float32Array (raw pixels 0..16), y: labels }. */
async function loadRows() {
  const text = await (await fetch(`../../../crates/digits-cnn/data/${FILES[DATA]}`)).text();
  const rows = text.trim().split('\n').map((line) => line.split(',').map(Number)).filter((r) => r.length === 65 && r.every(Number.isFinite));
  const x = new Float32Array(rows.length * 64);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r.slice(0, 64), i * 64);
    y[i] = r[64];
  });
  return { x, y, n: rows.length };
}

/** A seeded 80/20 random split (the page's sizes: test = ceil(0.2 n)). */
function split({ x, y, n }) {
  let state = SEED >>> 0 || 1;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const tests = Math.ceil(0.2 * n);
  const part = (idx) => {
    const px = new Float32Array(idx.length * 64);
    idx.forEach((r, i) => px.set(x.subarray(r * 64, r * 64 + 64), i * 64));
    return {
      xs: tf.tensor4d(px, [idx.length, 8, 8, 1]),
      ys: tf.oneHot(tf.tensor1d(idx.map((r) => y[r]), 'int32'), 10),
      rows: idx.length,
    };
  };
  return { train: part(order.slice(tests)), test: part(order.slice(0, tests)) };
}

/** The notebook's network (crates/digits-cnn/src/arch/keras.rs writes the same in Keras). */
function model() {
  const L = tf.layers;
  const m = tf.sequential();
  m.add(L.conv2d({ inputShape: [8, 8, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(L.maxPooling2d({ poolSize: 2 }));
  m.add(L.dropout({ rate: 0.25 }));
  for (const filters of [32, 64]) {
    m.add(L.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(L.maxPooling2d({ poolSize: 2 }));
    m.add(L.dropout({ rate: 0.25 }));
  }
  m.add(L.flatten());
  m.add(L.dense({ units: 128, activation: 'sigmoid' }));
  m.add(L.dropout({ rate: 0.25 }));
  m.add(L.dense({ units: 512, activation: 'sigmoid' }));
  m.add(L.dropout({ rate: 0.25 }));
  m.add(L.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

async function main() {
  tf.wasm.setWasmPaths(new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
  if (THREADS > 0) tf.wasm.setThreadsCount(THREADS);
  registerConv2DBackpropFilter();
  const worst = await gradientCheck();
  log(`Conv2D gradients, cpu vs wasm: max |difference| ${worst}`);
  await tf.setBackend('wasm');
  const { train, test } = split(await loadRows());
  const m = model();
  log(`${train.rows} training rows, ${test.rows} test rows, ${m.countParams()} parameters`);
  const epochSeconds = [];
  let t0 = performance.now();
  await m.fit(train.xs, train.ys, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: true,
    validationData: [test.xs, test.ys],
    callbacks: {
      onEpochBegin: async () => {
        t0 = performance.now();
      },
      onEpochEnd: async (epoch, logs) => {
        epochSeconds.push((performance.now() - t0) / 1000);
        log(`epoch ${epoch + 1}: ${epochSeconds.at(-1).toFixed(3)} s, val_acc ${logs.val_acc.toFixed(4)}`);
      },
    },
  });
  const [, accuracy] = m.evaluate(test.xs, test.ys, { batchSize: BATCH });
  window.__result = {
    backend: tf.getBackend(),
    threads: tf.wasm.getThreadsCount(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    gradientCheck: worst,
    epochSeconds,
    trainRows: train.rows,
    testAccuracy: (await accuracy.data())[0],
  };
}

main().catch((e) => {
  window.__error = String(e?.stack ?? e);
  log(window.__error);
});
