/**
 * Node flags for the engine's process (Electron's utility process, `npm start` headless, the
 * benchmark). V8 grows the young generation to 16 MiB per semi-space under a burst of requests and
 * keeps it: tens of megabytes of RSS on an engine that runs all day. 2 MiB costs a few more
 * scavenges, each as cheap (a request's garbage dies young), and the heap no longer stays inflated.
 * `--expose-gc` lets the engine collect once when it goes quiet after work (src/core/daemon/idle-collector.ts);
 * it gives nothing to an agent, which never runs code in the engine.
 */
export const ENGINE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--expose-gc'];
