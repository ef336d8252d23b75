// A stand-in extraction worker for the pool tests: misbehaves on demand, by file name. `hang…` spins forever,
// `oom…` allocates until the heap limit, `exit…` dies, `slow-<ms>…` takes that long; anything else is answered at once.
// HOSTILE_START_MS delays its start (as loading the extractor does); HOSTILE_START=exit makes it die while starting.
if (process.env.HOSTILE_START === 'exit') process.exit(1);
await new Promise((resolve) => setTimeout(resolve, Number(process.env.HOSTILE_START_MS ?? 0)));
let line = Promise.resolve();
process.on('message', (request) => {
  line = line.then(() => run(request));
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

async function run({ task, name, bytes }) {
  if (name.startsWith('hang')) for (;;);
  if (name.startsWith('oom')) {
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 16).fill(hoard.length + 0.5));
  }
  if (name.startsWith('exit')) process.exit(3);
  const slow = /^slow-(\d+)/.exec(name);
  if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
  process.send({ task, outcome: { ok: true, extraction: { name, size: bytes.length, pid: process.pid } } });
}
