/** `npm start`: serves the dashboard, the API and the data on one port. Settings: see server/config.ts. */
import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

const config = loadConfig();
const server = await startServer(config);
console.log(`预算绩效看板已启动 / Dashboard running at ${server.url} (data: ${config.dataDir})`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close().then(() => process.exit(0), (e) => (console.error(e), process.exit(1)));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
